"""The kiosk under systemd: READY=1 once home has been painted, WATCHDOG=1 from the GUI thread.

The pings come from a QTimer on the GUI thread, so they stop when the event loop stops (a hung
slot, a deadlock, an endless layout): systemd then kills and restarts the kiosk (WatchdogSec= in
deploy/systemd/kiosk.service). A ping from a helper thread would keep a frozen screen "alive".

READY means "a resident can use the terminal": the first paint of the window after `home_loaded()`
became true (home shows its tiles, or its notice that the list could not be loaded). It is sent on
the next turn of the event loop after that paint event, i.e. once the frame is drawn.

    watch = SystemdWatch(window, home_loaded=lambda: ...)   # after the window is shown
    watch.ready_now()                                        # or: say READY yourself

Process signals are handled here too: SIGTERM/SIGINT quit the event loop (so main() closes the
devices and the outbox), via a wakeup fd so they act at once even while Qt sits in C++.

Test-only: with KIOSK_TEST_FREEZE_S=N in the environment, SIGUSR2 blocks the GUI thread for N
seconds (STATUS=frozen … STATUS=thawed around it), so tests/deploy/test_watchdog.py can show that
a frozen GUI stops the pings. The units never set it.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk.services.sd_notify import READY, STOPPING, WATCHDOG, Notifier, status, watchdog_interval

log = logging.getLogger(__name__)

FREEZE_ENV = "KIOSK_TEST_FREEZE_S"


class SystemdWatch(QObject):
    ready_sent = Signal()
    pinged = Signal()

    def __init__(self, window: QWidget, home_loaded: Callable[[], bool],
                 notifier: Notifier | None = None, env: dict[str, str] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.home_loaded = home_loaded
        self.notifier = notifier or Notifier(env)
        self.ready = False
        self._ready_queued = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.ping)
        interval = watchdog_interval(env)
        if interval is not None and self.notifier.enabled:
            self._timer.start(max(50, int(interval * 1000)))
            log.info("systemd watchdog: pinging every %.1f s from the GUI thread", interval)
        app = QCoreApplication.instance()
        if self.notifier.enabled and app is not None:
            app.installEventFilter(self)  # removed again once READY is sent
            window.update()  # ask for a paint in case everything is already on screen

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (event.type() == QEvent.Type.Paint and not self._ready_queued and isinstance(obj, QWidget)
                and obj.window() is self.window and self.home_loaded()):
            self._ready_queued = True
            QTimer.singleShot(0, self.ready_now)  # after this paint has been drawn
        return False

    def ready_now(self) -> None:
        if self.ready:
            return
        self.ready = True
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.notifier.send(READY, status("home screen shown"))
        log.info("systemd: READY (home painted)")
        self.ready_sent.emit()

    def ping(self) -> None:
        self.notifier.send(WATCHDOG)
        self.pinged.emit()

    def stopping(self) -> None:
        self._timer.stop()
        self.notifier.send(STOPPING)


class SignalWaker(QObject):
    """Runs Python signal handlers promptly: CPython only runs them when the main thread executes
    Python code, which an idle Qt event loop does not; the wakeup fd makes a QSocketNotifier fire."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._rsock, self._wsock = socket.socketpair()
        self._rsock.setblocking(False)
        self._wsock.setblocking(False)
        signal.set_wakeup_fd(self._wsock.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(self._rsock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            while self._rsock.recv(64):
                pass
        except BlockingIOError:
            pass


def install_signal_handlers(app: QCoreApplication, watch: SystemdWatch | None = None,
                            env: dict[str, str] | None = None) -> SignalWaker:
    """SIGTERM/SIGINT: STOPPING=1, then end the event loop with status 0. SIGUSR2 freezes the GUI
    thread only when KIOSK_TEST_FREEZE_S is set (tests)."""
    env = os.environ if env is None else env  # type: ignore[assignment]
    waker = SignalWaker(app)

    def quit_(signum: int, _frame: object) -> None:
        log.info("signal %s: quitting", signal.Signals(signum).name)
        if watch is not None:
            watch.stopping()
        app.exit(0)  # not quit(): that asks the windows first, and lockdown refuses close

    signal.signal(signal.SIGTERM, quit_)
    signal.signal(signal.SIGINT, quit_)
    freeze_s = env.get(FREEZE_ENV, "")  # type: ignore[union-attr]
    if freeze_s and watch is not None:
        seconds = float(freeze_s)

        def freeze(_signum: int, _frame: object) -> None:
            log.warning("test hook: blocking the GUI thread for %.1f s", seconds)
            watch.notifier.send(status("frozen"))
            threading.Event().wait(seconds)  # the GUI thread is stuck here, as in a hung slot
            watch.notifier.send(status("thawed"))

        signal.signal(signal.SIGUSR2, freeze)
    return waker
