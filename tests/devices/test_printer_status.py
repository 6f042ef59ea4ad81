"""DLE EOT status decoding: every bit, every fixed-bit violation."""

import pytest

from kiosk.devices.printer_status import (
    QUERIES,
    StatusByteError,
    decode_offline_cause,
    decode_online,
    decode_paper,
    decode_status,
)

BASE = 0x12  # bits 1 and 4 are always set


def test_queries_are_dle_eot_1_2_4():
    assert QUERIES == (b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04")


def test_online_bit_3():
    assert decode_online(BASE) is True
    assert decode_online(BASE | 0x08) is False
    # other variable bits do not change the answer
    for bit in (0x04, 0x20, 0x40):
        assert decode_online(BASE | bit) is True


def test_offline_cause_bits():
    assert decode_offline_cause(BASE) == (False, False, False)
    assert decode_offline_cause(BASE | 0x04) == (True, False, False)
    assert decode_offline_cause(BASE | 0x20) == (False, True, False)
    assert decode_offline_cause(BASE | 0x40) == (False, False, True)
    assert decode_offline_cause(BASE | 0x64) == (True, True, True)
    assert decode_offline_cause(BASE | 0x08) == (False, False, False)  # bit 3: feed button, ignored


@pytest.mark.parametrize("byte,paper", [
    (BASE, "ok"),
    (BASE | 0x04, "near_end"), (BASE | 0x08, "near_end"), (BASE | 0x0C, "near_end"),
    (BASE | 0x20, "out"), (BASE | 0x40, "out"), (BASE | 0x60, "out"),
    (BASE | 0x6C, "out"),  # both sensors: out wins
])
def test_paper_sensor_bits(byte, paper):
    assert decode_paper(byte) == paper


@pytest.mark.parametrize("byte", range(256))
def test_fixed_bits_are_checked_for_every_byte(byte):
    valid = byte & 0x93 == 0x12
    for decode in (decode_online, decode_offline_cause, decode_paper):
        if valid:
            decode(byte)
        else:
            with pytest.raises(StatusByteError):
                decode(byte)


def test_combined_status():
    s = decode_status(BASE, BASE, BASE)
    assert s.to_dict() == {"online": True, "cover_open": False, "paper": "ok"} and s.ready
    s = decode_status(BASE | 0x08, BASE | 0x04, BASE)
    assert s.to_dict() == {"online": False, "cover_open": True, "paper": "ok"} and not s.ready
    s = decode_status(BASE | 0x08, BASE | 0x20, BASE)  # stopped by paper end, sensor not yet updated
    assert s.paper == "out" and not s.ready
    s = decode_status(BASE, BASE, BASE | 0x0C)
    assert s.paper == "near_end" and s.ready  # near end still prints
    s = decode_status(BASE, BASE | 0x40, BASE)
    assert s.error and not s.ready
