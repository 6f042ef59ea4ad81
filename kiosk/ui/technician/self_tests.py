"""One self-test per device for the technician screen. Each blocks (it waits for a card, a code or
a print job): the screen runs it through run_op, never on the GUI thread. No widgets here.

Each returns an Outcome: pass or fail, the sentence the screen shows (on failure the device's own
message, `messages.for_error`), an English detail for the technician and the message code. What a
test card or code held never leaves the function but masked: the ID-card and 社保卡 tests show only
the masked number, the scan test only the masked, shortened code. Test pages are not residents'
documents: a failed one is discarded rather than kept in the printer's failed jobs.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.devices.doc_printer import DocJobError
from kiosk.devices.model import Completion, DeviceError, DeviceState
from kiosk.devices.qr_scanner import ScannedCode
from kiosk.devices.receipt_printer import PrintJobError
from kiosk.logging_setup import PersonalDataFilter
from kiosk.services import messages
from kiosk.services.health import clean_detail
from kiosk.ui.widgets import mask_id_number

if TYPE_CHECKING:  # OpenCV and numpy load when the camera self-test runs, not at start-up
    import numpy as np

    from kiosk.devices.face_capture import Box

WAIT_S = 20.0  # for a person: place the test card, hold up a code, insert the 社保卡
CARD_TYPES = {"resident": "居民身份证", "hk_mo_tw_residence": "港澳台居民居住证",
              "foreign_permanent": "外国人永久居留身份证"}
SHOWN_CODE_CHARS = 24
PREVIEW_WIDTH = 480


@dataclass(frozen=True)
class Outcome:
    ok: bool
    text: str  # what the screen shows
    detail: str = ""  # English, masked
    code: str | None = None  # the message code of a failure

    @staticmethod
    def failed(exc: BaseException | Any) -> Outcome:
        detail = getattr(exc, "detail", None) or str(exc)
        return Outcome(False, messages.for_error(exc), clean_detail(detail), messages.code_of(exc))


def _usable(device: Any) -> None:
    """Fail at once, with the device's reconnecting message, when it is not connected."""
    state = device.status.state
    if state in (DeviceState.OFFLINE, DeviceState.NO_DEVICE, DeviceState.CLOSED):
        raise DeviceError(Completion.DEVICE_NOT_READY, f"{device.device_id} is {state}: {device.status.detail}",
                          "device.disconnected")


def run(test: Any, *args: Any) -> Outcome:
    """Run one test; any device or service error becomes a failed Outcome with its message."""
    try:
        return test(*args)
    except (DeviceError, messages.CodedError) as exc:
        return Outcome.failed(exc)


# ---- the tests -----------------------------------------------------------------------------------

def read_idcard(reader: Any, wait_s: float = WAIT_S) -> Outcome:
    _usable(reader)
    card = reader.read_once(wait_s)
    kind = CARD_TYPES.get(card.card_type, card.card_type)
    text = f"读卡正常：{kind}，证件号码 {mask_id_number(card.id_number)}"
    del card  # the fields go no further than this function
    return Outcome(True, text, "card read")


def scan_code(scanner: Any, wait_s: float = WAIT_S) -> Outcome:
    """Enable the scanner, wait for one code (or a rejected frame), disable it again."""
    _usable(scanner)
    got: queue.Queue[Any] = queue.Queue()
    scanner.events.clear()
    scanner.read_errors.clear()
    scanner.events.set_listener(got.put)
    scanner.read_errors.set_listener(got.put)
    scanner.enable()
    try:
        item = got.get(timeout=wait_s)
    except queue.Empty:
        raise messages.CodedError("technician.scan_timeout", f"no code within {wait_s:g} s") from None
    finally:
        scanner.disable()
        scanner.events.set_listener(None)
        scanner.read_errors.set_listener(None)
        scanner.events.clear()
    if not isinstance(item, ScannedCode):
        return Outcome.failed(item)  # ScanRejected: noise, too long, undecodable
    code = item.code
    shown = PersonalDataFilter.mask(code)
    shown = shown if len(shown) <= SHOWN_CODE_CHARS else shown[:SHOWN_CODE_CHARS] + "…"
    return Outcome(True, f"扫码正常：读到 {len(code)} 个字符「{shown}」（{item.encoding}）",
                   f"{len(code)} characters, {item.encoding}")


def print_receipt_test(printer: Any, kiosk_id: str) -> Outcome:
    from kiosk.services.receipts import printer_test_page

    try:
        job = printer.print_receipt(printer_test_page(printed_at=datetime.now(), kiosk_id=kiosk_id,
                                                      url=printer.url)).wait()
    except PrintJobError as exc:
        printer.discard(exc.job)
        raise
    paper = job.status_after.paper if job.status_after is not None else None
    note = "；纸张将尽，请尽快换纸" if paper == "near_end" else ""
    return Outcome(True, f"测试页已打印（{len(job.data)} 字节），请查看出纸口的凭条{note}",
                   f"{len(job.data)} bytes, paper {paper}")


