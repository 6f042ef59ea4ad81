"""A wait with a visible sign of life, for backend calls and printing."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar, QWidget

from kiosk.ui.i18n import tr
from kiosk.ui.screens.base import Screen


class BusyScreen(Screen):
    name = "busy"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("请稍候"), parent)
        self.body.addStretch(1)
        self.message = self.centered("", "subtitle")
        bar = QProgressBar()
        bar.setRange(0, 0)  # indeterminate
        bar.setTextVisible(False)
        self.body.addWidget(bar)
        self.body.addStretch(2)

    def prepare(self, message: str) -> None:
        self.message.setText(message)

    def prompt(self) -> str:
        return self.message.text()
