"""Camera test material shared by the face, liveness, document and driver tests (not a conftest).

    from tests.devices.camera_frames import detector_fixture, frames  # noqa: F401  (the `detector` fixture)
"""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np
import pytest

from kiosk.devices.face_capture import FaceDetector
from simulators.camera.scenes import parse_scene, scene_frames


@cache
def frames(scene: str, variant: str = "") -> tuple[np.ndarray, ...]:
    """A camera scene's loop of frames (docs/vocabulary.md scene names), decoded to BGR once per process.
    Shared: copy a frame before changing it."""
    return tuple(cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_COLOR)
                 for b in scene_frames(parse_scene(scene, variant)))


@pytest.fixture(scope="module", name="detector")
def detector_fixture() -> FaceDetector:
    return FaceDetector()
