"""Step `certify` (e.g. 养老待遇资格认证): identity and face are checked by the steps before; nothing is
typed here.

First the platform is asked for the holder's current certification (GET /certifications): one still
valid is shown first ("您已完成认证，有效期至 2027 年 12 月"), with 重新认证 only where the platform says
certifying again is possible now (the item's `recertify_while_valid`). Otherwise the certification is
made (POST /certifications) and its result and validity shown, with 打印认证凭证 (printed by itself
with the step's `print_on_success`, 长者模式). A resident the
platform finds not eligible gets its reason and the window to ask at. Nothing here is item-specific:
the words come from the platform and the catalogue.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.ui.i18n import item_text, shown, tr
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import card, label

SAID_HERE = ("not_eligible", "already_certified")  # refusals this screen explains itself


def month_text(iso_day: str) -> str:
    d = date.fromisoformat(iso_day[:10])
    return tr("{year} 年 {month} 月").format(year=d.year, month=d.month)


@register
class CertifyScreen(StepScreen):
    name = "certify"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addStretch(1)
        self.headline = self.centered("", "question")
        self.message = self.centered("", "subtitle")
        self.detail = self.centered("", "body")
        self.window_card = card()
        lay = QVBoxLayout(self.window_card)
        lay.setContentsMargins(40, 24, 40, 24)
        self.window_text = label("", "body")
        self.window_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.window_text)
        self.body.addWidget(self.window_card)
        self.body.addStretch(2)
        self.renew = self.add_button(tr("重新认证"))
        self.print = self.add_button(tr("打印认证凭证"))
        self.finish = self.add_button(tr("完成"), "primary")
        self.renew.clicked.connect(self._certify)
        self.print.clicked.connect(self._print)
        self.finish.clicked.connect(self._finish)
        self.status: dict[str, Any] | None = None
        self.result: dict[str, Any] | None = None
        self.refusal = ""
        self._show_state("none")

    # ---- the step ---------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self.status, self.result, self.refusal = None, None, ""
        self.title.setText(item_text(ctx.item, "name"))
        self._show_state("none")
        self._ask()

    def _ask(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        token, item = ctx.session.platform_token, ctx.item
        ctx.run(lambda: ctx.services.certification_status(token, item), self._on_status,
                lambda exc: ctx.fail(exc, retry=self._ask), busy=tr("正在查询您的认证情况，请稍候……"))

    def _on_status(self, status: dict[str, Any]) -> None:
        if self.ctx is None:
            return
        self.status = status
        if status.get("certified"):
            self._show_still_valid(status)
        else:
            self._certify()

    def _certify(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        token, item = ctx.session.platform_token, ctx.item
        ctx.run(lambda: ctx.services.certify(token, item), self._on_certified, self._refused,
                busy=tr("正在进行资格认证，请稍候……"))

    def _on_certified(self, result: dict[str, Any]) -> None:
        if self.ctx is None:
            return
        self.result = result
        self.headline.setText(tr("认证成功"))
        self.message.setText(result.get("message")
                             or tr("认证成功，有效期至 {until}。").format(until=month_text(result["valid_until"])))
        consequence = shown(self.ctx.item, (self.ctx.item.get("certify") or {}).get("consequence", ""))
        number = tr("认证编号：{number}").format(number=result["certification_no"])
        self.detail.setText(number + "\n" + tr("温馨提示：{text}。").format(text=consequence) if consequence
                            else number)
        self._show_state("certified")
        if self.ctx.params.get("print_on_success"):  # 长者模式: the proof without another decision
            self._print()

    def _refused(self, exc: Exception) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        code = getattr(exc, "code", None)
        if code not in SAID_HERE:
            ctx.fail(exc, retry=self._certify)
            return
        self.refusal = code
        self.message.setText(messages.for_error(exc))  # the platform's own reason
        if code == "already_certified":
            self.headline.setText(tr("认证仍在有效期内"))
            self.detail.setText("")
            self._show_state("valid")
            return
        self.headline.setText(tr("暂无需认证"))
        self.detail.setText("")
        body = ctx.item.get("implementing_body") or {}
        consult = (ctx.item.get("consult") or {}).get("phone", "")
        self.window_text.setText("\n".join(t for t in (
            tr("办理机构：{name}").format(name=shown(ctx.item, body.get("name", ""))),
            tr("地址：{address}").format(address=shown(ctx.item, body.get("address", ""))),
            tr("电话：{phone}").format(phone=body.get("phone", ""))
            + (tr("　咨询：{phone}").format(phone=consult) if consult else ""),
            tr("时间：{hours}").format(hours=shown(ctx.item, body["hours"])) if body.get("hours") else "") if t))
        self._show_state("not_eligible")

    def _show_still_valid(self, status: dict[str, Any]) -> None:
        self.headline.setText(tr("认证仍在有效期内"))
        self.message.setText(messages.text("certify.still_valid", until=month_text(status["valid_until"])))
        self.detail.setText(messages.text("certify.renew") if status.get("can_certify") else "")
        self._show_state("valid")
        self.renew.setVisible(bool(status.get("can_certify")))

    def _show_state(self, state: str) -> None:
        shown = state != "none"
        for w in (self.headline, self.message):
            w.setVisible(shown)
        self.detail.setVisible(shown and bool(self.detail.text()))
        self.window_card.setVisible(state == "not_eligible")
        self.renew.setVisible(False)
        self.print.setVisible(state == "certified")
        self.finish.setVisible(shown)

    # ---- the end of the step ------------------------------------------------------------------
    def _print(self) -> None:
        ctx, result = self.ctx, self.result
        if ctx is None or result is None or ctx.session.identity is None:
            return
        receipt = ctx.services.certification_receipt(ctx.item, result, ctx.session.identity)
        ctx.session.results["last_receipt"] = receipt  # 再打印一次 on the result step
        ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: self._finish(printed=True),
                lambda exc: ctx.fail(exc, retry=self._print), busy=tr("正在打印认证凭证，请稍候……"))

    def _finish(self, printed: bool = False) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        name = item_text(ctx.item, "name")
        if self.result is not None:
            self.done.emit({"certified": True, "printed": printed, "reference": self.result["certification_no"],
                            "valid_until": self.result["valid_until"],
                            "outcome": tr("「{name}」{message}").format(
                                name=name, message=self.result.get("message") or tr("认证成功。"))})
        elif self.refusal == "not_eligible":
            self.done.emit({"certified": False, "reason": "not_eligible",
                            "outcome": tr("「{name}」：暂无需认证。").format(name=name)})
        else:  # still valid, not certified again
            until = (self.status or {}).get("valid_until")
            self.done.emit({"certified": True, "already": True,
                            "reference": (self.status or {}).get("certification_no"),
                            "outcome": tr("「{name}」：您的认证仍在有效期内（至 {until}）。").format(
                                name=name, until=month_text(until)) if until
                            else tr("「{name}」：您的认证仍在有效期内。").format(name=name)})

    def prompt(self) -> str:
        # The headline only: the message carries the validity's year, and the voice says no numbers.
        head = self.headline.text()
        return tr("{headline}。").format(headline=head) if head else tr("正在进行资格认证，请稍候。")

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.status, self.result, self.refusal = None, None, ""
        for w in (self.headline, self.message, self.detail, self.window_text):
            w.setText("")
        self._show_state("none")
