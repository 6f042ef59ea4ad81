"""Face match of the reference backend — a SIMULATION for testing, NOT biometrics.

The personas' faces come from two shipped photos (docs/environment.md). To decide whether a camera
frame shows the session holder, the backend finds the face with OpenCV's Haar cascade, crops and
scales it the same way the enrolled image was made, and compares the two crops by local features:
ORB keypoints, cross-checked Hamming matches, then a RANSAC similarity transform. The score is the
share of geometrically consistent matches. Frames derived from the same photo give many consistent
matches; a face from the other photo gives almost none. Histogram similarity is deliberately not
used (it cannot tell such images apart reliably). Nothing here says anything about real people:
it only recognises which of the two test photos a frame was derived from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from simulators.personas.faces import enrolled_face

DEFAULT_THRESHOLD = 0.06  # same photo scores 0.12-0.27, the other photo 0.01-0.02 (see tests)
CROP_SIZE = (200, 240)  # width, height: the enrolled image's size
CROP_WIDTH_FACTOR = 1.45  # crop width / Haar face-box width (as faces.py crops the enrolled image)
CROP_CENTRE_Y = 0.47  # face-box centre sits at this fraction of the crop height
MIN_FACE_FRACTION = 0.12  # a face smaller than this share of the frame height is too far away
METHOD = "orb-ransac-simulation"


class FaceImageError(ValueError):
    """The image cannot be checked (not a JPEG, no face, two faces…); code + Chinese message."""

    def __init__(self, code: str, detail: str, user_message: str) -> None:
        super().__init__(detail)
        self.code, self.user_message = code, user_message


@dataclass(frozen=True)
class MatchResult:
    matched: bool
    score: float
    threshold: float
    inliers: int
    method: str = METHOD


@lru_cache(maxsize=1)
def _face_cascade() -> cv2.CascadeClassifier:
    clf = cv2.CascadeClassifier(os.path.join(cv2.data.haarcascades, "haarcascade_frontalface_default.xml"))
    if clf.empty():
        raise RuntimeError("cannot load the Haar face cascade (OpenCV 5 ships none: pin opencv<5)")
    return clf


@lru_cache(maxsize=1)
def _orb() -> cv2.ORB:
    return cv2.ORB_create(nfeatures=600, scaleFactor=1.2, nlevels=6, edgeThreshold=15, patchSize=15)


def decode_jpeg(data: bytes) -> np.ndarray:
    if not data.startswith(b"\xff\xd8\xff"):
        raise FaceImageError("image_unreadable", "the body is not a JPEG (no SOI marker)",
                             "照片无法识别，请重新拍照。")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None or image.shape[0] < 48 or image.shape[1] < 48:
        raise FaceImageError("image_unreadable", "the JPEG cannot be decoded or is smaller than 48×48",
                             "照片无法识别，请重新拍照。")
    return image


def aligned_face(image: np.ndarray) -> np.ndarray:
    """The single face of ``image``, cropped and scaled like the enrolled image (grey, equalised)."""
    gray = cv2.equalizeHist(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    min_side = max(40, int(gray.shape[0] * MIN_FACE_FRACTION))
    faces = _face_cascade().detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5,
                                             minSize=(min_side, min_side))
    if len(faces) == 0:
        raise FaceImageError("no_face", "no face found in the image",
                             "没有检测到人脸，请正对摄像头，保持光线充足。")
    faces = sorted(faces, key=lambda f: -int(f[2]) * int(f[3]))
    if len(faces) > 1 and faces[1][2] * faces[1][3] > 0.4 * faces[0][2] * faces[0][3]:
        raise FaceImageError("multiple_faces", f"{len(faces)} faces found in the image",
                             "检测到多张人脸，请只让办理人本人正对摄像头。")
    x, y, w, h = (float(v) for v in faces[0])
    cx, cy = x + w / 2, y + h / 2
    crop_w = w * CROP_WIDTH_FACTOR
    scale = CROP_SIZE[0] / crop_w
    crop_h = CROP_SIZE[1] / scale
    x0, y0 = cx - crop_w / 2, cy - crop_h * CROP_CENTRE_Y
    m = np.array([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]], np.float32)
    return cv2.warpAffine(gray, m, CROP_SIZE, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)


@lru_cache(maxsize=8)
def _enrolled_features(photo: str, cache_dir: str | None) -> tuple[tuple, np.ndarray | None]:
    path = enrolled_face(photo, Path(cache_dir) if cache_dir else None)
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise RuntimeError(f"cannot read the enrolled face {path}")
    return _orb().detectAndCompute(aligned_face(image), None)


def score_faces(probe: np.ndarray, keypoints: tuple, descriptors: np.ndarray | None) -> tuple[float, int]:
    """(score, inliers): the share of the enrolled keypoints that match consistently."""
    kp, desc = _orb().detectAndCompute(probe, None)
    if desc is None or descriptors is None or len(kp) < 8 or len(keypoints) < 8:
        return 0.0, 0
    matches = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(descriptors, desc)
    matches = [m for m in matches if m.distance <= 64]
    if len(matches) < 6:
        return 0.0, 0
    src = np.float32([keypoints[m.queryIdx].pt for m in matches])
    dst = np.float32([kp[m.trainIdx].pt for m in matches])
    transform, mask = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=6.0)
    if transform is None or mask is None:
        return 0.0, 0
    inliers = int(mask.sum())
    return inliers / min(len(keypoints), len(kp)), inliers


def match(jpeg: bytes, photo: str, *, threshold: float | None = None,
          cache_dir: Path | None = None) -> MatchResult:
    """Compare a camera frame with the enrolled image of ``photo`` (a persona's face_photo)."""
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    probe = aligned_face(decode_jpeg(jpeg))
    keypoints, descriptors = _enrolled_features(photo, str(cache_dir) if cache_dir else None)
    score, inliers = score_faces(probe, keypoints, descriptors)
    return MatchResult(matched=score >= limit, score=score, threshold=limit, inliers=inliers)
