"""ESC/POS receipt printer on python-escpos, through the device model.

URL → connector (docs/vocabulary.md): `tcp://HOST:PORT` → Network, `usb://VID:PID` → Usb (needs pyusb,
`pip install python-escpos[usb]`), `serial:///dev/ttyS0?baudrate=9600` → Serial. The connector is
created and opened in `_open_transport` and closed explicitly in `_close_transport`; its noisy
`__del__` is switched off, so no I/O ever happens in a constructor or a finaliser.

Every job runs on the device worker thread: DLE EOT status before (refuse to print when the paper is
out, the cover open or the printer offline), the bytes, DLE EOT status after (paper ran out or the cover
opened during the job). Before each DLE EOT query the driver drops whatever the printer sent unasked
(automatic status back, a late reply), and while waiting for the reply it skips bytes that cannot be
one (`is_status_reply`), so a stale byte never reads as "out of paper". A job that fails stays in `failed_jobs` with its bytes until it is printed by
`retry(job)` or dropped by `discard(job)`: it is never silently lost. Receipt content is never logged.

Jobs are accepted as soon as the printer is open; `disable()` stops them (staff maintenance),
`enable()` resumes.

Threads: `print_receipt`/`retry`/`query_status` return a `Command` at once; its completion callbacks and
the status listeners run on the printer's worker thread.
"""

from __future__ import annotations

