"""Hypothesis fuzzing: the SAM frame decoder, the text-block parser and the scanner framing raise only
the driver's own error type and always terminate."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.devices import sam_frame as sf
from kiosk.devices.id_card_fields import IdCardFieldError, parse_text_block
from kiosk.devices.id_card_reader import IdCardReader
from kiosk.devices.model import DeviceError
from kiosk.devices.qr_scanner import Rejected, ScanError, ScanFramer, decode_payload

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.timeout(240)

chunks = st.lists(st.binary(max_size=64), max_size=40)
# bytes that look like frames often: preamble pieces, small lengths, random tails
frame_ish = st.lists(st.one_of(st.binary(max_size=16), st.just(sf.PREAMBLE), st.just(b"\x00\x04"),
                               st.just(b"\xaa\xaa")), max_size=30).map(b"".join)


def drain(dec: sf.FrameDecoder) -> list[sf.SamResponse]:
    """Pop until the decoder needs more bytes; every pop consumes or stops, so this terminates."""
    out = []
    while True:
        try:
            frame = dec.pop()
        except sf.SamFrameError:
            continue
        if frame is None:
            return out
        out.append(frame)


@FUZZ
@given(chunks)
def test_decoder_on_random_bytes(parts):
    dec = sf.FrameDecoder()
    for part in parts:
        dec.feed(part)
        drain(dec)
        assert dec.needed() >= 1


@FUZZ
@given(frame_ish)
def test_parse_response_raises_only_its_error(data):
    try:
        resp = sf.parse_response(data)
    except sf.SamFrameError:
        return
    assert sf.build_response(resp.sw3, resp.data, resp.sw1, resp.sw2) == data


noise = st.binary(max_size=40).map(lambda b: bytes(x for x in b if x != 0xAA))
frames = st.lists(st.tuples(st.integers(0, 255), st.binary(max_size=300)), min_size=1, max_size=5)


@FUZZ
@given(frames, st.lists(noise, min_size=6, max_size=6), st.data())
def test_frames_in_noise_are_recovered_whatever_the_chunking(items, noises, data):
    stream = b"".join(noises[i] + sf.build_response(sw3, body) for i, (sw3, body) in enumerate(items))
    stream += noises[-1]
    dec = sf.FrameDecoder()
    got: list[sf.SamResponse] = []
    pos = 0
    while pos < len(stream):
        n = data.draw(st.integers(1, 64))
        dec.feed(stream[pos:pos + n])
        pos += n
        got += drain(dec)
    assert [(r.sw3, r.data) for r in got] == items


@FUZZ
@given(st.binary(min_size=256, max_size=256))
def test_text_block_parser_raises_only_its_error(block):
    try:
        card = parse_text_block(block)
    except IdCardFieldError:
        return
    assert card.card_type in ("resident", "hk_mo_tw_residence", "foreign_permanent")


@FUZZ
@given(st.binary(max_size=256))
def test_text_block_wrong_sizes(block):
    if len(block) != 256:
        with pytest.raises(IdCardFieldError):
            parse_text_block(block)


class ScriptedPort:
    """Stands in for a pyserial port: ignores writes, returns scripted chunks, then times out."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = list(parts)

    def reset_input_buffer(self) -> None:
        pass

    def write(self, data: bytes) -> int:
        return len(data)

    def read(self, n: int) -> bytes:
        if not self.parts:
            return b""
        head = self.parts.pop(0)
        if len(head) > n:
            self.parts.insert(0, head[n:])
        return head[:n]

    def close(self) -> None:
        pass


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(frame_ish, st.binary(max_size=64)), max_size=10))
def test_reader_poll_never_hangs_and_raises_only_device_errors(parts):
    reader = IdCardReader("idcard", "loop://", command_timeout=0.05)
    reader._port = ScriptedPort(parts)
    try:
        reader._poll_once()
    except DeviceError:
        pass


# ---- scanner framing ------------------------------------------------------------------------

@FUZZ
@given(chunks, st.sampled_from(["auto", "cr", "lf", "crlf"]), st.integers(1, 64))
def test_scan_framer_never_raises(parts, suffix, max_len):
    framer = ScanFramer(suffix, max_len)
    for part in parts:
        for item in framer.feed(part):
            assert isinstance(item, Rejected) or (0 < len(item) <= max_len)
            if isinstance(item, bytes) and suffix == "auto":
                assert b"\r" not in item and b"\n" not in item


codes = st.lists(st.binary(min_size=1, max_size=30).filter(lambda b: b"\r" not in b and b"\n" not in b),
                 min_size=1, max_size=8)


@FUZZ
@given(codes, st.lists(st.sampled_from([b"\r", b"\n", b"\r\n"]), min_size=8, max_size=8), st.data())
def test_scan_framer_recovers_codes_whatever_the_chunking(items, suffixes, data):
    stream = b"".join(code + suffixes[i] for i, code in enumerate(items))
    framer = ScanFramer()
    got: list = []
    pos = 0
    while pos < len(stream):
        n = data.draw(st.integers(1, 16))
        got += framer.feed(stream[pos:pos + n])
        pos += n
    assert got == items


@FUZZ
@given(st.binary(max_size=128), st.sampled_from(["auto", "utf-8", "gbk"]))
def test_decode_payload_raises_only_its_error(raw, encoding):
    try:
        scanned = decode_payload(raw, encoding)
    except ScanError:
        return
    assert scanned.code.encode(scanned.encoding) == raw
