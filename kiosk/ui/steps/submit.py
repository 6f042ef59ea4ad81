"""Step `submit` (apply, bundle): send the application with its materials, exactly once, and show
the acceptance receipt.

The send goes through the outbox under an Idempotency-Key kept in the Session ("submit_key"): the
error screen's 重试 after a lost answer sends the same key, and the platform answers with the same
acceptance number. An offline_queue item whose platform is down is queued (encrypted, with the
kiosk's identity assertion) and the receipt says 已暂存，联网后自动提交 with its local reference; an
online item says it was not sent. The receipt shows the acceptance number (a bundle: one per member
item), the promised date, what is still pending, the 容缺 promises and the QR the progress flow
reads; it prints when the item lists the printer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.services.service_desk import new_key
from kiosk.ui.i18n import shown, tr
from kiosk.ui.qr import QrView
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import label


def outcome_lines(outcome: dict[str, Any], item: dict[str, Any] | None = None) -> list[str]:
    """What the screen says under the number (pure: tests read it too). The platform's words as sent;
    where they repeat the item's own text (a material's name), as the item shows it."""
    if outcome["state"] == "queued":
        return [tr("政务服务平台暂时连接不上，您的申请已加密暂存在本机。"),
                tr("恢复联网后会自动提交，无需再来办理。"),
                tr("可凭暂存编号和身份证号码后4位查询受理编号和进度。")]
    app = outcome["application"]
    lines = [tr("承诺办结日期：{date}前").format(date=app["promised_date"])]
    for m in app.get("members") or []:
        lines.append(tr("{item}：受理编号 {number}，{date}前办结").format(
            item=m["item_name"], number=m["acceptance_no"], date=m["promised_date"]))
    for d in app.get("missing_due") or []:
        lines.append(tr("容缺受理：{name}，请于{date}前到窗口补交").format(name=shown(item, d["name"]), date=d["due_date"]))
    if app.get("pending_materials"):
        lines.append(tr("待上传材料：{names}").format(names="、".join(shown(item, n) for n in app["pending_materials"])))
    return lines


@register
class SubmitScreen(StepScreen):
    name = "submit"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = label("", "bigNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setAccessibleName(tr("受理编号"))
        self.body.addWidget(self.number)
        row = QHBoxLayout()  # the details beside the QR: both fit above the buttons in either orientation
        row.setSpacing(32)
        self.details = label("", "body")
        row.addWidget(self.details, 1)
        self.qr = QrView(tr("扫码查询办理进度"), side_px=480, min_px=200)
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(row)
        self.body.addStretch(1)
        self.finish = self.add_button(tr("完成"), "primary")
        self.finish.clicked.connect(self._finish)
        self.outcome: dict[str, Any] | None = None

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self._clear()
        self.title.setText(tr("正在提交申请"))
        self._send()

    def _send(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        results = ctx.results
        form = dict(results.get("form") or {})
        provided = list(results.get("materials") or [])
        key = results.setdefault("submit_key", new_key())  # one application per visit, even on 重试
        token = ctx.session.platform_token
        identity = ctx.session.identity
        proxy = ctx.session.proxy
        ctx.run(lambda: ctx.services.submit_application(ctx.item, form, provided, token=token, identity=identity,
                                                        key=key, proxy=proxy),
                self._sent, self._refused, busy=tr("正在提交申请和材料，请稍候……"))

    def _refused(self, exc: Exception) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        if getattr(exc, "offline", False) or getattr(exc, "retryable", False):
            ctx.fail(exc, retry=self._send)  # the same key: a lost answer is not filed twice
            return
        ctx.results.pop("submit_key", None)  # refused for what it is: a corrected one is a new request
        if getattr(exc, "code", None) == "form_invalid" and ctx.runner.revisit("form", exc):
            return
        ctx.fail(exc)

    def _sent(self, outcome: dict[str, Any]) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self.outcome = outcome
        ctx.runner.commit()  # sent (or queued to be sent): no 上一步 to send it twice
        if outcome["state"] == "queued":
            self.title.setText(tr("已暂存，联网后自动提交"))
            self.number.setText(tr("暂存编号：{ref}").format(ref=outcome["local_ref"]))
            qr = ctx.services.progress_link(outcome["local_ref"], ctx.session.identity.id_number) \
                if ctx.session.identity else ""
        else:
            app = outcome["application"]
            self.title.setText(tr("提交成功，已受理"))
            self.number.setText(tr("受理编号：{number}").format(number=app["acceptance_no"]))
            qr = app.get("progress_qr") or ""
        self.details.setText("\n".join(outcome_lines(outcome, ctx.item)))
        if qr:
            self.qr.show_payload(qr)
        self.qr.setVisible(bool(qr))
        self.finish.show()
        if "printer" in ctx.item.get("hardware", []) and ctx.session.identity is not None:
            receipt = ctx.services.application_receipt(ctx.item, outcome, ctx.session.identity, ctx.session.proxy)
            ctx.results["last_receipt"] = receipt
            ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: None,
                    lambda exc: ctx.fail(exc, retry=lambda: self._sent(outcome)), busy=tr("正在打印受理凭证……"))

    def _finish(self) -> None:
        outcome, ctx = self.outcome, self.ctx
        if outcome is None or ctx is None:
            return
        reference = outcome["local_ref"] if outcome["state"] == "queued" else outcome["application"]["acceptance_no"]
        self.done.emit({"state": outcome["state"], "reference": reference,
                        "printed": ctx.results.get("last_receipt") is not None})

    def prompt(self) -> str:
        if self.outcome is None:
            return tr("正在提交，请稍候。")
        if self.outcome["state"] == "queued":
            return tr("您的申请已暂存，联网后自动提交。请取走暂存凭证。")
        return tr("提交成功，请取走受理凭证。")

    def _clear(self) -> None:
        self.outcome = None
        self.number.setText("")
        self.details.setText("")
        self.qr.clear_payload()
        self.qr.hide()
        self.finish.hide()

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._clear()
