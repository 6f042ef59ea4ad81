"""A grid of 名称 / 值 label pairs that a screen refills per resident (confirm, document, query).

The rows keep their own labels, so reading them back never goes through `QLayout.itemAt`: PySide6
parents the Python wrapper of every item `itemAt()` returns to the layout, and when Qt later deletes
that item itself (its widget was deleted while still laid out), the wrapper stays registered at a
freed address. The next Qt object allocated there is then destroyed through the dead wrapper: a
segfault in `BindingManager::releaseWrapper` (docs/architecture.md, "Qt objects and their wrappers").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel

from kiosk.ui.layout_items import take_items
from kiosk.ui.widgets import label


class FieldRows:
    def __init__(self, grid: QGridLayout) -> None:
        self.grid = grid
        self.pairs: list[tuple[QLabel, QLabel]] = []

    def add(self, name: str, value: str) -> None:
        r = len(self.pairs)
        pair = (label(name, "fieldLabel", wrap=False), label(value, "fieldValue"))
        self.grid.addWidget(pair[0], r, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(pair[1], r, 1, Qt.AlignmentFlag.AlignTop)
        self.pairs.append(pair)

    def values(self) -> list[tuple[str, str]]:
        """The label/value pairs as shown (tests)."""
        return [(k.text(), v.text()) for k, v in self.pairs]

    def clear(self) -> None:
        self.pairs = []
        for item in take_items(self.grid):
            w = item.widget()
            if w is not None:
                if isinstance(w, QLabel):
                    w.setText("")  # gone now, not only when the event loop deletes the widget
                w.hide()
                w.deleteLater()
