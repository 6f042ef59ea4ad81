"""The QR / barcode scanner in serial (USB-CDC) mode: "code + suffix" frames on any pyserial URL.

    scanner = QrScanner("scanner", "socket://127.0.0.1:7002")
    scanner.events.set_listener(on_code)         # ScannedCode
    scanner.read_errors.set_listener(on_reject)  # ScanRejected (garbage, too long, undecodable)
    scanner.open(); scanner.enable()

Framing (`ScanFramer`, pure so it can be fuzzed): by default CR, LF and CRLF each end a code (CRLF
counts once, even when split across reads); a code may arrive in pieces and one read may hold several
codes. Decoding (`decode_payload`): strict UTF-8, then GBK (or only the configured one), and every
character must be printable (no control, format, private-use, unassigned or separator character but
the space, tab and 　): anything else is noise, not a code. A maximum length and a duplicate window
(a phone held in front of the scanner repeats its code) are options.

Noise on the line (a loose cable, a motor nearby) can bring thousands of bad frames a second. They are
counted (`rejected_total`, status extra `rejected_frames`), the resident hears about the first of a
burst only (one `ScanRejected`), and the log gets one line per burst with the count (`RejectBursts`:
a burst ends after `NOISE_QUIET_S` without a rejection, or after `NOISE_MAX_S`), so noise cannot push
the real history out of the rotating log. A payload is only ever data:
the driver never opens it as a URL, a file or a command; the backend checks e-ID tokens.

Config options (`[devices.scanner] options = {…}`): `suffix` (auto · cr · lf · crlf), `encoding`
(auto · utf-8 · gbk), `max_length` (4096 bytes), `duplicate_window_s` (2.0; 0 disables),
`flush_on_enable` (false), `baudrate` (9600).

Keyboard-wedge (HID) scanners are not handled here; detection by keystroke timing belongs to the UI.

Threads (who fires what):
- `events` (ScannedCode) and `read_errors` (ScanRejected): put on the device worker thread,
  delivered on each queue's own event thread.
- status changes: on the worker thread (or the open()/close() caller).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.devices.model import Completion, DeviceError, TransportLost
from kiosk.devices.serial_device import SERIAL_ERRORS, SerialDevice

log = logging.getLogger(__name__)

NOISE_QUIET_S = 2.0  # a noise burst ends after this long without a rejected frame
NOISE_MAX_S = 60.0  # … or after this long anyway (a line that never stops), so it is still logged
SUFFIXES = {"auto": None, "cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "\r": b"\r", "\n": b"\n",
            "\r\n": b"\r\n"}
ENCODINGS = ("auto", "utf-8", "gbk")


class ScanError(DeviceError):
    """A scanned frame that cannot be a code: too long or undecodable."""

    def __init__(self, detail: str) -> None:
        super().__init__(Completion.INVALID_DATA, detail, "scanner.unreadable")


@dataclass(frozen=True)
class Rejected:
    """A frame the framer dropped (e.g. longer than the maximum)."""

    reason: str


@dataclass(frozen=True, repr=False)
class ScannedCode:
    code: str
    encoding: str  # the one that decoded it: utf-8 or gbk

    def __repr__(self) -> str:  # a code may be an identity token: never in logs
        return f"ScannedCode(<{len(self.code)} characters>, {self.encoding})"


@dataclass(frozen=True)
class ScanRejected:
    """A frame that is not a code. `detail` is for logs; `code` (+ `params`) is the message code of
    what the resident is told."""

    detail: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


class ScanFramer:
    """Bytes in, complete frames (bytes) out; keeps state across reads. Never raises."""

    def __init__(self, suffix: str = "auto", max_len: int = 4096) -> None:
        if suffix not in SUFFIXES:
            raise ValueError(f"suffix must be one of {', '.join(map(repr, SUFFIXES))}, got {suffix!r}")
        self.suffix = SUFFIXES[suffix]
        self.max_len = max_len
        self._buf = bytearray()
        self._skip_lf = False  # auto mode: a CR ended the last frame; a following LF belongs to it
        self._discarding = False  # dropping the rest of an overlong frame

    def feed(self, data: bytes) -> list[bytes | Rejected]:
        out: list[bytes | Rejected] = []
        if self.suffix is None:
            self._feed_auto(data, out)
        else:
            self._feed_fixed(data, out)
        if len(self._buf) > self.max_len:
            self._buf.clear()
            if not self._discarding:
                out.append(Rejected(f"code longer than {self.max_len} bytes"))
            self._discarding = True
        return out

    def _emit(self, frame: bytes, out: list[bytes | Rejected]) -> None:
        if self._discarding:
            self._discarding = False  # the overlong frame ends here
        elif len(frame) > self.max_len:
            out.append(Rejected(f"code longer than {self.max_len} bytes"))
        elif frame:
            out.append(frame)

    def _feed_auto(self, data: bytes, out: list[bytes | Rejected]) -> None:
        start = 0
        if self._skip_lf and data[:1] == b"\n":
            start = 1
        if data:
            self._skip_lf = False
        i = start
        n = len(data)
        while i < n:
            b = data[i]
            if b == 0x0D or b == 0x0A:
                self._buf += data[start:i]
                frame = bytes(self._buf)
                self._buf.clear()
                self._emit(frame, out)
                if b == 0x0D:
                    if i + 1 < n and data[i + 1] == 0x0A:
                        i += 1
                    elif i + 1 == n:
                        self._skip_lf = True
                start = i + 1
            i += 1
        self._buf += data[start:]

    def _feed_fixed(self, data: bytes, out: list[bytes | Rejected]) -> None:
        assert self.suffix is not None
        self._buf += data
        while True:
            idx = self._buf.find(self.suffix)
            if idx < 0:
                return
            frame = bytes(self._buf[:idx])
            del self._buf[:idx + len(self.suffix)]
            self._emit(frame, out)


def decode_payload(raw: bytes, encoding: str = "auto") -> ScannedCode:
    """Strict UTF-8, then GBK (or only the configured one). Raises ScanError."""
    order = ("utf-8", "gbk") if encoding == "auto" else (encoding,)
    for enc in order:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if not printable(text):
            raise ScanError(f"{len(raw)}-byte frame holds control or unprintable characters (noise on the line?)")
        return ScannedCode(text, enc)
    raise ScanError(f"{len(raw)}-byte frame is neither {' nor '.join(order)}")


def printable(text: str) -> bool:
    """True when every character can be part of a scanned code: str.isprintable() (which refuses
    control, format, private-use, unassigned and separator characters but the ASCII space), plus tab
    and the ideographic space 　 that Chinese text uses."""
    return all(ch.isprintable() or ch in "\t\u3000" for ch in text)


class RejectBursts:
    """Counts rejected frames in bursts. `reject()` is True for the first of a burst (tell the
    resident once); `finish()` returns (count, seconds, last reason) once the burst is over: quiet
    for `quiet_s`, or older than `max_s` (then a new burst starts with the next rejection)."""

    def __init__(self, quiet_s: float = NOISE_QUIET_S, max_s: float = NOISE_MAX_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet_s, self.max_s, self._clock = quiet_s, max_s, clock
        self._lock = threading.Lock()  # the worker rejects; disable() may finish from another thread
        self.total = 0
        self._count = 0
        self._started = self._last = 0.0
        self._reason = ""

    def reject(self, reason: str) -> bool:
        with self._lock:
            now = self._clock()
            self.total += 1
            first = self._count == 0
            if first:
                self._started = now
            self._count += 1
            self._last, self._reason = now, reason
            return first

    def finish(self, force: bool = False) -> tuple[int, float, str] | None:
        with self._lock:
            if self._count == 0:
                return None
            now = self._clock()
            if not (force or now - self._last >= self.quiet_s or now - self._started >= self.max_s):
                return None
            done = (self._count, self._last - self._started, self._reason)
            self._count = 0
            return done


class DuplicateFilter:
    """Drops a code seen within `window` seconds (0 disables)."""

    def __init__(self, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._last: dict[str, float] = {}

    def is_duplicate(self, code: str) -> bool:
        if self.window <= 0:
            return False
        now = self._clock()
        self._last = {c: t for c, t in self._last.items() if now - t < self.window}
        if code in self._last:
            self._last[code] = now  # a code held in front of the scanner keeps being suppressed
            return True
        self._last[code] = now
        return False


class QrScanner(SerialDevice):
    is_input = True
    io_timeout = 0.05  # how long one poll waits for the first byte
    capabilities = frozenset({"scan_qr", "scan_barcode", "gbk", "utf8"})

    def __init__(self, device_id: str, url: str, *, poll_interval: float = 0.05,
                 command_timeout: float = 5.0, baudrate: int = 9600, suffix: str = "auto",
                 encoding: str = "auto", max_length: int = 4096, duplicate_window_s: float = 2.0,
                 flush_on_enable: bool = False) -> None:
        super().__init__(device_id, url, baudrate=baudrate, poll_interval=poll_interval,
                         command_timeout=command_timeout)
        if encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {', '.join(ENCODINGS)}, got {encoding!r}")
        self.encoding = encoding
        self.flush_on_enable = flush_on_enable
        self._framer = ScanFramer(suffix, max_length)
        self._suffix, self._max_length = suffix, max_length
        self._duplicates = DuplicateFilter(duplicate_window_s)
        self._noise = RejectBursts()

    @property
    def rejected_total(self) -> int:
        """Frames rejected since the driver was built (noise, overlong, undecodable)."""
        return self._noise.total

    def _on_port_open(self) -> None:
        self._framer = ScanFramer(self._suffix, self._max_length)  # a half code before a reconnect is lost

    def _on_enable(self) -> None:
        # By default bytes that arrived while disabled are still delivered (never lost); with
        # flush_on_enable they are dropped, for screens that must not see an earlier scan.
        port = self._port
        if self.flush_on_enable and port is not None:
            try:
                self.submit("flush", lambda token: port.reset_input_buffer()).wait(timeout=2.0)
            except DeviceError as exc:
                log.warning("%s: flush on enable failed: %s", self.device_id, exc.detail)

    def _read_available(self) -> bytes:
        port = self._open_port()
        try:
            data = port.read(1)
            if data:
                port.timeout = 0  # take whatever else has arrived without waiting
                try:
                    data += port.read(65536)
                finally:
                    port.timeout = self.io_timeout
            return data
        except SERIAL_ERRORS as exc:
            raise TransportLost(f"{self.url}: {exc}") from exc

    def _on_disable(self) -> None:
        self._log_burst(force=True)

    def _close_transport(self) -> None:
        super()._close_transport()
        self._log_burst(force=True)

    def _poll_once(self) -> None:
        data = self._read_available()
        if not data:
            self._log_burst()
            return
        for frame in self._framer.feed(data):
            if isinstance(frame, Rejected):
                self._reject(ScanError(frame.reason))
                continue
            try:
                scanned = decode_payload(frame, self.encoding)
            except ScanError as exc:
                self._reject(exc)
                continue
            if self._duplicates.is_duplicate(scanned.code):
                log.debug("%s: duplicate scan suppressed", self.device_id)
                continue
            self.events.put(scanned)
        self._log_burst()

    def _reject(self, exc: ScanError) -> None:
        if self._noise.reject(exc.detail):  # the first of a burst: the resident is told once
            self.read_errors.put(ScanRejected(exc.detail, exc.code, exc.params))

    def _log_burst(self, force: bool = False) -> None:
        burst = self._noise.finish(force)
        if burst is None:
            return
        count, seconds, last = burst
        log.warning("%s: %d frame(s) rejected in %.1f s (%d since start); last: %s", self.device_id, count,
                    seconds, self._noise.total, last)
        self._set_status(rejected_frames=self._noise.total)
