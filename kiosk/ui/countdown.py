"""Second-by-second countdowns (inactivity, its warning, the take-away screen) on one injectable clock.

A Countdown ticks once a second on a QTimer while it runs. The scenario runner's `idle: N` and tests
call `advance_all(N)`: every running countdown ticks N times at once, in order, as if N seconds had
passed with nobody touching the screen. No test waits for real seconds.
"""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

_running: weakref.WeakSet[Countdown] = weakref.WeakSet()


class Countdown(QObject):
    tick = Signal(int)  # seconds left (> 0)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.left = 0
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self, seconds: float) -> None:
        self.left = max(1, int(round(seconds)))
        self._timer.start()
        _running.add(self)

    def stop(self) -> None:
        self._timer.stop()
        _running.discard(self)

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.stop()
            self.finished.emit()
        else:
            self.tick.emit(self.left)


def _live() -> list[Countdown]:
    """Running countdowns whose Qt object still exists (a closed window's may linger in Python)."""
    return [c for c in list(_running) if shiboken6.isValid(c)]


def advance_all(seconds: float) -> None:
    """Pretend `seconds` passed: each second, every running countdown ticks once (one started by
    another's finish joins in from the next second)."""
    for _ in range(int(seconds)):
        for countdown in _live():
            if shiboken6.isValid(countdown) and countdown.active:
                countdown._tick()


def stop_all() -> None:
    """Stop every countdown (a kiosk being torn down, e.g. between scenarios)."""
    for countdown in _live():
        countdown.stop()
    _running.clear()
