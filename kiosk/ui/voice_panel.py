"""The 语音 panel: voice on or off, 普通话 or 粤语, and the volume, in large targets over any screen.

It opens from the 语音 button at the foot of every screen (next to 重听) and closes with 完成设置 or
when the screen changes. It only shows and sets the state of kiosk/ui/voice.py's Voice; the state lasts for the
session. A chosen option shows ✓ as well as its colour; the volume shows as filled squares.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.i18n import tr
from kiosk.ui.widgets import button, label, option_button, restyle

LANGUAGE_NAMES = {"cmn": tr("普通话"), "yue": tr("粤语"), "en": tr("英语")}


class VoicePanel(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("voicePanel")
        self.setProperty("role", "card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 28, 40, 28)
        lay.setSpacing(20)
        title = label(tr("语音播报"), "subtitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(16)
        lay.addLayout(grid)

        self.on_button, self.off_button = option_button(tr("打开语音")), option_button(tr("关闭语音"))
        self.language_buttons = {code: option_button(name) for code, name in LANGUAGE_NAMES.items()}
        self.softer_button, self.louder_button = button(tr("小声一点")), button(tr("大声一点"))
        self.level = label("", "title", wrap=False)
        self.level.setAlignment(Qt.AlignmentFlag.AlignCenter)
        rows: list[tuple[str, list[QWidget]]] = [
            (tr("语音"), [self.on_button, self.off_button]),
            (tr("语言"), list(self.language_buttons.values())),
            (tr("音量"), [self.softer_button, self.level, self.louder_button]),
        ]
        for row, (name, widgets) in enumerate(rows):
            grid.addWidget(label(name, "fieldLabel", wrap=False), row, 0)
            span = 6 // len(widgets)  # six columns after the name: two buttons of 3, or 3 widgets of 2
            for i, w in enumerate(widgets):
                grid.addWidget(w, row, 1 + i * span, 1, span)
        for group_buttons in ([self.on_button, self.off_button], list(self.language_buttons.values())):
            group = QButtonGroup(self)
            group.setExclusive(True)
            for b in group_buttons:
                group.addButton(b)
        self.close_button = button(tr("完成设置"), "primary")
        lay.addWidget(self.close_button)
        self.close_button.clicked.connect(self.hide)
        self.voice_button: QPushButton | None = None
        self.hide()

    def bind(self, voice: Any, repeat_button: QPushButton, voice_button: QPushButton) -> None:
        """Drive `voice` (kiosk/ui/voice.py Voice) from these controls and show its state."""
        self.voice_button = voice_button
        repeat_button.clicked.connect(voice.repeat)
        voice_button.clicked.connect(self.open)
        self.on_button.clicked.connect(lambda: voice.set_enabled(True))
        self.off_button.clicked.connect(lambda: voice.set_enabled(False))
        for code, b in self.language_buttons.items():
            b.clicked.connect(lambda _=False, c=code: voice.set_language(c))
        self.softer_button.clicked.connect(voice.softer)
        self.louder_button.clicked.connect(voice.louder)
        voice.changed.connect(lambda: self.show_state(voice))
        self.show_state(voice)

    def show_state(self, voice: Any) -> None:
        from kiosk.ui.voice import VOLUME_LEVELS

        (self.on_button if voice.enabled else self.off_button).setChecked(True)
        self.language_buttons[voice.language].setChecked(True)
        self.level.setText("■" * (voice.level + 1) + "□" * (len(VOLUME_LEVELS) - voice.level - 1))
        self.level.setAccessibleName(tr("音量第{n}级").format(n=voice.level + 1))
        self.softer_button.setEnabled(voice.level > 0)
        self.louder_button.setEnabled(voice.level < len(VOLUME_LEVELS) - 1)
        if self.voice_button is not None:  # the button says whether the voice is on (not colour only)
            self.voice_button.setText(tr("语音：开") if voice.enabled else tr("语音：关"))
            self.voice_button.setProperty("active", "true" if voice.enabled else "false")
            restyle(self.voice_button)

    def open(self) -> None:
        parent = self.parentWidget()
        w = min(1100, parent.width() - 80)
        h = min(parent.height() - 40, max(420, self.sizeHint().height()))
        self.setGeometry((parent.width() - w) // 2, (parent.height() - h) // 2, w, h)
        self.show()
        self.raise_()
