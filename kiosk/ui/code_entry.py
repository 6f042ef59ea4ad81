"""Numbers typed on the one keypad, or read by the scanner: 户号, ID numbers, order and receipt numbers.

`CodeEntry` holds one or more labelled fields and the kiosk's keypad (kiosk/ui/keypad.py): tapping
a field points the keypad at it, in that field's layout (digits, id, code). Landscape puts the
fields left of the keypad, portrait above it. `ScanWatch` listens to the QR/barcode scanner while a
screen wants codes: enabled on start, disabled and detached on stop, and a code read before start
is dropped (it was not meant for this screen).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui.device_bridge import DeviceBridge
from kiosk.ui.keypad import Keypad
from kiosk.ui.widgets import label


class KeyField(QLineEdit):
    """A field the on-screen keypad types into (the system input method stays off)."""

    activated = Signal()

    def __init__(self, name: str, layout: str, max_length: int) -> None:
        super().__init__()
        self.keypad_layout = layout
        self.setAccessibleName(name)
        self.setProperty("role", "answer")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMaxLength(max_length)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().focusInEvent(event)
        self.activated.emit()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().mousePressEvent(event)
        self.end(False)  # a finger is no cursor: the keypad always types at the end
        self.activated.emit()


class CodeEntry(QWidget):
    typed = Signal()  # any key

    def __init__(self, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: list[KeyField] = []
        self.captions: list[QLabel] = []  # one per field, in order (never read back through itemAt)
        self.keypad = Keypad("digits")
        self.keypad.typed.connect(lambda _: self.typed.emit())
        self.keypad.typed.connect(lambda _: self.error.setText(""))
        self.pair = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.pair.setContentsMargins(0, 0, 0, 0)
        self.pair.setSpacing(40)
        self.left = QVBoxLayout()
        self.left.addStretch(1)
        self.hint = label(hint, "hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setVisible(bool(hint))
        self.left.addWidget(self.hint)
        self.form = QVBoxLayout()
        self.form.setSpacing(10)
        self.left.addLayout(self.form)
        self.error = label("", "error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.left.addWidget(self.error)
        self.left.addStretch(1)
        self.pair.addLayout(self.left, 1)
        self.pair.addWidget(self.keypad, 1)

    def add_field(self, name: str, layout: str = "digits", max_length: int = 18) -> KeyField:
        field = KeyField(name, layout, max_length)
        caption = label(name, "fieldLabel")
        self.form.addWidget(caption)
        self.captions.append(caption)
        self.form.addWidget(field)
        field.activated.connect(lambda f=field: self.activate(f))
        self.fields.append(field)
        if len(self.fields) == 1:
            self.activate(field)
        return field

    def activate(self, field: KeyField) -> None:
        if self.keypad.layout_name != field.keypad_layout:
            self.keypad.set_layout(field.keypad_layout)
        self.keypad.attach(field)

    def start(self) -> None:
        """The entry shows: the keypad types into the first field."""
        self.error.setText("")
        if self.fields:
            self.activate(self.fields[0])
            self.fields[0].setFocus()

    def values(self) -> list[str]:
        return ["".join(f.text().split()).upper() for f in self.fields]

    def clear(self) -> None:
        for f in self.fields:
            f.clear()
        self.error.setText("")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        wide = self.width() > self.height() * 1.2
        self.pair.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)


class ScanWatch(QObject):
    """The scanner's codes as a Qt signal, while started (GUI thread)."""

    scanned = Signal(str)
    rejected = Signal(object)  # ScanRejected: a frame that was not a code

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge: DeviceBridge | None = None

    @property
    def active(self) -> bool:
        return self.bridge is not None

    def start(self, devices: Any) -> bool:
        """Listen to the scanner; False when this kiosk has none."""
        self.stop()
        scanner = devices.get("scanner") if devices is not None else None
        if scanner is None:
            return False
        scanner.events.clear()  # a code read before this screen is not for it
        self.bridge = DeviceBridge(scanner, self)
        self.bridge.data_received.connect(lambda code: self.scanned.emit(str(getattr(code, "code", code))))
        self.bridge.error_received.connect(self.rejected.emit)
        scanner.enable()
        return True

    def stop(self) -> None:
        if self.bridge is not None:
            self.bridge.device.disable()
            self.bridge.device.events.clear()
            self.bridge.detach()
            self.bridge.deleteLater()
            self.bridge = None
