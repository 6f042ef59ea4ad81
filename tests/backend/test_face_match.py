"""The face-match rule (a simulation): frames of the same photo match, the other photo does not."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from simulators.backend import face_match
from simulators.personas import load_personas
from simulators.personas.faces import PHOTOS, enrolled_face, live_frames, still_photo_frames

OTHER = {"astronaut": "grace_hopper", "grace_hopper": "astronaut"}


@pytest.mark.parametrize("photo", PHOTOS)
def test_live_frames_match_their_own_photo_and_not_the_other(photo):
    for frame in live_frames(photo)[::2]:  # every other frame, blink frames included
        data = frame.read_bytes()
        same = face_match.match(data, photo)
        other = face_match.match(data, OTHER[photo])
        assert same.matched, (frame, same)
        assert not other.matched, (frame, other)
        assert same.score > 2 * other.score and same.method.endswith("simulation")


@pytest.mark.parametrize("photo", PHOTOS)
def test_still_photo_frames_follow_the_same_rule(photo):
    # liveness (a printed photo held up) is the kiosk's check; the backend only compares faces
    for frame in still_photo_frames(photo)[::4]:
        assert face_match.match(frame.read_bytes(), photo).matched
        assert not face_match.match(frame.read_bytes(), OTHER[photo]).matched


def test_enrolled_image_matches_itself():
    for photo in PHOTOS:
        assert face_match.match(enrolled_face(photo).read_bytes(), photo).score > 0.5


def _jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


def test_unusable_images_are_explained():
    with pytest.raises(face_match.FaceImageError) as exc:
        face_match.match(b"not a jpeg", "astronaut")
    assert exc.value.code == "image_unreadable"
    with pytest.raises(face_match.FaceImageError) as exc:
        face_match.match(_jpeg(np.full((480, 640, 3), 200, np.uint8)), "astronaut")
    assert exc.value.code == "no_face" and "摄像头" in exc.value.user_message
    a = cv2.imread(str(live_frames("astronaut")[0]))
    b = cv2.imread(str(live_frames("grace_hopper")[0]))
    two = np.hstack([a, b])
    with pytest.raises(face_match.FaceImageError) as exc:
        face_match.match(_jpeg(two), "astronaut")
    assert exc.value.code == "multiple_faces"


def test_same_persona_matches_and_another_photo_is_refused_over_the_api(api):
    personas = load_personas()
    chen = personas["chen_guiying"]  # astronaut
    li = personas["li_jianguo"]  # grace_hopper
    assert chen.face_photo != li.face_photo
    token = api.login("chen_guiying")
    own = api.call("POST", "/api/v1/identity/face", data=live_frames(chen.face_photo)[7].read_bytes(),
                   content_type="image/jpeg", session=token).json()
    assert own["matched"] and own["simulation"] is True and own["score"] >= own["threshold"]
    token = api.login("chen_guiying")
    other = api.call("POST", "/api/v1/identity/face", data=live_frames(li.face_photo)[7].read_bytes(),
                     content_type="image/jpeg", session=token).json()
    assert not other["matched"] and other["attempts_left"] == 2 and "face" not in other["methods"]


def test_face_attempts_are_limited(api):
    token = api.login("huang_xiaomei")  # astronaut; show grace_hopper three times
    wrong = live_frames("grace_hopper")[0].read_bytes()
    for left in (2, 1, 0):
        r = api.call("POST", "/api/v1/identity/face", data=wrong, content_type="image/jpeg", session=token)
        assert r.json()["attempts_left"] == left
    r = api.call("POST", "/api/v1/identity/face", data=live_frames("astronaut")[0].read_bytes(),
                 content_type="image/jpeg", session=token)
    assert r.status_code == 403 and r.json()["error"]["code"] == "face_attempts_exceeded"


def test_face_needs_a_jpeg_and_a_session(api):
    frame = live_frames("astronaut")[0].read_bytes()
    assert api.call("POST", "/api/v1/identity/face", data=frame, content_type="image/jpeg").status_code == 401
    token = api.login("chen_guiying")
    r = api.call("POST", "/api/v1/identity/face", data=b"\x89PNG....", content_type="image/png", session=token)
    assert r.status_code == 415
    r = api.call("POST", "/api/v1/identity/face", data=b"\xff\xd8\xffjunk", content_type="image/jpeg", session=token)
    assert r.status_code == 400 and r.json()["error"]["code"] == "image_unreadable"
