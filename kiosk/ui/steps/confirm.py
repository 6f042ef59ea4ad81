"""Step `confirm`: everything that will be sent, checked before it is sent. Generic for every flow.

The rows come from the results of the steps before it, by one convention: a step result that is a
dict may carry

    "summary": [[label, value], [label, value, mask], …]   # mask: "id_number" | "name" | "phone"
    "total":   [label, value]                               # shown large (an amount: ¥180.00)

in plan order. The screen masks what the row asks it to (the full value stays in the Session for
the step that sends it) and never adds anything item-specific: a pay journey's dues step, an apply
journey's form and materials steps, a bundle's … all describe themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.field_rows import FieldRows
from kiosk.ui.i18n import shown, tr
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import card, label, mask_id_number, mask_name, touch_scroll


def _mask_phone(value: str) -> str:
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value


MASKS = {"id_number": mask_id_number, "name": mask_name, "phone": _mask_phone}


def summary_rows(results: Sequence[Any]) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
    """The rows (masked) and the total of the given step results, in order."""
    rows: list[tuple[str, str]] = []
    total: tuple[str, str] | None = None
    for result in results:
        if not isinstance(result, dict):
            continue
        for row in result.get("summary") or ():
            label_text, value = str(row[0]), str(row[1])
            mask = MASKS.get(row[2]) if len(row) > 2 else None
            rows.append((label_text, mask(value) if mask else value))
        if result.get("total"):
            total = (str(result["total"][0]), str(result["total"][1]))
    return rows, total


FIELD_MASKS = {"id_number": "id_number", "phone": "phone"}


def described(step: Any, result: Any, item: dict[str, Any] | None = None) -> Any:
    """The form's answers and the materials' choices as summary rows (their results are plain
    values and a list), the item's labels, options and material names as the item shows them in the
    session's language; every other step's result describes itself."""
    if step.kind == "form" and isinstance(result, dict) and "summary" not in result:
        from kiosk.ui.steps.form import shown_value

        rows = []
        for spec in step.params.get("fields", ()):
            if spec["name"] in result and result[spec["name"]] not in (None, ""):
                value = result[spec["name"]]
                mask = FIELD_MASKS.get(spec["type"])
                text = str(value) if mask else shown_value(spec, value, item)
                name = shown(item, spec["label"])
                rows.append([name, text, mask] if mask else [name, text])
        return {"summary": rows}
    if step.kind == "materials" and isinstance(result, list):
        return {"summary": [[shown(item, p.name), p.label or p.by] for p in result]}
    return result


@register
class ConfirmScreen(StepScreen):
    name = "confirm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setText(tr("请核对以下信息"))
        self.sheet = card()
        self.grid = QGridLayout(self.sheet)
        self.grid.setContentsMargins(40, 28, 40, 28)
        self.grid.setHorizontalSpacing(40)
        self.grid.setVerticalSpacing(14)
        self.grid.setColumnStretch(1, 1)
        self.rows = FieldRows(self.grid)
        self.body.addWidget(touch_scroll(self.sheet), 1)
        self.total_label = label("", "subtitle")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.total_value = label("", "amount")
        self.total_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.total_label)
        self.body.addWidget(self.total_value)
        self.hint = self.centered(tr("确认无误后点「确认无误」；如需修改，请点「上一步」。"), "hint")
        self.confirm = self.add_button(tr("确认无误"), "primary")
        self.confirm.clicked.connect(lambda: self.done.emit({"confirmed": True}))

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self._clear()
        earlier = [described(step, ctx.results.get(step.kind), ctx.item) for step in ctx.plan.steps[: ctx.index]]
        rows, total = summary_rows(earlier)
        for name, value in rows:
            self.rows.add(name, value)
        self.sheet.setVisible(bool(rows))
        self.total_label.setText(total[0] if total else "")
        self.total_value.setText(total[1] if total else "")
        self.total_label.setVisible(total is not None)
        self.total_value.setVisible(total is not None)

    def values(self) -> list[tuple[str, str]]:
        return self.rows.values()

    def prompt(self) -> str:
        if self.total_value.text():  # the amount itself is shown, never said (kiosk/devices/speaker_guard.py)
            return tr("请核对信息和{what}，确认无误后点「确认无误」。").format(what=self.total_label.text())
        return tr("请核对信息，确认无误后点「确认无误」。")

    def _clear(self) -> None:
        self.rows.clear()

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._clear()
        self.total_label.setText("")
        self.total_value.setText("")
