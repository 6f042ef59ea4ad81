"""Step `progress`: how an application is going — its status, the steps 受理 → 审核 → 办结, and the
materials still to bring, by name.

Three ways in, all from the item's data (`progress.lookup_by`, `progress.covers`):
- identified (the plan had an identify step): the resident's own applications of the kinds this
  item covers, newest first; tap one;
- the acceptance receipt's QR held to the scanner (acceptance number + the ID number's last 4);
- the acceptance number typed on the keypad with the last 4 characters of the applicant's ID number
  (GET /applications/lookup: no session needed, so a relative can look it up with the receipt).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

from kiosk.services import lookup_codes, messages
from kiosk.ui.code_entry import CodeEntry, ScanWatch
from kiosk.ui.i18n import item_text, shown, tr
from kiosk.ui.layout_items import take_items
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import button, card, label, touch_scroll

# The words are the sources (tr() at import, before any language): translated where they are shown.
STEP_WORDS = {"done": ("✓", tr("已完成"), "stepDone"), "current": ("●", tr("进行中"), "stepCurrent"),
              "todo": ("○", tr("未开始"), "stepTodo")}


def covered(item: dict[str, Any], application: dict[str, Any]) -> bool:
    """Is this application one of the kinds the progress item covers (by name, as the catalogue says)?"""
    covers = (item.get("progress") or {}).get("covers") or []
    name = application.get("item_name", "")
    return not covers or any(c in name or name in c for c in covers)


def _page() -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(16)
    return w, lay


@register
class ProgressScreen(StepScreen):
    name = "progress"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QStackedLayout()
        self.body.addLayout(self.pages, 1)
        # the resident's own applications
        self.list_page, lay = _page()
        self.list_box = QWidget()
        self.list_lay = QVBoxLayout(self.list_box)
        self.list_lay.setSpacing(14)
        lay.addWidget(touch_scroll(self.list_box), 1)
        self.list_note = label("", "subtitle")
        self.list_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.list_note)
        self.pages.addWidget(self.list_page)
        # by number (typed or scanned)
        self.entry = CodeEntry(tr("请输入受理回执上的受理编号和申请人身份证号码后 4 位，或把回执上的二维码对准扫码口。"))
        self.number_field = self.entry.add_field(tr("受理编号"), "alnum", 32)
        self.last4_field = self.entry.add_field(tr("身份证号码后4位"), "id", 4)
        self.pages.addWidget(self.entry)
        # one application
        self.detail_page, lay = _page()
        self.status = label("", "bigNumber")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.status)
        self.steps_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # top to bottom on a portrait screen
        self.steps_row.setSpacing(24)
        self.arrows: list[QLabel] = []
        lay.addLayout(self.steps_row)
        self.sheet = card()
        sheet = QVBoxLayout(self.sheet)
        sheet.setContentsMargins(40, 24, 40, 24)
        self.facts = label("", "body")
        self.pending = label("", "error")
        sheet.addWidget(self.facts)
        sheet.addWidget(self.pending)
        lay.addWidget(touch_scroll(self.sheet), 1)
        self.pages.addWidget(self.detail_page)

        self.by_number = self.add_button(tr("按受理编号查询"))
        self.to_list = self.add_button(tr("返回我的办件"))
        self.search = self.add_button(tr("查询"), "primary")
        self.finish = self.add_button(tr("完成"), "primary")
        self.by_number.clicked.connect(lambda: self._show("lookup"))
        self.to_list.clicked.connect(lambda: self._show("list"))
        self.search.clicked.connect(self._typed)
        self.finish.clicked.connect(self._finish)
        self.scan = ScanWatch(self)
        self.scan.scanned.connect(self._on_scan)
        self.shown: dict[str, Any] | None = None
        self.mine: list[dict[str, Any]] | None = None
        self.page = ""

    # ---- the step ---------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self.title.setText(item_text(ctx.item, "name"))
        self.shown, self.mine, self.page = None, None, ""
        self.entry.clear()
        if ctx.session.platform_token:
            self._fetch_mine()
        else:
            self._show("lookup")

    def _by_number_allowed(self) -> bool:
        item = self.ctx.item if self.ctx else {}
        return "application_number" in (item.get("progress") or {}).get("lookup_by", ["application_number"])

    def _show(self, page: str) -> None:
        again = page == self.page  # shown again (e.g. after a refusal): the keypad stays where it was
        self.page = page
        self.pages.setCurrentWidget({"list": self.list_page, "lookup": self.entry, "detail": self.detail_page}[page])
        self.by_number.setVisible(page == "list" and self._by_number_allowed())
        self.to_list.setVisible(page != "list" and self.mine is not None)
        self.search.setVisible(page == "lookup")
        self.finish.setVisible(page in ("list", "detail"))
        if page == "lookup" and not again:
            self.entry.start()
        self.scan.stop()
        if page in ("list", "lookup") and self._by_number_allowed() and self.ctx is not None:
            self.scan.start(self.ctx.devices)

    def leave(self) -> None:
        self.scan.stop()

    def prompt(self) -> str:
        return {"list": tr("请点选要查看的办件。"), "lookup": tr("请输入受理编号和身份证号码后四位，或扫描受理回执上的二维码。"),
                "detail": tr("办理状态：{status}。").format(status=self.status.text())}.get(self.page, tr("请查询办理进度。"))

    # ---- the resident's own -----------------------------------------------------------------
    def _fetch_mine(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        token = ctx.session.platform_token or ""
        ctx.run(lambda: ctx.services.applications(token), self._show_mine,
                lambda exc: ctx.fail(exc, retry=self._fetch_mine), busy=tr("正在查询您的办件，请稍候……"))

    def _show_mine(self, applications: list[dict[str, Any]]) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self.mine = [a for a in applications if covered(ctx.item, a)]
        self._clear_list()
        for app in self.mine:
            b = button(shown(ctx.item, app["item_name"]) + "\n" + tr("受理编号 {number}　{status}").format(
                number=app["acceptance_no"], status=app["status"]), role="option")
            b.setAccessibleName(app["acceptance_no"])
            b.clicked.connect(lambda _=False, a=app: self._detail(a))
            self.list_lay.addWidget(b)
        self.list_lay.addStretch(1)
        self.list_note.setText("" if self.mine else messages.text("progress.none"))
        self._show("list")

    # ---- by number --------------------------------------------------------------------------
    def _on_scan(self, code: str) -> None:
        found = lookup_codes.progress_code(code)
        if found is None:
            if self.page != "lookup":
                self._show("lookup")
            self.entry.error.setText(messages.text("progress.code_unreadable"))
            return
        number, last4 = found
        if self.page != "lookup":
            self._show("lookup")
        self.number_field.setText(number)
        if last4 is None:  # a bare number: the resident types the last 4
            self.entry.activate(self.last4_field)
            self.last4_field.setFocus()
            return
        self.last4_field.setText(last4)
        self._lookup(number, last4)

    def _typed(self) -> None:
        number, last4 = self.entry.values()
        if not lookup_codes.ACCEPTANCE_NO.fullmatch(number) or not lookup_codes.ID_LAST4.fullmatch(last4):
            self.entry.error.setText(messages.text("progress.number_format"))
            return
        self._lookup(number, last4)

    def _lookup(self, number: str, last4: str) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        ctx.run(lambda: ctx.services.lookup_application(number, last4), self._detail, self._not_found,
                busy=tr("正在查询办理进度，请稍候……"))

    def _not_found(self, exc: Exception) -> None:
        if self.ctx is None:
            return
        if getattr(exc, "code", None) in ("application_not_found", "lookup_locked"):
            self._show("lookup")
            self.entry.error.setText(messages.for_error(exc))
            return
        self.ctx.fail(exc)

    # ---- one application --------------------------------------------------------------------
    def _detail(self, app: dict[str, Any]) -> None:
        self.shown = app
        self.title.setText(shown(self.ctx.item if self.ctx else None, app["item_name"]))  # a name the item covers
        self.status.setText(app["status"])
        _clear(self.steps_row)
        self.arrows = []
        for i, step in enumerate(app.get("steps", [])):
            mark, words, role = STEP_WORDS.get(step["state"], STEP_WORDS["todo"])
            when = f"\n{step['at'][:10]}" if step.get("at") else ""
            if i:
                arrow = label("→" if self._wide() else "↓", "stepTodo", wrap=False)
                self.steps_row.addWidget(arrow, 0, Qt.AlignmentFlag.AlignCenter)
                self.arrows.append(arrow)
            state = tr("{step}（{state}）").format(step=step["name"], state=tr(words))
            w = label(f"{mark} {state}{when}", role, wrap=False)
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.steps_row.addWidget(w, 1)
        facts = [tr("受理编号：{number}").format(number=app["acceptance_no"]),
                 tr("受理时间：{time}").format(time=app["accepted_at"][:16].replace("T", " ")),
                 tr("承诺办结日期：{date}").format(date=app["promised_date"])]
        if app.get("finished_at"):
            facts.append(tr("办结时间：{time}").format(time=app["finished_at"][:16].replace("T", " ")))
        if app.get("note"):
            facts.append(tr("说明：{note}").format(note=app["note"]))
        self.facts.setText("\n".join(facts))
        pending = []
        if app.get("pending_materials"):
            pending.append(tr("还需补充的材料：") + "、".join(app["pending_materials"]))
        if app.get("missing_later"):
            pending.append(tr("容缺受理，请在承诺期限内到窗口补交：") + "、".join(app["missing_later"]))
        self.pending.setText("\n".join(pending))
        self.pending.setVisible(bool(pending))
        self._show("detail")

    def _wide(self) -> bool:
        return self.width() > self.height() * 1.2

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        wide = self._wide()
        self.steps_row.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        for arrow in self.arrows:  # kept, not found through itemAt (kiosk/ui/field_rows.py says why)
            arrow.setText("→" if wide else "↓")
        super().resizeEvent(event)

    def _finish(self) -> None:
        self.done.emit({"shown": self.shown is not None,
                        "reference": self.shown["acceptance_no"] if self.shown else None})

    def _clear_list(self) -> None:
        for item in take_items(self.list_lay):
            if item.widget() is not None:
                item.widget().setText("")
                item.widget().hide()
                item.widget().deleteLater()

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.scan.stop()
        self._clear_list()
        _clear(self.steps_row)
        self.arrows = []
        self.entry.clear()
        self.shown, self.mine = None, None
        for w in (self.status, self.facts, self.pending, self.list_note):
            w.setText("")


def _clear(lay: Any) -> None:
    for item in take_items(lay):
        if item.widget() is not None:
            item.widget().hide()
            item.widget().deleteLater()
