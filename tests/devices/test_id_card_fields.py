"""Text-block parsing: the four layouts, sex and nation tables, the ID-number check digit."""

from __future__ import annotations

import pytest

from kiosk.devices.id_card_fields import (
    NATIONS,
    SEX,
    IdCardFieldError,
    card_layout,
    id_check_digit,
    id_number_valid,
    parse_appended_address,
    parse_text_block,
)
from simulators.idcard.card_encoding import text_block, ucs2_field
from simulators.personas import get_persona, load_personas


def resident_block(**over: str) -> bytes:
    v = {"name": "张三", "sex": "1", "nation": "01", "birth": "19900101", "address": "广东省韶关市",
         "id": "440204199001010011", "authority": "韶关市公安局", "from": "20200101", "to": "20400101"}
    v.update(over)
    f = ucs2_field
    return b"".join([f(v["name"], 30), f(v["sex"], 2), f(v["nation"], 4), f(v["birth"], 16),
                     f(v["address"], 70), f(v["id"], 36), f(v["authority"], 30), f(v["from"], 16),
                     f(v["to"], 16), f("", 36)])


def test_check_digit_examples():
    assert id_check_digit("11010519491231002") == "X"  # the GB 11643 example
    assert id_number_valid("11010519491231002X")
    assert id_number_valid("11010519491231002x")
    assert not id_number_valid("110105194912310021")
    assert not id_number_valid("1101051949123100")
    with pytest.raises(ValueError):
        id_check_digit("abc")


def test_fixture_block_is_valid():
    number = "44020419900101001"
    block = resident_block(id=number + id_check_digit(number))
    card = parse_text_block(block)
    assert (card.name, card.sex, card.nation, card.birth_date) == ("张三", "男", "汉", "1990-01-01")
    assert card.valid_to == "2040-01-01" and card.card_type == "resident"


@pytest.mark.parametrize(("code", "text"), sorted(SEX.items()))
def test_sex_table(code, text):
    number = "44020419900101001"
    block = resident_block(sex=code, id=number + id_check_digit(number))
    assert parse_text_block(block).sex == text


def test_nation_table_is_complete():
    assert len(NATIONS) == 58 and NATIONS["22"] == "畲" and NATIONS["98"] == "外国血统中国籍人士"
    assert all(len(code) == 2 for code in NATIONS)


@pytest.mark.parametrize("persona_id", sorted(load_personas()))
def test_every_persona_layout(persona_id):
    p = get_persona(persona_id)
    card = parse_text_block(text_block(p))
    assert card.layout == p.layout
    assert card.name == p.name and card.id_number == p.id_number
    assert card.birth_date == p.birth_date and card.valid_from == p.valid_from and card.valid_to == p.valid_to
    assert card.english_name == p.english_name
    assert card.issue_count == p.issue_count and card.pass_number == p.pass_number
    if p.layout in ("resident", "J"):
        assert card.address == p.address
    else:
        assert card.address is None and card.nationality == p.nationality
    if p.layout == "resident":
        assert card.nation == NATIONS[p.nation_code]
    else:
        assert card.nation is None


def test_long_term_and_ext_a_name():
    assert parse_text_block(text_block(get_persona("chen_guiying"))).valid_to == "长期"
    assert parse_text_block(text_block(get_persona("lan_yan"))).name == "蓝䶮"


def test_y_card_english_name_uses_the_extension():
    p = get_persona("tanaka_yuki")
    block = bytearray(text_block(p))
    long_name = "WOLFESCHLEGELSTEINHAUSEN BERGERDORFF JOHANN"  # 43 characters
    block[52:122] = ucs2_field(long_name[:35], 70)
    block[220:242] = ucs2_field(long_name[35:], 22)
    assert parse_text_block(bytes(block)).english_name == long_name


def test_layout_flag():
    block = bytearray(256)
    assert card_layout(bytes(block)) == "resident"
    for flag in "JIY":
        block[248:250] = flag.encode("utf-16-le")
        assert card_layout(bytes(block)) == flag


