"""The query step for every query item of the catalogue, against the fake desk (which answers from the
reference backend's own records and form-field effects): a list with a detail view, paging with big
buttons and no sideways scrolling, the platform's message for no rows, printing where printable (a
receipt, or A4 with its fallback), and the form's answers changing what is shown."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from kiosk.ui import find
from simulators.backend import records as rec
from simulators.backend.form_examples import QUERY_CASES
from simulators.personas import load_personas
from tests.ui.fake_desk import BY_ID, ITEMS, card_of
from tests.ui.journeys import enter_at, finish_to_home, screen, tap, texts

QUERY_ITEMS = [i for i in ITEMS if i["flow"] == "query"]


def example(item: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """A persona and form answers the platform has records for (the backend's form examples, else
    the first persona with records of the item's kind)."""
    if item["id"] in QUERY_CASES:
        persona, _, fields, _ = QUERY_CASES[item["id"]]
        if "account_no" in fields:
            who, utility = fields["account_no"].split(":")
            fields = {**fields, "account_no": rec.utility_account(load_personas()[who], utility)}
            return None, fields
        return persona, fields
    kind = item["query"]["record_kind"]
    persona = next((p.id for p in load_personas().values() if rec.records(kind, p, date.today(), 24)), "chen_guiying")
    return persona, {}


def test_there_are_27_query_items():
    assert len(QUERY_ITEMS) == 27


@pytest.mark.parametrize("item", QUERY_ITEMS, ids=[i["id"] for i in QUERY_ITEMS])
def test_every_query_item_shows_its_records(ui, qtbot, monkeypatch, item) -> None:
    persona, fields = example(item)
    enter_at(ui, monkeypatch, item, "query", persona, fields)
    screen(ui, qtbot, "query")
    query = ui.runner.steps["query"]
    qtbot.waitUntil(lambda: query.answer is not None, timeout=10_000)
    assert ui.desk.called("query_records")[-1] == (item["id"], fields)  # the form's answers went along
    answer = query.answer
    if not answer["rows"]:
        find.wait_for_text(ui.window, answer["message"])
        assert not query.print_slip.isVisible()
        tap(ui, "完成")
        finish_to_home(ui, qtbot)
        return
    find.wait_for_text(ui.window, f"共 {len(answer['rows'])} 条记录")
    tap(ui, "第 1 条记录")  # the detail view: every column of the newest record
    assert query.values() == list(zip(answer["columns"], answer["rows"][0], strict=True))
    tap(ui, "返回列表")
    assert query.print_slip.isVisible() == answer["printable"]
    if not answer["printable"]:
        tap(ui, "完成")
        finish_to_home(ui, qtbot)
        return
    tap(ui, "打印凭条")
    screen(ui, qtbot, "result")
    slip = ui.desk.printed[-1]
    assert slip.kind == "query_result" and answer["rows"][0][0] in slip.plain_text()
    find.wait_for_text(ui.window, "打印的凭条")
    finish_to_home(ui, qtbot)


def test_a_long_table_pages_with_big_buttons_and_never_scrolls_sideways(ui, qtbot, monkeypatch) -> None:
    item = BY_ID["social-insurance-payment-records"]
    enter_at(ui, monkeypatch, item, "query", "li_jianguo", {"insurance_type": "职工养老保险"})
    query = ui.runner.steps["query"]
    qtbot.waitUntil(lambda: query.answer is not None, timeout=10_000)
    rows = query.answer["rows"]
    assert len(rows) > 100
    pages = query.pages
    find.wait_for_text(ui.window, f"第 1 页，共 {pages} 页")
    assert not query.prev_page.isEnabled()
    tap(ui, "下一页")
    find.wait_for_text(ui.window, f"第 2 页，共 {pages} 页")
    shown = [e.text() for e in query._entries]
    assert shown[0].startswith(f"{query.page_rows + 1}. ") and rows[query.page_rows][0] in shown[0]
    for entry in query._entries:  # every entry fits the width: it wraps, nothing to scroll sideways
        assert entry.geometry().right() <= query.list_box.width()
        assert entry.caption.wordWrap()
    for b in (query.prev_page, query.next_page):
        assert b.height() >= 60  # big enough for a finger
    tap(ui, f"第 {query.page_rows + 2} 条记录")
    tap(ui, "下一条")
    assert query.values()[0][1] == rows[query.page_rows + 2][0]
    tap(ui, "返回列表")
    viewed_page = (query.page_rows + 2) // query.page_rows + 1  # the page of the record shown last
    find.wait_for_text(ui.window, f"第 {viewed_page} 页，共 {pages} 页")  # back where the resident was


def test_no_rows_says_the_platforms_message(ui, qtbot, monkeypatch) -> None:
    item = BY_ID["pension-payment-records"]
    enter_at(ui, monkeypatch, item, "query", "li_jianguo", {"year": 2020})  # not a pensioner
    query = ui.runner.steps["query"]
    qtbot.waitUntil(lambda: query.answer is not None, timeout=10_000)
    assert query.answer["rows"] == []
    find.wait_for_text(ui.window, "暂无相关记录")
    assert not query.print_slip.isVisible() and not query.print_a4.isVisible()
    tap(ui, "完成")
    screen(ui, qtbot, "result")
    find.wait_for_text(ui.window, "未查询到记录")


def test_the_year_asked_on_the_form_changes_the_answer(ui, qtbot) -> None:
    """A whole journey by taps: the ID card, the year typed on the keypad, the records of that year."""
    item = BY_ID["pension-payment-records"]
    query = ui.runner.steps["query"]
    for year in ("2020", "2024"):
        ui.runner.start_item(item)
        tap(ui, "开始办理")
        ui.devices.get("idcard").events.put(card_of("chen_guiying"))
        screen(ui, qtbot, "form")
        for ch in year:
            tap(ui, ch)
        tap(ui, "确定")
        screen(ui, qtbot, "query")
        qtbot.waitUntil(lambda: query.answer is not None, timeout=10_000)
        assert query.answer["rows"] and all(r[0].startswith(year) for r in query.answer["rows"])
        find.wait_for_text(ui.window, f"查询年份：{year}")
        tap(ui, "完成")
        finish_to_home(ui, qtbot)


def test_a4_where_there_is_an_a4_printer_and_the_receipt_when_it_fails(ui, qtbot, monkeypatch) -> None:
    item = BY_ID["pension-payment-records"]
    ui.desk.a4 = "ok"
    enter_at(ui, monkeypatch, item, "query", "chen_guiying", {"year": 2024})
    query = ui.runner.steps["query"]
    qtbot.waitUntil(lambda: query.answer is not None, timeout=10_000)
    tap(ui, "打印 A4 证明")
    screen(ui, qtbot, "result")
    assert ui.desk.called("issue_certificate")[-1] == (item["id"], {"year": 2024})  # the verifiable 查询结果
    assert len(ui.desk.printed_a4) == 1 and not ui.desk.printed
    find.wait_for_text(ui.window, "打印的证明")
    finish_to_home(ui, qtbot)

    ui.desk.a4 = "docprinter.media_empty"  # out of paper: the receipt instead, and the screen says so
    enter_at(ui, monkeypatch, item, "query", "chen_guiying", {"year": 2024})
    qtbot.waitUntil(lambda: query.answer is not None, timeout=10_000)
    tap(ui, "打印 A4 证明")
    screen(ui, qtbot, "result")
    assert [r.kind for r in ui.desk.printed] == ["certificate"]
    find.wait_for_text(ui.window, "已为您改为打印凭条")
    assert ui.runner.steps["result"].reprint.isVisible()  # the fallback slip can be printed again
    finish_to_home(ui, qtbot)


def test_the_list_leaves_nothing_behind(ui, qtbot, monkeypatch) -> None:
    item = BY_ID["pension-payment-records"]
    enter_at(ui, monkeypatch, item, "query", "chen_guiying", {"year": 2024})
    query = ui.runner.steps["query"]
    qtbot.waitUntil(lambda: query.answer is not None, timeout=10_000)
    tap(ui, "第 1 条记录")
    bank = query.answer["rows"][0][-1]
    assert bank in texts(ui)
    tap(ui, "返回首页")
    screen(ui, qtbot, "home")
    assert query.answer is None and not query._entries and query.values() == []
    assert bank not in "\n".join(find.widget_text(w) for w in query.findChildren(QWidget))
