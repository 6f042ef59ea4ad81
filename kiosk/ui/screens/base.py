"""Common layout for every screen: a title, a body area, and a row of big buttons at the bottom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import button, label


class Screen(QWidget):
    name = "screen"

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 24, 48, 24)
        outer.setSpacing(20)
        self.title = label(title, "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.title)
        self.body = QVBoxLayout()
        self.body.setSpacing(16)
        outer.addLayout(self.body, 1)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(32)
        outer.addLayout(self.buttons)

    def add_button(self, text: str, variant: str = "") -> QPushButton:
        b = button(text, variant)
        b.setMinimumWidth(320)
        self.buttons.addWidget(b)
        return b

    def centered(self, text: str, role: str = "body") -> QLabel:
        w = label(text, role)
        w.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(w)
        return w

    def prompt(self) -> str:
        """What the screen asks of the resident in one sentence (the voice reads it)."""
        return self.title.text()

    def retranslate(self) -> None:
        """The UI language changed: labels and buttons were already put into it by
        kiosk/ui/i18n.py retranslate_tree; a screen re-renders here what it built from data."""

    def clear_personal_data(self) -> None:
        """Screens that show personal data override this; called at session wipe."""
