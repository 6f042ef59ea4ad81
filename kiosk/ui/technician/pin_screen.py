"""The technician PIN, typed on the kiosk's one keypad (digits). Shown after the corner's 5 taps.

The PIN is checked off the GUI thread (PinLockout.try_pin: one scrypt, and the try is written to
the state directory before the answer comes back). It lives only in the masked field until 确定,
which clears the field at once; it is never logged, shown or kept. While entry is locked the
screen says for how long and 确定 stays off. 取消, or a minute without a touch, goes back.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from kiosk.services import messages
from kiosk.services.pin_lockout import Attempt, PinLockout
from kiosk.services.technician_pin import PinHashError
from kiosk.ui.countdown import Countdown
from kiosk.ui.keypad import Keypad
from kiosk.ui.ops import run_op
from kiosk.ui.screens.base import Screen

log = logging.getLogger(__name__)

FIELD_NAME = "维护密码"
TIMEOUT_S = 60


def attempt_text(attempt: Attempt) -> str:
    if attempt.locked:
        return messages.text("technician.locked", minutes=max(1, math.ceil(attempt.seconds_left / 60)))
    return messages.text("technician.pin_wrong", tries_left=attempt.tries_left)


class PinScreen(Screen):
    name = "technician_pin"
    accepted = Signal()
    cancelled = Signal()

    def __init__(self, lockout: PinLockout, pin_hash: str | None, parent: QWidget | None = None) -> None:
        super().__init__("技术维护", parent)
        self.lockout, self.pin_hash = lockout, pin_hash
        self.body.addStretch(1)
        self.centered("请输入维护密码", "subtitle")
        row = QHBoxLayout()
        row.addStretch(1)
        self.field = QLineEdit()
        self.field.setProperty("role", "answer")
        self.field.setAccessibleName(FIELD_NAME)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # only the keypad types here
        self.field.setMaxLength(12)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setMinimumWidth(480)
        row.addWidget(self.field)
        row.addStretch(1)
        self.body.addLayout(row)
        self.message = self.centered("", "error")
        pad_row = QHBoxLayout()
        pad_row.addStretch(1)
        self.keypad = Keypad("digits")
        self.keypad.attach(self.field)
        self.keypad.setMaximumWidth(560)
        pad_row.addWidget(self.keypad, 2)
        pad_row.addStretch(1)
        self.body.addLayout(pad_row)
        self.body.addStretch(1)
        self.cancel = self.add_button("取消")
        self.ok = self.add_button("确定", "primary")
        self.cancel.clicked.connect(self._cancel)
        self.ok.clicked.connect(self._submit)
        self.keypad.typed.connect(lambda _: self.timeout.start(TIMEOUT_S))
        self.timeout = Countdown(self)
        self.timeout.finished.connect(self._cancel)
        self._checking = False

    # ---- showing ----------------------------------------------------------------------------
    def prepare(self) -> None:
        """Fresh field; ask the lockout whether entry is locked (a file read, off the GUI thread)."""
        self.field.clear()
        self.message.setText("")
        self.ok.setEnabled(self.pin_hash is not None)
        if self.pin_hash is None:
            self.message.setText(messages.text("technician.no_pin"))
        self.timeout.start(TIMEOUT_S)
        run_op(self.lockout.status, self._show_state, self._failed)

    def leave(self) -> None:
        self.timeout.stop()
        self.field.clear()
        self.message.setText("")

    def _show_state(self, attempt: Attempt) -> None:
        if attempt.locked:
            self.message.setText(attempt_text(attempt))
            self.ok.setEnabled(False)

    # ---- trying -----------------------------------------------------------------------------
    def _submit(self) -> None:
        pin, pin_hash = self.field.text(), self.pin_hash
        self.field.clear()  # the PIN goes no further than the check below
        if self._checking or pin_hash is None:
            return
        if not pin:
            self.message.setText("请先输入维护密码。")
            return
        self._checking = True
        self.ok.setEnabled(False)
        self.message.setText("正在核对……")
        run_op(lambda: self.lockout.try_pin(pin, pin_hash), self._answered, self._failed)

    def _answered(self, attempt: Attempt) -> None:
        self._checking = False
        if attempt.ok:
            self.leave()
            self.accepted.emit()
            return
        self.message.setText(attempt_text(attempt))
        self.ok.setEnabled(not attempt.locked)

    def _failed(self, exc: Any) -> None:
        self._checking = False
        if isinstance(exc, PinHashError):
            log.error("technician.pin_hash is not usable: %s", exc)
            self.message.setText(messages.text("technician.no_pin"))
            return
        self.message.setText(messages.for_error(exc))  # e.g. technician.state_unwritable
        self.ok.setEnabled(True)

    def _cancel(self) -> None:
        self.leave()
        self.cancelled.emit()
