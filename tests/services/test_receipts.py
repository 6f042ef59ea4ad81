"""Receipt templates and their ESC/POS bytes."""

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices.printer_profiles import PROFILES, get_profile
from kiosk.services.receipts import (
    PUNCTUATION_LINE,
    Line,
    Receipt,
    encode_text,
    examples,
    mask_id_number,
    payment_receipt,
    printer_test_page,
    receipt_to_escpos,
    text_columns,
    wrap_columns,
    yuan,
)

WHEN = datetime(2024, 5, 1, 9, 30)
EXAMPLES = examples(WHEN)
ESC_INIT, FS_AND, CUT = b"\x1b@", b"\x1c&", b"\x1dV\x01"


def gs_k(fn: int, data: bytes, m: bytes = b"") -> bytes:
    n = len(data) + len(m) + 2
    return b"\x1d(k" + bytes([n & 0xFF, n >> 8, 0x31, fn]) + m + data


def test_there_is_one_example_of_each_kind():
    assert set(EXAMPLES) == {"query_result", "certificate", "certification", "acceptance", "queue_ticket",
                             "payment", "payment_order", "booking", "item_guide"}
    assert {r.kind for r in EXAMPLES.values()} == set(EXAMPLES)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
@pytest.mark.parametrize("profile_name", sorted(PROFILES))
def test_template_bytes(kind, profile_name):
    receipt, profile = EXAMPLES[kind], get_profile(profile_name)
    data = receipt_to_escpos(receipt, profile)
    assert data.startswith(ESC_INIT + FS_AND)  # init, then Chinese mode on
    assert data.endswith(b"\x1bd" + bytes([profile.feed_lines_before_cut]) + CUT)
    # the title, large (GS ! 0x11), centred and bold
    assert b"\x1d!\x11\x1bE\x01\x1ba\x01" + encode_text(receipt.title) + b"\n" in data
    for line in receipt.lines:
        if line.text and not line.rule and text_columns(line.text) <= profile.columns // 3:
            assert encode_text(line.text) in data
    if receipt.qr:
        payload = receipt.qr.encode()
        if profile.native_qr:
            assert gs_k(65, b"2\x00") in data  # model 2
            assert gs_k(67, bytes([profile.qr_module_dots])) in data
            assert gs_k(69, b"1") in data  # error correction M
            assert gs_k(80, payload, b"0") in data  # store
            assert data.index(gs_k(80, payload, b"0")) < data.index(gs_k(81, b"", b"0"))  # then print
        else:
            assert b"\x1d(k" not in data and payload not in data
            assert b"\x1dv0" in data  # raster fallback
    else:
        assert b"\x1d(k" not in data
    assert b"???" not in data
    assert receipt_to_escpos(receipt, profile) == data  # pure: same input, same bytes


def test_exact_bytes_of_a_small_receipt():
    receipt = Receipt("query_result", "查询结果", (Line("合计：", right="¥5.00", bold=True),), logo=False)
    data = receipt_to_escpos(receipt, get_profile("58mm", cutter=False, chinese_mode=False))
    style = b"\x1d!\x00\x1bE\x00\x1ba\x00"
    assert data == (
        b"\x1b@"
        + b"\x1d!\x11\x1bE\x01\x1ba\x01" + "查询结果".encode("gb18030") + b"\n"
        + style + b"-" * 32 + b"\n"
        + b"\x1d!\x00\x1bE\x01\x1ba\x00" + "合计：".encode("gb18030") + b" " * 20 + b"\xa3\xa45.00\n"
        + style + b"\x1bd\x04"
    )


def test_punctuation_only_line_and_yen_are_gb18030_not_question_marks():
    # python-escpos alone prints a line without any U+4E00..U+9FA5 character as "???"
    data = receipt_to_escpos(Receipt("test_page", "测试", (Line("：，。¥"),), logo=False),
                             get_profile("80mm"))
    assert b"\xa3\xba\xa3\xac\xa1\xa3\xa3\xa4\n" in data  # ： ， 。 ￥ in GB18030 (GB2312 area)
    assert b"?" not in data
    assert encode_text(PUNCTUATION_LINE).decode("gb18030").replace("￥", "¥") == PUNCTUATION_LINE


