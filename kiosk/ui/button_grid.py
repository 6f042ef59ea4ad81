"""Buttons in as many columns as fit (up to a maximum): tiers, days, time slots, choices.

A fixed column count overflows a portrait screen in 长者模式 (bigger type, same width); this grid
counts the columns from its own width and the widest button each time it is resized.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractButton, QGridLayout, QWidget


class ButtonGrid(QWidget):
    def __init__(self, max_columns: int, spacing: int = 14, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_columns = max_columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        self.buttons: list[QAbstractButton] = []
        self.columns = 0

    def add(self, button: QAbstractButton) -> None:
        self.buttons.append(button)
        self._place(force=True)

    def clear(self) -> None:
        for b in self.buttons:
            self.grid.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.buttons = []
        self.columns = 0

    def _widest(self) -> int:
        return max((b.sizeHint().width() for b in self.buttons), default=1)

    def _fitting(self) -> int:
        spacing = self.grid.spacing()
        return max(1, min(self.max_columns, (self.width() + spacing) // (self._widest() + spacing)))

    def _place(self, force: bool = False) -> None:
        columns = self._fitting()
        if columns == self.columns and not force:
            return
        self.columns = columns
        for b in self.buttons:
            self.grid.removeWidget(b)
        for i, b in enumerate(self.buttons):
            self.grid.addWidget(b, i // columns, i % columns)
        for c in range(self.max_columns):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API): one column always fits the width
        return QSize(self._widest(), self.grid.minimumSize().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._place()
