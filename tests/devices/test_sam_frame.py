"""GA/T 467 SAM frames: byte-exact against the reference table (docs/device-protocols.md §1)."""

from __future__ import annotations

import pytest

from kiosk.devices import sam_frame as sf
from kiosk.devices.model import Completion, DeviceError
from kiosk.services import messages

REQUESTS = [
    (sf.RESET_SAM, "AA AA AA 96 69 00 03 10 FF EC"),
    (sf.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
    (sf.READ_SAM_ID, "AA AA AA 96 69 00 03 12 FF EE"),
    (sf.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (sf.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (sf.READ_TEXT_PHOTO, "AA AA AA 96 69 00 03 30 01 32"),
    (sf.READ_APPENDED_ADDRESS, "AA AA AA 96 69 00 03 30 03 30"),
    (sf.READ_TEXT_PHOTO_FP, "AA AA AA 96 69 00 03 30 10 23"),
]


@pytest.mark.parametrize(("cmd", "expected"), REQUESTS)
def test_requests_are_byte_exact(cmd, expected):
    assert sf.build_request(*cmd) == bytes.fromhex(expected)


def test_read_failed_answer_from_the_table():
    frame = bytes.fromhex("AA AA AA 96 69 00 04 00 00 41 45")
    assert sf.build_response(0x41) == frame
    resp = sf.parse_response(frame)
    assert (resp.sw1, resp.sw2, resp.sw3, resp.data) == (0, 0, 0x41, b"")
    with pytest.raises(sf.SamStatusError) as err:
        resp.raise_for_status("read card")
    assert err.value.sw3 == 0x41
    assert "SW3=0x41" in str(err.value)
    assert err.value.completion == Completion.USER_ERROR
    assert err.value.code == "idcard.card_moved" and "重新" in messages.for_error(err.value)


def test_find_and_select_answer_lengths():
    find = sf.build_response(0x9F, bytes(4))
    assert find[5:7] == b"\x00\x08" and len(find) == 15
    select = sf.build_response(0x90, bytes(range(8)))
    assert select[5:7] == b"\x00\x0c"
    assert sf.parse_response(select).data == bytes(range(8))


def test_read_text_photo_answer_is_1295_bytes():
    data = (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + bytes(256) + bytes(1024)
    frame = sf.build_response(0x90, data)
    assert frame[5:7] == b"\x05\x08" and len(frame) == 1295
    fp = sf.build_response(0x90, (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + bytes(2)
                           + bytes(1280))
    assert len(fp) == 1297


def test_checksum_error_is_detected():
    frame = bytearray(sf.build_response(0x9F, bytes(4)))
    frame[-1] ^= 0x01
    with pytest.raises(sf.SamFrameError, match="checksum"):
        sf.parse_response(bytes(frame))


@pytest.mark.parametrize("sw3", sorted(sf.SW3_TABLE))
def test_every_sw3_code_maps_to_a_clear_error(sw3):
    resp = sf.SamResponse(0, 0, sw3, b"")
    if sw3 in sf.SUCCESS_CODES:
        assert resp.raise_for_status() is resp
        return
    with pytest.raises(DeviceError) as err:
        resp.raise_for_status("x")
    assert f"SW3=0x{sw3:02X}" in err.value.detail
    assert err.value.code in messages.MESSAGES  # a resident's text with a next step


def test_undocumented_sw3_still_names_the_code():
    with pytest.raises(sf.SamStatusError, match="SW3=0x77"):
        sf.SamResponse(0, 0, 0x77, b"").raise_for_status()


def test_decoder_reads_head_then_exactly_len():
    frame = sf.build_response(0x90, b"\x01\x02\x03")
    dec = sf.FrameDecoder()
    assert dec.needed() == 7
    dec.feed(frame[:7])
    assert dec.pop() is None
    assert dec.needed() == len(frame) - 7
    dec.feed(frame[7:])
    assert dec.pop().data == b"\x01\x02\x03"


def test_decoder_resyncs_after_garbage_and_split_preamble():
    frame = sf.build_response(0x9F, bytes(4))
    dec = sf.FrameDecoder()
    dec.feed(b"\x00\x13garbage\xaa\xaa")  # ends with a preamble prefix that is noise
    assert dec.pop() is None
    dec.feed(b"\x01" + frame[:3])
    dec.feed(frame[3:])
    assert dec.pop().sw3 == 0x9F
    assert dec.discarded > 0


def test_decoder_skips_impossible_length():
    frame = sf.build_response(0x90)
    dec = sf.FrameDecoder()
    dec.feed(sf.PREAMBLE + b"\xff\xff" + frame)
    assert dec.pop().sw3 == 0x90


def test_two_frames_in_one_chunk():
    dec = sf.FrameDecoder()
    dec.feed(sf.build_response(0x80) + sf.build_response(0x9F, bytes(4)))
    assert dec.pop().sw3 == 0x80
    assert dec.pop().sw3 == 0x9F
    assert dec.pop() is None
