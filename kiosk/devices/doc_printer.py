"""The A4 document printer (激光打印机) through CUPS, with pycups, on the device model.

URL (device_url.py): `ipp://HOST:PORT/printers/NAME` — the CUPS server at HOST:PORT and its queue
NAME; `cups:NAME` — queue NAME on the default CUPS server (CUPS_SERVER, client.conf, local socket).
libcups keeps its server setting per thread, so it is set on the device worker thread, which does
every CUPS call: nothing else in the process is affected.

Status: the queue's printer-state and reasons from CUPS, and, when the queue prints to an IPP
printer (device-uri ipp://…), that printer's own state read directly, because CUPS only learns paper
or door faults while a job runs. A job (one PDF) runs on the worker thread: status first (refuse a
fault that is known now: the queue stopped or rejecting, or the IPP printer's live fault), then Create-Job + Send-Document (the PDF goes from memory, never through a temporary file), then the job
is followed until CUPS says completed. A fault that lasts `fault_grace_s` while the job waits (paper
out mid-job, door opened, the printer unplugged) cancels the CUPS job: the job fails with that
fault's message code and stays in `failed_jobs`, with its PDF, until `retry(job)` prints it or
`discard(job)` drops it. A job that CUPS aborts or cancels fails the same way. Document content and
names never reach a log or a CUPS job title.

Errors carry `.code` (kiosk/services/messages.py: "docprinter.media_empty", …).
Threads: `print_pdf`/`retry`/`query_status` return a `Command` at once; its completion callbacks
and the status listeners run on the printer's worker thread.
"""

from __future__ import annotations

import itertools
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kiosk.devices.device_url import DocPrinterUrl, parse_docprinter_url
from kiosk.devices.ipp_status import (
    JOB_ABORTED,
    JOB_CANCELED,
    JOB_COMPLETED,
    JOB_PROCESSING,
    JOB_STOPPED,
    JobStatus,
    QueueStatus,
    decode_job,
    decode_printer,
    fault_of,
    merge_live,
)
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

log = logging.getLogger(__name__)

PRINTER_ATTRIBUTES = ["printer-state", "printer-state-reasons", "printer-state-message",
                      "printer-is-accepting-jobs", "printer-make-and-model", "device-uri"]
JOB_ATTRIBUTES = ["job-state", "job-state-reasons", "job-printer-state-message"]
JOB_TITLE = "kiosk-a4-document"  # CUPS keeps job titles in its history: never a name or an ID number

# fault → (completion, message code)
FAULT_COMPLETION: dict[str, Completion] = {
    "door_open": Completion.USER_ERROR, "media_jam": Completion.USER_ERROR,
    "media_empty": Completion.USER_ERROR, "toner_empty": Completion.USER_ERROR,
    "offline": Completion.DEVICE_NOT_READY, "stopped": Completion.DEVICE_NOT_READY,
    "not_accepting": Completion.DEVICE_NOT_READY,
}
FAULT_STATE = {"door_open": DeviceState.USER_ERROR, "media_jam": DeviceState.USER_ERROR,
               "media_empty": DeviceState.USER_ERROR, "toner_empty": DeviceState.USER_ERROR}

# Faults of the CUPS queue itself, which are current. The printer's own reasons (paper, door, link)
# in the queue are only as fresh as the last job: CUPS learns them from its backend while a job runs
# and keeps them afterwards. So when the printer behind the queue is an IPP printer (device-uri
# ipp://…, every driverless printer), the driver asks it directly (live_status); otherwise a job is
# sent unless the queue is stopped or rejecting, and the printer's faults count while it processes.
QUEUE_FAULTS = ("stopped", "not_accepting")

IPP_NOT_FOUND = 0x0406
IPP_SERVICE_UNAVAILABLE = 0x0502


def fault_code(fault: str) -> str:
    return f"docprinter.{fault}"


class DocPrinterError(DeviceError):
    """A driver error with a message code (the UI shows messages.text(code))."""

    def __init__(self, completion: Completion, detail: str, code: str) -> None:
        super().__init__(completion, detail)
        self.code = code


class DocLinkLost(TransportLost):
    """The CUPS server cannot be reached; the manager reconnects."""

    code = "docprinter.server_unreachable"


_job_ids = itertools.count(1)


