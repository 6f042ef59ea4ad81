"""The document step for every print item of the catalogue, against the fake desk: the certificate is
shown for checking — lines with the ID number masked, its table, the verification code and its QR —
then printed: 打印证明 with only the receipt printer; 打印 A4 证明 beside 打印凭条 where an A4 printer
is configured, and the receipt with a clear message when the A4 printer fails."""

from __future__ import annotations

import pytest

from kiosk.ui import find
from simulators.backend.form_examples import PRINT_CASES
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID, ITEMS
from tests.ui.journeys import enter_at, finish_to_home, screen, tap

PRINT_ITEMS = [i for i in ITEMS if i["flow"] == "print"]


def reach(ui, qtbot, monkeypatch, item_id: str):
    persona, _, fields, _ = PRINT_CASES[item_id]
    enter_at(ui, monkeypatch, BY_ID[item_id], "document", persona, fields)
    document = ui.runner.steps["document"]
    qtbot.waitUntil(lambda: document.print.isEnabled(), timeout=10_000)
    return document, get_persona(persona), fields


def test_there_are_8_print_items():
    assert len(PRINT_ITEMS) == 8


@pytest.mark.parametrize("item", PRINT_ITEMS, ids=[i["id"] for i in PRINT_ITEMS])
def test_every_print_item_is_checked_on_screen_then_printed(ui, qtbot, monkeypatch, item) -> None:
    document, persona, fields = reach(ui, qtbot, monkeypatch, item["id"])
    assert ui.desk.called("issue_certificate")[-1] == (item["id"], fields)
    shown = dict(document.values())
    assert shown["姓名"] == persona.name
    masked = shown["公民身份号码"]
    assert persona.id_number not in masked and masked.endswith(persona.id_number[-4:])
    certificate = ui.session.results["certificate"]
    find.wait_for_text(ui.window, f"核验码：{certificate['verification_code']}")
    assert not document.qr.pixmap().isNull()  # the QR the paper will carry
    assert not document.print_a4.isVisible()  # no A4 printer configured
    tap(ui, "打印证明")
    screen(ui, qtbot, "result")
    slip = ui.desk.printed[-1]
    assert slip.kind == "certificate" and slip.qr == certificate["qr"]
    assert certificate["verification_code"] in slip.plain_text()
    find.wait_for_text(ui.window, "打印的凭条")
    finish_to_home(ui, qtbot)
    assert ui.desk.ratings == []  # skipped


def test_a4_beside_the_receipt_where_both_printers_exist(ui, qtbot, monkeypatch) -> None:
    ui.desk.a4 = "ok"
    document, _, _ = reach(ui, qtbot, monkeypatch, "social-insurance-certificate-print")
    assert document.print_a4.isVisible() and document.print.text() == "打印凭条"
    find.wait_for_text(ui.window, "打印 A4 证明")
    tap(ui, "打印 A4 证明")
    screen(ui, qtbot, "result")
    assert ui.desk.printed_a4 and not ui.desk.printed
    find.wait_for_text(ui.window, "请取走您的身份证和打印的证明")
    assert not ui.runner.steps["result"].reprint.isVisible()  # 再打印一次 is for slips
    finish_to_home(ui, qtbot)


def test_a_broken_a4_printer_falls_back_to_the_receipt_and_says_so(ui, qtbot, monkeypatch) -> None:
    ui.desk.a4 = "docprinter.offline"
    reach(ui, qtbot, monkeypatch, "household-registration-certificate")
    tap(ui, "打印 A4 证明")
    screen(ui, qtbot, "result")
    assert not ui.desk.printed_a4 and [r.kind for r in ui.desk.printed] == ["certificate"]
    find.wait_for_text(ui.window, "A4 打印机暂时无法打印，已为您改为打印凭条")
    find.wait_for_text(ui.window, "打印的凭条")
    tap(ui, "再打印一次")  # the fallback slip, once more, in full
    qtbot.waitUntil(lambda: len(ui.desk.printed) == 2, timeout=10_000)
    assert ui.desk.printed[0] is ui.desk.printed[1]
    finish_to_home(ui, qtbot)


def test_the_receipt_only_button_keeps_its_name(ui, qtbot, monkeypatch) -> None:
    document, _, _ = reach(ui, qtbot, monkeypatch, "medical-insurance-certificate-print")
    assert document.print.text() == "打印证明" and not document.print_a4.isVisible()
    assert find.tap_targets(ui.window, "打印证明")
