"""The language a card suggests, offered once per session as a banner (never a step of the plan):
a 港澳台居民居住证 ('J') → 繁體中文, a 外国人永久居留身份证 ('I' / 'Y') → English. The offer is
worded in the language it offers, one tap switches the session's language (FlowRunner.set_language),
and it goes away by itself, with 不用 / No thanks, or when the session ends."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from kiosk.ui.i18n import KEEP
from kiosk.ui.widgets import button, label

# card_type of kiosk/devices/id_card_fields.py → the UI language it suggests
SUGGESTED = {"hk_mo_tw_residence": "zh_HK", "foreign_permanent": "en"}
# Each offer in its own language: the resident reads it before the UI speaks it.
WORDING = {
    "zh_HK": ("如需以繁體中文顯示，請點「繁體中文」。", "繁體中文", "不用"),
    "en": ("This screen can be shown in English.", "English", "No thanks"),
}


class LanguageOffer(QFrame):
    accepted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setProperty(KEEP, True)  # worded in the language it offers
        lay = QHBoxLayout(self)
        lay.setContentsMargins(24, 8, 24, 8)
        lay.setSpacing(24)
        self.text = label("", "notice")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.text, 1)
        self.accept_button = button("", "primary")
        self.dismiss_button = button("")
        lay.addWidget(self.accept_button)
        lay.addWidget(self.dismiss_button)
        self.accept_button.clicked.connect(self._accept)
        self.dismiss_button.clicked.connect(self.hide)
        self._timer = QTimer(self, singleShot=True, interval=30_000)
        self._timer.timeout.connect(self.hide)
        self.language = ""
        self.offered = False  # once per session (reset())
        self.hide()

    def consider(self, card_type: str, current: str) -> None:
        """A card was read: offer its language once, unless the session already shows it."""
        language = SUGGESTED.get(card_type)
        if self.offered or language is None or language == current:
            return
        self.offered, self.language = True, language
        text, accept, dismiss = WORDING[language]
        self.text.setText(text)
        self.accept_button.setText(accept)
        self.dismiss_button.setText(dismiss)
        self.show()
        self._timer.start()

    def _accept(self) -> None:
        self.hide()
        self.accepted.emit(self.language)

    def reset(self) -> None:
        self.hide()
        self._timer.stop()
        self.offered = False
