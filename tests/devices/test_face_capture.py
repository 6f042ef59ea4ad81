"""Face quality checks: every guidance for its scene, thresholds as data, the portrait crop."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.devices.face_capture import (
    FaceDetector,
    FaceThresholds,
    Guidance,
    face_crop,
    sharpness,
)
from kiosk.services import messages
from tests.devices.camera_frames import detector_fixture, frames  # noqa: F401  (the `detector` fixture)


def guidance_over(detector: FaceDetector, scene: str, variant: str = "", step: int = 3) -> set[Guidance]:
    return {detector.assess(f).guidance for f in frames(scene, variant)[::step]}


# Both face photos (astronaut: chen_guiying; grace_hopper, with glasses: li_jianguo).
PERSONAS = ("chen_guiying", "li_jianguo")


@pytest.mark.parametrize("persona", PERSONAS)
def test_live_face_in_the_middle_passes_every_check(detector, persona):
    assert guidance_over(detector, f"face:{persona}", step=1) == {Guidance.OK}
    a = detector.assess(frames(f"face:{persona}")[0])
    assert a.ok and a.face_count == 1 and a.face is not None
    assert a.code == "camera.guidance.ok" and messages.text(a.code) == "很好，请保持不动。"
    assert 0.28 <= a.metrics["face_ratio"] <= 0.72


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("variant", "guidance", "message"), [
    ("far", Guidance.TOO_FAR, "请靠近一点。"),
    ("close", Guidance.TOO_CLOSE, "请后退一点。"),
    ("off-centre", Guidance.OFF_CENTRE, "请把脸移到框中间。"),
    ("blurry", Guidance.BLURRY, "画面模糊，请保持不动。"),
])
def test_each_placement_problem_gets_its_guidance(detector, persona, variant, guidance, message):
    assert guidance_over(detector, f"face:{persona}", variant) == {guidance}
    assert messages.text(guidance.code) == message


@pytest.mark.parametrize(("scene", "guidance", "message"), [
    ("empty", Guidance.NO_FACE, "未检测到人脸，请正对屏幕。"),
    ("two-faces", Guidance.MULTIPLE_FACES, "检测到多张人脸，请一人办理。"),
    ("dark", Guidance.TOO_DARK, "光线太暗，请靠近灯光。"),
    ("document", Guidance.NO_FACE, "未检测到人脸，请正对屏幕。"),
])
def test_each_scene_gets_its_guidance(detector, scene, guidance, message):
    assert guidance_over(detector, scene, step=1) == {guidance}
    assert messages.text(guidance.code) == message


def test_a_photo_held_up_passes_the_quality_checks(detector):
    # quality is not liveness: the photo must be stopped by the blink challenge (test_liveness)
    assert guidance_over(detector, "photo:chen_guiying") == {Guidance.OK}


def _shade_face(frame: np.ndarray, face, factor: float) -> np.ndarray:
    x, y, w, h = face
    out = frame.astype(np.float32)
    out[y:y + h, x:x + w] *= factor
    return np.clip(out, 0, 255).astype(np.uint8)


def test_backlit_face_in_a_bright_room_is_too_dark(detector):
    frame = frames("face:chen_guiying")[0]
    face = detector.assess(frame).face
    dim = _shade_face(frame, face, 0.4)  # the window behind the resident, the face in shadow
    a = detector.assess(dim)
    assert a.metrics["frame_brightness"] >= detector.thresholds.min_frame_brightness
    assert a.guidance is Guidance.TOO_DARK


@pytest.mark.parametrize("persona", PERSONAS)
def test_face_washed_out_by_strong_light_is_too_bright(detector, persona):
    for frame in frames(f"face:{persona}")[0:12:4]:
        glare = np.clip(frame.astype(np.float32) * 1.8 + 20, 0, 255).astype(np.uint8)  # sun on the lens
        a = detector.assess(glare)
        assert a.guidance is Guidance.TOO_BRIGHT, a.metrics
        assert messages.text(a.code) == "光线太强，请避开强光。"


def test_a_passer_by_far_behind_does_not_count_as_a_second_face(detector):
    frame = frames("face:chen_guiying")[0].copy()
    other = cv2.resize(frames("face:li_jianguo")[0], None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    frame[0:other.shape[0], 0:other.shape[1]] = other  # a small face in the corner
    a = detector.assess(frame)
    assert a.guidance is not Guidance.MULTIPLE_FACES


def test_thresholds_are_data(detector):
    frame = frames("face:chen_guiying")[0]
    ratio = detector.assess(frame).metrics["face_ratio"]
    strict = FaceDetector(FaceThresholds(min_face_ratio=ratio + 0.05))
    assert strict.assess(frame).guidance is Guidance.TOO_FAR
    picky = FaceDetector(FaceThresholds(min_sharpness=1e6))
    assert picky.assess(frame).guidance is Guidance.BLURRY


def test_every_guidance_has_a_text_in_the_message_table():
    for g in Guidance:
        assert g.code == f"camera.guidance.{g.value}" and g.code in messages.MESSAGES


def test_sharpness_drops_with_blur():
    frame = cv2.cvtColor(frames("face:li_jianguo")[0], cv2.COLOR_BGR2GRAY)
    assert sharpness(cv2.GaussianBlur(frame, (0, 0), 3)) < sharpness(frame) / 5


def test_face_crop_is_a_portrait_around_the_face(detector):
    frame = frames("face:chen_guiying")[0]
    a = detector.assess(frame)
    crop = face_crop(frame, a.face)
    h, w = crop.shape[:2]
    assert h / w == pytest.approx(1.2, abs=0.02)
    assert detector.assess(cv2.resize(crop, (320, 384))).face_count == 1


def test_face_crop_near_the_edge_keeps_its_shape():
    frame = np.full((480, 640, 3), 128, np.uint8)
    crop = face_crop(frame, (600, 0, 100, 100))
    assert crop.shape[0] / crop.shape[1] == pytest.approx(1.2, abs=0.02)


def test_grey_frames_are_accepted(detector):
    gray = cv2.cvtColor(frames("face:chen_guiying")[0], cv2.COLOR_BGR2GRAY)
    assert detector.assess(gray).ok
