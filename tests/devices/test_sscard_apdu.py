"""社保卡 APDU layer, pure: builders, 61xx/6Cxx exchange, TLV, decoding, status words.

The card side is the simulator's own EmulatedCard (an independent implementation of docs/device-protocols.md §2),
driven directly as the `transmit` function, so every persona and fault is checked without PC/SC.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices import sscard_apdu as A
from kiosk.devices.model import Completion
from kiosk.services import messages
from simulators.personas import load_personas
from simulators.sscard.card import SW_STEPS, EmulatedCard, Fault

CARD_HOLDERS = sorted(p.id for p in load_personas().values() if p.sscard is not None)


def card(persona_id: str = "chen_guiying", padding: str = "space", fault: Fault | None = None) -> EmulatedCard:
    c = EmulatedCard(load_personas()[persona_id], padding)
    if fault is not None:
        c.fault = fault
    return c


class Recorder:
    """transmit() over an EmulatedCard that remembers every command."""

    def __init__(self, c: EmulatedCard) -> None:
        self.card = c
        self.sent: list[bytes] = []

    def __call__(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        return self.card.process(apdu)


def scripted(*answers: str):
    """transmit() replaying hex answers in order; records what was sent."""
    queue = [bytes.fromhex(a) for a in answers]
    sent: list[bytes] = []

    def transmit(apdu: bytes) -> bytes:
        sent.append(apdu)
        return queue.pop(0)

    transmit.sent = sent  # type: ignore[attr-defined]
    return transmit


# ---- builders ------------------------------------------------------------------------------------
def test_select_ssse_is_the_reference_apdu():
    assert A.select_aid() == bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF")


def test_select_file_read_record_and_get_response_bytes():
    assert A.select_file(0xEF05) == bytes.fromhex("00A4020002EF05")
    assert A.select_file(0xEF06) == bytes.fromhex("00A4020002EF06")
    assert A.read_record(0x09) == bytes.fromhex("00B2090000")
    assert A.read_record(0x09, 0x20) == bytes.fromhex("00B2090020")
    assert A.get_response(0x22) == bytes.fromhex("00C0000022")


# ---- exchange ------------------------------------------------------------------------------------
def test_61xx_is_followed_by_get_response_and_data_concatenated():
    t = scripted("6104", "01026102", "03049000")
    resp = A.exchange(t, A.read_record(1))
    assert resp.ok and resp.data == bytes.fromhex("01020304")
    assert t.sent[1:] == [A.get_response(4), A.get_response(2)]


def test_6cxx_resends_the_same_command_with_the_exact_le():
    t = scripted("6C12", "AA" * 0x12 + "9000")
    resp = A.exchange(t, A.read_record(7))
    assert resp.ok and resp.data == b"\xAA" * 0x12
    assert t.sent == [A.read_record(7), A.read_record(7, 0x12)]


def test_6cxx_on_get_response_resends_get_response():
    t = scripted("6110", "6C08", "0102030405060708" + "9000")
    resp = A.exchange(t, A.read_record(1))
    assert resp.data == bytes.fromhex("0102030405060708")
    assert t.sent[1:] == [A.get_response(0x10), A.get_response(0x08)]


def test_endless_61xx_is_a_protocol_error():
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.exchange(lambda apdu: b"\x61\x01", A.read_record(1))
    assert err.value.reason == "protocol"


def test_response_without_status_word_is_a_protocol_error():
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.exchange(lambda apdu: b"\x90", A.read_record(1))
    assert err.value.reason == "protocol" and "status word" in err.value.detail


# ---- TLV and fields ------------------------------------------------------------------------------
def test_tlv_short_and_long_forms():
    assert A.parse_tlv(bytes.fromhex("0102AABB0700")) == {1: b"\xAA\xBB", 7: b""}
    assert A.parse_tlv(bytes.fromhex("0981") + bytes([3]) + b"abc") == {9: b"abc"}
    assert A.parse_tlv(bytes.fromhex("098200") + bytes([2]) + b"ab") == {9: b"ab"}


@pytest.mark.parametrize("raw", ["0105AABB", "01", "0181", "0201AA03"])
def test_truncated_tlv_is_bad_data(raw):
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.parse_tlv(bytes.fromhex(raw))
    assert err.value.reason == "bad_data" and err.value.completion == Completion.INVALID_DATA


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 255), st.binary(max_size=300), max_size=6))
def test_tlv_round_trip(fields):
    encoded = b""
    for tag, value in fields.items():
        n = len(value)
        length = bytes([n]) if n < 0x80 else (b"\x81" + bytes([n]) if n < 256 else b"\x82" + n.to_bytes(2, "big"))
        encoded += bytes([tag]) + length + value
    assert A.parse_tlv(encoded) == fields


def test_gbk_name_with_space_or_nul_padding():
    assert A.decode_name("陈桂英".encode("gbk") + b" " * 24) == "陈桂英"
    assert A.decode_name("何水发".encode("gbk") + b"\x00" * 24) == "何水发"
    assert A.decode_name("约翰·史密斯".encode("gbk") + b"\x00 \x00") == "约翰·史密斯"


@pytest.mark.parametrize("raw", [b"\xff\xfe\x80" + b" " * 27, b" " * 30, b"\x00" * 30])
def test_bad_or_empty_name_is_bad_data(raw):
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.decode_name(raw)
    assert err.value.reason == "bad_data"


def test_bcd_dates_and_digits():
    assert A.decode_bcd_date(bytes.fromhex("19420308"), "birth") == "1942-03-08"
    assert A.bcd_digits(bytes.fromhex("440204"), "place") == "440204"
    assert A.bcd_digits(bytes.fromhex("4402FF"), "place") == "4402"
    for bad in ("1942130A", "19421301", "194203", "2021FFFF"):
        with pytest.raises(A.SocialSecurityCardError):
            A.decode_bcd_date(bytes.fromhex(bad), "date")


@settings(max_examples=200, deadline=None)
@given(st.dates())
def test_bcd_date_round_trip(d):
    assert A.decode_bcd_date(bytes.fromhex(f"{d.year:04d}{d.month:02d}{d.day:02d}"), "d") == d.isoformat()


def test_sex_codes_ascii_or_raw():
    assert A.decode_sex_code(b"1") == "1" and A.decode_sex_code(b"\x02") == "2"
    for bad in (b"3", b"\x31\x32", b"M"):
        with pytest.raises(A.SocialSecurityCardError):
            A.decode_sex_code(bad)


# ---- status words --------------------------------------------------------------------------------
def test_every_status_word_has_a_message_code_and_the_sw_in_the_detail():
    for sw, (meaning, _completion, code) in A.STATUS_WORDS.items():
        err = A.status_word_error(sw, "READ RECORD EF06/09")
        assert f"{sw:04X}" in err.detail and meaning in err.detail and err.reason == "status_word"
        assert err.code == code and "请" in messages.for_error(err)


def test_unknown_status_word_falls_back_with_its_code():
    err = A.status_word_error(0x6999, "SELECT EF05")
    assert "6999" in err.detail and err.completion == Completion.HARDWARE_ERROR
    assert err.code == "sscard.unknown_status" and "6999" in messages.for_error(err)


# ---- the whole read against the emulated card ------------------------------------------------------
@pytest.mark.parametrize("persona_id", CARD_HOLDERS)
@pytest.mark.parametrize("padding", ["space", "nul"])
def test_read_every_persona(persona_id, padding):
    p = load_personas()[persona_id]
    t = Recorder(card(persona_id, padding))
    data = A.read_public_data(t)
    assert data.to_dict() == {
        "card_number": p.sscard.card_number, "id_number": p.id_number, "name": p.name,
        "sex": {"1": "男", "2": "女"}[p.sex_code], "birth_date": p.birth_date,
        "issue_date": p.sscard.issue_date, "expiry_date": p.sscard.expiry_date,
        "region_code": p.sscard.region_code}
    assert (data.card_identifier, data.issuing_institution, data.nation_code, data.birthplace) == (
        p.sscard.card_identifier, p.sscard.issuing_institution, p.nation_code, p.sscard.birthplace)
    assert t.sent[0] == A.select_aid() and t.sent[1] == A.select_file(0xEF05)
    assert len(t.sent) == 1 + 1 + 7 + 1 + 6


def test_repr_keeps_personal_data_out_of_logs():
    data = A.read_public_data(Recorder(card("li_jianguo")))
    text = repr(data)
    for secret in (data.name, data.id_number, data.card_number, data.birth_date):
        assert secret not in text
    assert "440281" in text  # the region code is not personal


@pytest.mark.parametrize("chunk", [0, 1, 5, 17])
def test_need_get_response_fault_is_handled(chunk):
    t = Recorder(card("huang_xiaomei", fault=Fault("need_get_response", chunk=chunk)))
    assert A.read_public_data(t).name == "黄晓梅"
    assert any(apdu[1] == 0xC0 for apdu in t.sent)


def test_wrong_le_fault_is_handled():
    t = Recorder(card("he_shuifa", fault=Fault("wrong_le")))
    assert A.read_public_data(t).id_number == "440224194811050012"
    assert A.read_record(0x09, 2 + 30) in t.sent


def test_wrong_card_is_recognised():
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.read_public_data(Recorder(card(fault=Fault("wrong_card"))))
    assert err.value.reason == "wrong_card" and err.value.sw == 0x6A82
    assert err.value.code == "sscard.wrong_card" and "不是社会保障卡" in messages.for_error(err.value)


@pytest.mark.parametrize("step", SW_STEPS)
@pytest.mark.parametrize("sw", [0x6982, 0x6283, 0x6F00, 0x6581])
def test_error_status_words_at_each_step(step, sw):
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.read_public_data(Recorder(card(fault=Fault("sw", sw=sw, on=step))))
    assert err.value.reason == "status_word" and err.value.sw == sw
    assert f"{sw:04X}" in err.value.detail
    assert err.value.code == A.STATUS_WORDS[sw][2]


def test_file_not_found_on_the_application_means_wrong_card():
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.read_public_data(Recorder(card(fault=Fault("sw", sw=0x6A82, on="select_app"))))
    assert err.value.reason == "wrong_card"


def test_malformed_record_is_bad_data():
    c = card()
    c._records[0xEF05][0x01] = b"A" * 16  # no region code in front
    t = Recorder(c)
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.read_public_data(t)
    assert err.value.reason == "bad_data" and "card identifier" in err.value.detail


def test_record_with_the_wrong_tag_is_bad_data():
    t = scripted("9000", "9000", "0201319000")
    with pytest.raises(A.SocialSecurityCardError) as err:
        A.read_public_data(t)
    assert err.value.reason == "bad_data" and "EF05/01" in err.value.detail