@pytest.mark.parametrize("change", [
    {"sex": "5"}, {"nation": "77"}, {"birth": "19901301"}, {"birth": "1990010"}, {"to": "永久"},
    {"id": "440204199001010012"},
])
def test_invalid_fields_raise_the_driver_error(change):
    number = "44020419900101001"
    values = {"id": number + id_check_digit(number), **change}
    with pytest.raises(IdCardFieldError) as err:
        parse_text_block(resident_block(**values))
    assert err.value.code == "idcard.read_incomplete"


def test_wrong_size_and_bad_ucs2():
    with pytest.raises(IdCardFieldError):
        parse_text_block(b"\x20\x00" * 100)
    block = bytearray(resident_block())
    block[0:2] = b"\x00\xd8"  # a lone surrogate is not UCS-2 text
    with pytest.raises(IdCardFieldError):
        parse_text_block(bytes(block))


def test_to_json_keys_and_hidden_repr():
    card = parse_text_block(text_block(get_persona("wong_kaming")))
    data = card.to_json()
    assert list(data) == list(card.JSON_KEYS)
    assert data["card_type"] == "hk_mo_tw_residence" and data["pass_number"] == "H60123456"
    assert "黄家明" not in repr(card) and "黄家明" not in str(card)


def test_appended_address():
    assert parse_appended_address(ucs2_field("广东省仁化县周田镇", 70)) == "广东省仁化县周田镇"
    assert parse_appended_address(ucs2_field("", 70)) is None
    with pytest.raises(IdCardFieldError):
        parse_appended_address(b"\x00" * 10)


# ---- the optional WLT photo plug-in -------------------------------------------------------------

def test_photo_stays_raw_without_decoder(monkeypatch):
    from kiosk.devices import wlt_photo

    monkeypatch.setattr(wlt_photo, "entry_points", lambda group: [])
    assert wlt_photo.find_decoder(env={}) is None
    assert wlt_photo.decode_photo(None, b"\x01" * 1024) is None
    assert wlt_photo.find_decoder(env={"KIOSK_WLT_LIBRARY": "/nonexistent/libwlt2bmp.so"}) is None


def test_entry_point_decoder_is_used_and_failures_keep_raw(monkeypatch):
    from kiosk.devices import wlt_photo

    class EP:
        name = "fake"

        def load(self):
            return lambda wlt: b"BM" + wlt[:4]

    monkeypatch.setattr(wlt_photo, "entry_points", lambda group: [EP()] if group == wlt_photo.ENTRY_POINT_GROUP else [])
    decoder = wlt_photo.find_decoder(env={})
    assert wlt_photo.decode_photo(decoder, b"\x01\x02\x03\x04" * 256) == b"BM\x01\x02\x03\x04"

    def broken(wlt):
        raise RuntimeError("licence expired")

    assert wlt_photo.decode_photo(broken, b"\x00" * 1024) is None


def test_shared_library_decoder(tmp_path, monkeypatch):
    import shutil
    import subprocess

    from kiosk.devices import wlt_photo

    if shutil.which("cc") is None:
        pytest.skip("no C compiler to build a stand-in vendor library")
    src = tmp_path / "fakewlt.c"
    src.write_text("int unpack(char *src, char *dst, int save) {\n"
                   "  dst[0] = 'B'; dst[1] = 'M'; dst[2] = src[0]; return save == 0 ? 1 : -1; }\n")
    lib = tmp_path / "libfakewlt.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(lib), str(src)], check=True, timeout=120)
    monkeypatch.setattr(wlt_photo, "entry_points", lambda group: [])
    decoder = wlt_photo.find_decoder(env={"KIOSK_WLT_LIBRARY": str(lib)})
    assert decoder is not None
    bmp = decoder(b"\x07" + bytes(1023))
    assert bmp[:3] == b"BM\x07" and len(bmp) == wlt_photo.BMP_LEN
    with pytest.raises(ValueError):
        decoder(b"short")
