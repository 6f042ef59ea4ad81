"""Issue 16, case 9: line noise on the scanner. Rejected frames are counted, the log gets one line per
burst with the count (not one per frame: 7.6 MB of noise gave 42,026 WARNING lines and pushed the real
history out of the rotating log), the resident is told once, and only printable text in the
configured encoding is passed on as a code."""

from __future__ import annotations

import logging
import random

import pytest

from kiosk.devices.qr_scanner import QrScanner, RejectBursts, ScanError, decode_payload, printable

NOISE_BYTES = 1_000_000
LOGGER = "kiosk.devices.qr_scanner"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class ChunkedPort:
    """A pyserial port that returns `data` in reads of at most `chunk` bytes, then times out."""

    def __init__(self, data: bytes, chunk: int = 4096) -> None:
        self.data, self.chunk, self.pos = data, chunk, 0
        self.timeout = 0.05

    def read(self, n: int) -> bytes:
        part = self.data[self.pos:self.pos + min(n, self.chunk)]
        self.pos += len(part)
        return part

    def close(self) -> None:
        pass

    @property
    def drained(self) -> bool:
        return self.pos >= len(self.data)


def scanner_on(data: bytes, clock: FakeClock, **options) -> QrScanner:
    s = QrScanner("scanner", "loop://", duplicate_window_s=0, **options)
    s._noise = RejectBursts(clock=clock)
    s._port = ChunkedPort(data)  # type: ignore[assignment]
    return s


def drain(s: QrScanner) -> None:
    while not s._port.drained:  # type: ignore[union-attr]
        s._poll_once()


def codes(s: QrScanner) -> list:
    out = []
    while len(s.events):
        out.append(s.events.get(timeout=1))
    return out


def test_a_megabyte_of_noise_is_one_log_line_with_the_count(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    noise = random.Random(16).randbytes(NOISE_BYTES)
    s = scanner_on(noise + b"\r", clock)
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        drain(s)
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []  # the burst still runs
        clock.now += 2.5  # quiet for longer than NOISE_QUIET_S
        s._poll_once()
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert s.rejected_total > 5000
    assert warnings == [warnings[0]] and f"{s.rejected_total} frame(s) rejected" in warnings[0]
    assert len(s.read_errors) == 1  # the resident hears about the burst once
    assert s.status.extras["rejected_frames"] == s.rejected_total
    assert all(printable(c.code) for c in codes(s))


def test_each_burst_is_logged_once_and_a_real_code_after_it_gets_through(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    s = scanner_on(b"", clock)
    rng = random.Random(7)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        for _ in range(3):
            noise = b"".join(rng.randbytes(20).replace(b"\r", b"").replace(b"\n", b"") + b"\x00\r"
                             for _ in range(200))  # every frame holds a NUL: all of them are rejected
            s._port = ChunkedPort(noise)  # type: ignore[assignment]
            drain(s)
            clock.now += 3
            s._port = ChunkedPort(b"GD-EID-TOKEN-0001\r")  # type: ignore[assignment]
            drain(s)
            s._poll_once()
    assert len([r for r in caplog.records if "rejected" in r.getMessage()]) == 3
    assert len(s.read_errors) == 3
    assert [c.code for c in codes(s)] == ["GD-EID-TOKEN-0001"] * 3
    assert s.rejected_total == 600


def test_a_line_that_never_goes_quiet_is_still_logged_every_minute() -> None:
    clock = FakeClock()
    bursts = RejectBursts(quiet_s=2, max_s=60, clock=clock)
    assert bursts.reject("noise") is True
    for _ in range(59):
        clock.now += 1
        assert bursts.reject("noise") is False
        assert bursts.finish() is None
    clock.now += 1
    bursts.reject("noise")
    assert bursts.finish() == (61, 60.0, "noise")
    assert bursts.reject("noise") is True and bursts.total == 62


@pytest.mark.parametrize("frame", [
    b"\xc2\x85TOKEN",          # U+0085 NEL, a C1 control in valid UTF-8
    b"TO\xe2\x80\x8bKEN",      # U+200B zero-width space (format)
    b"\xef\xbb\xbfTOKEN",      # U+FEFF byte-order mark
    b"A\xe2\x80\xa8B",         # U+2028 line separator
    b"\xee\x80\x80",           # U+E000 private use (UTF-8)
    b"\xaa\xa1\xaa\xa2",       # GBK user-defined area → private use
    b"\xf4\x8f\xbf\xbf",       # U+10FFFF, a noncharacter
    b"TOKEN\x7f",
])
def test_valid_but_unprintable_text_is_not_a_code(frame: bytes) -> None:
    with pytest.raises(ScanError) as err:
        decode_payload(frame)
    assert err.value.code == "scanner.unreadable"


@pytest.mark.parametrize("frame, encoding, text", [
    ("广东省\u3000韶关市".encode(), "utf-8", "广东省\u3000韶关市"),
    ("李\t建国".encode("gbk"), "gbk", "李\t建国"),
    (b"https://example.invalid/?a=1&b=2", "utf-8", "https://example.invalid/?a=1&b=2"),
])
def test_printable_codes_still_pass(frame: bytes, encoding: str, text: str) -> None:
    got = decode_payload(frame)
    assert (got.code, got.encoding) == (text, encoding)


def test_only_the_configured_encoding_is_tried() -> None:
    gbk = "韶关".encode("gbk")
    assert decode_payload(gbk, "gbk").code == "韶关"
    with pytest.raises(ScanError):
        decode_payload(gbk, "utf-8")
