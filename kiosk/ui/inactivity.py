"""Return home when nobody touches the screen (WCAG 2.2.1: warn first, one tap to extend).

An application-wide event filter restarts the idle timer on every touch, click or key. When it fires
the window shows a warning with a countdown; a tap continues, silence goes home (and wipes the session).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
             QEvent.Type.Wheel}


class InactivityWatcher(QObject):
    warn = Signal(int)  # seconds left before going home
    expired = Signal()
    resumed = Signal()

    def __init__(self, idle_s: float, warning_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_ms = int(idle_s * 1000)
        self.warning_s = int(warning_s)
        self._idle = QTimer(self, singleShot=True)
        self._idle.timeout.connect(self._start_warning)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._on_tick)
        self._left = 0
        self.armed = False

    def arm(self, on: bool) -> None:
        """Watch only while a resident is in a journey (not on the home screen)."""
        self.armed = on
        self._tick.stop()
        if on:
            self._idle.start(self.idle_ms)
        else:
            self._idle.stop()

    @property
    def warning(self) -> bool:
        return self._tick.isActive()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self.armed and event.type() in _ACTIVITY:
            if self._tick.isActive():
                self._tick.stop()
                self.resumed.emit()
            self._idle.start(self.idle_ms)
        return False

    def _start_warning(self) -> None:
        self._left = self.warning_s
        self.warn.emit(self._left)
        self._tick.start()

    def _on_tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._tick.stop()
            self.armed = False
            self.expired.emit()
        else:
            self.warn.emit(self._left)