def test_fs_and_only_when_the_profile_asks_for_it():
    r = EXAMPLES["queue_ticket"]
    assert FS_AND in receipt_to_escpos(r, get_profile("80mm"))
    assert FS_AND not in receipt_to_escpos(r, get_profile("80mm", chinese_mode=False))


def test_cut_only_with_a_cutter():
    r = EXAMPLES["queue_ticket"]
    assert b"\x1dV" not in receipt_to_escpos(r, get_profile("80mm", cutter=False))


def test_logo_is_a_raster_image_at_paper_width():
    data = receipt_to_escpos(EXAMPLES["queue_ticket"], get_profile("80mm"))
    start = data.index(b"\x1dv0")
    width_bytes = data[start + 4] + 256 * data[start + 5]
    assert width_bytes * 8 == 576
    no_logo = Receipt("queue_ticket", "排队取号", logo=False)
    assert b"\x1dv0" not in receipt_to_escpos(no_logo, get_profile("80mm"))


def test_queue_number_in_the_largest_size():
    data = receipt_to_escpos(EXAMPLES["queue_ticket"], get_profile("80mm"))
    assert b"\x1d!\x22\x1bE\x01\x1ba\x01A018\n" in data  # GS ! 0x22 = 3 x 3


def test_no_full_id_number_on_any_receipt():
    for receipt in EXAMPLES.values():
        text = receipt.plain_text()
        assert "440183195203150026" not in text
        assert "陈桂英" not in text if receipt.kind == "queue_ticket" else True
    assert "4401**********0026" in EXAMPLES["certificate"].plain_text()


def test_masks_and_money():
    assert mask_id_number("440183195203150026") == "4401**********0026"
    assert mask_id_number("ABC123456789012") == "ABC1*******9012"
    assert mask_id_number("1234") == "****"
    assert yuan(18000) == "¥180.00" and yuan(5) == "¥0.05" and yuan(-120) == "-¥1.20"


def test_payment_method_and_line_are_validated():
    with pytest.raises(ValueError, match="wechat"):
        payment_receipt("x", "o", "n", "440183195203150026", 1, "cash", transaction_no="t", paid_at=WHEN)
    with pytest.raises(ValueError, match="size"):
        Line("x", size="giant")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="align"):
        Line("x", align="middle")  # type: ignore[arg-type]


def test_profiles_and_overrides():
    assert (get_profile("58mm").dots, get_profile("58mm").columns) == (384, 32)
    assert (get_profile("80mm").dots, get_profile("80mm").columns) == (576, 48)
    assert get_profile("80mm", native_qr=False).native_qr is False
    with pytest.raises(ValueError, match="unknown printer profile"):
        get_profile("76mm")
    with pytest.raises(ValueError, match="colour"):
        get_profile("80mm", colour=True)
    with pytest.raises(ValueError, match="must be bool"):
        get_profile("80mm", cutter="no")


def test_test_page_has_every_size_and_the_punctuation_line():
    page = printer_test_page(printed_at=WHEN)
    assert {line.size for line in page.lines} == {"normal", "tall", "wide", "large", "huge"}
    assert any(line.text == PUNCTUATION_LINE for line in page.lines)
    assert page.qr


cjk_text = st.text(alphabet=st.sampled_from("中文打印：，。¥ab 1-" + "䶮"), max_size=80)


@settings(max_examples=200, deadline=None)
@given(cjk_text, st.integers(min_value=2, max_value=48))
def test_wrap_keeps_every_character_within_the_width(text, width):
    pieces = wrap_columns(text, width)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")  # only spaces at a break vanish
    assert all(text_columns(p) <= width for p in pieces)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="中文：", min_size=0, max_size=30), st.from_regex(r"[A-Z0-9-]{1,20}", fullmatch=True),
       st.integers(min_value=20, max_value=48))
def test_wrap_never_splits_a_code_that_fits_on_a_line(prefix, code, width):
    assert any(code in piece for piece in wrap_columns(prefix + code, width))
