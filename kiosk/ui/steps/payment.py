"""Step `payment`: the method (the item's payment_methods), the payment QR, waiting for the phone,
then the receipt.

- The order is created with an idempotency key kept in the Session per (due, method): a retry after
  a lost answer, the error screen's 重试, or coming back to the same method finds the same order.
- While the QR shows, the order is polled off the GUI thread (GET /payments/lookup, by number and
  check code, so an expired platform session does not matter). A failed poll says the network is
  unsteady and keeps polling; nothing is lost.
- The inactivity countdown is suspended while the kiosk waits for the phone, up to the order's
  expiry (kiosk/ui/countdown.py, so `idle:` in a scenario skips it).
- 取消支付, or the expiry, stops the wait and says what happens to a payment made later (it is not
  lost: the order number and check code find it again under 补打缴费凭证), with an order slip to take.
- Paid: no way back (the runner commits), the 缴费凭证 prints, the step is done.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QStackedLayout, QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.services.receipts import PAYMENT_METHODS, yuan
from kiosk.services.service_desk import new_key
from kiosk.ui.countdown import Countdown
from kiosk.ui.i18n import item_text, tr
from kiosk.ui.qr import QrView
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import button, label

POLL_S = 2.0  # how often the order is asked while the QR shows (runner setting payment_poll_s)


@register
class PaymentScreen(StepScreen):
    name = "payment"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.amount = label("", "amount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.amount.setAccessibleName(tr("应付金额"))
        self.body.addWidget(self.amount)
        self.pages = QStackedLayout()
        self.body.addLayout(self.pages, 1)

        # choose a method
        self.method_page = QWidget()
        methods = QVBoxLayout(self.method_page)
        methods.addStretch(1)
        methods.addWidget(label(tr("请选择支付方式，然后用手机扫描屏幕上的二维码付款。"), "subtitle"))
        self.method_note = label("", "error")
        methods.addWidget(self.method_note)
        self.method_row = QHBoxLayout()
        self.method_row.setSpacing(32)
        methods.addLayout(self.method_row)
        methods.addStretch(2)
        self.method_buttons: dict[str, Any] = {}
        for method, text in PAYMENT_METHODS.items():
            b = button(tr(text), "primary")  # listed for translation in kiosk/ui/i18n_sources.py
            b.setMinimumHeight(160)
            b.clicked.connect(lambda _=False, m=method: self._create(m))
            self.method_row.addWidget(b)
            self.method_buttons[method] = b
        self.pages.addWidget(self.method_page)

        # the QR, waiting for the phone
        self.wait_page = QWidget()
        self.pair = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.wait_page)
        self.pair.setSpacing(48)
        self.qr = QrView(tr("支付二维码"), side_px=480, min_px=200)
        self.pair.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignCenter)
        side = QVBoxLayout()
        side.setSpacing(16)  # not the pair's 48 px: the order lines fit beside the QR on a landscape screen
        side.addStretch(1)
        self.scan_hint = label("", "subtitle")
        self.order_line = label("", "body")
        self.countdown_text = label("", "body")
        self.wait_status = label("", "error")
        self.wait_status.hide()  # until there is something to say (_say_status)
        for w in (self.scan_hint, self.order_line, self.countdown_text, self.wait_status):
            side.addWidget(w)
        side.addStretch(1)
        self.pair.addLayout(side, 1)
        self.pages.addWidget(self.wait_page)

        # stopped: cancelled, expired, already paid
        self.stop_page = QWidget()
        stopped = QVBoxLayout(self.stop_page)
        stopped.addStretch(1)
        self.stop_text = label("", "subtitle")
        self._cancelled_text = ""
        self.stop_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stop_order = label("", "fieldValue")
        self.stop_order.setAlignment(Qt.AlignmentFlag.AlignCenter)
        stopped.addWidget(self.stop_text)
        stopped.addWidget(self.stop_order)
        stopped.addStretch(2)
        self.pages.addWidget(self.stop_page)

        self.other_method = self.add_button(tr("换一种支付方式"))
        self.cancel = self.add_button(tr("取消支付"))
        self.slip = self.add_button(tr("打印订单凭条"), "primary")
        self.other_method.clicked.connect(self._other_method)
        self.cancel.clicked.connect(lambda: self._stop("pay.cancelled"))
        self.slip.clicked.connect(self._print_slip)

        self.poll_timer = QTimer(self)
        self.poll_timer.timeout.connect(self._poll)
        self.expiry = Countdown(self)
        self.expiry.tick.connect(self._tick)
        self.expiry.finished.connect(lambda: self._stop("pay.expired"))
        self.order: dict[str, Any] | None = None
        self.offered: list[str] = []
        self.state = ""
        self._polling = False
        self._suspended = False

    # ---- the step ---------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        dues = ctx.results.get("dues") or {}
        self.title.setText(tr("{item}：扫码支付").format(item=item_text(ctx.item, "name")))
        self.amount.setText(yuan(int(dues.get("amount_fen", 0))))
        offered = self.offered = [m for m in ctx.item.get("payment_methods", []) if m in PAYMENT_METHODS]
        for method, b in self.method_buttons.items():
            b.setVisible(method in offered)
        self.order = None
        self.method_note.setText("")
        if len(offered) == 1:
            self._create(offered[0])
        else:
            self._set_state("method")

    def _set_state(self, state: str) -> None:
        self.state = state
        self.pages.setCurrentWidget({"method": self.method_page, "waiting": self.wait_page,
                                     "stopped": self.stop_page}.get(state, self.method_page))
        self.other_method.setVisible(state == "waiting" and len(self.offered) > 1)
        self.cancel.setVisible(state == "waiting")
        self.slip.setVisible(state == "stopped" and self.order is not None)

    def leave(self) -> None:
        self._stop_waiting()

    def prompt(self) -> str:
        if self.state == "waiting":
            return tr("请用手机扫描屏幕上的二维码，支付屏幕上显示的金额。")  # an amount is never said
        if self.state == "stopped":
            if self.stop_text.text() == self._cancelled_text:  # it names the expiry time: never said aloud
                return tr("已停止等待支付。如您已在手机上付款，款项不会丢失，请按屏幕上的说明补打缴费凭证；未付款的订单到时会自动失效，不会扣款。")
            return self.stop_text.text()
        return tr("请选择支付方式。")

    # ---- the order --------------------------------------------------------------------------
    def _create(self, method: str) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        dues = dict(ctx.results.get("dues") or {})
        keys = ctx.results.setdefault("payment_keys", {})  # in the Session: wiped with it
        key = keys.setdefault(f"{dues.get('due_id')}/{dues.get('payee_id_number') or dues.get('account') or ''}"
                              f"/{method}", new_key())
        token = ctx.session.platform_token
        ctx.run(lambda: ctx.services.create_order(token, ctx.item, dues, method, key=key), self._show_order,
                lambda exc: self._refused(exc, method), busy=tr("正在生成支付二维码，请稍候……"))

    def _refused(self, exc: Exception, method: str) -> None:
        if self.ctx is None:
            return
        if getattr(exc, "code", None) == "already_paid":
            self.order = None
            self.stop_text.setText(messages.text("pay.already_paid"))
            self.stop_order.setText("")
            self._set_state("stopped")
            return
        self.ctx.fail(exc, retry=lambda: self._create(method))

    def _show_order(self, order: dict[str, Any]) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self.order = order
        ctx.results["order"] = order  # in the Session (for the result and rating steps)
        self.amount.setText(yuan(order["amount_fen"]))
        self.qr.show_payload(order["qr_payload"])
        self.scan_hint.setText(tr("请打开手机「{method}」，扫描屏幕上的二维码付款。").format(
            method=tr(PAYMENT_METHODS[order["method"]])))
        self.order_line.setText("\n".join((tr("订单号：{number}").format(number=order["order_no"]),
                                           tr("查询码：{code}").format(code=order["check_code"]),
                                           tr("（付款后如未出凭证，可凭订单号和查询码补打）"))))
        self._say_status("")
        self._set_state("waiting")
        seconds = int(order.get("expires_in_s") or 0)
        if order["status"] != "pending" or seconds <= 0:
            self._polled(order)
            return
        self.expiry.start(seconds)
        self._tick(seconds)
        self._suspend(True)
        self.poll_timer.start(int(float(ctx.runner.settings.get("payment_poll_s", POLL_S)) * 1000))

    def _tick(self, left: int) -> None:
        self.countdown_text.setText(tr("请在 {minutes} 分 {seconds} 秒内完成支付").format(
            minutes=left // 60, seconds=f"{left % 60:02d}"))

    def _poll(self) -> None:
        ctx, order = self.ctx, self.order
        if ctx is None or order is None or self._polling:
            return
        self._polling = True
        number, check_code = order["order_no"], order["check_code"]
        ctx.run(lambda: ctx.services.lookup_order(number, check_code), self._polled, self._poll_failed)

    def _say_status(self, text: str) -> None:
        """The line under the countdown; hidden while empty, so it takes no height from the order
        lines beside the QR (长者模式 landscape has none to spare). While it speaks, the scan hint
        gives it its place: the QR is already in the resident's hands, what matters is not to pay twice."""
        self.wait_status.setText(text)
        self.wait_status.setVisible(bool(text))
        self.scan_hint.setVisible(not text)

    def _poll_failed(self, exc: Exception) -> None:
        self._polling = False
        if self.state == "waiting":
            self._say_status(messages.text("pay.waiting_offline"))

    def _polled(self, order: dict[str, Any]) -> None:
        self._polling = False
        if self.ctx is None:
            return
        status = order["status"]
        if status == "paid":
            self._paid(order)
        elif status == "closed":
            self._stop_waiting()
            self.order = None
            self._set_state("method")
            self.method_note.setText(messages.text("pay.order_closed"))
        elif status == "expired":
            self._stop("pay.expired")
        elif self.state == "waiting":
            self._say_status("")

    def _paid(self, order: dict[str, Any]) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self._stop_waiting()
        self.order = order
        ctx.runner.commit()  # the money has moved: no 上一步 from here
        identity = ctx.session.identity
        receipt = ctx.services.payment_receipt(order, identity.proxy if identity is not None else None)
        ctx.results["last_receipt"] = receipt  # 再打印一次 on the result screen

        def printed(_: Any) -> None:
            self.done.emit({"paid": True, "printed": True, "reference": order["order_no"]})

        ctx.run(lambda: ctx.services.print_receipt(receipt), printed,
                lambda exc: ctx.fail(exc, retry=lambda: self._paid(order)), busy=tr("支付成功，正在打印缴费凭证……"))

    # ---- stopping ---------------------------------------------------------------------------
    def _other_method(self) -> None:
        self._stop_waiting()
        self._set_state("method")

    def _stop(self, code: str) -> None:
        """Stop waiting (取消支付 or the expiry); say what happens to a later payment, ask once more."""
        order, ctx = self.order, self.ctx
        self._stop_waiting()
        if order is None or ctx is None:
            return
        until = datetime.fromisoformat(order["expires_at"]).astimezone().strftime("%H:%M")  # the kiosk's clock
        self.stop_text.setText(messages.text(code, until=until))
        self._cancelled_text = self.stop_text.text() if code == "pay.cancelled" else ""
        self.stop_order.setText(tr("订单号：{number}").format(number=order["order_no"]) + "　"
                                + tr("查询码：{code}").format(code=order["check_code"]))
        self._set_state("stopped")
        number, check_code = order["order_no"], order["check_code"]
        # the phone may have paid a moment ago: one last look (a paid order still gets its receipt)
        ctx.run(lambda: ctx.services.lookup_order(number, check_code),
                lambda o: self._paid(o) if o["status"] == "paid" else None, lambda exc: None)

    def _stop_waiting(self) -> None:
        self.poll_timer.stop()
        self.expiry.stop()
        self._polling = False
        self._suspend(False)

    def _suspend(self, on: bool) -> None:
        """Hold (or release) the inactivity countdown while the phone pays."""
        if on == self._suspended:
            return
        self._suspended = on
        watcher = getattr(self.ctx.runner.window, "watcher", None) if self.ctx else None
        if watcher is not None:
            watcher.suspend(on)

    def _print_slip(self) -> None:
        ctx, order = self.ctx, self.order
        if ctx is None or order is None:
            return
        slip = ctx.services.order_slip(order, ctx.item)
        ctx.run(lambda: ctx.services.print_receipt(slip), lambda _: self.slip.setText(tr("再打印一次订单凭条")),
                lambda exc: ctx.fail(exc, retry=self._print_slip), busy=tr("正在打印订单凭条，请稍候……"))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        wide = self.width() > self.height() * 1.2
        self.pair.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def clear_personal_data(self) -> None:
        self._stop_waiting()
        super().clear_personal_data()
        self.order = None
        self.qr.clear_payload()
        for w in (self.amount, self.order_line, self.stop_text, self.stop_order, self.scan_hint):
            w.setText("")
        self._say_status("")
        self.slip.setText(tr("打印订单凭条"))
        self.state = ""