@dataclass(eq=False)
class DocJob:
    """One document's PDF and what happened to it. Re-submit a failed job with `retry(job)`."""

    kind: str
    data: bytes
    id: str = field(default_factory=lambda: f"a4-{next(_job_ids)}")
    state: str = "pending"  # pending | printing | printed | failed | discarded
    attempts: int = 0
    cups_job_id: int | None = None
    error: DeviceError | None = None
    seconds: float = 0.0  # how long the last attempt took, submit to completed
    created: float = field(default_factory=time.time)

    def __repr__(self) -> str:  # never the bytes: they hold personal data
        return f"DocJob({self.id}, {self.kind}, {len(self.data)} bytes, {self.state}, attempts={self.attempts})"


class DocJobError(DocPrinterError):
    """A job failed; `job` keeps its PDF in the printer's `failed_jobs` for retry."""

    def __init__(self, job: DocJob, cause: DeviceError) -> None:
        super().__init__(cause.completion, f"{job.id}: {cause.detail}",
                         getattr(cause, "code", "docprinter.job_failed"))
        self.job = job
        self.cause = cause


class DocPrinter(Device):
    capabilities = frozenset({"print", "pdf", "a4", "status"})
    is_input = False

    def __init__(self, device_id: str, url: str, *, poll_interval: float = 0.3,
                 command_timeout: float = 60.0, job_poll_s: float = 0.5, fault_grace_s: float = 3.0,
                 live_status: bool = True, live_timeout_s: float = 1.0) -> None:
        super().__init__(device_id, url, poll_interval=poll_interval, command_timeout=command_timeout)
        self.target: DocPrinterUrl = parse_docprinter_url(url)  # validation only, no I/O
        self.job_poll_s = job_poll_s
        self.fault_grace_s = fault_grace_s
        self.live_status = live_status
        self.live_timeout_s = live_timeout_s
        self._conn: Any = None  # cups.Connection, used on the worker thread only
        self._failed: dict[str, DocJob] = {}
        self.last_status: QueueStatus | None = None
        self._accepting = True  # disable() = staff maintenance; open printers take jobs

    def _on_enable(self) -> None:
        self._accepting = True

    def _on_disable(self) -> None:
        self._accepting = False

    # ---- public API -------------------------------------------------------------------------
    def print_pdf(self, pdf: bytes, kind: str = "document") -> Command:
        """Print one PDF. The Command's result is the printed DocJob; its error a DocJobError."""
        if not pdf.startswith(b"%PDF-"):
            raise ValueError("print_pdf expects PDF bytes (starting with %PDF-)")
        return self.print_job(DocJob(kind, pdf))

    def print_job(self, job: DocJob, timeout: float | None = None) -> Command:
        return self.submit(f"print {job.id}", lambda token: self._run_job(job, token), timeout)

    def retry(self, job: DocJob) -> Command:
        """Print a failed job again (after paper was loaded, the door closed, the link restored)."""
        return self.print_job(job)

    @property
    def failed_jobs(self) -> list[DocJob]:
        return list(self._failed.values())

    def discard(self, job: DocJob) -> None:
        """Drop a failed job on purpose (a staff decision); the only way a job leaves the list."""
        if self._failed.pop(job.id, None) is not None:
            job.state, job.data = "discarded", b""
            log.warning("%s: %s discarded by request after %d attempt(s)", self.device_id, job.id, job.attempts)
            self._set_status(failed_jobs=len(self._failed))

    def query_status(self, timeout: float | None = None) -> Command:
        """The queue's state → QueueStatus (also updates the status extras)."""
        return self.submit("status", self._do_query_status, timeout)

    def check_health(self, level: HealthLevel = HealthLevel.INTERNAL) -> HealthReport:
        if level == HealthLevel.INTERNAL:
            return super().check_health(level)
        try:
            status: QueueStatus = self.query_status().wait()
        except DeviceError as exc:
            return HealthReport(self.device_id, level, False, f"{self.device_id}: {exc.detail}")
        return HealthReport(self.device_id, level, status.ready, f"{self.device_id}: {status.to_dict()}")

    # ---- transport (worker thread) ----------------------------------------------------------
    def _open_transport(self) -> None:
        import cups  # pycups; imported here so a kiosk without an A4 printer never loads libcups

        self._cups = cups
        if self.target.server:
            cups.setServer(self.target.server)  # thread-local in libcups: this worker thread only
        try:
            self._conn = cups.Connection()
        except RuntimeError as exc:
            raise DocPrinterError(Completion.DEVICE_NOT_READY, f"cannot reach CUPS at "
                                  f"{self.target.server or cups.getServer()}: {exc}",
                                  "docprinter.server_unreachable") from exc
        self.last_status = self._read_status()

    def _do_open(self, token: CancelToken) -> None:
        super()._do_open(token)
        if self.last_status is not None:
            self._publish(self.last_status)

    def _close_transport(self) -> None:
        self._conn = None  # pycups closes its HTTP connection when the object goes

    def _call(self, fn_name: str, *args: Any, **kwargs: Any) -> Any:
        """One pycups call; its errors become DocPrinterError (DocLinkLost for a broken link)."""
        if self._conn is None:
            self._open_transport()
        cups = self._cups
        try:
            return getattr(self._conn, fn_name)(*args, **kwargs)
        except cups.IPPError as exc:
            status, text = exc.args if len(exc.args) == 2 else (0, str(exc))
            if status == IPP_NOT_FOUND and fn_name == "getPrinterAttributes":
                raise DocPrinterError(Completion.DEVICE_NOT_READY, f"CUPS has no queue {self.target.queue!r}",
                                      "docprinter.not_configured") from exc
            if status == IPP_SERVICE_UNAVAILABLE or status == 0:
                self._conn = None
                raise DocLinkLost(f"CUPS {fn_name}: {text}") from exc
            raise DocPrinterError(Completion.HARDWARE_ERROR, f"CUPS {fn_name}: {text} (0x{status:04x})",
                                  "docprinter.job_failed") from exc
        except (cups.HTTPError, RuntimeError, OSError) as exc:
            self._conn = None
            raise DocLinkLost(f"CUPS {fn_name}: {type(exc).__name__}: {exc}") from exc

    def _read_status(self) -> QueueStatus:
        attrs = self._call("getPrinterAttributes", self.target.queue, requested_attributes=PRINTER_ATTRIBUTES)
        queue = decode_printer(attrs)
        device_uri = str(attrs.get("device-uri") or "")
        if not self.live_status or urlsplit(device_uri).scheme not in ("ipp", "ipps"):
            return queue  # a USB or socket printer: only CUPS knows, as of its last job
        return merge_live(queue, self._read_printer(device_uri))

    def _read_printer(self, device_uri: str) -> QueueStatus | None:
        """Get-Printer-Attributes from the IPP printer behind the queue (None: it does not answer).
        A short TCP probe first: libcups would wait 30 s for a printer that is switched off."""
        parts = urlsplit(device_uri)
        host, port = parts.hostname or "", parts.port or 631
        try:
            with socket.create_connection((host, port), timeout=self.live_timeout_s):
                pass
            conn = self._cups.Connection(host=host, port=port)
            attrs = conn.getPrinterAttributes(uri=device_uri.split("?")[0],
                                              requested_attributes=PRINTER_ATTRIBUTES[:4])
        except (OSError, RuntimeError, self._cups.IPPError, self._cups.HTTPError) as exc:
            log.info("%s: printer %s:%d does not answer: %s", self.device_id, host, port, exc)
            return None
        return decode_printer(attrs)

    # ---- status -----------------------------------------------------------------------------
    def _publish(self, status: QueueStatus) -> None:
        self.last_status = status
        fault = status.fault
        state, detail = DeviceState.ONLINE, ""
        if fault is not None:
            state = FAULT_STATE.get(fault, DeviceState.HW_ERROR)
            detail = f"{fault}: {status.message}" if status.message else fault
        self._set_status(state, detail, printer_state=status.state, reasons=list(status.reasons),
                         fault=fault, warnings=list(status.warnings), accepting=status.accepting, live=status.live,
                         failed_jobs=len(self._failed))

    def _do_query_status(self, token: CancelToken) -> QueueStatus:
        try:
            status = self._read_status()
        except TransportLost as exc:
            self._set_status(DeviceState.OFFLINE, exc.detail)
            raise
        self._publish(status)
        return status

    # ---- jobs -------------------------------------------------------------------------------
    def _send(self, job: DocJob) -> int:
        queue = self.target.queue
        cups_id = int(self._call("createJob", queue, JOB_TITLE, {}))
        try:
            self._call("startDocument", queue, cups_id, f"{job.kind}.pdf", "application/pdf", 1)
            self._call("writeRequestData", job.data, len(job.data))
            self._call("finishDocument", queue)
        except DeviceError:
            self._cancel(cups_id)  # a half-sent job must not wait in the queue (or print later)
            raise
        return cups_id

    def _cancel(self, cups_id: int) -> None:
        try:
            self._call("cancelJob", cups_id)
        except DeviceError as exc:  # already finished, or the link is gone: the failure is reported anyway
            log.info("%s: cancelling CUPS job %d: %s", self.device_id, cups_id, exc.detail)

    def _follow(self, job: DocJob, cups_id: int, token: CancelToken) -> None:
        """Wait for CUPS to finish the job; raise DocPrinterError for a fault, a failure, a timeout."""
        fault_since: dict[str, float] = {}
        while True:
            status: JobStatus = decode_job(self._call("getJobAttributes", cups_id,
                                                      requested_attributes=JOB_ATTRIBUTES))
            if status.state == JOB_COMPLETED:
                return
            queue = self._read_status()
            self._publish(queue)
            fault = queue.fault or fault_of((), status.message)
            if status.state != JOB_PROCESSING and fault not in QUEUE_FAULTS:
                fault = None  # a job waiting its turn: the printer's reasons are about the job before it
            if status.state in (JOB_ABORTED, JOB_CANCELED):
                code = fault_code(fault) if fault else "docprinter.job_failed"
                raise DocPrinterError(FAULT_COMPLETION.get(fault or "", Completion.HARDWARE_ERROR),
                                      f"CUPS job {cups_id} {status.name}: {status.message or '-'}", code)
            if status.state == JOB_STOPPED and fault is None:
                fault = "stopped"
            if fault is not None:
                since = fault_since.setdefault(fault, time.monotonic())
                if time.monotonic() - since >= self.fault_grace_s:
                    self._cancel(cups_id)
                    raise DocPrinterError(FAULT_COMPLETION[fault], f"CUPS job {cups_id} waiting: {fault}"
                                          f" ({queue.message or status.message or '-'}); cancelled",
                                          fault_code(fault))
            else:
                fault_since.clear()
            if token.wait(self.job_poll_s):
                self._cancel(cups_id)
                token.check()
            if token.remaining() <= 0:
                self._cancel(cups_id)
                raise DocPrinterError(Completion.TIMEOUT, f"CUPS job {cups_id} not finished in time "
                                      f"({status.name})", "docprinter.timeout")

    def _run_job(self, job: DocJob, token: CancelToken) -> DocJob:
        job.attempts += 1
        job.state, job.cups_job_id = "printing", None
        self._failed.pop(job.id, None)
        started = time.monotonic()
        try:
            if not self._accepting:
                raise DocPrinterError(Completion.SEQUENCE_ERROR, f"{self.device_id}: disabled; call enable()",
                                      "docprinter.disabled")
            before = self._do_query_status(token)
            if before.fault in QUEUE_FAULTS or (before.live and before.fault is not None):
                raise DocPrinterError(FAULT_COMPLETION[before.fault], f"not sent: {before.fault}",
                                      fault_code(before.fault))
            job.cups_job_id = self._send(job)
            self._follow(job, job.cups_job_id, token)
        except DeviceError as exc:
            if isinstance(exc, TransportLost):
                self._set_status(DeviceState.OFFLINE, exc.detail)
                exc = DocPrinterError(exc.completion, exc.detail, "docprinter.server_unreachable")
            elif not isinstance(exc, DocPrinterError):  # a cancel or the command's own deadline
                exc = DocPrinterError(exc.completion, exc.detail, "docprinter.timeout"
                                      if exc.completion == Completion.TIMEOUT else "docprinter.job_failed")
            job.state, job.error = "failed", exc
            job.seconds = time.monotonic() - started
            self._failed[job.id] = job
            self._set_status(failed_jobs=len(self._failed))
            log.warning("%s: %s (%s, %d bytes) failed on attempt %d: %s", self.device_id, job.id, job.kind,
                        len(job.data), job.attempts, exc.detail)
            raise DocJobError(job, exc) from exc
        job.state, job.error = "printed", None
        job.seconds = time.monotonic() - started
        self._set_status(failed_jobs=len(self._failed))
        log.info("%s: %s (%s, %d bytes) printed as CUPS job %d in %.1f s", self.device_id, job.id, job.kind,
                 len(job.data), job.cups_job_id, job.seconds)
        return job
