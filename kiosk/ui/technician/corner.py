"""The hidden way in: a small, invisible zone in the title bar's corner. Five taps within three
seconds ask for the technician PIN; fewer, or slower, do nothing, so a resident who brushes the
corner notices nothing. Its accessible name lets the scenario runner and tests tap it by name."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.i18n import tr

ACCESSIBLE_NAME = tr("技术维护入口")  # tr: the corner sits on every resident screen
TAPS = 5
WINDOW_S = 3.0
SIZE_PX = (120, 96)  # a fingertip's target, within the title bar's height


class CornerZone(QWidget):
    activated = Signal()

    def __init__(self, parent: QWidget, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("technicianCorner")
        self.setAccessibleName(ACCESSIBLE_NAME)
        self.setFixedSize(*SIZE_PX)
        self.clock = clock
        self._taps: list[float] = []

    def tap(self) -> None:
        now = self.clock()
        self._taps = [t for t in self._taps if now - t < WINDOW_S] + [now]
        if len(self._taps) >= TAPS:
            self._taps = []
            self.activated.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API); touches arrive as presses
        self.tap()
        event.accept()
