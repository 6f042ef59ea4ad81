"""The camera (face check and 高拍仪 document camera) on OpenCV `VideoCapture`, through the device model.

Source from config (device_url.CameraSource): `index:0` (a USB camera), `file:///path/video.avi`
(played at its own frame rate, looped), or `http://HOST:PORT/stream.mjpg` (MJPEG; the simulator).

    camera = Camera("camera", "http://127.0.0.1:7004/stream.mjpg")
    camera.add_frame_listener(on_frame)        # (frame_id, BGR numpy frame) for the preview
    camera.open(); camera.enable()             # enable = decode every frame for the preview
    cmd = camera.capture_face(on_progress=show_guidance)   # → FaceCheckResult (JPEG) or DeviceError
    cmd = camera.scan_document(on_progress=show_prompt)    # → DocumentScan (straightened page JPEG)
    cmd = camera.snapshot()                    # → JPEG bytes of a fresh frame

Capture only on demand: `open()` checks that the source opens (and reads its frame size), then lets
it go. The source is held, and frames are read, only while the camera is enabled (the face step) or a
command needs frames (snapshot, capture_face, scan_document, the external health check); `disable()`
and the end of the last such command close it again. An idle kiosk reads no camera at all.

Threads (who fires what):
- A capture thread ("camera-capture") owns the VideoCapture while frames are wanted. It keeps only the
  latest frame (a slow consumer skips frames, it never gets stale queued ones) and calls the frame
  listeners on its own thread, so the GUI thread never waits for the camera. The source is opened and
  closed on the device worker thread (enable()/disable() queue that there and return at once).
- Commands (snapshot, capture_face, scan_document) run on the device worker thread; `on_progress`
  callbacks fire there too.
- A read failure (unplugged, stream ended, read timeout) sets the state OFFLINE with the detail; the
  DeviceManager then calls reopen(), which stops the capture thread and checks the source again (and
  captures again at once if the camera is still enabled).

Config options (`[devices.camera] options = {…}`): `width`, `height`, `fps` (requested from index
cameras), `open_timeout_s` (5), `read_timeout_s` (3), `loop_file` (true), `liveness_timeout_s` (8),
`document_stable_frames` (3).

Frames are personal data (faces): they are never logged or written anywhere by the driver, and
the newest frame is kept only while the camera is enabled or a command waits for one (disable()
drops it).

OpenCV and numpy (~0.1 s to import) load at the first open, on the worker thread: constructing the
driver (DeviceManager.build() on the GUI thread) imports neither.

Memory: before its first capture the driver fixes glibc's mmap threshold at 128 KiB for the process
(`_tune_heap_for_frames`), so frames are unmapped when freed instead of piling up in the arenas of
the capture threads; after a capture closes it calls malloc_trim.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# OpenCV and its FFmpeg backend print to stderr when a stream ends; the driver reports that itself
# (status detail, DeviceError), so keep them quiet unless someone asks for their logs.
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

from kiosk.devices.device_url import CameraSource, parse_camera_source  # noqa: E402
from kiosk.devices.model import (  # noqa: E402
    CancelToken,
    Command,
    Completion,
    Device,
    DeviceError,
    DeviceState,
    HealthLevel,
    HealthReport,
    TransportLost,
)

if TYPE_CHECKING:
    import cv2
    import numpy as np

    from kiosk.devices.document_scan import DocumentScan, ScanSettings
    from kiosk.devices.liveness import FaceCheckProgress, FaceCheckResult, FaceCheckSettings

log = logging.getLogger(__name__)

FrameListener = Callable[[int, "np.ndarray"], None]


_OPTIONS = {"width": int, "height": int, "fps": float, "open_timeout_s": float, "read_timeout_s": float,
            "loop_file": bool, "liveness_timeout_s": float, "document_stable_frames": int}


_M_MMAP_THRESHOLD = -3  # glibc <malloc.h>
_FRAME_SIZED = 128 * 1024  # bytes: a 320×240 BGR preview copy (225 KiB) and anything larger
_heap_tuned = False


def _tune_heap_for_frames() -> None:
    """Keep frame-sized buffers out of glibc's arenas, once per process, before the first capture.

    By default glibc raises its mmap threshold to the size of the largest block freed (up to 32 MiB):
    after the first 640×480 frame (900 KiB) is freed, every later frame, decode buffer, grey copy and
    preview QImage comes from the arena of whichever thread allocates it. The capture thread is a new
    thread per capture and lands on another of the process's arenas each time; freed, the frames stay
    there as free memory (malloc_trim does not shrink the top of a thread's arena). The kiosk grew
    ~3 MiB per face check, in anonymous memory outside the main heap, while glibc's bytes in use
    stayed flat, until about 15 arenas each held their share (~35 MiB; bench/bench_soak.py --heap,
    docs/performance.md). A fixed threshold (setting it turns the adjustment off): a block of 128 KiB
    or more that an arena cannot serve from its free space is mapped on its own (and unmapped when
    freed) instead of growing the arena, and the trim threshold stays at 128 KiB, so an arena's free
    top goes back at the next free. Costs a few mmap calls per frame while capturing, nothing at rest."""
    global _heap_tuned
    if _heap_tuned:
        return
    _heap_tuned = True
    try:
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, _FRAME_SIZED)
    except (OSError, AttributeError):  # not glibc
        pass


def _give_back_heap() -> None:
    """Return freed heap to the system after a capture closes (the small blocks FFmpeg's stream
    buffers leave fragmented in the main heap; frame-sized ones are unmapped on free anyway)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


class Camera(Device):
    capabilities = frozenset({"preview", "snapshot", "face_check", "document_scan"})
    is_input = False  # frames come from the capture thread, not from the worker's polling
    on_demand = True  # enabled by the face step while it captures: no frame decoded or kept otherwise

    def __init__(self, device_id: str, url: str, *, poll_interval: float = 0.5,
                 command_timeout: float = 10.0, **options: Any) -> None:
        super().__init__(device_id, url, poll_interval=poll_interval, command_timeout=command_timeout)
        unknown = set(options) - set(_OPTIONS)
        if unknown:
            raise ValueError(f"unknown camera option(s) {', '.join(sorted(unknown))}; "
                             f"valid: {', '.join(_OPTIONS)}")
        self.options = {k: _OPTIONS[k](v) for k, v in options.items()}
        self.source: CameraSource = parse_camera_source(url)
        self._cap: cv2.VideoCapture | None = None
        self._capture_thread: threading.Thread | None = None
        self._stop_capture_event = threading.Event()
        self._frame_cond = threading.Condition()
        self._latest: tuple[int, np.ndarray] | None = None
        self._frame_id = 0
        self._last_frame_at = 0.0
        self._demand = 0  # commands waiting for frames: decode even while disabled
        self._lost: str | None = None
        self._frame_listeners: list[FrameListener] = []

    # ---- frame listeners ---------------------------------------------------------------------
    def add_frame_listener(self, listener: FrameListener) -> None:
        """Called on the capture thread with (frame_id, BGR frame) while enabled. Keep it short; do
        not modify the frame (copy it)."""
        self._frame_listeners.append(listener)

    def remove_frame_listener(self, listener: FrameListener) -> None:
        if listener in self._frame_listeners:
            self._frame_listeners.remove(listener)

    def latest_frame(self) -> tuple[int, np.ndarray] | None:
        """The newest decoded frame, without waiting (any thread)."""
        with self._frame_cond:
            return self._latest

    # ---- transport ---------------------------------------------------------------------------
    def _open_transport(self) -> None:
        """Check the source opens (worker thread); keep it only if frames are wanted right now."""
        import cv2

        cap = self._make_capture()
        if not cap.isOpened():
            cap.release()
            raise DeviceError(Completion.DEVICE_NOT_READY, f"cannot open camera source {self.url}",
                              "camera.unavailable")
        self._lost = None
        self._set_status(source=self.source.kind,
                         size=f"{int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))}x{int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))}")
        if self._enabled:  # reopened while the face step is capturing: the preview goes on
            self._start_capture(cap)
        else:
            cap.release()

    def _make_capture(self) -> cv2.VideoCapture:
        import cv2

        _tune_heap_for_frames()
        src = self.source.for_opencv()
        if self.source.kind == "http":
            params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(self.options.get("open_timeout_s", 5.0) * 1000),
                      cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(self.options.get("read_timeout_s", 3.0) * 1000)]
            return cv2.VideoCapture(src, cv2.CAP_FFMPEG, params)
        if self.source.kind == "file":
            return cv2.VideoCapture(src, cv2.CAP_FFMPEG)
        cap = cv2.VideoCapture(src)
        for opt, prop in (("width", cv2.CAP_PROP_FRAME_WIDTH), ("height", cv2.CAP_PROP_FRAME_HEIGHT),
                          ("fps", cv2.CAP_PROP_FPS)):
            if opt in self.options:
                cap.set(prop, self.options[opt])
        return cap

    def _close_transport(self) -> None:
        self._stop_capture()

    # ---- capturing on demand (worker thread) -------------------------------------------------
    def _start_capture(self, cap: cv2.VideoCapture | None = None) -> None:
        """Hold the source and run the capture thread, unless it already runs."""
        if self._lost:
            raise TransportLost(self._lost)
        if self._capture_thread is not None:
            return
        if not self._opened:
            raise DeviceError(Completion.DEVICE_NOT_READY, f"{self.device_id}: not open", "camera.unavailable")
        if cap is None:
            cap = self._make_capture()
            if not cap.isOpened():
                cap.release()
                raise TransportLost(f"cannot open camera source {self.url}")
        self._cap = cap
        self._stop_capture_event.clear()
        with self._frame_cond:
            self._latest = None
        self._capture_thread = threading.Thread(target=self._capture_loop, args=(cap,),
                                                name=f"{self.device_id}-capture", daemon=True)
        self._capture_thread.start()

    def _stop_capture(self) -> None:
        self._stop_capture_event.set()
        thread, self._capture_thread = self._capture_thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self.options.get("read_timeout_s", 3.0) + 2.0)
            if thread.is_alive():  # stuck inside read(): releasing under it could crash OpenCV
                log.warning("%s: capture thread did not stop; leaving the old capture open", self.device_id)
                self._cap = None
                return
        cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()
            _give_back_heap()
        with self._frame_cond:
            self._latest = None
            self._frame_cond.notify_all()

    def _stop_capture_if_unneeded(self) -> None:
        if not self._enabled and not self._demand and not self._lost:
            self._stop_capture()

    def _capturing(self, fn: Callable[[CancelToken], Any]) -> Callable[[CancelToken], Any]:
        """A command body that holds the source while it runs (and lets it go after, if unneeded)."""
        def run(token: CancelToken) -> Any:
            self._start_capture()
            try:
                return fn(token)
            finally:
                self._stop_capture_if_unneeded()
        return run

    def _on_enable(self) -> None:
        self.submit("start capture", lambda token: self._start_capture())

    def _on_disable(self) -> None:
        # The face step ends: forget the newest frame (a face) unless a command is still waiting for one,
        # and let the source go unless a command still needs it.
        with self._frame_cond:
            if not self._demand:
                self._latest = None
        self.submit("stop capture", lambda token: self._stop_capture_if_unneeded())

    # ---- the capture thread ------------------------------------------------------------------
    def _capture_loop(self, cap: cv2.VideoCapture) -> None:
        import cv2

        is_file = self.source.kind == "file"
        period = 1.0 / (cap.get(cv2.CAP_PROP_FPS) or 15.0) if is_file else 0.0
        next_due = time.monotonic()
        frames_since_rewind = 0
        while not self._stop_capture_event.is_set():
            if not cap.grab():
                if is_file and self.options.get("loop_file", True) and frames_since_rewind:
                    cap.set(cv2.CAP_PROP_POS_FRAMES, 0)  # a test video plays in a loop
                    frames_since_rewind = 0
                    continue
                self._mark_lost(f"no frame from {self.source.kind} source (unplugged, stream ended "
                                f"or no data for {self.options.get('read_timeout_s', 3.0):.0f} s)")
                return
            frames_since_rewind += 1
            if self._enabled or self._demand:
                ok, frame = cap.retrieve()
                if not ok or frame is None:
                    self._mark_lost(f"cannot decode a frame from the {self.source.kind} source")
                    return
                self._publish(frame)
            if period:  # a file has no sensor clock: play it at its own rate
                next_due += period
                delay = next_due - time.monotonic()
                if delay > 0:
                    self._stop_capture_event.wait(delay)
                else:
                    next_due = time.monotonic()

    def _publish(self, frame: np.ndarray) -> None:
        with self._frame_cond:
            self._frame_id += 1
            frame_id = self._frame_id
            # Kept only while someone needs frames: once disabled, no face stays in memory.
            self._latest = (frame_id, frame) if self._enabled or self._demand else None
            self._last_frame_at = time.monotonic()
            self._frame_cond.notify_all()
        if self._enabled:
            for listener in list(self._frame_listeners):
                try:
                    listener(frame_id, frame)
                except Exception:
                    log.exception("%s: frame listener failed", self.device_id)

    def _mark_lost(self, detail: str) -> None:
        self._lost = detail
        with self._frame_cond:
            self._frame_cond.notify_all()
        if not self._stop_capture_event.is_set():
            self._set_status(DeviceState.OFFLINE, detail)  # the manager's watchdog reopens

    # ---- frames for commands (worker thread) -------------------------------------------------
    def wait_frame(self, after: int = 0, token: CancelToken | None = None,
                   stall_timeout: float | None = None) -> tuple[int, np.ndarray]:
        """The first frame newer than `after`. Raises TransportLost when the source stalls for
        `stall_timeout` (default: read timeout + 2 s), DeviceError when `token` is cancelled or expires."""
        if stall_timeout is None:
            stall_timeout = self.options.get("read_timeout_s", 3.0) + 2.0
        deadline = time.monotonic() + stall_timeout
        with self._frame_cond:
            self._demand += 1
            try:
                while True:
                    if self._latest is not None and self._latest[0] > after:
                        return self._latest
                    if self._lost:
                        raise TransportLost(self._lost)
                    if self._cap is None and not self._enabled:
                        raise DeviceError(Completion.DEVICE_NOT_READY, f"{self.device_id}: not open",
                                          "camera.unavailable")
                    if token is not None:
                        token.check()
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TransportLost(f"no frame within {stall_timeout:.1f} s")
                    self._frame_cond.wait(min(left, 0.2))
            finally:
                self._demand -= 1

    # ---- commands ----------------------------------------------------------------------------
    def snapshot(self, timeout: float | None = None) -> Command:
        """A fresh frame as JPEG bytes."""
        def run(token: CancelToken) -> bytes:
            from kiosk.devices.document_scan import encode_jpeg

            _, frame = self.wait_frame(self._frame_id, token)
            return encode_jpeg(frame, 92)
        return self.submit("snapshot", self._capturing(run), timeout)

    def capture_face(self, on_progress: Callable[[FaceCheckProgress], None] | None = None,
                     timeout: float = 60.0, settings: FaceCheckSettings | None = None) -> Command:
        """Quality-checked, live face → FaceCheckResult (portrait JPEG). `on_progress` gets every
        guidance change (worker thread). Fails with USER_ERROR when the blink challenge fails."""
        def run(token: CancelToken) -> FaceCheckResult:
            from kiosk.devices.liveness import FaceCheckSettings

            return self._run_face_check(token, on_progress, settings or FaceCheckSettings(
                liveness_timeout_s=self.options.get("liveness_timeout_s", FaceCheckSettings.liveness_timeout_s)))
        return self.submit("capture_face", self._capturing(run), timeout)

    def _run_face_check(self, token: CancelToken, on_progress: Callable[[FaceCheckProgress], None] | None,
                        settings: FaceCheckSettings) -> FaceCheckResult:
        from kiosk.devices.face_capture import FaceDetector
        from kiosk.devices.liveness import BlinkChallenge, FaceCheckSession

        session = FaceCheckSession(FaceDetector(), BlinkChallenge(), settings)
        frame_id, last_code = self._frame_id, None
        while not session.finished:
            try:
                frame_id, frame = self.wait_frame(frame_id, token)
            except DeviceError as exc:
                if exc.completion is Completion.TIMEOUT:  # say what the last prompt was
                    detail = f"face check timed out at stage {session.stage}"
                    if last_code is None:
                        raise DeviceError(Completion.TIMEOUT, detail, "camera.face_timeout") from exc
                    raise DeviceError(Completion.TIMEOUT, detail, "camera.face_timeout_hint",
                                      {"hint": last_code}) from exc
                raise
            progress = session.feed(frame, time.monotonic())
            if progress.code != last_code:
                last_code = progress.code
                if on_progress is not None:
                    try:
                        on_progress(progress)
                    except Exception:
                        log.exception("%s: face progress listener failed", self.device_id)
        if session.failure is not None:
            raise session.failure
        assert session.result is not None
        return session.result

    def scan_document(self, on_progress: Callable[[str], None] | None = None, timeout: float = 30.0,
                      settings: ScanSettings | None = None) -> Command:
        """Wait until a page lies still in view, then straighten and enhance it → DocumentScan.
        `on_progress` gets the message code of each new prompt (worker thread)."""
        def run(token: CancelToken) -> DocumentScan:
            from kiosk.devices.document_scan import ScanSettings

            return self._run_document_scan(token, on_progress, settings or ScanSettings())
        return self.submit("scan_document", self._capturing(run), timeout)

    def _run_document_scan(self, token: CancelToken, on_progress: Callable[[str], None] | None,
                           settings: ScanSettings) -> DocumentScan:
        import numpy as np

        from kiosk.devices.document_scan import HOLD_STILL, NO_PAGE, find_page, scan_document

        need = int(self.options.get("document_stable_frames", 3))
        frame_id, previous, still, last_code = self._frame_id, None, 0, None
        while True:
            try:
                frame_id, frame = self.wait_frame(frame_id, token)
            except DeviceError as exc:
                if exc.completion is Completion.TIMEOUT:
                    raise DeviceError(Completion.TIMEOUT, "no still page outline before the timeout",
                                      NO_PAGE) from exc
                raise
            corners = find_page(frame, settings)
            if corners is None:
                still, code = 0, NO_PAGE
            else:
                diagonal = float(np.hypot(*frame.shape[:2]))
                moved = previous is not None and float(np.abs(corners - previous).max()) > 0.015 * diagonal
                still = 1 if previous is None or moved else still + 1
                code = HOLD_STILL
            previous = corners
            if code != last_code and on_progress is not None:
                last_code = code
                on_progress(code)
            if still >= need:
                return scan_document(frame, settings)

    # ---- health ------------------------------------------------------------------------------
    def check_health(self, level: HealthLevel = HealthLevel.INTERNAL) -> HealthReport:
        report = super().check_health(level)
        if level is HealthLevel.INTERNAL or not report.ok:
            return report
        try:  # a command, so the source is held for it (and let go after)
            frame_id, frame = self.submit("health", self._capturing(
                lambda token: self.wait_frame(self._frame_id, token))).wait()
        except DeviceError as exc:
            return HealthReport(self.device_id, level, False, f"{self.device_id}: {exc.detail}")
        h, w = frame.shape[:2]
        return HealthReport(self.device_id, level, True,
                            f"{self.device_id}: online, {w}x{h} frames from {self.source.kind} source "
                            f"(frame {frame_id})")
