"""The one parser for device URLs (docs/vocabulary.md, "Device URLs"). Anything else is rejected.

- serial devices (idcard, scanner): any pyserial URL — `/dev/ttyUSB0`, `COM3`, `socket://HOST:PORT`,
  `loop://`, `spy://…`, `rfc2217://HOST:PORT`, `hwgrep://…`
- printer: `tcp://HOST:PORT` · `usb://VID:PID` · `serial:///dev/ttyS0?baudrate=9600`
- camera: `index:N` · `file:///path/video.avi` · `http://HOST:PORT/stream.mjpg`
- smart card: `pcsc:` + a reader-name substring (`pcsc:Virtual PCD`)
- A4 document printer (CUPS): `ipp://HOST:PORT/printers/NAME` (a CUPS server and its queue) ·
  `cups:NAME` (a queue on the default CUPS server: CUPS_SERVER, client.conf or the local socket)
- speaker (voice prompts): `espeak:cmn` (Mandarin) · `espeak:yue` (Cantonese) — espeak-ng, the voice
  named is the default one · `null:` (renders nothing, records what would have been said)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, urlsplit

DEVICE_IDS = ("idcard", "scanner", "printer", "camera", "sscard", "docprinter")
# Devices with no simulator in the hub (no cable to pull in a scenario or the console): the speaker's
# own `null:` URL is its stand-in, as python-escpos's Dummy is a printer's.
LOCAL_DEVICE_IDS = ("speaker",)
LOCAL_STAND_INS = {"speaker": "null:"}
SPEAKER_VOICES = ("cmn", "yue", "en")  # 普通话, 粤语, English (the voice language setting uses these ids)


class DeviceUrlError(ValueError):
    """A URL that does not fit its device's grammar; the message says what was expected."""


SERIAL_EXPECTED = ("a pyserial URL: /dev/ttyUSB0, COM3, socket://HOST:PORT, loop://, spy://…, "
                   "rfc2217://HOST:PORT or hwgrep://…")
PRINTER_EXPECTED = "tcp://HOST:PORT, usb://VID:PID (hex) or serial:///dev/ttyS0?baudrate=9600"
CAMERA_EXPECTED = "index:N, file:///path/video.avi or http://HOST:PORT/stream.mjpg"
SMARTCARD_EXPECTED = "pcsc: followed by a reader-name substring, e.g. pcsc:Virtual PCD"
DOCPRINTER_EXPECTED = "ipp://HOST:PORT/printers/NAME or cups:NAME (a CUPS queue name)"
SPEAKER_EXPECTED = "espeak:cmn (Mandarin), espeak:yue (Cantonese) or null: (records, says nothing)"

_SERIAL_SCHEMES = ("socket", "loop", "spy", "rfc2217", "hwgrep", "alt", "cp2110")


def _split(url: str, expected: str) -> SplitResult:
    """urlsplit, but a malformed URL (e.g. an unclosed IPv6 bracket) is a DeviceUrlError, never a
    bare ValueError: every caller reports it as a config problem."""
    try:
        return urlsplit(url)
    except ValueError as exc:
        raise DeviceUrlError(f"malformed URL {url!r} ({exc}); expected {expected}") from exc


def _host_port(url: str, parts: SplitResult, expected: str) -> tuple[str, int]:
    try:
        port = parts.port
    except ValueError as exc:
        raise DeviceUrlError(f"bad port in {url!r}; expected {expected}") from exc
    if not parts.hostname or port is None:
        raise DeviceUrlError(f"missing host or port in {url!r}; expected {expected}")
    if not 1 <= port <= 65535:
        raise DeviceUrlError(f"port {port} out of range 1-65535 in {url!r}; expected {expected}")
    return parts.hostname, port


def parse_serial_url(url: str) -> str:
    """Validate a pyserial URL or device path; returns it unchanged for serial_for_url()."""
    if not isinstance(url, str) or not url.strip():
        raise DeviceUrlError(f"empty URL; expected {SERIAL_EXPECTED}")
    if url.startswith("/dev/") or re.fullmatch(r"COM\d+", url):
        return url
    parts = _split(url, SERIAL_EXPECTED)
    if parts.scheme not in _SERIAL_SCHEMES:
        raise DeviceUrlError(f"unsupported serial URL {url!r}; expected {SERIAL_EXPECTED}")
    if parts.scheme in ("socket", "rfc2217"):
        _host_port(url, parts, SERIAL_EXPECTED)
    return url


@dataclass(frozen=True)
class PrinterUrl:
    kind: str  # "tcp" | "usb" | "serial"
    host: str = ""
    port: int = 9100
    vendor_id: int = 0
    product_id: int = 0
    device: str = ""
    baudrate: int = 9600


def parse_printer_url(url: str) -> PrinterUrl:
    parts = _split(url if isinstance(url, str) else "", PRINTER_EXPECTED)
    if parts.scheme == "tcp":
        host, port = _host_port(url, parts, PRINTER_EXPECTED)
        return PrinterUrl("tcp", host=host, port=port)
    if parts.scheme == "usb":
        m = re.fullmatch(r"usb://([0-9a-fA-F]{4}):([0-9a-fA-F]{4})", url)
        if not m:
            raise DeviceUrlError(f"bad USB printer URL {url!r}; expected {PRINTER_EXPECTED}")
        return PrinterUrl("usb", vendor_id=int(m.group(1), 16), product_id=int(m.group(2), 16))
    if parts.scheme == "serial":
        if not parts.path.startswith("/"):
            raise DeviceUrlError(f"bad serial printer URL {url!r}; expected {PRINTER_EXPECTED}")
        query = parse_qs(parts.query)
        try:
            baud = int(query.get("baudrate", ["9600"])[0])
        except ValueError as exc:
            raise DeviceUrlError(f"bad baudrate in {url!r}; expected {PRINTER_EXPECTED}") from exc
        if baud <= 0:
            raise DeviceUrlError(f"baudrate must be > 0 in {url!r}; expected {PRINTER_EXPECTED}")
        return PrinterUrl("serial", device=parts.path, baudrate=baud)
    raise DeviceUrlError(f"unsupported printer URL {url!r}; expected {PRINTER_EXPECTED}")


