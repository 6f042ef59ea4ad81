"""Return home when nobody touches the screen (WCAG 2.2.1: warn first, one tap to extend).

An application-wide event filter restarts the idle countdown on every touch, click or key. When it
runs out the window shows a warning with a countdown; a tap continues, silence goes home (and wipes
the session). Both countdowns run on kiosk/ui/countdown.py, so `advance_all()` can skip time.
`suspend()` holds the clock while the resident must wait for something else (a payment on the phone).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal

from kiosk.ui.countdown import Countdown

_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
             QEvent.Type.Wheel}


class InactivityWatcher(QObject):
    warn = Signal(int)  # seconds left before going home
    expired = Signal()
    resumed = Signal()

    def __init__(self, idle_s: float, warning_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_s = idle_s
        self.warning_s = warning_s
        self.scale = 1.0  # 长者模式 doubles the time
        self._idle = Countdown(self)
        self._idle.finished.connect(self._start_warning)
        self._warning = Countdown(self)
        self._warning.tick.connect(self.warn.emit)
        self._warning.finished.connect(self._on_expired)
        self.armed = False
        self.suspended = False

    def arm(self, on: bool) -> None:
        """Watch only while a resident is in a journey (not on the home screen)."""
        self.armed = on
        self._warning.stop()
        if on and not self.suspended:
            self._idle.start(self.idle_s * self.scale)
        else:
            self._idle.stop()
        if not on:
            self.suspended = False

    def suspend(self, on: bool) -> None:
        """Hold the clock (e.g. while the phone pays): touches and screen changes do not restart it
        meanwhile; release restarts the full idle time."""
        self.suspended = on
        if on:
            self._idle.stop()
            self._warning.stop()
        elif self.armed:
            self._idle.start(self.idle_s * self.scale)

    @property
    def warning(self) -> bool:
        return self._warning.active

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self.armed and not self.suspended and event.type() in _ACTIVITY:
            if self._warning.active:
                self._warning.stop()
                self.resumed.emit()
            self._idle.start(self.idle_s * self.scale)
        return False

    def _start_warning(self) -> None:
        seconds = max(1, int(self.warning_s * self.scale))
        self._warning.start(seconds)
        self.warn.emit(seconds)

    def _on_expired(self) -> None:
        self.armed = False
        self.expired.emit()


UNWATCHED_SCREENS = ("home", "busy")  # home has no session to lose; busy waits on the kiosk, not the resident


def watch(app: QObject, runner: Any, window: Any, idle_s: float, warning_s: float) -> InactivityWatcher:
    """The kiosk's one watcher: armed on every screen but home and busy, its warning shown by the
    window, and silence ends the journey (home, session wiped)."""
    watcher = InactivityWatcher(idle_s, warning_s, window)
    app.installEventFilter(watcher)
    runner.screen_changed.connect(lambda name: watcher.arm(name not in UNWATCHED_SCREENS))
    watcher.warn.connect(window.idle_warning.show_seconds)
    watcher.resumed.connect(window.idle_warning.hide)
    watcher.expired.connect(lambda: runner.go_home("inactivity"))
    window.watcher = watcher  # keep a reference with the window
    return watcher
