"""A small IPP Everywhere-style A4 printer whose state can be set: the far end of the CUPS queue.

It speaks IPP/2.0 over HTTP (ipp.py) at `ipp://HOST:PORT/ipp/print` and answers the operations CUPS's
`ipp` backend uses: Get-Printer-Attributes, Validate-Job, Print-Job, Create-Job, Send-Document,
Get-Job-Attributes, Get-Jobs, Cancel-Job. Every completed job's document is saved as NNNN.pdf under
the output directory, with one PNG per page (pdftoppm, where poppler-utils is installed).

Faults, set by the control API, show in printer-state-reasons the way a real printer reports them:
`media-empty` (+ `media-needed` while a job waits), `door-open`, `media-jam`, `toner-low`,
`toner-empty`. A job waits in `processing` while a fault stops the printer and finishes once the fault
is cleared (the way ippeveprinter waits for media), unless it is cancelled. Unplug stops listening:
CUPS then sees a printer that does not answer (offline).
"""

from __future__ import annotations

import itertools
import logging
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from simulators.control import WireLog
from simulators.docprinter import ipp
from simulators.docprinter.ipp import Attribute, Message

log = logging.getLogger(__name__)

FORMATS = ("application/pdf", "application/octet-stream")
OPERATIONS = (ipp.PRINT_JOB, ipp.VALIDATE_JOB, ipp.CREATE_JOB, ipp.SEND_DOCUMENT, ipp.CANCEL_JOB,
              ipp.GET_JOB_ATTRIBUTES, ipp.GET_JOBS, ipp.GET_PRINTER_ATTRIBUTES)
STOPPING_FAULTS = ("media-empty", "door-open", "media-jam", "toner-empty")  # a job cannot go on
MEDIA_STATES = ("ok", "low", "empty")
TONER_STATES = ("ok", "low", "empty")
TONER_LEVEL = {"ok": 80, "low": 8, "empty": 0}
PNG_DPI = 150  # OpenCV finds the 30 mm QR on a whole page from 150 dpi up


@dataclass
class Job:
    id: int
    name: str
    user: str
    format: str = "application/pdf"
    state: int = ipp.JOB_HELD  # held until its document arrives (Create-Job)
    reasons: list[str] = field(default_factory=lambda: ["job-incoming"])
    data: bytes = b""
    created: float = field(default_factory=time.time)
    completed: float | None = None
    file: str = ""


