"""Run start-up work that the first frame does not need only once that frame is on the screen.

    when_painted(runner.home, runner.home_loaded, open_devices)

Work on pool threads still competes with the GUI thread for the GIL: opening the devices (which
imports OpenCV, python-escpos and pyscard) or building the search index (pypinyin's tables) while
home lays out and paints its tiles would delay them (docs/performance.md). `fn` runs on the GUI
thread right after the first paint of `widget` at which `ready()` is true, or after `fallback_ms`
if no such paint comes (no screen, a load that failed), and only once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 3000


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, ready: Callable[[], bool], fn: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget, self.ready, self.fn = widget, ready, fn
        self.fired = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and not self.fired and self.ready():
            QTimer.singleShot(0, self, self.fire)  # after this paint has finished
        return False

    def fire(self) -> None:
        if self.fired:
            return
        self.fired = True
        self.widget.removeEventFilter(self)
        self.fn()


def when_painted(widget: QWidget, ready: Callable[[], bool], fn: Callable[[], None],
                 fallback_ms: int = FALLBACK_MS) -> None:
    hook = _AfterPaint(widget, ready, fn)
    widget.installEventFilter(hook)
    QTimer.singleShot(fallback_ms, hook, hook.fire)
