"""A full-screen message: what happened, what to do next, and the way on (retry / home)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.screens.base import Screen


class MessageScreen(Screen):
    name = "message"
    primary_clicked = Signal()
    home_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.body.addStretch(1)
        self.what = self.centered("", "subtitle")
        self.next_step = self.centered("", "body")
        self.body.addStretch(2)
        self.home = self.add_button("返回首页")
        self.primary = self.add_button("重试", "primary")
        self.home.clicked.connect(self.home_clicked.emit)
        self.primary.clicked.connect(self.primary_clicked.emit)

    def prepare(self, title: str, what: str, next_step: str, primary: str | None = None) -> None:
        self.title.setText(title)
        self.what.setText(what)
        self.next_step.setText(next_step)
        self.primary.setVisible(primary is not None)
        if primary:
            self.primary.setText(primary)
