"""The technician's way in and out, in one place.

    corner (5 taps in 3 s) → PIN screen → [PIN right] → the resident's session ends (FlowRunner.go_home
    wipes it) → technician screen → 返回服务, or 5 idle minutes → home, served again

The PIN screen covers whatever showed; 取消 (or a minute without a touch) brings it back, so a
resident who brushed the corner loses nothing. If the flow runner shows a screen of its own while
the technician screen or the PIN screen is up (the fleet's maintenance mode, a screenshot tool
going home), the technician part lets go cleanly: camera off, results dropped, timers stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication

from kiosk.exit_codes import EXIT_RESTART
from kiosk.ui.technician.pin_screen import PinScreen
from kiosk.ui.technician.screen import TechnicianScreen
from kiosk.ui.technician.tools import TechnicianTools

log = logging.getLogger(__name__)


def restart_app() -> None:
    log.warning("technician: restart requested (exit %d)", EXIT_RESTART)
    QApplication.exit(EXIT_RESTART)


class _EventBridge(QObject):
    """The event log's listener fires on device and network threads; this re-emits on the GUI thread."""

    arrived = Signal(object)


class Technician(QObject):
    entered = Signal()
    left = Signal()

    def __init__(self, window: Any, runner: Any, tools: TechnicianTools,
                 restart: Callable[[], None] = restart_app) -> None:
        super().__init__(window)
        self.window, self.runner, self.tools = window, runner, tools
        self.pin: PinScreen = window.add_screen(PinScreen(tools.lockout, tools.pin_hash))
        self.screen: TechnicianScreen = window.add_screen(TechnicianScreen(tools, restart))
        self.active = False
        self._entering = False
        self._before: tuple[str, tuple | None] | None = None  # (screen, its journey bar) under the PIN screen
        window.technician_requested.connect(self.ask_pin)
        self.pin.accepted.connect(self.enter)
        self.pin.cancelled.connect(self._pin_cancelled)
        self.screen.return_clicked.connect(lambda: self.back_to_service("returned"))
        self.screen.timed_out.connect(lambda: self.back_to_service("idle"))
        runner.screen_changed.connect(self._runner_showed)
        self._bridge = _EventBridge(self)
        self._bridge.arrived.connect(self.screen.log_page.append)
        emit = self._bridge.arrived.emit
        tools.event_log.add_listener(emit)
        self.destroyed.connect(lambda *_: tools.event_log.remove_listener(emit))

    # ---- in --------------------------------------------------------------------------------------
    @Slot()
    def ask_pin(self) -> None:
        current = self.window.current
        if current in (self.pin.name, self.screen.name):
            return
        self._before = (current, self.window.journey)
        self.window.set_journey(None)
        self.window.idle_warning.hide()
        self.pin.prepare()
        self.window.show_screen(self.pin.name)

    def _pin_cancelled(self) -> None:
        before, self._before = self._before, None
        if self.window.current != self.pin.name or before is None:
            return
        name, journey = before
        if name == "busy" or name not in self.window.screens:  # its wait may have ended meanwhile
            step = self.runner.current_step
            self.window.show_screen(step.name if step is not None else "home")
            self.runner.update_bar(self.window.current)
            return
        self.window.show_screen(name)
        self.window.set_journey(*(journey or (None,)))

    def enter(self) -> None:
        self._before = None
        self._entering = True
        try:
            self.runner.go_home("technician")  # a resident's session ends here, wiped first
        finally:
            self._entering = False
        self.window.set_journey(None)
        self.window.show_screen(self.screen.name)
        self.active = True
        self.tools.event_log.action("technician screen entered")
        log.info("technician screen entered")
        self.screen.enter()
        self.entered.emit()

    # ---- out -------------------------------------------------------------------------------------
    def back_to_service(self, why: str = "returned") -> None:
        if not self.active:
            return
        self._let_go(why)
        self.runner.load_home()  # home again, with the items (a refreshed catalogue shows now)

    def _let_go(self, why: str) -> None:
        self.active = False
        self.screen.leave()
        self.tools.event_log.action(f"technician screen left ({why})")
        log.info("technician screen left (%s)", why)
        self.left.emit()

    def _runner_showed(self, name: str) -> None:
        if self._entering:
            return
        if self.active:
            self._let_go(f"the kiosk showed {name}")
        elif self.window.current != self.pin.name and self._before is not None:
            self.pin.leave()  # the runner moved on under the PIN screen (e.g. inactivity)
            self._before = None