def print_a4_test(printer: Any, kiosk_id: str) -> Outcome:
    from kiosk.services.a4_documents import render_pdf, test_page

    pdf = render_pdf(test_page(printed_at=datetime.now(), kiosk_id=kiosk_id, url=printer.url))
    try:
        job = printer.print_pdf(pdf, "test_page").wait()
    except DocJobError as exc:
        printer.discard(exc.job)
        raise
    warnings = list(printer.last_status.warnings) if printer.last_status is not None else []
    note = "".join(f"；{messages.text('docprinter.' + w)}" for w in warnings if 'docprinter.' + w in messages.MESSAGES)
    return Outcome(True, f"A4 测试页已打印（CUPS 任务 {job.cups_job_id}，{job.seconds:.1f} 秒），请到 A4 出纸口查看{note}",
                   f"CUPS job {job.cups_job_id}, {len(pdf)} bytes, warnings {warnings or 'none'}")


def read_sscard(reader: Any, wait_s: float = WAIT_S) -> Outcome:
    _usable(reader)
    data = reader.read_card(timeout=wait_s).wait()
    text = f"读卡正常：社会保障号码 {mask_id_number(data.id_number)}（读卡器 {reader.reader_name}）"
    del data
    return Outcome(True, text, f"reader {reader.reader_name!r}")


# ---- the camera: a live preview with the face box ----------------------------------------------

@dataclass(frozen=True)
class Look:
    """One analysed preview frame: a small RGB copy for the screen and what was found in it."""

    rgb: np.ndarray  # PREVIEW_WIDTH wide, contiguous, uint8
    face: Box | None  # in the small frame's pixels
    code: str  # the guidance message code for this frame (camera.guidance.*)
    size: tuple[int, int]  # the camera's frame size
    fps: float


class CameraProbe:
    """The preview's frame source. The camera's capture thread leaves only its newest frame here
    (nothing older is kept); `look()`, called on a worker thread, finds the face in it. Frames are
    faces: they are dropped at `stop()` and never written anywhere."""

    def __init__(self, camera: Any) -> None:
        self.camera = camera
        self._lock = threading.Lock()
        self._latest: tuple[int, np.ndarray] | None = None
        self._seen = 0
        self._times: deque[float] = deque(maxlen=30)
        from kiosk.devices.face_capture import FaceDetector  # OpenCV: only when the self-test runs

        self._detector = FaceDetector()
        self._detect_lock = threading.Lock()  # a cascade serves one thread at a time

    def start(self) -> None:
        _usable(self.camera)
        self.camera.add_frame_listener(self._on_frame)
        self.camera.enable()

    def stop(self) -> None:
        self.camera.disable()
        self.camera.remove_frame_listener(self._on_frame)
        with self._lock:
            self._latest = None
            self._times.clear()

    def _on_frame(self, frame_id: int, frame: np.ndarray) -> None:  # the capture thread
        with self._lock:
            self._latest = (frame_id, frame)
            self._times.append(time.monotonic())

    def fps(self) -> float:
        with self._lock:
            times = list(self._times)
        return round((len(times) - 1) / (times[-1] - times[0]), 1) if len(times) > 2 and times[-1] > times[0] else 0.0

    def look(self) -> Look | None:
        """The newest frame analysed, or None when no new frame came since the last look. Raises
        the camera's DeviceError when it lost its source."""
        _usable(self.camera)
        if not self.camera.enabled:  # a frame-rate measurement that began before the preview ended
            self.camera.enable()
        with self._lock:
            latest = self._latest
        if latest is None or latest[0] == self._seen:
            return None
        self._seen, frame = latest
        with self._detect_lock:
            assessment = self._detector.assess(frame)
        import cv2
        import numpy as np

        h, w = frame.shape[:2]
        scale = PREVIEW_WIDTH / w
        small = cv2.resize(frame, (PREVIEW_WIDTH, int(round(h * scale))), interpolation=cv2.INTER_AREA)
        rgb = np.ascontiguousarray(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
        face = None
        if assessment.face is not None:
            face = tuple(int(round(v * scale)) for v in assessment.face)  # type: ignore[assignment]
        return Look(rgb, face, assessment.code, (w, h), self.fps())


def camera_outcome(look: Look) -> Outcome:
    """Pass as soon as a frame shows a face; the guidance says how well it is placed."""
    w, h = look.size
    if look.face is None:
        return Outcome(False, messages.text(look.code), f"{w}x{h} at {look.fps} fps, no face", look.code)
    return Outcome(True, f"摄像头正常：{w}×{h}，{look.fps:g} 帧/秒，检测到人脸（{messages.text(look.code)}）",
                   f"{w}x{h} at {look.fps} fps, face found")
