"""The pay journey over the fake desk: dues (for oneself, for a household member, a 户号 typed or
scanned with no identity), the generic confirm page, the payment QR with its polling and its
suspended inactivity clock, cancelling and the expiry, one order however often it is retried, and a
payment found again by order number + check code."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QThreadPool

from kiosk.devices.qr_scanner import ScannedCode
from kiosk.devices.speaker_guard import refusal
from kiosk.services import messages
from kiosk.services.backend_types import BackendError
from kiosk.ui import countdown, find
from kiosk.ui.inactivity import InactivityWatcher
from kiosk.ui.steps.confirm import summary_rows
from tests.ui.fake_desk import BY_ID, FAKE_ACCOUNTS, card_of

PENSION = BY_ID["resident-pension-payment"]
ELECTRICITY = BY_ID["electricity-bill-payment"]
MEDICAL = BY_ID["resident-medical-insurance-payment"]


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def type_keys(ui, field: str, text: str) -> None:
    tap(ui, field)
    for ch in text:
        tap(ui, ch)


@pytest.fixture
def pay_ui(ui, qapp):
    ui.runner.settings["payment_poll_s"] = 0.05
    watcher = InactivityWatcher(60, 20, ui.window)
    qapp.installEventFilter(watcher)
    ui.runner.screen_changed.connect(lambda name: watcher.arm(name not in ("home", "busy")))
    ui.window.watcher = watcher
    yield ui
    ui.runner.go_home("test over")  # late poll answers are dropped by the runner from here
    QThreadPool.globalInstance().waitForDone(10_000)
    qapp.processEvents()
    qapp.removeEventFilter(watcher)
    countdown.stop_all()


def to_dues(ui, qtbot, item=PENSION, persona="chen_guiying") -> None:
    ui.runner.start_item(item)
    screen(ui, qtbot, "guide")
    tap(ui, "开始办理")
    if item["auth_methods"]:
        screen(ui, qtbot, "identify")
        ui.devices.get("idcard").events.put(card_of(persona))
    screen(ui, qtbot, "dues")


def to_waiting(ui, qtbot) -> None:
    to_dues(ui, qtbot)
    tap(ui, "为本人缴费")
    find.wait_for_text(ui.window, "请选择要缴纳的费用")
    tap(ui, "180元/年")
    tap(ui, "下一步")
    screen(ui, qtbot, "confirm")
    tap(ui, "确认无误")
    screen(ui, qtbot, "payment")
    tap(ui, "微信支付")
    qtbot.waitUntil(lambda: ui.runner.steps["payment"].state == "waiting", timeout=10_000)


def test_a_pension_contribution_paid_for_oneself(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_dues(ui, qtbot)
    assert ui.runner.plan.kinds == ("guide", "identify", "dues", "confirm", "payment", "result", "rate")
    tap(ui, "为本人缴费")
    find.wait_for_text(ui.window, "被缴费人：陈**")
    tap(ui, "下一步")  # nothing chosen yet: the page says what to do
    find.wait_for_text(ui.window, "请先点选要缴纳的档次")
    tap(ui, "180元/年")
    tap(ui, "下一步")
    screen(ui, qtbot, "confirm")
    shown = dict(ui.runner.steps["confirm"].values())
    assert shown["身份证号码"] == "4402**********0028" and shown["缴费内容"] == "180元/年"
    assert ui.runner.steps["confirm"].total_value.text() == "¥180.00"  # large, in yuan
    tap(ui, "确认无误")
    screen(ui, qtbot, "payment")
    tap(ui, "微信支付")
    payment = ui.runner.steps["payment"]
    qtbot.waitUntil(lambda: payment.state == "waiting", timeout=10_000)
    assert payment.qr.payload.startswith("weixin://") and payment.qr.pixmap() is not None
    find.wait_for_text(ui.window, "查询码：482913")
    assert ui.window.watcher.suspended  # the inactivity clock waits for the phone
    assert ui.window.back_button.isVisible()  # nothing paid yet: the resident may still go back
    ui.desk.pay_newest()
    screen(ui, qtbot, "result")
    assert not ui.window.back_button.isVisible()  # paid: no way back
    assert not ui.window.watcher.suspended
    assert [r.kind for r in ui.desk.printed] == ["payment"]
    receipt = ui.desk.printed[0]
    text = receipt.plain_text()
    assert "¥180.00" in text and "4402**********0028" in text and "订单号 DD20261123000001" in text
    from kiosk.devices.printer_profiles import get_profile

    assert "￥180.00".encode("gb18030") in receipt.to_escpos(get_profile("80mm"))  # the printed sign: ￥
    assert len(ui.desk.called("create_order")) == 1
    tap(ui, "完成")
    screen(ui, qtbot, "rate")
    tap(ui, "跳过")
    screen(ui, qtbot, "home")
    assert not ui.session.results


def test_every_prompt_of_the_journey_may_be_spoken(pay_ui, qtbot) -> None:
    """The voice reads each screen's prompt; the speaker refuses amounts (speaker_guard), so a prompt
    that names one would leave a 长者模式 resident with silence on the confirm and QR pages."""
    ui = pay_ui
    said: dict[str, str] = {}
    ui.runner.screen_changed.connect(lambda name: said.setdefault(name, ui.window.screens[name].prompt()))
    to_waiting(ui, qtbot)
    said["payment waiting"] = ui.runner.steps["payment"].prompt()
    assert said["confirm"] == "请核对信息和应缴金额，确认无误后点「确认无误」。"
    tap(ui, "取消支付")
    qtbot.waitUntil(lambda: ui.runner.steps["payment"].state == "stopped", timeout=10_000)
    said["payment stopped"] = ui.runner.steps["payment"].prompt()
    assert {"dues", "confirm", "payment", "payment waiting", "payment stopped"} <= said.keys()
    assert {name: refusal(text) for name, text in said.items() if refusal(text)} == {}


def test_paying_for_a_household_member_by_their_id_number(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_dues(ui, qtbot, MEDICAL, "li_jianguo")
    tap(ui, "为家庭成员缴费")
    type_keys(ui, "被缴费人身份证号码", "4402041942030800")
    tap(ui, "确定")  # 16 characters: said at once, nothing sent
    find.wait_for_text(ui.window, "身份证号码应为 18 位")
    assert not ui.desk.called("payment_dues")[1:]
    type_keys(ui, "被缴费人身份证号码", "28")
    tap(ui, "确定")
    find.wait_for_text(ui.window, "2027年度应缴")
    assert ui.desk.called("payment_dues")[-1] == (MEDICAL["id"], "household", "440204194203080028", None)
    tap(ui, "下一步")  # the one due is chosen already
    screen(ui, qtbot, "confirm")
    assert dict(ui.runner.steps["confirm"].values())["身份证号码"] == "4402**********0028"


def test_an_electricity_bill_by_a_scanned_account_needs_no_identity(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_dues(ui, qtbot, ELECTRICITY)
    assert "identify" not in ui.runner.plan.kinds
    scanner = ui.devices.get("scanner")
    qtbot.waitUntil(lambda: scanner.enabled, timeout=10_000)  # only while the 户号 is asked
    scanner.events.put(ScannedCode("123", "utf-8"))  # not a 户号
    find.wait_for_text(ui.window, "应为 10 至 16 位数字")
    scanner.events.put(ScannedCode(FAKE_ACCOUNTS[0], "utf-8"))
    find.wait_for_text(ui.window, f"用电户号：{FAKE_ACCOUNTS[0]}")
    assert not scanner.enabled
    tap(ui, "下一步")
    screen(ui, qtbot, "confirm")
    assert dict(ui.runner.steps["confirm"].values())["用电户号"] == FAKE_ACCOUNTS[0]
    tap(ui, "确认无误")
    tap(ui, "支付宝")
    qtbot.waitUntil(lambda: ui.runner.steps["payment"].state == "waiting", timeout=10_000)
    ui.desk.pay_newest()
    screen(ui, qtbot, "result")
    text = ui.desk.printed[0].plain_text()
    assert f"用电户号：{FAKE_ACCOUNTS[0]}" in text and "证件号码" not in text and "户名：陈**" in text


def test_an_unknown_account_is_said_on_its_page(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_dues(ui, qtbot, ELECTRICITY)
    type_keys(ui, "用电户号", "03000099999")
    tap(ui, "确定")
    find.wait_for_text(ui.window, "（平台）account_not_found")
    assert ui.window.current == "dues"


def test_a_retry_after_a_lost_answer_finds_the_same_order(pay_ui, qtbot) -> None:
    ui = pay_ui
    ui.desk.fail_next("create_order", BackendError("timeout", "no answer within 10 s"))
    to_dues(ui, qtbot)
    tap(ui, "为本人缴费")
    tap(ui, "180元/年")
    tap(ui, "下一步")
    tap(ui, "确认无误")
    tap(ui, "微信支付")
    screen(ui, qtbot, "error")
    tap(ui, "重试")
    qtbot.waitUntil(lambda: ui.runner.steps["payment"].state == "waiting", timeout=10_000)
    keys = [key for _, _, key in ui.desk.called("create_order")]
    assert len(keys) == 2 and keys[0] == keys[1]  # the same Idempotency-Key: one order
    tap(ui, "上一步")  # back to the confirm page and on again: still the same order
    screen(ui, qtbot, "confirm")
    tap(ui, "确认无误")
    tap(ui, "微信支付")
    qtbot.waitUntil(lambda: ui.runner.steps["payment"].state == "waiting", timeout=10_000)
    assert len(ui.desk.orders) == 1 and len({k for _, _, k in ui.desk.called("create_order")}) == 1


def test_touches_while_waiting_for_the_phone_do_not_restart_the_clock(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_waiting(ui, qtbot)
    watcher = ui.window.watcher
    find.tap(ui.runner.steps["payment"].amount)  # a touch on the screen
    assert watcher.suspended and not watcher._idle.active
    countdown.advance_all(300)  # five minutes with the QR: no warning, no home
    assert ui.window.current == "payment" and not watcher.warning


def test_cancelling_says_what_happens_to_a_later_payment_and_prints_a_slip(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_waiting(ui, qtbot)
    tap(ui, "取消支付")
    payment = ui.runner.steps["payment"]
    qtbot.waitUntil(lambda: payment.state == "stopped", timeout=10_000)
    find.wait_for_text(ui.window, "款项不会丢失")
    until = datetime.fromisoformat("2026-11-23T10:15:00+08:00").astimezone().strftime("%H:%M")
    find.wait_for_text(ui.window, f"{until} 后自动失效")  # the expiry, on the kiosk's own clock
    assert not ui.window.watcher.suspended
    tap(ui, "打印订单凭条")
    qtbot.waitUntil(lambda: bool(ui.desk.printed), timeout=10_000)
    slip = ui.desk.printed[0]
    assert slip.kind == "payment_order" and "482913" in slip.plain_text() and "order_no=DD" in slip.qr


def test_the_expiry_stops_the_wait_and_the_clock_runs_again(pay_ui, qtbot) -> None:
    ui = pay_ui
    ui.desk.order_ttl_s = 120
    to_waiting(ui, qtbot)
    countdown.advance_all(121)
    payment = ui.runner.steps["payment"]
    qtbot.waitUntil(lambda: payment.state == "stopped", timeout=10_000)
    assert messages.text("pay.expired") in payment.stop_text.text()
    assert not ui.window.watcher.suspended and ui.window.watcher._idle.active


def test_a_payment_made_after_the_session_ended_is_found_again(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_waiting(ui, qtbot)
    order = dict(ui.runner.steps["payment"].order)
    tap(ui, "返回首页")  # the resident walks off; the phone pays later
    screen(ui, qtbot, "home")
    ui.desk.pay_newest()
    # anyone with the slip (or the phone's payment record): number + check code, no identity
    to_dues(ui, qtbot, ELECTRICITY)
    tap(ui, "补打缴费凭证")
    type_keys(ui, "订单号", order["order_no"])
    type_keys(ui, "查询码", "000000")
    tap(ui, "查询")
    find.wait_for_text(ui.window, "（平台）order_not_found")
    tap(ui, "查询码")
    tap(ui, "清空")
    type_keys(ui, "查询码", order["check_code"])
    tap(ui, "查询")
    qtbot.waitUntil(lambda: bool(ui.desk.printed), timeout=10_000)
    assert ui.desk.printed[-1].kind == "payment" and order["order_no"] in ui.desk.printed[-1].plain_text()
    find.wait_for_text(ui.window, f"订单 {order['order_no']} 的缴费凭证已打印")


def test_a_paid_due_is_not_paid_again_and_its_receipt_reprints(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_waiting(ui, qtbot)
    ui.desk.pay_newest()
    screen(ui, qtbot, "result")
    tap(ui, "完成")
    tap(ui, "跳过")
    screen(ui, qtbot, "home")
    to_dues(ui, qtbot)
    tap(ui, "为本人缴费")
    find.wait_for_text(ui.window, "（已缴）")
    assert not find.tap_targets(ui.window, "180元/年")  # disabled: nothing to pay twice
    assert not ui.runner.steps["dues"].next.isEnabled()
    find.wait_for_text(ui.window, messages.text("pay.already_paid"))
    tap(ui, "补打缴费凭证")
    qtbot.waitUntil(lambda: len(ui.desk.printed) == 2, timeout=10_000)
    assert ui.desk.printed[1].plain_text() == ui.desk.printed[0].plain_text()


def test_a_scanned_order_slip_reprints_without_typing(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_waiting(ui, qtbot)
    order = dict(ui.runner.steps["payment"].order)
    ui.desk.pay_newest()
    screen(ui, qtbot, "result")
    tap(ui, "返回首页")
    screen(ui, qtbot, "home")
    to_dues(ui, qtbot, ELECTRICITY)
    tap(ui, "补打缴费凭证")
    scanner = ui.devices.get("scanner")
    qtbot.waitUntil(lambda: scanner.enabled, timeout=10_000)
    scanner.events.put(ScannedCode("weixin://wxpay/bizpayurl?pr=X", "utf-8"))  # the wallet QR: not a slip
    find.wait_for_text(ui.window, "不是缴费订单的二维码")
    scanner.events.put(ScannedCode(order["lookup_qr"], "utf-8"))
    qtbot.waitUntil(lambda: len(ui.desk.printed) == 2, timeout=10_000)
    assert ui.desk.called("lookup_order")[-1] == order["order_no"]


def test_wipe_leaves_no_payment_on_screen(pay_ui, qtbot) -> None:
    ui = pay_ui
    to_waiting(ui, qtbot)
    tap(ui, "返回首页")
    screen(ui, qtbot, "home")
    payment, dues = ui.runner.steps["payment"], ui.runner.steps["dues"]
    assert payment.order is None and payment.qr.payload == "" and not payment.order_line.text()
    assert dues.answer is None and not dues.payee_line.text()
    assert not ui.window.watcher.suspended


def test_confirm_rows_follow_the_summary_convention() -> None:
    rows, total = summary_rows([
        {"summary": [["姓名", "陈桂英", "name"], ["身份证号码", "440183195203150026", "id_number"]]},
        "not a dict",
        {"summary": [["联系电话", "13912345678", "phone"], ["户号", "03000012345"]], "total": ["应缴金额", "¥1.00"]},
    ])
    assert rows == [("姓名", "陈*英"), ("身份证号码", "4401**********0026"), ("联系电话", "139****5678"),
                    ("户号", "03000012345")]
    assert total == ("应缴金额", "¥1.00")
