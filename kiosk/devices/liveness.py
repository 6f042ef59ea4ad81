"""Liveness by challenge (活体检测): the resident is asked to blink; a photo held up cannot.

Pure logic fed one frame at a time, with the caller's clock, so it runs the same on the camera
worker thread, in the CLI and in tests (no sleeping, no speed dependence).

`BlinkChallenge` watches the eyes with the Haar eye cascades inside the detected face: a blink is
eyes seen open for a few frames, then not found for a short run while the face stays in place, then
open again. A printed photo keeps its eyes open in every frame, so it never passes; eyes lost because
the face jumped (motion) or vanished do not count as a blink.

`FaceCheckSession` is the whole face check: quality gate (face_capture) → blink challenge → the best
open-eyed, quality-checked frame as a JPEG for the backend's face match. It only says "a live face
was captured"; matching it with the ID photo is the backend's job.

Head-turn challenges are not used: a photo can be turned as well, and telling a rigid photo from a
turning head needs depth cues the Haar cascades do not give.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import cv2
import numpy as np

from kiosk.devices.document_scan import encode_jpeg
from kiosk.devices.face_capture import (
    Box,
    FaceAssessment,
    FaceDetector,
    Guidance,
    face_crop,
    load_cascade,
    to_gray,
)
from kiosk.devices.model import Completion, DeviceError

# message codes (kiosk.services.messages) of the prompts besides the quality guidance
BLINK_PROMPT = "camera.guidance.blink"
DONE_PROMPT = "camera.guidance.done"
LIVENESS_FAILED = "camera.liveness_failed"  # also the failure's DeviceError code


@dataclass(frozen=True)
class BlinkSettings:
    roi_width: int = 120  # the eye band is scaled to this width before the eye cascades run
    band_top: float = 0.15  # eye band inside the face box, as shares of its height
    band_bottom: float = 0.60
    # eye cascade step and neighbours: a finer step (1.05) also fires on hair, lids and spectacle rims,
    # so closed eyes still look open and real blinks are missed
    eye_scale_factor: float = 1.1
    eye_min_neighbors: int = 3
    min_open_before: int = 3  # frames with eyes open before the blink
    min_closed: int = 1  # a blink is 1…max_closed frames without eyes (≈ 70–400 ms at 15 fps)
    max_closed: int = 6
    min_open_after: int = 2
    max_face_shift: float = 0.15  # face centre movement per frame, share of face width
    blinks_required: int = 1


class BlinkChallenge:
    """Counts blinks in a stream of (frame, face box) pairs. One instance per check, per thread."""

    def __init__(self, settings: BlinkSettings = BlinkSettings()) -> None:
        self.settings = settings
        self._cascades: tuple[cv2.CascadeClassifier, ...] = ()  # read on first use, not here
        self.blinks = 0
        self.frames = 0
        self._open_run = 0  # consecutive open frames before the current closed run
        self._closed_run = 0
        self._open_after = 0
        self._last_face: Box | None = None

    @property
    def passed(self) -> bool:
        return self.blinks >= self.settings.blinks_required

    def eyes_open(self, gray: np.ndarray, face: Box) -> bool:
        """True when either eye cascade finds an eye in the face's eye band."""
        s = self.settings
        x, y, w, h = face
        band = gray[max(0, y + int(h * s.band_top)):y + int(h * s.band_bottom), max(0, x):x + w]
        if band.size == 0:
            return False
        scale = s.roi_width / band.shape[1]
        band = cv2.resize(band, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        lo, hi = s.roi_width // 10, s.roi_width // 3
        if not self._cascades:  # plain eyes, then eyes behind glasses (老花镜 wearers)
            self._cascades = (load_cascade("haarcascade_eye.xml"),
                              load_cascade("haarcascade_eye_tree_eyeglasses.xml"))
        for cascade in self._cascades:
            if len(cascade.detectMultiScale(band, s.eye_scale_factor, s.eye_min_neighbors,
                                            minSize=(lo, lo), maxSize=(hi, hi))):
                return True
        return False

    def _reset(self) -> None:
        self._open_run = self._closed_run = self._open_after = 0

    def feed(self, frame: np.ndarray, face: Box | None) -> bool | None:
        """Process one frame; returns whether the eyes were open (None when there is no face)."""
        self.frames += 1
        if face is None:
            self._reset()
            self._last_face = None
            return None
        moved = self._moved(face)
        self._last_face = face
        is_open = self.eyes_open(to_gray(frame), face)
        s = self.settings
        if moved and not is_open:
            self._reset()  # eyes lost while the face jumped: motion, not a blink
            return is_open
        if not is_open:
            if self._open_after:  # closed again before the blink was confirmed: start over
                self._open_run, self._closed_run, self._open_after = 0, 0, 0
            if self._open_run >= s.min_open_before:
                self._closed_run += 1
                if self._closed_run > s.max_closed:  # eyes gone too long: not a blink
                    self._reset()
            else:
                self._open_run = 0  # the open run before a blink must be unbroken
            return is_open
        if self._closed_run:
            self._open_after += 1
            if self._open_after >= s.min_open_after and s.min_closed <= self._closed_run <= s.max_closed:
                self.blinks += 1
                self._open_run, self._closed_run, self._open_after = self._open_after, 0, 0
        else:
            self._open_run += 1
        return is_open

    def _moved(self, face: Box) -> bool:
        if self._last_face is None:
            return False
        x, y, w, h = face
        px, py, pw, ph = self._last_face
        shift = np.hypot((x + w / 2) - (px + pw / 2), (y + h / 2) - (py + ph / 2))
        return bool(shift > self.settings.max_face_shift * max(w, pw))


# ------------------------------------------------------------------ the whole face check


class Stage(enum.StrEnum):
    POSITIONING = "positioning"  # quality checks until the face is well placed
    BLINK = "blink"  # the liveness challenge
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class FaceCheckSettings:
    stable_frames: int = 3  # consecutive good frames before the challenge starts
    liveness: bool = True  # False: a quality-checked face is enough (diagnostics only)
    liveness_timeout_s: float = 8.0  # the challenge fails (photo?) when no blink comes in time …
    min_challenge_frames: int = 30  # … and at least this many frames were watched (a fair chance)
    jpeg_quality: int = 92


@dataclass(frozen=True)
class FaceCheckProgress:
    stage: Stage
    guidance: Guidance
    code: str  # message code of what the screen shows / the voice says now
    assessment: FaceAssessment


@dataclass(frozen=True)
class FaceCheckResult:
    jpeg: bytes  # the portrait crop for the backend's face match
    assessment: FaceAssessment  # of the chosen frame
    blinks: int
    frames: int
    metrics: dict[str, float] = field(default_factory=dict)


class FaceCheckSession:
    """Feed frames in; read `progress`, then `result` (live face) or `failure` (DeviceError)."""

    def __init__(self, detector: FaceDetector | None = None, challenge: BlinkChallenge | None = None,
                 settings: FaceCheckSettings = FaceCheckSettings()) -> None:
        self.detector = detector or FaceDetector()
        self.challenge = challenge or BlinkChallenge()
        self.settings = settings
        self.stage = Stage.POSITIONING
        self.result: FaceCheckResult | None = None
        self.failure: DeviceError | None = None
        self.frames = 0
        self._good_run = 0
        self._challenge_started: float | None = None
        self._best: tuple[float, np.ndarray, FaceAssessment] | None = None

    @property
    def finished(self) -> bool:
        return self.stage in (Stage.DONE, Stage.FAILED)

    def feed(self, frame: np.ndarray, now: float) -> FaceCheckProgress:
        """One frame at time `now` (seconds, any monotonic clock)."""
        if self.finished:
            raise RuntimeError("face check already finished")
        self.frames += 1
        assessment = self.detector.assess(frame)
        if self.stage is Stage.POSITIONING:
            self._good_run = self._good_run + 1 if assessment.ok else 0
            if assessment.ok:
                self._keep_best(frame, assessment)
            if self._good_run >= self.settings.stable_frames:
                if not self.settings.liveness:
                    self._finish()
                else:
                    self.stage = Stage.BLINK
                    self._challenge_started = now
            return self._progress(assessment)
        # BLINK: eyes are watched whenever exactly one face is visible, even if it is a bit off
        face = assessment.face if assessment.face_count == 1 else None
        eyes_open = self.challenge.feed(frame, face)
        if assessment.ok and eyes_open:
            self._keep_best(frame, assessment)
        if self.challenge.passed and self._best is not None:
            self._finish()
        elif (now - (self._challenge_started or now) > self.settings.liveness_timeout_s
              and self.challenge.frames >= self.settings.min_challenge_frames):
            self.stage = Stage.FAILED
            self.failure = DeviceError(
                Completion.USER_ERROR,
                f"liveness challenge failed: no blink within {self.settings.liveness_timeout_s:.1f} s "
                f"({self.challenge.frames} frames watched)",
                LIVENESS_FAILED,
            )
        return self._progress(assessment)

    def _keep_best(self, frame: np.ndarray, assessment: FaceAssessment) -> None:
        score = assessment.metrics.get("sharpness", 0.0)
        if self._best is None or score > self._best[0]:
            self._best = (score, frame.copy(), assessment)

    def _finish(self) -> None:
        assert self._best is not None
        _, frame, assessment = self._best
        assert assessment.face is not None
        jpeg = encode_jpeg(face_crop(frame, assessment.face), self.settings.jpeg_quality)
        self.result = FaceCheckResult(jpeg, assessment, self.challenge.blinks, self.frames,
                                      dict(assessment.metrics))
        self.stage = Stage.DONE

    def _progress(self, assessment: FaceAssessment) -> FaceCheckProgress:
        if self.stage is Stage.FAILED:
            code = LIVENESS_FAILED
        elif self.stage is Stage.DONE:
            code = DONE_PROMPT
        elif self.stage is Stage.BLINK and assessment.ok:
            code = BLINK_PROMPT
        else:
            code = assessment.code
        return FaceCheckProgress(self.stage, assessment.guidance, code, assessment)
