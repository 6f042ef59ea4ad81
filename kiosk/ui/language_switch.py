"""简 / 繁 / EN on the home screen: the session's UI language (kiosk/ui/i18n.py), one tap, no step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui import i18n
from kiosk.ui.widgets import option_button

# Each language's button names itself in its own script, so a reader of that language finds it.
ACCESSIBLE = {"zh_CN": "简体中文", "zh_HK": "繁體中文", "en": "English"}


class LanguageSwitch(QWidget):
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty(i18n.KEEP, True)  # 简 / 繁 / EN read the same in every language
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        lay.addStretch(1)
        self.buttons = {}
        for code, text in i18n.LANGUAGES.items():
            b = option_button(text)
            b.setAccessibleName(ACCESSIBLE[code])
            b.clicked.connect(lambda _=False, c=code: self.chosen.emit(c))
            lay.addWidget(b, 0, Qt.AlignmentFlag.AlignRight)
            self.buttons[code] = b
        self.show_language(i18n.current())

    def show_language(self, language: str) -> None:
        for code, b in self.buttons.items():
            b.setChecked(code == language)
