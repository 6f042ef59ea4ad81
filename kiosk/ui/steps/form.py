"""Step `form`: the item's fields, one question per page, answered by taps or the on-screen keypad.

Field types built here: select and checkbox (big option buttons), date (a year row and month/day
grids), number, money, phone and id_number (the keypad). Every answer is checked at once
(kiosk/services/form_check.py) and the message says what to fix. The platform's own `form_invalid`
comes back here, on the page of the field it names. Chinese text fields come with issue 19.
"""

from __future__ import annotations

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
    QVBoxLayout,
    QWidget,
)

from kiosk.services import messages
from kiosk.services.form_check import FieldInvalid, check, date_precision
from kiosk.ui.keypad import Keypad
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import button, label, option_button

KEYPAD_TYPES = {"number": "digits", "phone": "digits", "id_number": "id", "money": "money"}
MAX_LENGTH = {"phone": 11, "id_number": 18}


class FieldPage(QWidget):
    """One question. `value()` is the raw answer for form_check.check()."""

    def __init__(self, spec: Mapping[str, Any], initial: Any) -> None:
        super().__init__()
        self.spec = spec
        self.kind = spec["type"]
        lay = QVBoxLayout(self)
        lay.setSpacing(16)
        lay.setContentsMargins(0, 0, 0, 0)
        hint = spec.get("help") or ("（选填，可直接点「下一项」）" if not spec.get("required") else "")
        self.hint = label(hint, "hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setVisible(bool(hint))
        self.error = label("", "error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if spec["type"] not in KEYPAD_TYPES:  # keypad pages put these beside the answer
            lay.addWidget(self.hint)
            lay.addWidget(self.error)
        self.edit: QLineEdit | None = None
        self.keypad: Keypad | None = None
        self.group: QButtonGroup | None = None
        self._options: list[Any] = []
        if self.kind in KEYPAD_TYPES:
            self._build_keypad(initial)
        elif self.kind == "date":
            self._build_date(initial)
        else:
            options = list(spec["options"]) if self.kind == "select" else ["是", "否"]
            values = options if self.kind == "select" else [True, False]
            self._build_options(options, values, initial)
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
        self.edit.setAccessibleName(self.spec["label"])
        self.edit.setProperty("role", "answer")
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # the keypad types here
        if self.kind in MAX_LENGTH:
            self.edit.setMaxLength(MAX_LENGTH[self.kind])
        elif self.kind in ("number", "money") and "max" in self.spec:
            self.edit.setMaxLength(len(str(int(self.spec["max"]))) + (3 if self.kind == "money" else 0))
        self.keypad = Keypad(KEYPAD_TYPES[self.kind])
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

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        pair = getattr(self, "pair", None)
        if pair is not None:
            wide = self.width() > self.height() * 1.2
            pair.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def _build_date(self, initial: Any) -> None:
        today = date.today()
        self.precision = date_precision(self.spec)
        year, month, day = today.year, None, None
        if isinstance(initial, str) and len(initial) >= 7:
            year, month = int(initial[:4]), int(initial[5:7])
            day = int(initial[8:10]) if len(initial) >= 10 else None
        self.year = year
        row = QHBoxLayout()
        self.prev_year = button("上一年", role="option")
        self.year_label = label("", "question", wrap=False)
        self.year_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_year = button("下一年", role="option")
        self.prev_year.clicked.connect(lambda: self._set_year(self.year - 1))
        self.next_year.clicked.connect(lambda: self._set_year(self.year + 1))
        row.addWidget(self.prev_year)
        row.addWidget(self.year_label, 1)
        row.addWidget(self.next_year)
        self.layout().addLayout(row)
        months = QGridLayout()
        months.setSpacing(12)
        self.month_group = QButtonGroup(self)
        for m in range(1, 13):
            b = option_button(f"{m}月")
            b.setChecked(m == month)
            self.month_group.addButton(b, m)
            months.addWidget(b, (m - 1) // 6, (m - 1) % 6)
        self.layout().addLayout(months)
        self.day_group: QButtonGroup | None = None
        if self.precision == "day":
            days = QGridLayout()
            days.setSpacing(8)
            self.day_group = QButtonGroup(self)
            for d in range(1, 32):
                b = button(f"{d}日", role="day")
                b.setCheckable(True)
                b.setChecked(d == day)
                self.day_group.addButton(b, d)
                days.addWidget(b, (d - 1) // 8, (d - 1) % 8)
            self.layout().addLayout(days)
        self._set_year(year)

    def _set_year(self, year: int) -> None:
        today = date.today()
        self.year = max(1900, min(today.year + 5, year))
        self.year_label.setText(f"{self.year}年")
        self.prev_year.setEnabled(self.year > 1900)
        self.next_year.setEnabled(self.year < today.year + 5)

    # ---- the answer -------------------------------------------------------------------------
    def value(self) -> Any:
        if self.edit is not None:
            return self.edit.text()
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
        self.previous = self.add_button("上一项")
        self.next = self.add_button("下一项", "primary")
        self.previous.clicked.connect(lambda: self._turn(-1))
        self.next.clicked.connect(self._confirm_page)
        self.pages: list[FieldPage] = []
        self.page = 0
        self.values: dict[str, Any] = {}

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        earlier = ctx.results.get("form") or {}
        self._clear_pages()
        self.values = dict(earlier)
        for spec in ctx.params.get("fields", ()):
            initial = earlier.get(spec["name"], spec.get("default"))
            page = FieldPage(spec, initial)
            page.hide()
            self.host.addWidget(page)
            self.pages.append(page)
        self._show_page(0)

    def _clear_pages(self) -> None:
        for page in self.pages:
            self.host.removeWidget(page)
            page.hide()
            page.deleteLater()
        self.pages = []

    def _show_page(self, index: int) -> None:
        for i, page in enumerate(self.pages):
            page.setVisible(i == index)
        self.page = index
        if self.pages:
            spec = self.pages[index].spec
            self.title.setText(f"请填写：{spec['label']}" if spec["type"] in KEYPAD_TYPES
                               else f"请选择：{spec['label']}")
        self.counter.setText(f"第 {index + 1} 项，共 {len(self.pages)} 项")
        self.counter.setVisible(len(self.pages) > 1)
        self.previous.setVisible(index > 0)
        self.next.setText("确定" if index == len(self.pages) - 1 else "下一项")
        if self.pages and self.pages[index].edit is not None:
            self.pages[index].edit.setFocus()

    def _turn(self, step: int) -> None:
        self._show_page(max(0, min(len(self.pages) - 1, self.page + step)))

    def _confirm_page(self) -> None:
        page = self.pages[self.page]
        try:
            value = check(page.spec, page.value())
        except FieldInvalid as exc:
            page.show_error(messages.text(exc.code, **exc.params))
            return
        page.show_error("")
        if value is None:
            self.values.pop(page.spec["name"], None)
        else:
            self.values[page.spec["name"]] = value
        if self.page + 1 < len(self.pages):
            self._turn(1)
        else:
            self.done.emit(dict(self.values))

    def show_invalid(self, field: str | None, text: str) -> None:
        """The platform refused a value (form_invalid): show its page with the platform's sentence."""
        for i, page in enumerate(self.pages):
            if page.spec["name"] == field:
                self._show_page(i)
                page.show_error(text)
                return
        if self.pages:
            self._show_page(0)
            self.pages[0].show_error(text)

    def prompt(self) -> str:
        if not self.pages:
            return "请填写表单。"
        return f"请填写{self.pages[self.page].spec['label']}。"

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._clear_pages()
        self.values = {}