@dataclass(frozen=True)
class CameraSource:
    kind: str  # "index" | "file" | "http"
    index: int = 0
    path: str = ""
    url: str = ""

    def for_opencv(self) -> int | str:
        """The argument for cv2.VideoCapture."""
        return {"index": self.index, "file": self.path, "http": self.url}[self.kind]


def parse_camera_source(src: str) -> CameraSource:
    if not isinstance(src, str):
        raise DeviceUrlError(f"bad camera source {src!r}; expected {CAMERA_EXPECTED}")
    m = re.fullmatch(r"index:(\d+)", src)
    if m:
        return CameraSource("index", index=int(m.group(1)))
    parts = _split(src, CAMERA_EXPECTED)
    if parts.scheme == "file" and parts.path.startswith("/"):
        return CameraSource("file", path=parts.path)
    if parts.scheme == "http":
        _host_port(src, parts, CAMERA_EXPECTED)
        return CameraSource("http", url=src)
    raise DeviceUrlError(f"unsupported camera source {src!r}; expected {CAMERA_EXPECTED}")


def parse_smartcard_url(url: str) -> str:
    """Returns the reader-name substring ('' matches the first reader)."""
    if not isinstance(url, str) or not url.startswith("pcsc:"):
        raise DeviceUrlError(f"unsupported smart-card URL {url!r}; expected {SMARTCARD_EXPECTED}")
    return url[len("pcsc:"):]


@dataclass(frozen=True)
class DocPrinterUrl:
    kind: str  # "ipp" (a CUPS server at host:port) | "cups" (the default CUPS server)
    queue: str
    host: str = ""
    port: int = 631

    @property
    def server(self) -> str:
        """HOST:PORT for cupsSetServer(); '' means the default server."""
        return f"{self.host}:{self.port}" if self.kind == "ipp" else ""


_QUEUE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,127}")  # CUPS: printable, no space, / or #


def parse_docprinter_url(url: str) -> DocPrinterUrl:
    if not isinstance(url, str):
        raise DeviceUrlError(f"bad A4 printer URL {url!r}; expected {DOCPRINTER_EXPECTED}")
    if url.startswith("cups:"):
        queue = url[len("cups:"):]
        if not _QUEUE_NAME.fullmatch(queue):
            raise DeviceUrlError(f"bad CUPS queue name in {url!r}; expected {DOCPRINTER_EXPECTED}")
        return DocPrinterUrl("cups", queue)
    parts = _split(url, DOCPRINTER_EXPECTED)
    if parts.scheme == "ipp":
        host, port = _host_port(url, parts, DOCPRINTER_EXPECTED)
        m = re.fullmatch(r"/printers/([^/]+)", parts.path)
        if not m or not _QUEUE_NAME.fullmatch(m.group(1)) or parts.query or parts.fragment:
            raise DeviceUrlError(f"bad A4 printer path in {url!r}; expected {DOCPRINTER_EXPECTED}")
        return DocPrinterUrl("ipp", m.group(1), host=host, port=port)
    raise DeviceUrlError(f"unsupported A4 printer URL {url!r}; expected {DOCPRINTER_EXPECTED}")


@dataclass(frozen=True)
class SpeakerUrl:
    kind: str  # "espeak" | "null"
    voice: str = "cmn"  # the default voice: cmn | yue


def parse_speaker_url(url: str) -> SpeakerUrl:
    if url == "null:":
        return SpeakerUrl("null")
    m = re.fullmatch(r"espeak:([a-z]+)", url) if isinstance(url, str) else None
    if m is None or m.group(1) not in SPEAKER_VOICES:
        raise DeviceUrlError(f"unsupported speaker URL {url!r}; expected {SPEAKER_EXPECTED}")
    return SpeakerUrl("espeak", m.group(1))


_PARSERS = {
    "idcard": (parse_serial_url, SERIAL_EXPECTED),
    "scanner": (parse_serial_url, SERIAL_EXPECTED),
    "printer": (parse_printer_url, PRINTER_EXPECTED),
    "camera": (parse_camera_source, CAMERA_EXPECTED),
    "sscard": (parse_smartcard_url, SMARTCARD_EXPECTED),
    "docprinter": (parse_docprinter_url, DOCPRINTER_EXPECTED),
    "speaker": (parse_speaker_url, SPEAKER_EXPECTED),
}


def expected_for(device_id: str) -> str:
    return _PARSERS[device_id][1]


def parse_device_url(device_id: str, url: str):
    """Parse `url` with the grammar of `device_id`; raises DeviceUrlError."""
    if device_id not in _PARSERS:
        known = ", ".join((*DEVICE_IDS, *LOCAL_DEVICE_IDS))
        raise DeviceUrlError(f"unknown device id {device_id!r}; expected one of {known}")
    return _PARSERS[device_id][0](url)
