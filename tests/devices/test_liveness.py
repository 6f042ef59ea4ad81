"""Liveness by blink: live faces pass, a photo held up fails; the face-check session around it.

Frames come from the camera simulator's scenes (the persona face cache); time is passed in, so the
results do not depend on how fast this machine is.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.devices.face_capture import Guidance
from kiosk.devices.liveness import (
    BLINK_PROMPT,
    DONE_PROMPT,
    LIVENESS_FAILED,
    BlinkChallenge,
    FaceCheckSession,
    FaceCheckSettings,
    Stage,
)
from kiosk.devices.model import Completion
from simulators.personas.faces import blink_frames
from tests.devices.camera_frames import detector_fixture, frames  # noqa: F401  (the `detector` fixture)

FPS = 15.0
PERSONAS = ("chen_guiying", "li_jianguo")  # astronaut; grace_hopper (glasses)


def run_session(scene: str, start: int = 0, stride: int = 1, limit: int = 600,
                settings: FaceCheckSettings | None = None) -> tuple[FaceCheckSession, list]:
    """Play a scene's loop into a session as a camera would (stride > 1: a slow consumer skips)."""
    loop = frames(scene)
    session = FaceCheckSession(settings=settings or FaceCheckSettings())
    progress = []
    i = 0
    while not session.finished and i < limit:
        progress.append(session.feed(loop[(start + i * stride) % len(loop)], i * stride / FPS))
        i += 1
    return session, progress


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("start", "stride"), [(0, 1), (11, 1), (5, 2), (17, 3)])
def test_a_live_face_passes(persona, start, stride):
    session, progress = run_session(f"face:{persona}", start, stride)
    assert session.stage is Stage.DONE, [p.code for p in progress][-5:]
    assert session.failure is None
    result = session.result
    assert result is not None and result.blinks >= 1
    assert result.assessment.ok
    image = cv2.imdecode(np.frombuffer(result.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None and image.shape[0] > image.shape[1]  # a portrait crop
    codes = [p.code for p in progress]
    assert BLINK_PROMPT in codes and codes[-1] == DONE_PROMPT == "camera.guidance.done"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("start", "stride"), [(0, 1), (7, 2)])
def test_a_photo_held_up_fails(persona, start, stride):
    # 4 s of frames (the default is 8 s): over two blink periods of a live face
    settings = FaceCheckSettings(liveness_timeout_s=4.0)
    session, progress = run_session(f"photo:{persona}", start, stride, settings=settings)
    assert session.stage is Stage.FAILED
    assert session.result is None
    assert session.challenge.blinks == 0
    assert session.failure is not None
    assert session.failure.completion is Completion.USER_ERROR
    assert session.failure.code == LIVENESS_FAILED == "camera.liveness_failed"
    assert progress[-1].code == LIVENESS_FAILED
    # the photo did reach the challenge: it was stopped by liveness, not by the quality checks
    assert any(p.stage is Stage.BLINK and p.code == BLINK_PROMPT for p in progress)


@pytest.mark.parametrize("persona", PERSONAS)
def test_eyes_are_seen_open_except_in_the_blink_frames(detector, persona):
    challenge = BlinkChallenge()
    loop = frames(f"face:{persona}")
    shut = set(blink_frames("astronaut"))  # the same indexes for both photos
    for i, frame in enumerate(loop):
        face = detector.assess(frame).face
        assert challenge.eyes_open(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), face) is (i not in shut), i


def test_a_photo_never_closes_its_eyes(detector):
    challenge = BlinkChallenge()
    for persona in PERSONAS:
        for frame in frames(f"photo:{persona}"):
            assert challenge.feed(frame, detector.assess(frame).face) is True
    assert challenge.blinks == 0


def _faces(detector, loop):
    return [detector.assess(f).face for f in loop]


def test_face_lost_between_open_frames_is_not_a_blink(detector):
    loop = frames("face:chen_guiying")
    faces = _faces(detector, loop)
    challenge = BlinkChallenge()
    for i in range(6):
        challenge.feed(loop[i], faces[i])
    assert challenge.feed(loop[6], None) is None  # the resident stepped out of view
    for i in range(7, 10):
        challenge.feed(loop[i], faces[i])
    assert challenge.blinks == 0


def test_eyes_lost_while_the_face_jumps_is_not_a_blink(detector):
    loop = frames("face:chen_guiying")
    faces = _faces(detector, loop)
    challenge = BlinkChallenge()
    for i in range(6):
        challenge.feed(loop[i], faces[i])
    closed = blink_frames("astronaut")[0]
    x, y, w, h = faces[closed]
    jumped = (x + w // 4, y, w, h)  # the face box moved a quarter face in one frame
    assert challenge.feed(loop[closed], jumped) is False
    for i in range(13, 16):
        challenge.feed(loop[i], faces[i])
    assert challenge.blinks == 0


def test_eyes_shut_for_too_long_is_not_a_blink(detector):
    loop = frames("face:chen_guiying")
    closed = blink_frames("astronaut")[0]
    challenge = BlinkChallenge()
    face = detector.assess(loop[0]).face
    for _ in range(5):
        challenge.feed(loop[0], face)
    for _ in range(challenge.settings.max_closed + 2):
        assert challenge.feed(loop[closed], face) is False
    for _ in range(4):
        challenge.feed(loop[0], face)
    assert challenge.blinks == 0


def test_a_short_blink_between_open_frames_counts(detector):
    loop = frames("face:li_jianguo")
    closed = blink_frames("grace_hopper")[1]
    face = detector.assess(loop[0]).face
    challenge = BlinkChallenge()
    for frame in [loop[0]] * 3 + [loop[closed]] + [loop[0]] * 2:
        challenge.feed(frame, face)
    assert challenge.blinks == 1 and challenge.passed


def test_positioning_guidance_comes_before_the_challenge():
    session = FaceCheckSession()
    far = frames("face:chen_guiying", "far")
    p = session.feed(far[0], 0.0)
    assert p.stage is Stage.POSITIONING and p.guidance is Guidance.TOO_FAR and p.code == "camera.guidance.too_far"
    live = frames("face:chen_guiying")
    stages = [session.feed(live[i], (i + 1) / FPS).stage for i in range(4)]
    assert stages[-1] is Stage.BLINK


def test_no_failure_before_the_photo_had_a_fair_number_of_frames():
    settings = FaceCheckSettings(liveness_timeout_s=1.0, min_challenge_frames=30)
    loop = frames("photo:chen_guiying")
    session = FaceCheckSession(settings=settings)
    t = 0.0
    for i in range(20):  # a very slow machine: 10 s between frames
        session.feed(loop[i % len(loop)], t)
        t += 10.0
    assert session.stage is Stage.BLINK
    for i in range(40):
        if session.finished:
            break
        session.feed(loop[i % len(loop)], t)
        t += 10.0
    assert session.stage is Stage.FAILED


def test_without_liveness_a_quality_checked_photo_is_returned():
    session, _ = run_session("photo:chen_guiying", settings=FaceCheckSettings(liveness=False))
    assert session.stage is Stage.DONE and session.result is not None and session.result.blinks == 0


def test_feeding_a_finished_session_is_an_error():
    session, _ = run_session("face:chen_guiying")
    with pytest.raises(RuntimeError):
        session.feed(frames("face:chen_guiying")[0], 99.0)
