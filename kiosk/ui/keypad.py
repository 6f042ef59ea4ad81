"""The kiosk's one on-screen keypad: big keys, a digit layout and a letter layout.

Forms (numbers, phones, ID numbers, amounts, codes of capitals and digits), search (pinyin initials), 户号 and the technician PIN
all type through it. It types into the line edit it is attached to, never takes focus itself, and
each key's accessible name is what it types ("0".."9", "X", "A".."Z", "."), plus 删除 and 清空, so
the scenario runner can type by tapping keys the way a person does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

from kiosk.ui.i18n import tr
from kiosk.ui.widgets import button

BACKSPACE, CLEAR = tr("删除"), tr("清空")

LAYOUTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "digits": (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), (CLEAR, "0", BACKSPACE)),
    "id": (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("X", "0", BACKSPACE)),
    "money": (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), (".", "0", BACKSPACE)),
    "letters": (tuple("QWERTYUIOP"), tuple("ASDFGHJKL"), (*tuple("ZXCVBNM"), BACKSPACE, CLEAR)),
    # A→Z in seven columns: for 长者模式 (bigger keys fit a portrait screen; no QWERTY to know)
    "abc": (tuple("ABCDEFG"), tuple("HIJKLMN"), (*tuple("OPQRST"), CLEAR), (*tuple("UVWXYZ"), BACKSPACE)),
    # letters and digits together: receipt and order numbers (YS2026…, DD2026…), form codes
    "alnum": (tuple("1234567890"), tuple("QWERTYUIOP"), tuple("ASDFGHJKL"), (*tuple("ZXCVBNM"), BACKSPACE, CLEAR)),
}


class Keypad(QWidget):
    typed = Signal(str)  # the target's text after every key

    def __init__(self, layout: str = "digits", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keypad")
        self.target: QLineEdit | None = None
        self.keys: dict[str, QPushButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setSpacing(8)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.set_layout(layout)

    def set_layout(self, layout: str) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown keypad layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
        for key in self.keys.values():
            self._grid.removeWidget(key)
            key.deleteLater()
        self.keys = {}
        self.layout_name = layout
        for r, row in enumerate(LAYOUTS[layout]):
            for c, text in enumerate(row):
                shown = tr(text) if text in (BACKSPACE, CLEAR) else text  # a keypad built in a 繁 / EN session
                key = button(shown, "primary" if text not in (BACKSPACE, CLEAR) else "", role="key")
                key.setAccessibleName(shown)
                key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps its focus and cursor
                key.setAutoRepeat(text == BACKSPACE)
                key.clicked.connect(lambda _=False, t=text: self.press(t))
                self._grid.addWidget(key, r, c)
                self.keys[text] = key

    def attach(self, target: QLineEdit | None) -> None:
        self.target = target

    def press(self, key: str) -> None:
        target = self.target
        if target is None or target.isReadOnly():
            return
        if key == BACKSPACE:
            target.backspace()
        elif key == CLEAR:
            target.clear()
        elif target.maxLength() <= 0 or len(target.text()) < target.maxLength():
            target.insert(key)
        self.typed.emit(target.text())
