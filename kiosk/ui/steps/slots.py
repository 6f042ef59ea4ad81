"""Step `slots` (appointment): a day, then a time slot with its remaining places → the booking → a
ticket with the date, time, hall and what to bring (printed when the item lists the printer).

Full slots (and days with nothing left) are shown but disabled, with 已约满 in words, not only in
colour. The platform may still refuse: `slot_full` (someone took the last place meanwhile) and
`already_booked` (this resident holds that day already) each get a clear page of their own with the
way on. The booking is sent with an idempotency key kept per slot in the Session, so a retry after
a lost answer is the same booking. The item's form answers (from the form step) go with it; the one
naming a service of the item's `appointment.services` is the booked service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QStackedLayout, QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.services.service_desk import new_key
from kiosk.ui.button_grid import ButtonGrid
from kiosk.ui.i18n import item_text, shown, tr
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import button, label, touch_scroll

REFUSALS = {"slot_full": "appointment.slot_full", "already_booked": "appointment.already_booked"}


def day_name(iso: str) -> str:
    d = date.fromisoformat(iso)
    return tr("{month}月{day}日").format(month=d.month, day=d.day)


def weekday_name(iso: str) -> str:
    return (tr("周一"), tr("周二"), tr("周三"), tr("周四"), tr("周五"), tr("周六"),
            tr("周日"))[date.fromisoformat(iso).weekday()]


def day_caption(iso: str) -> str:
    return f"{day_name(iso)} {weekday_name(iso)}"


def booked_service(item: dict[str, Any], form: dict[str, Any]) -> str | None:
    services = list((item.get("appointment") or {}).get("services", []))
    chosen = next((v for v in form.values() if isinstance(v, str) and v in services), None)
    return chosen or (services[0] if len(services) == 1 else None)


def _page() -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(16)
    return w, lay


@register
class SlotsScreen(StepScreen):
    name = "slots"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.place = self.centered("", "subtitle")
        self.pages = QStackedLayout()
        self.body.addLayout(self.pages, 1)
        # choose: the days on top (the first with a free place preselected), that day's times below
        self.choose_page, lay = _page()
        self.days_grid = ButtonGrid(6, 12)
        self.days_scroll = touch_scroll(self.days_grid)
        lay.addWidget(self.days_scroll, 2)
        self.day_title = label("", "question")
        self.day_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.day_title)
        self.times_grid = ButtonGrid(4, 14)
        lay.addWidget(touch_scroll(self.times_grid), 3)
        self.times_note = label("", "error")
        self.times_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.times_note)
        self.pages.addWidget(self.choose_page)
        # refused (slot_full, already_booked, nothing free)
        self.refused_page, lay = _page()
        lay.addStretch(1)
        self.refused_text = label("", "subtitle")
        self.refused_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.refused_text)
        lay.addStretch(2)
        self.pages.addWidget(self.refused_page)
        # the booking ticket
        self.ticket_page, lay = _page()
        self.when = label("", "bigNumber")
        self.when.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.when)
        self.ticket_lines = label("", "body")
        self.ticket_lines.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.ticket_lines)
        lay.addStretch(1)
        self.pages.addWidget(self.ticket_page)

        self.again = self.add_button(tr("重新选择时段"), "primary")
        self.book_button = self.add_button(tr("确认预约"), "primary")
        self.finish = self.add_button(tr("完成"), "primary")
        self.again.clicked.connect(self._fetch)
        self.book_button.clicked.connect(self._book)
        self.finish.clicked.connect(self._finish)
        self.slot_group = QButtonGroup(self)
        self.slot_group.idToggled.connect(lambda *_: self.times_note.setText(""))
        self.day_group = QButtonGroup(self)
        self.slots: list[dict[str, Any]] = []
        self.day = ""
        self.taken_day = ""  # a day this resident already holds (already_booked)
        self.booking: dict[str, Any] | None = None
        self.page = ""

    # ---- the step ---------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self.title.setText(tr("{item}：请选择预约时间").format(item=item_text(ctx.item, "name")))
        self.booking, self.day, self.taken_day = None, "", ""
        self._fetch()

    def _show(self, page: str) -> None:
        self.page = page
        self.pages.setCurrentWidget({"choose": self.choose_page, "refused": self.refused_page,
                                     "ticket": self.ticket_page}[page])
        self.again.setVisible(page == "refused")
        self.book_button.setVisible(page == "choose")
        self.finish.setVisible(page == "ticket")
        self.place.setVisible(page != "ticket")  # the ticket's lines say where (and its height is theirs)

    def prompt(self) -> str:
        return {"choose": tr("请选择日期和时段，再点确认预约。"), "refused": self.refused_text.text(),
                "ticket": tr("预约成功，请记好预约时间和地点。")}.get(self.page, tr("请选择预约时间。"))

    def _fetch(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        ctx.run(lambda: ctx.services.appointment_slots(ctx.item), self._show_slots,
                lambda exc: ctx.fail(exc, retry=self._fetch), busy=tr("正在查询可预约时段，请稍候……"))

    def _show_slots(self, answer: dict[str, Any]) -> None:
        if self.ctx is None:
            return
        self.slots = list(answer.get("slots", []))
        item = self.ctx.item  # the platform's place: where it is the item's own text, as the item shows it
        self.place.setText(tr("办理地点：{place}（{address}）").format(place=shown(item, answer.get("place", "")),
                                                                 address=shown(item, answer.get("address", ""))))
        self.days_grid.clear()
        for b in self.day_group.buttons():
            self.day_group.removeButton(b)
        days: dict[str, int] = {}
        for s in self.slots:
            days[s["date"]] = days.get(s["date"], 0) + int(s["remaining"])
        for i, (day, left) in enumerate(days.items()):
            b = button(day_caption(day) + "\n" + (tr("可预约") if left else tr("已约满")), role="slot")
            b.setCheckable(True)
            b.setAccessibleName(day_name(day))
            b.setProperty("day", day)  # the day itself: its name follows the language
            b.setEnabled(left > 0)
            b.clicked.connect(lambda _=False, d=day: self._choose_day(d))
            self.day_group.addButton(b, i)
            self.days_grid.add(b)
        free = [d for d, left in days.items() if left]
        if not free:
            self.refused_text.setText(messages.text("appointment.no_slots"))
            self._show("refused")
            self.again.hide()
            return
        others = [d for d in free if d != self.taken_day] or free
        self._choose_day(self.day if self.day in free else others[0])  # after slot_full: the same day again

    def _choose_day(self, day: str) -> None:
        self.day = day
        for b in self.day_group.buttons():
            b.setChecked(b.property("day") == day)
        self.day_title.setText(tr("{day}　可预约时段").format(day=day_caption(day)))
        self.times_grid.clear()
        for b in self.slot_group.buttons():
            self.slot_group.removeButton(b)
        for i, s in enumerate(x for x in self.slots if x["date"] == day):
            left = int(s["remaining"])
            free = tr("剩余 {n} 个").format(n=left) if left else tr("已约满")
            b = button(f"{s['start']}-{s['end']}\n{free}", role="slot")
            b.setCheckable(True)
            b.setAccessibleName(s["start"])
            b.setEnabled(left > 0)
            b.setProperty("slot_id", s["slot_id"])
            self.slot_group.addButton(b, i)
            self.times_grid.add(b)
        self.times_note.setText("")
        self._show("choose")

    # ---- booking ----------------------------------------------------------------------------
    def _book(self) -> None:
        ctx = self.ctx
        chosen = self.slot_group.checkedButton()
        if ctx is None:
            return
        if chosen is None:
            self.times_note.setText(messages.text("appointment.choose_slot"))
            return
        slot_id = str(chosen.property("slot_id"))
        form = dict(ctx.results.get("form") or {})
        service = booked_service(ctx.item, form)
        key = ctx.results.setdefault("booking_keys", {}).setdefault(slot_id, new_key())
        token = ctx.session.platform_token or ""
        ctx.run(lambda: ctx.services.book(token, ctx.item, slot_id, form, service=service, key=key),
                self._booked, self._refused, busy=tr("正在为您预约，请稍候……"))

    def _refused(self, exc: Exception) -> None:
        if self.ctx is None:
            return
        code = getattr(exc, "code", None)
        if code not in REFUSALS:
            self.ctx.fail(exc, retry=self._book)
            return
        if code == "already_booked":
            self.taken_day, self.day = self.day, ""  # this resident holds that day: offer another
        self.refused_text.setText(messages.text(REFUSALS[code]))
        self._show("refused")
        self.again.setText(tr("重新选择时段") if code == "slot_full" else tr("选择其他日期"))

    def _booked(self, booking: dict[str, Any]) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self.booking = booking
        ctx.runner.commit()  # booked: no 上一步 to book twice
        self.title.setText(tr("预约成功"))
        self.when.setText(f"{day_caption(booking['date'])}　{booking['start']}-{booking['end']}")
        lines = [tr("预约事项：{item}").format(item=item_text(ctx.item, "name"))]
        if booking.get("service"):
            lines.append(tr("预约业务：{service}").format(service=shown(ctx.item, booking["service"])))
        lines += [tr("办理地点：{place}（{address}）").format(place=shown(ctx.item, booking["place"]),
                                                         address=shown(ctx.item, booking["address"])),
                  tr("预约编号：{number}").format(number=booking["booking_no"]),
                  tr("请携带：") + "、".join(shown(ctx.item, b) for b in booking.get("bring", []))]
        if booking.get("sms_to"):
            lines.append(tr("预约短信已发送至 {phone}").format(phone=booking["sms_to"]))
        self.ticket_lines.setText("\n".join(lines))
        self._show("ticket")
        if "printer" in ctx.item.get("hardware", []):
            receipt = ctx.services.booking_receipt(booking, ctx.item)
            ctx.results["last_receipt"] = receipt
            ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: None,
                    lambda exc: ctx.fail(exc, retry=lambda: self._booked(booking)), busy=tr("预约成功，正在打印预约凭证……"))

    def _finish(self) -> None:
        if self.booking is not None:
            printed = self.ctx is not None and self.ctx.results.get("last_receipt") is not None
            self.done.emit({"booked": True, "printed": printed, "reference": self.booking["booking_no"]})

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.booking = None
        self.slots = []
        self.day = self.taken_day = ""
        self.ticket_lines.setText("")
        self.when.setText("")
        self.times_grid.clear()
        self.days_grid.clear()

