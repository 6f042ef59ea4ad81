"""Show a result document (certificate, query result): title, labelled rows, a print button."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QScrollArea, QWidget

from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import card, label


class DocumentScreen(Screen):
    name = "document"
    print_requested = Signal()
    home_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.subtitle = label("", "subtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.subtitle)
        self.sheet = card()
        self.rows = QGridLayout(self.sheet)
        self.rows.setContentsMargins(40, 28, 40, 28)
        self.rows.setHorizontalSpacing(40)
        self.rows.setVerticalSpacing(14)
        self.rows.setColumnStretch(1, 1)  # labels take what they need, values the rest
        scroll = QScrollArea()  # long documents and 长者模式 fonts scroll instead of overlapping
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.sheet)
        self.body.addWidget(scroll, 1)
        self.home = self.add_button("返回首页")
        self.print = self.add_button("打印证明", "primary")
        self.print.setObjectName("print")
        self.home.clicked.connect(self.home_requested.emit)
        self.print.clicked.connect(self.print_requested.emit)

    def show_document(self, title: str, rows: list[tuple[str, str]], note: str = "",
                      can_print: bool = True) -> None:
        self.clear_personal_data()
        self.title.setText(title)
        self.subtitle.setText(note)
        for r, (name, value) in enumerate(rows):
            key = label(name, "fieldLabel", wrap=False)
            val = label(value, "fieldValue")
            self.rows.addWidget(key, r, 0, Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(val, r, 1)
        self.print.setVisible(can_print)

    def values(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for r in range(self.rows.rowCount()):
            k, v = self.rows.itemAtPosition(r, 0), self.rows.itemAtPosition(r, 1)
            if k and v:
                out.append((k.widget().text(), v.widget().text()))  # type: ignore[union-attr]
        return out

    def clear_personal_data(self) -> None:
        while self.rows.count():
            item: Any = self.rows.takeAt(0)
            if item.widget():
                w = item.widget()
                w.setText("")  # gone now, not only when the event loop deletes the widget
                w.hide()
                w.deleteLater()
        self.title.setText("")
