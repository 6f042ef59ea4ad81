"""Step `form`: the item's fields, one question per page, answered by taps, the keypad or the keyboard.

Field types: select and checkbox (big option buttons), date (a year row and month/day grids),
number, money, phone and id_number (the digit keypad), text and textarea (the on-screen Chinese
keyboard, kiosk/ui/keyboard.py; a text field whose pattern allows only digits, or only capitals and
digits, gets the keypad instead: no language switching for a 银行卡号).

What is already known is not asked again: the resident's ID number, registered mobile number and
address come from the card and the platform (kiosk/services/form_prefill.py) and are shown first,
on one page, for checking (「修改」 opens that field's page). Every answer is checked at once
(kiosk/services/form_check.py) and the message says what to fix. The platform's own
`form_invalid` comes back here, on the page of the field it names (`BackendError.field`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.services import messages
from kiosk.services.form_check import FieldInvalid, check, date_precision, decimal_number
from kiosk.services.form_prefill import Prefilled, known_values, prefill, wants_platform
from kiosk.ui.i18n import shown, tr
from kiosk.ui.keyboard import screen_keyboard
from kiosk.ui.keypad import Keypad
from kiosk.ui.layout_items import take_items
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import button, label, mask_id_number, option_button

KEYPAD_TYPES = {"number": "digits", "phone": "digits", "id_number": "id", "money": "money"}
TEXT_TYPES = ("text", "textarea")
MAX_LENGTH = {"phone": 11, "id_number": 18}
DIGIT_PATTERN = re.compile(r"\^?(\\d|\[0-9\])(\{\d+(,\d+)?\}|[+*])?\$?")  # ^\d{16,19}$
CODE_PATTERN = re.compile(r"[\^$\\dA-Z0-9\[\]{},+*-]+")  # ^[A-Z]\d{9}$, ^[0-9A-Z]{15,20}$


def keypad_layout(spec: Mapping[str, Any]) -> str | None:
    """The keypad a field is typed on, or None for the Chinese keyboard (text) and taps (others)."""
    kind = spec["type"]
    if kind == "number" and decimal_number(spec):
        return "money"  # the keypad with the decimal point
    if kind in KEYPAD_TYPES:
        return KEYPAD_TYPES[kind]
    pattern = spec.get("pattern") or ""
    if kind == "text" and DIGIT_PATTERN.fullmatch(pattern):
        return "digits"
    if kind == "text" and CODE_PATTERN.fullmatch(pattern) and "A-Z" in pattern:
        return "alnum"
    return None


def shown_value(spec: Mapping[str, Any], value: Any, item: dict[str, Any] | None = None) -> str:
    """A value as the check page shows it: ID numbers masked (the card's own number needs no reading),
    a chosen option as the item shows it (what is typed or read from a card stays as it is)."""
    if spec["type"] == "id_number":
        return mask_id_number(str(value))
    if spec["type"] == "checkbox":
        return tr("是") if value else tr("否")
    if spec["type"] == "select":
        return shown(item, str(value))
    return str(value)


class FieldPage(QWidget):
    """One question. `value()` is the raw answer for form_check.check()."""

    def __init__(self, spec: Mapping[str, Any], initial: Any, item: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.spec = spec
        self.kind = spec["type"]
        self.shown_label = shown(item, spec["label"])  # display only: answers go back under spec["name"]
        lay = QVBoxLayout(self)
        lay.setSpacing(16)
        lay.setContentsMargins(0, 0, 0, 0)
        hint = shown(item, spec.get("help") or "") or (tr("（选填，可直接点「下一项」）") if not spec.get("required") else "")
        self.hint = label(hint, "hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setVisible(bool(hint))
        self.error = label("", "error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_name = keypad_layout(spec)
        if self.layout_name is None:  # keypad pages put these beside the answer
            lay.addWidget(self.hint)
            lay.addWidget(self.error)
        self.edit: QLineEdit | None = None
        self.area: QPlainTextEdit | None = None
        self.keypad: Keypad | None = None
        self.group: QButtonGroup | None = None
        self._options: list[Any] = []
        if self.layout_name is not None:
            self._build_keypad(initial)
        elif self.kind in TEXT_TYPES:
            self._build_text(initial)
        elif self.kind == "date":
            self._build_date(initial)
        else:
            values = list(spec["options"]) if self.kind == "select" else [True, False]
            captions = [shown(item, o) for o in values] if self.kind == "select" else [tr("是"), tr("否")]
            self._build_options(captions, values, initial)
        lay.addStretch(1)

    # ---- widgets ----------------------------------------------------------------------------
    def _build_options(self, captions: list[str], values: list[Any], initial: Any) -> None:
        grid = QGridLayout()
        grid.setSpacing(20)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        columns = 1 if max(len(c) for c in captions) > 8 else 2
        for i, (caption, value) in enumerate(zip(captions, values, strict=True)):
            b = option_button(caption)
            b.setChecked(initial is not None and value == initial)
            self.group.addButton(b, i)
            grid.addWidget(b, i // columns, i % columns)
        self._options = values
        self.layout().addLayout(grid)

    def _build_keypad(self, initial: Any) -> None:
        self.edit = QLineEdit("" if initial is None else str(initial))
        self.edit.setAccessibleName(self.shown_label)
        self.edit.setProperty("role", "answer")
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # the keypad types here
        if self.kind in MAX_LENGTH:
            self.edit.setMaxLength(MAX_LENGTH[self.kind])
        elif self.kind in ("number", "money") and "max" in self.spec:
            self.edit.setMaxLength(len(str(int(self.spec["max"]))) + (3 if self.kind == "money" else 0))
        elif "max_length" in self.spec:
            self.edit.setMaxLength(int(self.spec["max_length"]))
        self.keypad = Keypad(self.layout_name or "digits")
        self.keypad.attach(self.edit)
        self.keypad.typed.connect(lambda _: self.error.setText(""))
        # Landscape: the answer on the left, the keypad on the right; portrait: one above the other.
        self.pair = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.pair.setSpacing(40)
        left = QVBoxLayout()
        left.addStretch(1)
        left.addWidget(self.hint)
        left.addWidget(self.edit)
        left.addWidget(self.error)
        left.addStretch(1)
        self.pair.addLayout(left, 1)
        self.pair.addWidget(self.keypad, 1)
        self.layout().addLayout(self.pair, 1)

    def _build_text(self, initial: Any) -> None:
        """Typed on the on-screen Chinese keyboard (docked under the screen while this page shows)."""
        text = "" if initial is None else str(initial)
        if self.kind == "textarea":
            self.area = QPlainTextEdit(text)
            self.area.setAccessibleName(self.shown_label)
            self.area.setProperty("role", "answer")
            self.area.setTabChangesFocus(True)
            self.area.textChanged.connect(self._typed)
            self.layout().addWidget(self.area, 1)
        else:
            self.edit = QLineEdit(text)
            self.edit.setAccessibleName(self.shown_label)
            self.edit.setProperty("role", "answer")
            self.edit.setMaxLength(int(self.spec.get("max_length") or 200))
            self.edit.textChanged.connect(self._typed)
            self.layout().addWidget(self.edit)
        self.count = label("", "hint")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.layout().addWidget(self.count)
        self._typed()

    def _typed(self) -> None:
        self.error.setText("")
        if self.kind in TEXT_TYPES and "max_length" in self.spec:
            self.count.setText(tr("已输入 {n} / {max} 字").format(n=len(self.text_value()), max=self.spec["max_length"]))

    @property
    def field(self) -> QWidget | None:
        """The widget the resident types into (None for tap fields)."""
        return self.edit if self.edit is not None else self.area

    @property
    def needs_keyboard(self) -> bool:
        return self.kind in TEXT_TYPES and self.layout_name is None

    def text_value(self) -> str:
        if self.area is not None:
            return self.area.toPlainText()
        return self.edit.text() if self.edit is not None else ""

    def set_value(self, value: Any) -> None:
        """Put a (pre-filled or fixed) value into a typed field."""
        if self.area is not None:
            self.area.setPlainText(str(value))
        elif self.edit is not None:
            self.edit.setText(str(value))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        pair = getattr(self, "pair", None)
        if pair is not None:
            wide = self.width() > self.height() * 1.2
            pair.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        if self.kind == "date":
            self._arrange_date()
        super().resizeEvent(event)

    def _build_date(self, initial: Any) -> None:
        """A year row, the months and the days. Where they do not fit one above the other at the
        page's height (长者模式 in landscape) the page shows them in two stages, one decision each:
        the year and the month, then the days with 「改月份」 to go back (`_arrange_date`)."""
        today = date.today()
        self.precision = date_precision(self.spec)
        year, month, day = today.year, None, None
        if isinstance(initial, str) and len(initial) >= 7:
            year, month = int(initial[:4]), int(initial[5:7])
            day = int(initial[8:10]) if len(initial) >= 10 else None
        self.year = year
        self.year_row = QWidget()
        row = QHBoxLayout(self.year_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.prev_year = button(tr("上一年"), role="option")
        self.year_label = label("", "question", wrap=False)
        self.year_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_year = button(tr("下一年"), role="option")
        self.prev_year.clicked.connect(lambda: self._set_year(self.year - 1))
        self.next_year.clicked.connect(lambda: self._set_year(self.year + 1))
        row.addWidget(self.prev_year)
        row.addWidget(self.year_label, 1)
        row.addWidget(self.next_year)
        self.layout().addWidget(self.year_row)
        self.months = QWidget()
        months = QGridLayout(self.months)
        months.setContentsMargins(0, 0, 0, 0)
        months.setSpacing(12)
        self.month_group = QButtonGroup(self)
        for m in range(1, 13):
            b = option_button(tr("{m}月").format(m=m))
            b.setChecked(m == month)
            self.month_group.addButton(b, m)
            months.addWidget(b, (m - 1) // 6, (m - 1) % 6)
        self.layout().addWidget(self.months)
        self.day_group: QButtonGroup | None = None
        self.staged, self.days_box = False, None
        if self.precision == "day":
            self.days_box = QWidget()
            box = QHBoxLayout(self.days_box)  # staged: the chosen month and 「改月份」 beside the days
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(16)
            head = QVBoxLayout()
            self.chosen_month = label("", "question", wrap=False)
            self.chosen_month.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.change_month = button(tr("改月份"), role="option")
            self.change_month.clicked.connect(lambda: self._date_stage("month"))
            head.addWidget(self.chosen_month)
            head.addWidget(self.change_month)
            head.addStretch(1)
            box.addLayout(head)
            self.days = QGridLayout()
            self.days.setSpacing(8)
            box.addLayout(self.days)
            self.day_group = QButtonGroup(self)
            for d in range(1, 32):
                b = button(tr("{d}日").format(d=d), role="day")
                b.setCheckable(True)
                b.setChecked(d == day)
                self.day_group.addButton(b, d)
            self._columns = 0
            self._place_days(8)
            self.layout().addWidget(self.days_box)
            self.month_group.idClicked.connect(lambda _m: self.staged and self._date_stage("day"))
        self._set_year(year)
        self._date_stage("month" if month is None else "day")

    def _place_days(self, columns: int) -> None:
        assert self.day_group is not None
        if columns == self._columns:
            return
        self._columns = columns
        for d, b in enumerate(self.day_group.buttons()):
            self.days.addWidget(b, d // columns, d % columns)  # addWidget moves a placed button

    def _date_stage(self, stage: str) -> None:
        """Staged: show the year and months, or the days under the chosen month. Else both."""
        self._stage = stage
        if self.days_box is None:
            return
        day_stage = self.staged and stage == "day" and self.month_group.checkedId() > 0
        self.year_row.setVisible(not day_stage)
        self.months.setVisible(not day_stage)
        self.days_box.setVisible(not self.staged or day_stage)
        self.chosen_month.setVisible(self.staged)
        self.change_month.setVisible(self.staged)
        month = self.month_group.checkedId()
        self.chosen_month.setText(f"{tr('{y}年').format(y=self.year)}\n{tr('{m}月').format(m=month)}"
                                  if month > 0 else "")

    def _arrange_date(self) -> None:
        """Staged when the year, the months and the days, one above the other, need more than the
        page's height; the days take as many columns as the width allows then (up to 11)."""
        if self.days_box is None or self.height() <= 0:
            return
        spacing = self.layout().spacing()
        shown = [w for w in (self.hint, self.error) if not w.isHidden()]
        need = sum(w.sizeHint().height() + spacing for w in (*shown, self.year_row, self.months))
        day = self.day_group.buttons()[30].sizeHint()  # 31日, the widest
        need += 4 * day.height() + 3 * self.days.spacing()  # 31 days in rows of 8
        staged = need > self.height()
        beside = self.change_month.sizeHint().width() + 16
        self._place_days(max(8, min(11, (self.width() - beside) // (day.width() + 8))) if staged else 8)
        if staged != self.staged:
            self.staged = staged
            self._date_stage(self._stage)

    def _set_year(self, year: int) -> None:
        today = date.today()
        self.year = max(1900, min(today.year + 5, year))
        self.year_label.setText(tr("{y}年").format(y=self.year))
        self.prev_year.setEnabled(self.year > 1900)
        self.next_year.setEnabled(self.year < today.year + 5)

    # ---- the answer -------------------------------------------------------------------------
    def value(self) -> Any:
        if self.field is not None:
            return self.text_value()
        if self.kind == "date":
            month = self.month_group.checkedId()
            if month < 1:
                return None
            if self.precision == "month":
                return f"{self.year:04d}-{month:02d}"
            day = self.day_group.checkedId() if self.day_group is not None else -1
            return None if day < 1 else f"{self.year:04d}-{month:02d}-{day:02d}"
        assert self.group is not None
        chosen = self.group.checkedId()
        return None if chosen < 0 else self._options[chosen]

    def show_error(self, text: str) -> None:
        self.error.setText(text)


class CheckPage(QWidget):
    """The pre-filled answers, shown for checking: label, value, where it comes from, 「修改」."""

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(12)
        self.hint = label(messages.text("form.check_prefilled"), "body")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.hint)
        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(24)
        self.rows.setVerticalSpacing(12)
        lay.addLayout(self.rows)
        lay.addStretch(1)
        self.edit_buttons: dict[str, Any] = {}
        self.values: dict[str, QWidget] = {}

    def set_rows(self, rows: list[tuple[Mapping[str, Any], Any, str]], on_edit: Any,
                 item: dict[str, Any] | None = None) -> None:
        """(field spec, value, source) per row; on_edit(name) when its 「修改」 is tapped."""
        for entry in take_items(self.rows):
            w = entry.widget()
            if w is not None:
                w.deleteLater()
        self.edit_buttons, self.values = {}, {}
        for r, (spec, value, source) in enumerate(rows):
            name = shown(item, spec["label"])
            self.rows.addWidget(label(f"{name}：", "body", wrap=False), r, 0)
            value_label = label(shown_value(spec, value, item), "question")
            self.rows.addWidget(value_label, r, 1)
            self.rows.addWidget(label(f"（{source}）", "hint", wrap=False), r, 2)
            edit = button(tr("修改"), role="option")
            edit.setAccessibleName(tr("修改{label}").format(label=name))
            edit.clicked.connect(lambda _=False, n=spec["name"]: on_edit(n))
            self.rows.addWidget(edit, r, 3)
            self.rows.setColumnStretch(1, 1)
            self.edit_buttons[spec["name"]] = edit
            self.values[spec["name"]] = value_label


@register
class FormScreen(StepScreen):
    name = "form"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter = label("", "hint")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.counter)
        self.host = QVBoxLayout()
        self.body.addLayout(self.host, 1)
        self.previous = self.add_button(tr("上一项"))
        self.next = self.add_button(tr("下一项"), "primary")
        self.previous.clicked.connect(lambda: self._turn(-1))
        self.next.clicked.connect(self._confirm_page)
        self.check_page: CheckPage | None = None
        self.pages: list[FieldPage] = []
        self.walk: list[QWidget] = []  # what 上一项 / 下一项 step through: the check page, then the questions
        self.current: QWidget | None = None
        self.editing_from_check = False
        self.values: dict[str, Any] = {}
        self.prefilled: dict[str, Prefilled] = {}

    # ---- entering: what is known first, then the pages ---------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self._clear_pages()
        fields = list(ctx.params.get("fields", ()))
        token = ctx.session.platform_token
        if "prefill" not in ctx.results and token and wants_platform(fields) and "form" not in ctx.results:
            def store(values: Any) -> None:
                ctx.results["prefill"] = list(values or [])
                self._build(ctx)

            def without(exc: Exception) -> None:  # the card's data still pre-fills; the rest is asked
                ctx.results["prefill"] = []
                self._build(ctx)

            ctx.run(lambda: ctx.services.form_prefill(token), store, without, busy=tr("正在读取您登记的信息，请稍候……"))
            return
        self._build(ctx)

    def _build(self, ctx: StepContext) -> None:
        self._clear_pages()
        fields = list(ctx.params.get("fields", ()))
        earlier = ctx.results.get("form") or {}
        known = known_values(ctx.session.identity, ctx.results.get("prefill"))
        self.prefilled = {name: p for name, p in prefill(fields, known).items()
                          if name not in earlier or earlier[name] == p.value}
        self.values = {**{n: p.value for n, p in self.prefilled.items()}, **earlier}
        for spec in fields:
            initial = self.values.get(spec["name"], spec.get("default"))
            page = FieldPage(spec, initial, ctx.item)
            page.hide()
            self.host.addWidget(page)
            self.pages.append(page)
        if self.prefilled:
            self.check_page = CheckPage()
            self.check_page.hide()
            self.host.addWidget(self.check_page)
            self._fill_check_page()
            self.walk.append(self.check_page)
        self.walk += [p for p in self.pages if p.spec["name"] not in self.prefilled]
        if self.walk:
            self._show(self.walk[0])

    def _fill_check_page(self) -> None:
        if self.check_page is None:
            return
        rows = [(p.spec, self.values.get(p.spec["name"]), self.prefilled[p.spec["name"]].source)
                for p in self.pages if p.spec["name"] in self.prefilled]
        self.check_page.set_rows(rows, self._edit_prefilled, self.ctx.item if self.ctx else None)

    def _clear_pages(self) -> None:
        keyboard = screen_keyboard(self)
        if keyboard is not None:
            keyboard.release()
        for page in [*self.pages, *([self.check_page] if self.check_page else [])]:
            self.host.removeWidget(page)
            page.hide()
            page.deleteLater()
        self.pages, self.walk, self.check_page, self.current = [], [], None, None
        self.editing_from_check = False

    # ---- moving between pages -----------------------------------------------------------------
    @property
    def page(self) -> int:
        """Where the shown page is in the walk (-1: correcting a pre-filled answer)."""
        return self.walk.index(self.current) if self.current in self.walk else -1

    def _show(self, page: QWidget) -> None:
        for p in [*self.pages, *([self.check_page] if self.check_page else [])]:
            p.setVisible(p is page)
        self.current = page
        position = self.walk.index(page) if page in self.walk else -1
        if isinstance(page, CheckPage):
            self.title.setText(tr("请核对您的信息"))
        else:
            typed = page.field is not None
            self.title.setText((tr("请填写：{label}") if typed else tr("请选择：{label}")).format(label=page.shown_label))
        self.counter.setText(tr("第 {n} 项，共 {total} 项").format(n=position + 1, total=len(self.walk)) if position >= 0 else tr("修改已填写的信息"))
        self.counter.setVisible(len(self.walk) > 1 or position < 0)
        self.previous.setVisible(position > 0)
        last = position == len(self.walk) - 1
        self.next.setText(tr("确定") if last or position < 0 else tr("下一项"))
        if isinstance(page, CheckPage):
            self.next.setText(tr("信息无误，确定") if last else tr("信息无误，下一项"))
        self._attach_input(page)

    def _attach_input(self, page: QWidget) -> None:
        keyboard = screen_keyboard(self)
        if not isinstance(page, FieldPage) or page.field is None:
            if keyboard is not None:
                keyboard.release()
            return
        if page.needs_keyboard:
            if keyboard is None or not (keyboard.usable or keyboard.loading):
                page.hint.setText(messages.text("keyboard.unavailable"))
                page.hint.setVisible(True)
                page.field.setFocus()
            else:
                keyboard.attach(page.field)
        else:
            if keyboard is not None:
                keyboard.release()
            page.field.setFocus()

    def _turn(self, step: int) -> None:
        if self.current not in self.walk:  # editing a pre-filled answer: back to the check page
            self._show(self.check_page or self.walk[0])
            return
        index = max(0, min(len(self.walk) - 1, self.walk.index(self.current) + step))
        self._show(self.walk[index])

    def _edit_prefilled(self, name: str) -> None:
        page = next(p for p in self.pages if p.spec["name"] == name)
        self._show(page)

    def _confirm_page(self) -> None:
        page = self.current
        if isinstance(page, FieldPage):
            try:
                value = check(page.spec, page.value())
            except FieldInvalid as exc:
                page.show_error(messages.text(exc.code, **{**exc.params, "label": page.shown_label}))
                return
            page.show_error("")
            if value is None:
                self.values.pop(page.spec["name"], None)
            else:
                self.values[page.spec["name"]] = value
            if page not in self.walk:  # a corrected pre-filled answer
                self._fill_check_page()
                self._show(self.check_page or self.walk[0])
                return
        if page is not None and self.walk.index(page) + 1 < len(self.walk):
            self._turn(1)
        else:
            self._finish()

    def _finish(self) -> None:
        keyboard = screen_keyboard(self)
        if keyboard is not None:
            keyboard.release()
        self.done.emit(dict(self.values))

    def show_invalid(self, field: str | None, text: str) -> None:
        """The platform refused a value (form_invalid): show its page with the platform's sentence."""
        page = next((p for p in self.pages if p.spec["name"] == field), None)
        if page is None:
            page = self.walk[0] if self.walk else None
        if page is None:
            return
        self._show(page)
        if isinstance(page, FieldPage):
            page.show_error(text)
        elif isinstance(page, CheckPage):
            page.hint.setText(text)

    def leave(self) -> None:
        keyboard = screen_keyboard(self)
        if keyboard is not None:
            keyboard.release()

    def prompt(self) -> str:
        if isinstance(self.current, CheckPage):
            return tr("请核对自动填写的信息，无误请点确定。")
        if not isinstance(self.current, FieldPage):
            return tr("请填写表单。")
        return tr("请填写{label}。").format(label=self.current.shown_label)

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._clear_pages()
        self.values = {}
        self.prefilled = {}
