"""GA/T 467 SAM frames (the resident ID-card reader's serial protocol): pure build and parse.

    host → SAM: AA AA AA 96 69 | Len1 Len2 | CMD  | Para | Data… | CHK
    SAM → host: AA AA AA 96 69 | Len1 Len2 | SW1 SW2 SW3 | Data… | CHK

Len (big-endian) counts every byte after Len2, CHK included. CHK is the XOR of every byte from Len1 to
the last data byte. A reader never matches fixed frame sizes: it reads the 7-byte head, then exactly
Len more (`FrameDecoder.needed()` says how many bytes to ask the port for next).

Every problem is raised as `SamFrameError` (a malformed frame) or `SamStatusError` (a well-formed
frame whose SW3 is not a success code); both are `DeviceError`s, so callers handle one type.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.model import Completion, DeviceError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEAD_LEN = len(PREAMBLE) + 2  # preamble + Len1 Len2
MIN_RESPONSE_LEN = 4  # SW1 SW2 SW3 CHK
MAX_RESPONSE_LEN = 0x1000  # the largest real answer (30 10 with fingerprints) is Len 0x090A

# (CMD, Para) of every request the driver sends.
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
READ_SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)
READ_APPENDED_ADDRESS = (0x30, 0x03)
READ_TEXT_PHOTO_FP = (0x30, 0x10)

SW3_OK = 0x90
SW3_NO_CONTENT = 0x91
SW3_FIND_OK = 0x9F
SW3_FIND_FAILED = 0x80
SW3_SELECT_FAILED = 0x81
SW3_READ_FAILED = 0x41
SW3_SELF_TEST_FAILED = 0x60

# SW3 → (meaning for logs, completion, message code of what the resident is told).
SW3_TABLE: dict[int, tuple[str, Completion, str]] = {
    0x90: ("ok", Completion.SUCCESS, ""),
    0x91: ("no such content", Completion.SUCCESS, ""),
    0x9F: ("find ok", Completion.SUCCESS, ""),
    0x10: ("SAM received a frame with a bad checksum", Completion.HARDWARE_ERROR, "idcard.read_incomplete"),
    0x11: ("SAM received a frame with a bad length", Completion.HARDWARE_ERROR, "idcard.read_incomplete"),
    0x21: ("SAM rejected the command", Completion.HARDWARE_ERROR, "idcard.reader_unavailable"),
    0x23: ("command not authorised", Completion.HARDWARE_ERROR, "idcard.reader_unavailable"),
    0x24: ("unknown SAM error", Completion.HARDWARE_ERROR, "idcard.reader_unavailable"),
    0x31: ("card rejected the SAM", Completion.USER_ERROR, "idcard.card_unreadable"),
    0x32: ("SAM rejected the card", Completion.USER_ERROR, "idcard.card_unreadable"),
    0x33: ("card verification error", Completion.USER_ERROR, "idcard.card_unreadable"),
    0x40: ("unknown card type", Completion.USER_ERROR, "idcard.card_unreadable"),
    0x41: ("read failed (card moved or lifted during the read)", Completion.USER_ERROR, "idcard.card_moved"),
    0x47: ("random-number exchange failed", Completion.USER_ERROR, "idcard.read_failed"),
    0x60: ("SAM self-test failed", Completion.HARDWARE_ERROR, "idcard.reader_unavailable"),
    0x66: ("SAM not authorised", Completion.HARDWARE_ERROR, "idcard.reader_unavailable"),
    0x80: ("find failed (no card, or the card was read and not yet lifted)", Completion.USER_ERROR,
           "idcard.no_card"),
    0x81: ("select failed", Completion.USER_ERROR, "idcard.read_failed"),
}

SUCCESS_CODES = frozenset({SW3_OK, SW3_NO_CONTENT, SW3_FIND_OK})


class SamFrameError(DeviceError):
    """A malformed frame: bad checksum, bad length, or bytes that are not a frame."""

    def __init__(self, detail: str) -> None:
        super().__init__(Completion.HARDWARE_ERROR, detail, "idcard.read_incomplete")


class SamStatusError(DeviceError):
    """A well-formed answer whose SW3 reports a failure; `sw3` is the code."""

    def __init__(self, sw3: int, command: str = "") -> None:
        meaning, completion, code = SW3_TABLE.get(
            sw3, ("undocumented status code", Completion.HARDWARE_ERROR, "idcard.reader_unavailable"))
        where = f" ({command})" if command else ""
        super().__init__(completion, f"SW3=0x{sw3:02X} {meaning}{where}", code)
        self.sw3 = sw3


def checksum(body: bytes) -> int:
    """XOR of `body` (the bytes from Len1 to the last data byte)."""
    chk = 0
    for b in body:
        chk ^= b
    return chk


def build_request(cmd: int, para: int, data: bytes = b"") -> bytes:
    """host → SAM frame, e.g. build_request(0x20, 0x01) == AA AA AA 96 69 00 03 20 01 22."""
    length = 2 + len(data) + 1
    body = length.to_bytes(2, "big") + bytes((cmd, para)) + data
    return PREAMBLE + body + bytes((checksum(body),))


def build_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """SAM → host frame (used by tests and the benchmark; the simulator has its own encoder)."""
    length = 3 + len(data) + 1
    body = length.to_bytes(2, "big") + bytes((sw1, sw2, sw3)) + data
    return PREAMBLE + body + bytes((checksum(body),))


@dataclass(frozen=True)
class SamResponse:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def ok(self) -> bool:
        return self.sw3 in SUCCESS_CODES

    def raise_for_status(self, command: str = "") -> SamResponse:
        if not self.ok:
            raise SamStatusError(self.sw3, command)
        return self


def parse_response(frame: bytes) -> SamResponse:
    """Parse one complete SAM → host frame. Raises SamFrameError."""
    if len(frame) < HEAD_LEN + MIN_RESPONSE_LEN:
        raise SamFrameError(f"frame too short: {len(frame)} bytes")
    if frame[:5] != PREAMBLE:
        raise SamFrameError(f"bad preamble {frame[:5].hex(' ')}")
    length = int.from_bytes(frame[5:7], "big")
    if length < MIN_RESPONSE_LEN or length > MAX_RESPONSE_LEN:
        raise SamFrameError(f"bad length field {length}")
    if len(frame) != HEAD_LEN + length:
        raise SamFrameError(f"length field says {length}, frame carries {len(frame) - HEAD_LEN}")
    body, chk = frame[5:-1], frame[-1]
    if checksum(body) != chk:
        raise SamFrameError(f"checksum mismatch: got 0x{chk:02X}, computed 0x{checksum(body):02X}")
    return SamResponse(frame[7], frame[8], frame[9], bytes(frame[10:-1]))


class FrameDecoder:
    """Splits a byte stream into SAM → host frames, resynchronising on the preamble.

    Usage: `while (frame := dec.pop()) is None: dec.feed(port.read(dec.needed()))`.
    Bytes before a preamble are garbage and are counted in `discarded`. A head whose length field is
    impossible is treated as garbage too (a preamble inside noise), so the decoder never waits for a
    bogus 60 KB frame. A complete frame with a bad checksum raises SamFrameError once and is dropped.
    """

    def __init__(self, max_len: int = MAX_RESPONSE_LEN) -> None:
        self._buf = bytearray()
        self.max_len = max_len
        self.discarded = 0

    def reset(self) -> None:
        self._buf.clear()

    def feed(self, data: bytes) -> None:
        self._buf += data

    def _resync(self) -> None:
        """Drop bytes until the buffer starts with the preamble (or a prefix of it)."""
        while self._buf:
            idx = self._buf.find(PREAMBLE)
            if idx == 0:
                length = int.from_bytes(self._buf[5:7], "big") if len(self._buf) >= HEAD_LEN else None
                if length is None or MIN_RESPONSE_LEN <= length <= self.max_len:
                    return
                self._drop(1)  # impossible length: not a real frame start
                continue
            if idx > 0:
                self._drop(idx)
                continue
            # no full preamble: keep the longest tail that could still start one
            keep = next((k for k in range(min(len(PREAMBLE) - 1, len(self._buf)), 0, -1)
                         if self._buf.endswith(PREAMBLE[:k])), 0)
            self._drop(len(self._buf) - keep)
            return

    def _drop(self, n: int) -> None:
        del self._buf[:n]
        self.discarded += n

    def needed(self) -> int:
        """How many bytes to read next: the rest of the head, then exactly the rest of the frame."""
        self._resync()
        if len(self._buf) < HEAD_LEN:
            return HEAD_LEN - len(self._buf)
        length = int.from_bytes(self._buf[5:7], "big")
        return max(1, HEAD_LEN + length - len(self._buf))

    def pop(self) -> SamResponse | None:
        """The next complete frame, or None if more bytes are needed. Raises SamFrameError."""
        self._resync()
        if len(self._buf) < HEAD_LEN:
            return None
        total = HEAD_LEN + int.from_bytes(self._buf[5:7], "big")
        if len(self._buf) < total:
            return None
        frame = bytes(self._buf[:total])
        del self._buf[:total]
        return parse_response(frame)
