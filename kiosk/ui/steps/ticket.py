"""Step `ticket` (queue): take a number → the ticket with the number, the windows and how many wait.

The item's select fields (e.g. which business) are asked here as big option buttons, since a queue
flow has no form step; the platform checks them (`form`). The number is taken with an idempotency
key kept in the Session (a retry after a lost answer is the same number, not a second one), and the
ticket prints when the item lists the printer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.services.service_desk import new_key
from kiosk.ui.button_grid import ButtonGrid
from kiosk.ui.i18n import item_text, shown, tr
from kiosk.ui.layout_items import take_items
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import label, option_button


def choice_fields(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in item.get("form_fields", []) if f["type"] == "select"]


@register
class TicketScreen(StepScreen):
    name = "ticket"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall = self.centered("", "subtitle")
        self.choices = QWidget()
        self.choices_lay = QVBoxLayout(self.choices)
        self.choices_lay.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.choices)
        self.number = label("", "bigNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setAccessibleName(tr("排队号码"))
        self.body.addWidget(self.number)
        self.details = self.centered("", "body")
        self.note = self.centered("", "error")
        self.body.addStretch(1)
        self.take = self.add_button(tr("取号"), "primary")
        self.finish = self.add_button(tr("完成"), "primary")
        self.take.clicked.connect(self._take)
        self.finish.clicked.connect(self._finish)
        self.groups: list[tuple[dict[str, Any], QButtonGroup]] = []
        self.ticket: dict[str, Any] | None = None

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self.ticket = None
        block = ctx.item.get("queue") or {}
        self.title.setText(tr("{item}：取号").format(item=item_text(ctx.item, "name")))
        self.hall.setText(tr("取号地点：{hall}").format(hall=shown(ctx.item, block.get("hall", ""))))
        self._clear_choices()
        for spec in choice_fields(ctx.item):
            self.choices_lay.addWidget(label(tr("请选择{what}：").format(what=shown(ctx.item, spec["label"])), "question"))
            grid = ButtonGrid(2, 16)
            group = QButtonGroup(self)
            for i, option in enumerate(spec["options"]):
                b = option_button(shown(ctx.item, option))  # the value sent stays spec["options"][i]
                group.addButton(b, i)
                grid.add(b)
            group.idToggled.connect(lambda *_: self._note(""))
            self.choices_lay.addWidget(grid)
            self.groups.append((spec, group))
        self.choices.show()
        self.number.setText("")
        self.details.setText("")
        self.number.hide()  # empty labels still take their height: 长者模式 in landscape needs it for the choices
        self.details.hide()
        self._note("")
        self.take.show()
        self.finish.hide()

    def prompt(self) -> str:
        if self.ticket is not None:
            return tr("您的号码是{number}，请留意叫号。").format(number=self.ticket["ticket_no"])
        return tr("请选择要办理的业务，再点取号。") if self.groups else tr("请点取号。")

    def _take(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        form: dict[str, Any] = {}
        for spec, group in self.groups:
            chosen = group.checkedId()
            if chosen < 0:
                self._note(messages.text("form.choose", label=shown(ctx.item, spec["label"])))
                return
            form[spec["name"]] = spec["options"][chosen]
        key = ctx.results.setdefault("ticket_key", new_key())  # one number per visit, even on retry
        token = ctx.session.platform_token or ""
        ctx.run(lambda: ctx.services.take_ticket(token, ctx.item, form, key=key), self._taken,
                lambda exc: ctx.fail(exc, retry=self._take), busy=tr("正在取号，请稍候……"))

    def _taken(self, ticket: dict[str, Any]) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self.ticket = ticket
        ctx.runner.commit()  # a number is taken: no 上一步 to take another
        self.choices.hide()
        self.title.setText(tr("取号成功"))
        self.number.setText(ticket["ticket_no"])
        item = ctx.item  # the platform's words as sent; where it repeats the item's own text, as the item shows it
        lines = [tr("前面还有 {n} 人等候").format(n=ticket["waiting_ahead"])]
        if ticket.get("business"):
            lines.append(tr("办理业务：{business}").format(business=shown(item, ticket["business"])))
        lines += [tr("办理地点：{place}").format(place=shown(item, ticket["hall"])),
                  tr("办理窗口：{windows}").format(windows="、".join(shown(item, w) for w in ticket["windows"])),
                  ticket.get("message", "")]
        self.details.setText("\n".join(x for x in lines if x))
        self.number.show()
        self.details.show()
        self.take.hide()
        self.finish.show()
        if "printer" in ctx.item.get("hardware", []):
            receipt = ctx.services.ticket_receipt(ticket, ctx.item)
            ctx.results["last_receipt"] = receipt
            ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: None,
                    lambda exc: ctx.fail(exc, retry=lambda: self._taken(ticket)), busy=tr("取号成功，正在打印排队号……"))

    def _note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _finish(self) -> None:
        if self.ticket is not None and self.ctx is not None:
            self.done.emit({"printed": self.ctx.results.get("last_receipt") is not None,
                            "reference": self.ticket["ticket_no"]})

    def _clear_choices(self) -> None:
        self.groups = []
        for item in take_items(self.choices_lay):
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.ticket = None
        self.number.setText("")
        self.details.setText("")
