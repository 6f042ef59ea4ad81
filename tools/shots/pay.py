"""Pay, appointment, queue and progress: every screen of the dues, confirm, payment, slots, ticket and
progress steps, and the slips they print (payment receipt, 户号 receipt, order slip, booking, queue)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kiosk.ui import find
from tools.shots.kit import Kit

PENSION = "城乡居民养老保险缴费"
ELECTRICITY = "电费缴纳"
BOOKING = "社保业务窗口预约"
QUEUE = "不动产登记大厅取号"
PROGRESS = "人社业务办理进度查询"
SEEDED_RECEIPT_QR = "https://127.0.0.1/progress?acceptance_no=YS20261028109004&id_last4=0040"  # 蓝燕's


def _receipt(kit: Kit, name: str) -> None:
    receipts = kit.hub("GET", "/receipts")["receipts"]
    png = receipts[-1].get("png") if receipts else None
    if png and Path(png).exists():
        shutil.copy(png, kit.out / f"receipt-{kit.theme}-{name}.png")


def _start(kit: Kit, name: str, persona: str | None) -> None:
    kit.card(None)
    kit.start(name)
    kit.screen("guide")
    kit.tap("开始办理")
    if persona:
        kit.screen("identify")
        kit.card(persona)


def _printed(kit: Kit, before: int) -> None:
    kit.until(lambda: len(kit.hub("GET", "/receipts")["receipts"]) > before, "a printed slip")


def _count(kit: Kit) -> int:
    return len(kit.hub("GET", "/receipts")["receipts"])


def shots(kit: Kit) -> None:
    kit.hub("POST", "/backend/reset")  # nothing paid or booked yet, in every theme and orientation
    persona = kit.persona()

    # pay: for whom, a household member's ID number, the tiers, confirm, method, QR, paid
    _start(kit, PENSION, persona)
    kit.screen("dues")
    kit.shot("pay-01-dues-payer")
    kit.tap("为家庭成员缴费")
    kit.tap("确定")  # nothing typed: the page says what to do
    kit.shot("pay-02-dues-payee-keypad")
    kit.tap("返回上一页")
    kit.tap("为本人缴费")
    kit.until(lambda: find.has_text(kit.window, "请选择要缴纳的费用"), "the tiers")
    kit.tap("180元/年")
    kit.shot("pay-03-dues-tiers")
    kit.tap("下一步")
    kit.screen("confirm")
    kit.shot("pay-04-confirm")
    kit.tap("确认无误")
    kit.screen("payment")
    kit.shot("pay-05-payment-method")
    kit.tap("微信支付")
    payment = kit.runner.steps["payment"]
    kit.until(lambda: payment.state == "waiting", "the payment QR")
    kit.shot("pay-06-payment-qr")
    before = _count(kit)
    kit.hub("POST", "/backend/payments/paid", {"newest_pending": True})
    kit.screen("result")
    _printed(kit, before)
    _receipt(kit, "payment")
    kit.shot("pay-07-paid-result")
    kit.home()

    # a paid due shows as paid; 补打缴费凭证
    _start(kit, PENSION, persona)
    kit.screen("dues")
    kit.tap("为本人缴费")
    kit.until(lambda: find.has_text(kit.window, "（已缴）"), "the paid tier")
    kit.shot("pay-08-dues-already-paid")
    kit.home()

    # 电费: the 户号 page (typed or scanned), the bill, cancelling, the order slip, the lookup page
    _start(kit, ELECTRICITY, None)
    kit.screen("dues")
    kit.shot("pay-09-dues-account")
    account = kit.hub("GET", "/backend/accounts")[persona]["electricity"]
    kit.hub("POST", "/scanner/scan", {"code": account})
    kit.until(lambda: find.has_text(kit.window, "户名："), "the bill")
    kit.shot("pay-10-dues-bill")
    kit.tap("下一步")
    kit.tap("确认无误")
    kit.tap("支付宝")
    kit.until(lambda: payment.state == "waiting", "the payment QR")
    kit.tap("取消支付")
    kit.until(lambda: payment.state == "stopped", "the stopped wait")
    kit.shot("pay-11-payment-cancelled")
    before = _count(kit)
    kit.tap("打印订单凭条")
    _printed(kit, before)
    _receipt(kit, "payment-order-slip")
    kit.home()
    kit.hub("POST", "/backend/payments/paid", {"newest_pending": True})
    _start(kit, ELECTRICITY, None)
    kit.screen("dues")
    kit.tap("补打缴费凭证")
    kit.shot("pay-12-dues-lookup")
    kit.hub("POST", "/scanner/scan", {"code": payment_order_qr(kit)})
    kit.until(lambda: find.has_text(kit.window, "的缴费凭证已打印"), "the reprinted receipt")
    _receipt(kit, "payment-account")
    kit.shot("pay-13-dues-reprinted")
    kit.home()

    # appointment: the days and times (full ones disabled), the ticket, already_booked
    _start(kit, BOOKING, persona)
    _booking_form(kit)
    kit.screen("slots")
    kit.shot("book-01-slots")
    kit.tap("09:00")
    before = _count(kit)
    kit.tap("确认预约")
    kit.until(lambda: find.has_text(kit.window, "预约成功"), "the booking")
    _printed(kit, before)
    _receipt(kit, "booking")
    kit.shot("book-02-booked")
    kit.home()
    _start(kit, BOOKING, persona)
    _booking_form(kit)
    kit.screen("slots")
    kit.tap("09:30")
    kit.tap("确认预约")
    kit.until(lambda: find.has_text(kit.window, "您已经预约过"), "already_booked")
    kit.shot("book-03-already-booked")
    kit.home()

    # queue: the business, the number
    _start(kit, QUEUE, persona)
    kit.screen("ticket")
    kit.shot("queue-01-business")
    kit.tap("缴费")
    before = _count(kit)
    kit.tap("取号")
    kit.until(lambda: find.has_text(kit.window, "取号成功"), "the ticket")
    _printed(kit, before)
    _receipt(kit, "queue-ticket")
    kit.shot("queue-02-ticket")
    kit.home()

    # progress: one's own (none for this persona), by number, the detail
    _start(kit, PROGRESS, persona)
    kit.screen("progress")
    kit.until(lambda: find.has_text(kit.window, "没有查到您本人的办件记录"), "the empty list")
    kit.shot("progress-01-mine")
    kit.tap("按受理编号查询")
    kit.shot("progress-02-by-number")
    kit.hub("POST", "/scanner/scan", {"code": SEEDED_RECEIPT_QR})
    kit.until(lambda: find.has_text(kit.window, "审核（进行中）"), "the progress")
    kit.shot("progress-03-detail")
    kit.card(None)
    kit.home()


def _booking_form(kit: Kit) -> None:
    """The registered phone comes pre-filled and is checked first (the check page), then the service."""
    kit.screen("form")
    kit.tap("信息无误，下一项")
    kit.tap("养老保险")
    kit.tap("确定")


def payment_order_qr(kit: Kit) -> str:
    """The newest order's slip QR, as the printed slip carries it (read back from the printer)."""
    text = kit.hub("GET", "/receipts")["receipts"][-1]["text"]
    order_no = next(w for w in text.split() if w.startswith("DD"))
    check = text.split("查询码")[1].split()[0]
    return f"https://127.0.0.1/pay/lookup?order_no={order_no}&check={check}"

