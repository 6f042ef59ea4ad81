"""Face quality checks for the face check (人证核验): one frame in, one guidance out.

Pure functions on numpy BGR frames (no threads, no I/O); the camera driver calls them on its worker
thread. Detection uses OpenCV's Haar cascades (`cv2.data.haarcascades`, opencv-python-headless < 5).
Thresholds are data (`FaceThresholds`) so a site can tune them without touching the code.

The checks run in a fixed order and the first failure decides the guidance the resident sees:
frame too dark → no face → several faces → face too dark / too bright → too far / too close →
off centre → blurred. A frame that passes all of them is `Guidance.OK`.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from kiosk.devices.model import Completion, DeviceError

Box = tuple[int, int, int, int]  # x, y, w, h in full-frame pixels


class Guidance(enum.StrEnum):
    """What the resident should do next. The value is stable for logs; `code` is its message code
    (kiosk.services.messages: `camera.guidance.<value>`)."""

    OK = "ok"
    NO_FACE = "no_face"
    MULTIPLE_FACES = "multiple_faces"
    TOO_FAR = "too_far"
    TOO_CLOSE = "too_close"
    OFF_CENTRE = "off_centre"
    BLURRY = "blurry"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"

    @property
    def code(self) -> str:
        return f"camera.guidance.{self.value}"


@dataclass(frozen=True)
class FaceThresholds:
    detect_width: int = 320  # frames are scaled down to this width before detection (speed)
    scale_factor: float = 1.1
    min_neighbors: int = 5
    min_face_ratio: float = 0.28  # face box height / frame height: smaller is "too far"
    max_face_ratio: float = 0.72  # larger is "too close"
    # a second face counts only when it is at least this share of the main face's height
    # (a passer-by far behind the resident does not stop the check)
    second_face_ratio: float = 0.5
    max_centre_offset: float = 0.16  # face centre off the frame centre, share of width / height
    min_sharpness: float = 60.0  # Laplacian variance of the face scaled to 128×128
    min_frame_brightness: float = 45.0  # mean grey of the whole frame
    min_face_brightness: float = 70.0  # mean grey of the face box
    max_face_brightness: float = 225.0
    max_clipped_share: float = 0.2  # share of face pixels at full white (>= 250): over-exposed


@dataclass(frozen=True)
class FaceAssessment:
    guidance: Guidance
    face: Box | None = None  # the main face, full-frame pixels
    face_count: int = 0
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.guidance is Guidance.OK

    @property
    def code(self) -> str:
        """The message code of the guidance for this frame."""
        return self.guidance.code

    def to_dict(self) -> dict[str, Any]:
        return {"guidance": str(self.guidance), "code": self.code, "face": self.face,
                "face_count": self.face_count, "metrics": dict(self.metrics)}


def load_cascade(name: str) -> cv2.CascadeClassifier:
    path = os.path.join(cv2.data.haarcascades, name)
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():
        raise DeviceError(Completion.HARDWARE_ERROR,
                          f"cannot load Haar cascade {path} (opencv-python-headless must be < 5)",
                          "camera.unavailable")
    return cascade


def to_gray(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame


def sharpness(gray_face: np.ndarray) -> float:
    """Laplacian variance on a fixed-size face so the figure does not depend on distance."""
    return float(cv2.Laplacian(cv2.resize(gray_face, (128, 128), interpolation=cv2.INTER_AREA),
                               cv2.CV_64F).var())


class FaceDetector:
    """Frontal-face Haar detection plus the quality checks. One instance per thread (a cascade is not
    thread-safe); the cascade file is read on first use, never in the constructor."""

    def __init__(self, thresholds: FaceThresholds = FaceThresholds()) -> None:
        self.thresholds = thresholds
        self._cascade: cv2.CascadeClassifier | None = None

    @property
    def _faces(self) -> cv2.CascadeClassifier:
        if self._cascade is None:
            self._cascade = load_cascade("haarcascade_frontalface_alt2.xml")
        return self._cascade

    def detect(self, gray: np.ndarray) -> list[Box]:
        """All frontal faces, largest first, in full-frame pixels."""
        t = self.thresholds
        scale = min(1.0, t.detect_width / gray.shape[1])
        small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
        # Faces down to 60 % of the "too far" limit are still found (to say 请靠近一点); smaller ones
        # are not searched for at all, which is where a Haar cascade spends most of its time.
        min_side = max(20, int(small.shape[0] * t.min_face_ratio * 0.6))
        found = self._faces.detectMultiScale(small, scaleFactor=t.scale_factor, minNeighbors=t.min_neighbors,
                                             minSize=(min_side, min_side))
        if len(found) == 0:
            # A dim or backlit face may only show after equalising (then the brightness check says
            # "too dark"). Not the first pass: on a bright wall equalising washes a small face out.
            found = self._faces.detectMultiScale(cv2.equalizeHist(small), scaleFactor=t.scale_factor,
                                                 minNeighbors=t.min_neighbors, minSize=(min_side, min_side))
        boxes = [tuple(int(round(v / scale)) for v in box) for box in found]
        return sorted(boxes, key=lambda b: b[2] * b[3], reverse=True)  # type: ignore[return-value]

    def assess(self, frame: np.ndarray) -> FaceAssessment:
        t = self.thresholds
        gray = to_gray(frame)
        height, width = gray.shape
        metrics: dict[str, float] = {"frame_brightness": round(float(gray.mean()), 1)}
        if metrics["frame_brightness"] < t.min_frame_brightness:
            return FaceAssessment(Guidance.TOO_DARK, metrics=metrics)
        faces = self.detect(gray)
        if not faces:
            return FaceAssessment(Guidance.NO_FACE, metrics=metrics)
        main = faces[0]
        counted = [f for f in faces if f[3] >= t.second_face_ratio * main[3]]
        if len(counted) > 1:
            return FaceAssessment(Guidance.MULTIPLE_FACES, main, len(counted), metrics)
        x, y, w, h = main
        face_gray = gray[y:y + h, x:x + w]
        metrics.update(
            face_brightness=round(float(face_gray.mean()), 1),
            face_ratio=round(h / height, 3),
            offset_x=round((x + w / 2 - width / 2) / width, 3),
            offset_y=round((y + h / 2 - height / 2) / height, 3),
            sharpness=round(sharpness(face_gray), 1),
            clipped=round(float((face_gray >= 250).mean()), 3),
        )
        guidance = Guidance.OK
        if metrics["face_brightness"] < t.min_face_brightness:
            guidance = Guidance.TOO_DARK
        elif metrics["face_brightness"] > t.max_face_brightness or metrics["clipped"] > t.max_clipped_share:
            guidance = Guidance.TOO_BRIGHT
        elif metrics["face_ratio"] < t.min_face_ratio:
            guidance = Guidance.TOO_FAR
        elif metrics["face_ratio"] > t.max_face_ratio:
            guidance = Guidance.TOO_CLOSE
        elif max(abs(metrics["offset_x"]), abs(metrics["offset_y"])) > t.max_centre_offset:
            guidance = Guidance.OFF_CENTRE
        elif metrics["sharpness"] < t.min_sharpness:
            guidance = Guidance.BLURRY
        return FaceAssessment(guidance, main, 1, metrics)


def face_crop(frame: np.ndarray, face: Box) -> np.ndarray:
    """A portrait crop around the face, framed like an ID photo (5:6, face centred a little high)."""
    x, y, w, h = face
    crop_w = w * 1.45
    crop_h = crop_w * 1.2
    cx, cy = x + w / 2, y + h / 2
    x0, y0 = int(round(cx - crop_w / 2)), int(round(cy - crop_h * 0.47))
    x1, y1 = int(round(x0 + crop_w)), int(round(y0 + crop_h))
    pad = max(0, -x0, -y0, x1 - frame.shape[1], y1 - frame.shape[0])
    if pad:  # the face is near an edge: extend the border instead of squashing the face
        frame = cv2.copyMakeBorder(frame, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        x0, y0, x1, y1 = x0 + pad, y0 + pad, x1 + pad, y1 + pad
    return frame[y0:y1, x0:x1].copy()
