"""The form step for every field type it can ask by tap or keypad: each answer reaches the platform as
the value the field spec wants, and a wrong answer says what to fix (kiosk/services/form_check.py)."""

from __future__ import annotations

import copy

import pytest

from kiosk.ui import find
from tests.ui.fake_desk import BY_ID, card_of

BASE = BY_ID["health-checkup-report-print"]  # a print item identified by ID card alone


def item_with(field: dict) -> dict:
    item = copy.deepcopy(BASE)
    item["id"] = f"test-{field['type']}"
    item["form_fields"] = [{"name": "answer", "label": "测试问题", "required": True, **field}]
    return item


def reach_form(ui, qtbot, item: dict) -> None:
    ui.runner.start_item(item)
    find.tap_text(ui.window, "开始办理")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    qtbot.waitUntil(lambda: ui.window.current == "form", timeout=10_000)


def type_keys(ui, text: str) -> None:
    for ch in text:
        find.tap_text(ui.window, ch)


def sent_fields(ui, qtbot) -> dict:
    qtbot.waitUntil(lambda: bool(ui.desk.called("issue_certificate")), timeout=10_000)
    return ui.desk.called("issue_certificate")[-1][1]


CASES = [
    ({"type": "select", "options": ["就业", "退休"]}, lambda ui: find.tap_text(ui.window, "退休"), "退休"),
    ({"type": "checkbox"}, lambda ui: find.tap_text(ui.window, "否"), False),
    ({"type": "number", "min": 1, "max": 150}, lambda ui: type_keys(ui, "120"), 120),
    ({"type": "money", "min": 1, "max": 5000}, lambda ui: type_keys(ui, "180.5"), 180.5),
    ({"type": "phone"}, lambda ui: type_keys(ui, "13827510261"), "13827510261"),
    ({"type": "id_number"}, lambda ui: type_keys(ui, "44020419420308002"[:17] + "8"), "440204194203080028"),
    ({"type": "date"}, lambda ui: (find.tap_text(ui.window, "上一年"), find.tap_text(ui.window, "3月"),
                                   find.tap_text(ui.window, "15日")), None),
]


@pytest.mark.parametrize(("spec", "answer", "expected"), CASES, ids=[c[0]["type"] for c in CASES])
def test_each_field_type_is_answered_and_sent(ui, qtbot, spec, answer, expected) -> None:
    reach_form(ui, qtbot, item_with(spec))
    answer(ui)
    find.tap_text(ui.window, "确定")
    qtbot.waitUntil(lambda: ui.window.current in ("document", "busy"), timeout=10_000)
    value = sent_fields(ui, qtbot)["answer"]
    if spec["type"] == "date":
        from datetime import date

        assert value == f"{date.today().year - 1:04d}-03-15"
    else:
        assert value == expected


def test_a_month_field_asks_year_and_month_only(ui, qtbot) -> None:
    reach_form(ui, qtbot, item_with({"type": "date", "label": "起始年月"}))
    assert not find.tap_targets(ui.window, "15日")
    find.tap_text(ui.window, "12月")
    find.tap_text(ui.window, "确定")
    from datetime import date

    assert sent_fields(ui, qtbot)["answer"] == f"{date.today().year:04d}-12"


WRONG = [
    ({"type": "phone"}, "1234", "手机号码应为 11 位数字"),
    ({"type": "id_number"}, "440204194203080027", "身份证号码应为 18 位"),  # wrong check digit
    ({"type": "number", "min": 1, "max": 150}, "200", "应在 1 至 150 之间"),
    ({"type": "money", "min": 1, "max": 5000}, "1.234", "最多两位小数"),
    ({"type": "select", "options": ["甲", "乙"]}, "", "点选一项"),
]


@pytest.mark.parametrize(("spec", "typed", "says"), WRONG, ids=[w[0]["type"] for w in WRONG])
def test_a_wrong_answer_says_what_to_fix_and_sends_nothing(ui, qtbot, spec, typed, says) -> None:
    reach_form(ui, qtbot, item_with(spec))
    type_keys(ui, typed)
    find.tap_text(ui.window, "确定")
    find.wait_for_text(ui.window, says)
    assert ui.window.current == "form" and not ui.desk.called("issue_certificate")


def test_keypad_edits_with_delete_and_clear(ui, qtbot) -> None:
    reach_form(ui, qtbot, item_with({"type": "phone"}))
    type_keys(ui, "139")
    find.tap_text(ui.window, "删除")
    find.tap_text(ui.window, "清空")
    type_keys(ui, "13827510261")
    find.tap_text(ui.window, "删除")
    type_keys(ui, "1")
    find.tap_text(ui.window, "确定")
    assert sent_fields(ui, qtbot)["answer"] == "13827510261"


def test_optional_fields_can_be_left_and_back_keeps_answers(ui, qtbot) -> None:
    item = item_with({"type": "number", "min": 1, "max": 9})
    item["form_fields"].append({"name": "note_phone", "label": "备用电话", "type": "phone", "required": False})
    reach_form(ui, qtbot, item)
    type_keys(ui, "7")
    find.tap_text(ui.window, "下一项")
    find.wait_for_text(ui.window, "选填")
    find.tap_text(ui.window, "上一项")
    assert ui.runner.steps["form"].pages[0].edit.text() == "7"  # kept
    find.tap_text(ui.window, "下一项")
    find.tap_text(ui.window, "确定")  # the optional phone left empty
    assert sent_fields(ui, qtbot) == {"answer": 7}