class IppPrinterSim:
    """State, jobs and the HTTP listener. Start with start(); the worker prints pending jobs."""

    def __init__(self, host: str, port: int, out_dir: Path, *, name: str = "A4 Simulator",
                 seconds_per_job: float = 0.2, render_png: bool = True) -> None:
        self.host, self.port = host, port
        self.out_dir = out_dir
        self.name = name
        self.seconds_per_job = seconds_per_job
        self.render_png = render_png and shutil.which("pdftoppm") is not None
        self.media = "ok"
        self.toner = "ok"
        self.door_open = False
        self.jam = False
        self.jobs: dict[int, Job] = {}
        self.documents: list[dict[str, Any]] = []
        self.requests: list[str] = []  # operation names received, in order
        self.wire = WireLog()
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._httpd: ThreadingHTTPServer | None = None
        self._stop = False
        self._started = time.time()
        self._worker = threading.Thread(target=self._work, name="ipp-printer-worker", daemon=True)
        self._next_index: int | None = None

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self) -> IppPrinterSim:
        self._listen()
        self._worker.start()
        return self

    def _listen(self) -> None:
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self._body()
                try:
                    req = ipp.decode(body)
                    # the spy log gets the IPP message, not the document (it is pages, not protocol)
                    sim.wire.add("in", body[:len(body) - len(req.data)],
                                 f"{_OP_NAMES.get(req.code, hex(req.code))} + {len(req.data)} document bytes")
                    reply = sim.handle(req)
                except ipp.IppError as exc:
                    log.warning("bad IPP request: %s", exc)
                    sim.wire.add("in", body[:256], f"bad IPP request: {exc}")
                    reply = Message((2, 0), ipp.BAD_REQUEST, 0, [(ipp.OPERATION, _charset())])
                data = ipp.encode(reply)
                sim.wire.add("out", data, f"status 0x{reply.code:04x}")
                self.send_response(200)
                self.send_header("Content-Type", "application/ipp")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                text = f"{sim.name}: {sim.state_summary()}\n".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass  # trailers
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        httpd = ThreadingHTTPServer((self.host, self.port), Handler)
        httpd.daemon_threads = True
        self.port = httpd.server_address[1]  # kept across unplug/replug
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, name="ipp-printer-http", daemon=True).start()

    def unplug(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()

    def replug(self) -> None:
        if self._httpd is None:
            self._listen()

    @property
    def plugged(self) -> bool:
        return self._httpd is not None

    def stop(self) -> None:
        self.unplug()
        with self._lock:
            self._stop = True
            self._lock.notify_all()

    # ---- state -------------------------------------------------------------------------------
    @property
    def uri(self) -> str:
        return f"ipp://{self.host}:{self.port}/ipp/print"

    def reasons(self) -> list[str]:
        out = []
        if self.media == "empty":
            out.append("media-empty")
            if any(j.state == ipp.JOB_PROCESSING for j in self.jobs.values()):
                out.append("media-needed")
        elif self.media == "low":
            out.append("media-low")
        if self.door_open:
            out.append("door-open")
        if self.jam:
            out.append("media-jam")
        if self.toner == "empty":
            out.append("toner-empty")
        elif self.toner == "low":
            out.append("toner-low")
        return out or ["none"]

    def stopped(self) -> bool:
        return any(r in STOPPING_FAULTS for r in self.reasons())

    def printer_state(self) -> int:
        if self.stopped():
            return ipp.PRINTER_STOPPED
        busy = any(j.state in (ipp.JOB_PENDING, ipp.JOB_PROCESSING) for j in self.jobs.values())
        return ipp.PRINTER_PROCESSING if busy else ipp.PRINTER_IDLE

    def state_summary(self) -> str:
        return f"state {self.printer_state()}, reasons {','.join(self.reasons())}"

    def set_state(self, *, media: str | None = None, toner: str | None = None,
                  door_open: bool | None = None, jam: bool | None = None) -> None:
        if media is not None and media not in MEDIA_STATES:
            raise ValueError(f"media must be one of {', '.join(MEDIA_STATES)}")
        if toner is not None and toner not in TONER_STATES:
            raise ValueError(f"toner must be one of {', '.join(TONER_STATES)}")
        with self._lock:
            if media is not None:
                self.media = media
            if toner is not None:
                self.toner = toner
            if door_open is not None:
                self.door_open = bool(door_open)
            if jam is not None:
                self.jam = bool(jam)
            self._lock.notify_all()

    def state(self) -> dict[str, Any]:
        return {"media": self.media, "toner": self.toner, "door_open": self.door_open, "jam": self.jam,
                "plugged": self.plugged, "printer_state": self.printer_state(), "reasons": self.reasons(),
                "uri": self.uri, "jobs": {str(j.id): j.state for j in self.jobs.values()}}

    # ---- IPP operations ------------------------------------------------------------------------
    def handle(self, req: Message) -> Message:
        self.requests.append(_OP_NAMES.get(req.code, f"0x{req.code:04x}"))
        if req.version[0] not in (1, 2):
            return self._reply(req, ipp.VERSION_NOT_SUPPORTED)
        handler = {
            ipp.GET_PRINTER_ATTRIBUTES: self._get_printer_attributes,
            ipp.VALIDATE_JOB: self._validate_job,
            ipp.PRINT_JOB: self._print_job,
            ipp.CREATE_JOB: self._create_job,
            ipp.SEND_DOCUMENT: self._send_document,
            ipp.GET_JOB_ATTRIBUTES: self._get_job_attributes,
            ipp.GET_JOBS: self._get_jobs,
            ipp.CANCEL_JOB: self._cancel_job,
        }.get(req.code)
        if handler is None:
            return self._reply(req, ipp.OPERATION_NOT_SUPPORTED)
        with self._lock:
            return handler(req)

    def _reply(self, req: Message, status: int, *groups: tuple[int, list[Attribute]]) -> Message:
        return Message((min(req.version[0], 2), 0), status, req.request_id,
                       [(ipp.OPERATION, _charset()), *groups])

    def printer_attributes(self) -> list[Attribute]:
        A = Attribute
        reasons = self.reasons()
        message = "Ready." if reasons == ["none"] else ", ".join(reasons)
        queued = sum(j.state in (ipp.JOB_PENDING, ipp.JOB_PROCESSING, ipp.JOB_HELD) for j in self.jobs.values())
        media_ready = [] if self.media == "empty" else ["iso_a4_210x297mm"]
        return [
            A("printer-uri-supported", ipp.URI, [self.uri]),
            A("uri-security-supported", ipp.KEYWORD, ["none"]),
            A("uri-authentication-supported", ipp.KEYWORD, ["none"]),
            A("printer-name", ipp.NAME, [self.name]),
            A("printer-info", ipp.TEXT, [self.name]),
            A("printer-make-and-model", ipp.TEXT, ["Kiosk A4 Laser Simulator"]),
            A("printer-location", ipp.TEXT, ["village service station"]),
            A("printer-state", ipp.ENUM, [self.printer_state()]),
            A("printer-state-reasons", ipp.KEYWORD, reasons),
            A("printer-state-message", ipp.TEXT, [message]),
            A("printer-is-accepting-jobs", ipp.BOOLEAN, [True]),
            A("printer-up-time", ipp.INTEGER, [max(1, int(time.time() - self._started))]),
            A("queued-job-count", ipp.INTEGER, [queued]),
            A("operations-supported", ipp.ENUM, list(OPERATIONS)),
            A("ipp-versions-supported", ipp.KEYWORD, ["1.1", "2.0"]),
            A("charset-configured", ipp.CHARSET, ["utf-8"]),
            A("charset-supported", ipp.CHARSET, ["utf-8"]),
            A("natural-language-configured", ipp.LANGUAGE, ["en"]),
            A("generated-natural-language-supported", ipp.LANGUAGE, ["en"]),
            A("document-format-default", ipp.MIME, ["application/pdf"]),
            A("document-format-supported", ipp.MIME, list(FORMATS)),
            A("pdl-override-supported", ipp.KEYWORD, ["attempted"]),
            A("compression-supported", ipp.KEYWORD, ["none"]),
            A("copies-default", ipp.INTEGER, [1]),
            A("copies-supported", ipp.RANGE, [(1, 99)]),
            A("media-default", ipp.KEYWORD, ["iso_a4_210x297mm"]),
            A("media-supported", ipp.KEYWORD, ["iso_a4_210x297mm"]),
            A("media-ready", ipp.KEYWORD, media_ready) if media_ready else A("media-ready", ipp.NO_VALUE, []),
            A("sides-supported", ipp.KEYWORD, ["one-sided"]),
            A("sides-default", ipp.KEYWORD, ["one-sided"]),
            A("print-color-mode-supported", ipp.KEYWORD, ["monochrome"]),
            A("print-color-mode-default", ipp.KEYWORD, ["monochrome"]),
            A("multiple-document-handling-supported", ipp.KEYWORD, ["separate-documents-uncollated-copies"]),
            A("marker-names", ipp.NAME, ["Black Toner"]),
            A("marker-colors", ipp.NAME, ["#000000"]),
            A("marker-types", ipp.KEYWORD, ["toner"]),
            A("marker-levels", ipp.INTEGER, [TONER_LEVEL[self.toner]]),
            A("marker-low-levels", ipp.INTEGER, [10]),
            A("marker-high-levels", ipp.INTEGER, [100]),
        ]

    def _get_printer_attributes(self, req: Message) -> Message:
        wanted = set(req.values("requested-attributes"))
        attrs = self.printer_attributes()
        if wanted and "all" not in wanted:
            attrs = [a for a in attrs if a.name in wanted or "printer-description" in wanted]
        return self._reply(req, ipp.OK, (ipp.PRINTER, attrs))

    def _check_format(self, req: Message) -> str | None:
        fmt = req.get("document-format", "application/pdf")
        return fmt if fmt in FORMATS else None

    def _validate_job(self, req: Message) -> Message:
        if self._check_format(req) is None:
            return self._reply(req, ipp.DOCUMENT_FORMAT)
        return self._reply(req, ipp.OK)

    def _new_job(self, req: Message) -> Job:
        job = Job(next(self._ids), str(req.get("job-name", "untitled")),
                  str(req.get("requesting-user-name", "anonymous")))
        self.jobs[job.id] = job
        return job

    def _accept_document(self, job: Job, req: Message) -> None:
        job.format = self._check_format(req) or job.format
        job.data += req.data
        job.state, job.reasons = ipp.JOB_PENDING, ["none"]
        self._lock.notify_all()

    def _print_job(self, req: Message) -> Message:
        if self._check_format(req) is None:
            return self._reply(req, ipp.DOCUMENT_FORMAT)
        job = self._new_job(req)
        self._accept_document(job, req)
        return self._reply(req, ipp.OK, (ipp.JOB, self._job_attributes(job)))

    def _create_job(self, req: Message) -> Message:
        job = self._new_job(req)
        return self._reply(req, ipp.OK, (ipp.JOB, self._job_attributes(job)))

    def _job_for(self, req: Message) -> Job | None:
        job_id = req.get("job-id")
        if job_id is None:  # job-uri form
            uri = str(req.get("job-uri", ""))
            job_id = int(uri.rsplit("/", 1)[-1]) if uri.rsplit("/", 1)[-1].isdigit() else None
        return self.jobs.get(job_id) if job_id is not None else None

    def _send_document(self, req: Message) -> Message:
        job = self._job_for(req)
        if job is None:
            return self._reply(req, ipp.NOT_FOUND)
        if job.state != ipp.JOB_HELD:
            return self._reply(req, ipp.NOT_POSSIBLE)
        if self._check_format(req) is None:
            return self._reply(req, ipp.DOCUMENT_FORMAT)
        if req.get("last-document", True):
            self._accept_document(job, req)
        else:
            job.data += req.data
        return self._reply(req, ipp.OK, (ipp.JOB, self._job_attributes(job)))

    def _job_attributes(self, job: Job) -> list[Attribute]:
        A = Attribute
        return [
            A("job-id", ipp.INTEGER, [job.id]),
            A("job-uri", ipp.URI, [f"{self.uri}/{job.id}"]),
            A("job-printer-uri", ipp.URI, [self.uri]),
            A("job-name", ipp.NAME, [job.name]),
            A("job-originating-user-name", ipp.NAME, [job.user]),
            A("job-state", ipp.ENUM, [job.state]),
            A("job-state-reasons", ipp.KEYWORD, job.reasons),
            A("job-impressions-completed", ipp.INTEGER, [1 if job.state == ipp.JOB_COMPLETED else 0]),
            A("job-media-sheets-completed", ipp.INTEGER, [1 if job.state == ipp.JOB_COMPLETED else 0]),
        ]

    def _get_job_attributes(self, req: Message) -> Message:
        job = self._job_for(req)
        if job is None:
            return self._reply(req, ipp.NOT_FOUND)
        return self._reply(req, ipp.OK, (ipp.JOB, self._job_attributes(job)))

    def _get_jobs(self, req: Message) -> Message:
        which = req.get("which-jobs", "not-completed")
        done = (ipp.JOB_CANCELED, ipp.JOB_ABORTED, ipp.JOB_COMPLETED)
        jobs = [j for j in self.jobs.values() if (j.state in done) == (which == "completed") or which == "all"]
        return self._reply(req, ipp.OK, *[(ipp.JOB, self._job_attributes(j)) for j in jobs])

    def _cancel_job(self, req: Message) -> Message:
        job = self._job_for(req)
        if job is None:
            return self._reply(req, ipp.NOT_FOUND)
        if job.state in (ipp.JOB_CANCELED, ipp.JOB_ABORTED, ipp.JOB_COMPLETED):
            return self._reply(req, ipp.NOT_POSSIBLE)
        job.state, job.reasons, job.completed = ipp.JOB_CANCELED, ["job-canceled-by-user"], time.time()
        job.data = b""
        self._lock.notify_all()
        return self._reply(req, ipp.OK)

    # ---- printing ----------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            with self._lock:
                job = self._next_job()
                while not self._stop and (job is None or self.stopped()):
                    if job is not None and job.state == ipp.JOB_PENDING:
                        job.state, job.reasons = ipp.JOB_PROCESSING, ["printer-stopped"]
                    self._lock.wait(0.5)
                    job = self._next_job()
                if self._stop:
                    return
                job.state, job.reasons = ipp.JOB_PROCESSING, ["job-printing"]
            # "printing": faults set meanwhile stop the job here, like paper running out mid-job
            deadline = time.monotonic() + self.seconds_per_job
            with self._lock:
                while not self._stop and (time.monotonic() < deadline or self.stopped()) \
                        and job.state == ipp.JOB_PROCESSING:
                    self._lock.wait(max(0.01, min(0.5, deadline - time.monotonic())))
                if job.state != ipp.JOB_PROCESSING:
                    continue  # cancelled while printing
                if not job.data:  # the sender gave up before any byte came (CUPS backend failure)
                    job.state, job.reasons, job.completed = ipp.JOB_ABORTED, ["aborted-by-system"], time.time()
                    continue
                data, job.data = job.data, b""
            document = self._save(job, data)  # the "paper" exists before the job reports completed
            with self._lock:
                if job.state == ipp.JOB_PROCESSING:  # (a cancel that came while the page came out loses)
                    job.state, job.reasons = ipp.JOB_COMPLETED, ["job-completed-successfully"]
                job.completed = document["at"] = time.time()
                self.documents.append(document)

    def _next_job(self) -> Job | None:
        for job in self.jobs.values():
            if job.state in (ipp.JOB_PENDING, ipp.JOB_PROCESSING):
                return job
        return None

    def _save(self, job: Job, data: bytes) -> dict[str, Any]:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        if self._next_index is None:
            existing = [int(p.stem) for p in self.out_dir.glob("[0-9][0-9][0-9][0-9].pdf")]
            self._next_index = max(existing, default=0) + 1
        index, self._next_index = self._next_index, self._next_index + 1
        pdf = self.out_dir / f"{index:04d}.pdf"
        pdf.write_bytes(data)
        job.file = str(pdf)
        pngs = render_pages(pdf, PNG_DPI) if self.render_png else []
        return {"index": index, "job_id": job.id, "job_name": job.name, "format": job.format,
                "bytes": len(data), "pdf": str(pdf), "png": [str(p) for p in pngs], "at": None}


def render_pages(pdf: Path, dpi: int) -> list[Path]:
    """pdftoppm: one PNG per page beside the PDF (NNNN-1.png, …). Empty on failure (logged)."""
    prefix = pdf.with_suffix("")
    try:
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True,
                       capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("pdftoppm failed for %s: %s", pdf.name, exc)
        return []
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _charset() -> list[Attribute]:
    return [Attribute("attributes-charset", ipp.CHARSET, ["utf-8"]),
            Attribute("attributes-natural-language", ipp.LANGUAGE, ["en"])]


_OP_NAMES = {ipp.PRINT_JOB: "Print-Job", ipp.VALIDATE_JOB: "Validate-Job", ipp.CREATE_JOB: "Create-Job",
             ipp.SEND_DOCUMENT: "Send-Document", ipp.CANCEL_JOB: "Cancel-Job",
             ipp.GET_JOB_ATTRIBUTES: "Get-Job-Attributes", ipp.GET_JOBS: "Get-Jobs",
             ipp.GET_PRINTER_ATTRIBUTES: "Get-Printer-Attributes"}