import functools
import itertools
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.devices.device_url import PrinterUrl, parse_printer_url
from kiosk.devices.model import (
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
from kiosk.devices.printer_profiles import PrinterProfile, get_profile
from kiosk.devices.printer_status import (
    QUERIES,
    PrinterStatus,
    StatusByteError,
    decode_status,
    is_status_reply,
)

log = logging.getLogger(__name__)

CHUNK = 4096  # bytes per write; the cancel token is checked between chunks

# python-escpos closes the device in __del__ (and Usb.close raises without pyusb). Closing is explicit
# here, so the finaliser must do nothing.
class Printable(Protocol):
    """What the driver prints: anything that renders itself to ESC/POS bytes for a profile
    (kiosk.services.receipts.Receipt). The driver knows bytes, not receipt templates."""

    kind: str

    def to_escpos(self, profile: PrinterProfile) -> bytes: ...


@functools.cache
def _quiet_connector(kind: str) -> type:
    """python-escpos's connector for a URL kind (tcp/serial/usb) with a finaliser that does nothing.
    Imported at the first open, on the worker thread: python-escpos takes ~0.1 s to import."""
    from escpos import printer

    base = {"tcp": printer.Network, "serial": printer.Serial, "usb": printer.Usb}[kind]
    return type(f"_Quiet{base.__name__}", (base,), {"__del__": lambda self: None})


_TIMEOUT_ERRORS = ("SerialTimeoutException", "USBTimeoutError")  # pyserial, pyusb (optional imports)

_job_ids = itertools.count(1)


@dataclass(eq=False)
class PrintJob:
    """One receipt's bytes and what happened to them. Re-submit a failed job with `retry(job)`."""

    kind: str
    data: bytes
    id: str = field(default_factory=lambda: f"job-{next(_job_ids)}")
    state: str = "pending"  # pending | printing | printed | failed | discarded
    attempts: int = 0
    error: DeviceError | None = None
    status_after: PrinterStatus | None = None
    created: float = field(default_factory=time.time)

    def __repr__(self) -> str:  # never show the bytes: they hold personal data
        return f"PrintJob({self.id}, {self.kind}, {len(self.data)} bytes, {self.state}, attempts={self.attempts})"


class PrintJobError(DeviceError):
    """A job failed; `job` holds its bytes and is kept in the printer's `failed_jobs` for retry."""

    def __init__(self, job: PrintJob, cause: DeviceError) -> None:
        super().__init__(cause.completion, f"{job.id}: {cause.detail}", cause.code, cause.params)
        self.job = job
        self.cause = cause


class ReceiptPrinter(Device):
    capabilities = frozenset({"print", "qr", "cut", "logo", "status"})
    is_input = False

    def __init__(self, device_id: str, url: str, *, poll_interval: float = 0.3,
                 command_timeout: float = 15.0, profile: str = "80mm", status_timeout_s: float = 3.0,
                 usb_in_ep: int = 0x82, usb_out_ep: int = 0x01, **profile_overrides: Any) -> None:
        super().__init__(device_id, url, poll_interval=poll_interval, command_timeout=command_timeout)
        self.target: PrinterUrl = parse_printer_url(url)  # validation only, no I/O
        self.profile = get_profile(profile, **profile_overrides)
        self.status_timeout = status_timeout_s
        self._usb_eps = (usb_in_ep, usb_out_ep)
        self._escpos: Any = None  # a python-escpos Network, Serial or Usb while open
        self._failed: dict[str, PrintJob] = {}
        self.last_status: PrinterStatus | None = None
        # An output device: an open printer takes jobs unless disable() was called (maintenance);
        # enable() takes them again. Nobody has to remember enable() just to print.
        self._accepting = True

    def _on_enable(self) -> None:
        self._accepting = True

    def _on_disable(self) -> None:
        self._accepting = False

    # ---- public API -------------------------------------------------------------------------
    def make_job(self, receipt: Printable) -> PrintJob:
        """Build the job bytes (pure, on the caller's thread)."""
        return PrintJob(receipt.kind, receipt.to_escpos(self.profile))

    def print_receipt(self, receipt: Printable) -> Command:
        """Print one receipt. The Command's result is the printed PrintJob; its error a PrintJobError."""
        return self.print_job(self.make_job(receipt))

    def print_job(self, job: PrintJob, timeout: float | None = None) -> Command:
        if timeout is None:
            timeout = self.command_timeout
            if self.target.kind == "serial":  # 10 bits a byte: a raster QR at 9600 baud takes seconds
                timeout += len(job.data) * 10 / self.target.baudrate
        return self.submit(f"print {job.id}", lambda token: self._run_job(job, token), timeout)

    def retry(self, job: PrintJob) -> Command:
        """Print a failed job again (after paper was loaded, the cover closed, the link restored)."""
        return self.print_job(job)

    @property
    def failed_jobs(self) -> list[PrintJob]:
        return list(self._failed.values())

    def discard(self, job: PrintJob) -> None:
        """Drop a failed job on purpose (a staff decision); the only way a job leaves the list."""
        if self._failed.pop(job.id, None) is not None:
            job.state = "discarded"
            log.warning("%s: %s discarded by request after %d attempt(s)", self.device_id, job.id,
                        job.attempts)
            self._set_status(failed_jobs=len(self._failed))

    def query_status(self, timeout: float | None = None) -> Command:
        """DLE EOT 1, 2, 4 → PrinterStatus (also updates the status extras)."""
        return self.submit("status", self._do_query_status, timeout)

    def check_health(self, level: HealthLevel = HealthLevel.INTERNAL) -> HealthReport:
        if level == HealthLevel.INTERNAL:
            return super().check_health(level)
        try:
            status: PrinterStatus = self.query_status().wait()
        except DeviceError as exc:
            return HealthReport(self.device_id, level, False, f"{self.device_id}: {exc.detail}")
        return HealthReport(self.device_id, level, status.ready, f"{self.device_id}: {status.to_dict()}")

    # ---- transport --------------------------------------------------------------------------
    def _make_connector(self) -> Any:
        t, prof = self.target, self.profile.escpos_profile
        cls = _quiet_connector(t.kind)
        if t.kind == "tcp":
            return cls(t.host, t.port, timeout=self.command_timeout, profile=prof)
        if t.kind == "serial":
            return cls(t.device, baudrate=t.baudrate, timeout=self.status_timeout, profile=prof)
        return cls(t.vendor_id, t.product_id, timeout=int(self.status_timeout * 1000),
                         in_ep=self._usb_eps[0], out_ep=self._usb_eps[1], profile=prof)

    def _open_transport(self) -> None:
        conn = self._make_connector()
        try:
            conn.open()
        except RuntimeError as exc:  # python-escpos: the optional dependency (pyusb) is missing
            raise DeviceError(Completion.DEVICE_NOT_READY, f"cannot open {self.url}: {exc}",
                              "printer.unavailable") from exc
        self._escpos = conn
        self.last_status = self._read_status(self.status_timeout)

    def _do_open(self, token: CancelToken) -> None:
        super()._do_open(token)
        if self.last_status is not None:
            self._publish(self.last_status)

    def _close_transport(self) -> None:
        conn, self._escpos = self._escpos, None
        if conn is not None:
            conn.close()

    def _drop_transport(self) -> None:
        """After a broken or confused link: close, so the next job reconnects from a clean state."""
        try:
            self._close_transport()
        except Exception:
            log.debug("%s: close after failure", self.device_id, exc_info=True)

    def _ensure_open(self) -> None:
        if self._escpos is None:
            self._open_transport()

    def _write(self, data: bytes, token: CancelToken) -> None:
        assert self._escpos is not None
        for start in range(0, len(data), CHUNK):
            token.check()
            self._set_io_timeout(max(0.05, token.remaining()))
            self._escpos._raw(data[start:start + CHUNK])

    def _set_io_timeout(self, seconds: float) -> None:
        conn, kind = self._escpos, self.target.kind
        if kind == "tcp" and conn._device:
            conn._device.settimeout(seconds)
        elif kind == "serial" and conn._device:
            conn._device.timeout = conn._device.write_timeout = seconds
        elif kind == "usb":
            conn.timeout = int(seconds * 1000)

    def _read_byte(self, timeout: float) -> int:
        conn = self._escpos
        assert conn is not None
        self._set_io_timeout(timeout)
        if self.target.kind == "tcp":
            data = conn._device.recv(1)
            if not data:
                raise TransportLost(f"{self.url}: printer closed the connection")
        elif self.target.kind == "serial":
            data = conn._device.read(1)
        else:
            data = bytes(conn._device.read(conn.in_ep, 16, int(timeout * 1000)))
        if not data:
            raise DeviceError(Completion.TIMEOUT, f"{self.url}: no reply to DLE EOT within {timeout:.1f}s",
                              "printer.not_finished")
        return data[0]

    def _flush_input(self) -> int:
        """Drop bytes the printer sent unasked (automatic status back, a late reply); returns how many."""
        conn, kind = self._escpos, self.target.kind
        dropped = 0
        if kind == "tcp":
            sock = conn._device
            timeout = sock.gettimeout()
            sock.setblocking(False)
            try:
                while True:
                    data = sock.recv(4096)
                    if not data:
                        raise TransportLost(f"{self.url}: printer closed the connection")
                    dropped += len(data)
            except BlockingIOError:
                pass
            finally:
                sock.settimeout(timeout)
        elif kind == "serial":
            dropped = conn._device.in_waiting
            conn._device.reset_input_buffer()
        elif kind == "usb":
            for _ in range(64):  # a USB printer answers in packets; read until nothing is pending
                try:
                    data = conn._device.read(conn.in_ep, 64, 1)
                except Exception:  # pyusb: a timeout means nothing is pending
                    break
                if not data:
                    break
                dropped += len(data)
        return dropped

    def _read_reply(self, timeout: float) -> int:
        """The next byte that can be a DLE EOT reply, skipping unsolicited status blocks."""
        deadline = time.monotonic() + timeout
        skipped = 0
        while True:
            byte = self._read_byte(max(0.05, deadline - time.monotonic()))
            if is_status_reply(byte):
                if skipped:
                    log.debug("%s: skipped %d unsolicited status byte(s)", self.device_id, skipped)
                return byte
            skipped += 1
            if time.monotonic() >= deadline:
                raise DeviceError(Completion.TIMEOUT, f"{self.url}: no DLE EOT reply within {timeout:.1f}s "
                                  f"({skipped} unsolicited byte(s) skipped)", "printer.not_finished")

    def _read_status(self, timeout: float) -> PrinterStatus:
        replies = []
        for query in QUERIES:
            assert self._escpos is not None
            dropped = self._flush_input()
            if dropped:
                log.debug("%s: dropped %d pending byte(s) before DLE EOT", self.device_id, dropped)
            self._escpos._raw(query)
            replies.append(self._read_reply(timeout))
        try:
            return decode_status(*replies)
        except StatusByteError as exc:
            raise DeviceError(Completion.HARDWARE_ERROR, f"{self.url}: {exc}", "printer.unavailable") from exc

    def _io(self, fn, *args):
        """Run one I/O step, turning OS/library errors into DeviceError (TransportLost for a broken link)."""
        try:
            return fn(*args)
        except DeviceError:
            raise
        except Exception as exc:  # OSError, SerialException, USBError, escpos DeviceNotFoundError
            if isinstance(exc, TimeoutError) or type(exc).__name__ in _TIMEOUT_ERRORS:
                raise DeviceError(Completion.TIMEOUT, f"{self.url}: printer timed out ({type(exc).__name__})",
                                  "printer.not_finished") from exc
            raise TransportLost(f"{self.url}: {type(exc).__name__}: {exc}") from exc

    # ---- status -----------------------------------------------------------------------------
    def _publish(self, status: PrinterStatus) -> None:
        self.last_status = status
        state, detail = DeviceState.ONLINE, ""
        if status.error:
            state, detail = DeviceState.HW_ERROR, "printer reports an error"
        elif status.paper == "out" or status.cover_open:
            state = DeviceState.USER_ERROR
            detail = "paper out" if status.paper == "out" else "cover open"
        elif not status.online:
            state, detail = DeviceState.HW_ERROR, "printer reports offline"
        self._set_status(state, detail, online=status.online, cover_open=status.cover_open,
                         paper=status.paper, failed_jobs=len(self._failed))

    def _do_query_status(self, token: CancelToken) -> PrinterStatus:
        try:
            self._io(self._ensure_open)
            status = self._io(self._read_status, min(self.status_timeout, max(0.05, token.remaining())))
        except DeviceError as exc:
            self._drop_transport()
            if isinstance(exc, TransportLost) or exc.completion == Completion.TIMEOUT:
                self._set_status(DeviceState.OFFLINE, exc.detail)
            raise
        self._publish(status)
        return status

    # ---- jobs -------------------------------------------------------------------------------
    @staticmethod
    def _refusal(status: PrinterStatus) -> DeviceError | None:
        if status.paper == "out":
            return DeviceError(Completion.USER_ERROR, "paper out", "printer.paper_out")
        if status.cover_open:
            return DeviceError(Completion.USER_ERROR, "cover open", "printer.cover_open")
        if status.error:
            return DeviceError(Completion.HARDWARE_ERROR, "printer reports an error", "printer.unavailable")
        if not status.online:
            return DeviceError(Completion.DEVICE_NOT_READY, "printer reports offline", "printer.unavailable")
        return None

    def _run_job(self, job: PrintJob, token: CancelToken) -> PrintJob:
        job.attempts += 1
        job.state = "printing"
        self._failed.pop(job.id, None)
        try:
            if not self._accepting:
                raise DeviceError(Completion.SEQUENCE_ERROR, f"{self.device_id}: disabled; call enable()",
                                  "printer.paused")
            before = self._do_query_status(token)
            refusal = self._refusal(before)
            if refusal is not None:
                raise DeviceError(refusal.completion, f"not printed: {refusal.detail}", refusal.code)
            self._io(self._write, job.data, token)
            after = self._do_query_status(token)
            job.status_after = after
            if after.paper == "out":
                raise DeviceError(Completion.USER_ERROR, "paper ran out during the job", "printer.paper_ran_out")
            if after.cover_open:
                raise DeviceError(Completion.USER_ERROR, "cover opened during the job", "printer.cover_opened")
            if refusal := self._refusal(after):
                raise DeviceError(refusal.completion, f"after the job: {refusal.detail}", refusal.code)
        except DeviceError as exc:
            if isinstance(exc, TransportLost) or exc.completion == Completion.TIMEOUT:
                self._drop_transport()  # the printer may still answer late; start clean next time
                self._set_status(DeviceState.OFFLINE, exc.detail)
                exc = DeviceError(exc.completion, exc.detail, "printer.not_finished")
            job.state, job.error = "failed", exc
            self._failed[job.id] = job
            self._set_status(failed_jobs=len(self._failed))
            log.warning("%s: %s (%s, %d bytes) failed on attempt %d: %s", self.device_id, job.id, job.kind,
                        len(job.data), job.attempts, exc.detail)
            raise PrintJobError(job, exc) from exc
        job.state, job.error = "printed", None
        self._set_status(failed_jobs=len(self._failed))
        log.info("%s: %s (%s, %d bytes) printed", self.device_id, job.id, job.kind, len(job.data))
        return job
