"""`kiosk`: the full-screen kiosk application.

    kiosk [--config FILE] [--windowed]

Start-up: validate the config and what it names (kiosk/preflight.py: exit 2 with file, key and
expectation on error), set up masked
logging, load the CJK font and theme, build the services and devices (no I/O yet), show the window,
then open the devices and load the home items off the GUI thread.

Exit status: kiosk/exit_codes.py; EXIT_RESTART also when the fleet's remote `restart` command asks
for it (between sessions only).
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass

from kiosk import preflight, startup_trace
from kiosk.config import Config
from kiosk.logging_setup import setup_logging

log = logging.getLogger("kiosk")


@dataclass
class Kiosk:
    """Everything the running kiosk is made of; tests build the same thing."""

    config: Config
    window: object
    runner: object
    devices: object
    desk: object
    client: object
    session: object
    outbox: object
    fleet: object = None  # kiosk.services.fleet_client.FleetClient when fleet.enabled
    technician: object = None  # kiosk.ui.technician.controller.Technician

    def close(self) -> None:
        if self.fleet is not None:
            self.fleet.stop()  # type: ignore[attr-defined]
        self.devices.close_all()  # type: ignore[attr-defined]
        if self.outbox is not None:
            self.outbox.close()  # type: ignore[attr-defined]
        self.desk.close()  # type: ignore[attr-defined]
        self.client.close()  # type: ignore[attr-defined]


def build_kiosk(cfg: Config) -> Kiosk:
    """Build the window, flow runner, services and devices. Needs a QApplication. Does no device I/O."""
    from PySide6.QtWidgets import QApplication

    from kiosk.devices.manager import DeviceManager
    from kiosk.services.backend_client import BackendClient
    from kiosk.services.outbox import Outbox
    from kiosk.services.service_desk import ServiceDesk
    from kiosk.services.session import Session
    from kiosk.services.signing import load_key
    from kiosk.ui import inactivity, voice
    from kiosk.ui.device_bridge import ConnectivityBridge
    from kiosk.ui.flow_runner import FlowRunner
    from kiosk.ui.main_window import MainWindow, status_text
    from kiosk.ui.ops import run_op

    key = load_key(cfg.backend.key_file)
    client = BackendClient(cfg.backend, cfg.kiosk_id, key)
    devices = DeviceManager(cfg)
    devices.build()  # construct the drivers (no I/O) so the UI can attach its bridges
    outbox = Outbox(cfg.backend.outbox_db, key, client) if cfg.backend.outbox_db else None
    desk = ServiceDesk(client, devices, outbox)
    session = Session()
    window = MainWindow(cfg.kiosk_id, orientation=cfg.display.orientation)
    runner = FlowRunner(window, desk, devices, session, settings={"take_away_s": cfg.timeouts.take_away_s})
    runner.home.set_attract_after(cfg.timeouts.attract_s)

    online = ConnectivityBridge(client.connectivity, window)
    online.changed.connect(lambda state: window.set_status(*status_text(state)))
    window.set_status(*status_text(client.connectivity.state))

    inactivity.watch(QApplication.instance(), runner, window, cfg.timeouts.inactivity_s,
                     cfg.timeouts.inactivity_warning_s)
    voice.attach(window, runner, devices.get("speaker"), cfg)  # after the watcher: it speaks its countdown
    session.on_token_dropped = lambda token: run_op(lambda: desk.end_platform_session(token),
                                                    lambda _: None, lambda _: None)
    fleet = _build_fleet(cfg, key, devices, client, outbox, desk, runner, window, session)
    technician = _build_technician(cfg, window, runner, devices, desk, client, outbox)
    return Kiosk(cfg, window, runner, devices, desk, client, session, outbox, fleet, technician)


# ---- the technician screen (kiosk/ui/technician/, docs/technician.md) ---------------------------
# The event log listens from start-up, so the technician sees what happened before they came.

def _build_technician(cfg: Config, window: object, runner: object, devices: object, desk: object,
                      client: object, outbox: object) -> object:
    from kiosk.services.pin_lockout import PinLockout
    from kiosk.ui.technician.controller import Technician
    from kiosk.ui.technician.event_log import EventLog
    from kiosk.ui.technician.tools import TechnicianTools

    events = EventLog()
    devices.add_status_listener(events.device_status)  # type: ignore[attr-defined]
    client.connectivity.add_listener(events.connectivity)  # type: ignore[attr-defined]
    if outbox is not None:
        outbox.add_ack_listener(events.outbox_ack)  # type: ignore[attr-defined]

    def refresh_catalogue() -> str:
        desk.catalogue.refresh()  # type: ignore[attr-defined]  # raises BackendError: the screen says why
        return desk.catalogue.current().version  # type: ignore[attr-defined]

    tools = TechnicianTools(cfg, devices, PinLockout.for_config(cfg), events, refresh_catalogue,
                            lambda: client.connectivity.state, outbox)  # type: ignore[attr-defined]
    return Technician(window, runner, tools)


# ---- fleet operations (docs/fleet.md) ----------------------------------------------------------
# The fleet client is Qt-free and calls back through KioskHooks on its own threads; these hooks
# carry each call to the GUI thread. Until the UI has a maintenance screen of its own, maintenance
# shows the runner's error screen with the fleet.maintenance text, and the status line.

def _build_fleet(cfg: Config, key: bytes, devices: object, client: object, outbox: object, desk: object,
                 runner: object, window: object, session: object) -> object:
    if not cfg.fleet.enabled:
        return None
    from PySide6.QtCore import QObject, Signal, Slot
    from PySide6.QtWidgets import QApplication

    from kiosk.exit_codes import EXIT_RESTART
    from kiosk.services.fleet_client import FleetClient
    from kiosk.services.messages import CodedError, text

    class GuiCall(QObject):
        """call(fn) from any thread runs fn on the GUI thread (the object lives there)."""

        call = Signal(object)

        def __init__(self) -> None:
            super().__init__(window)  # type: ignore[arg-type]
            self.call.connect(self._run)

        @Slot(object)
        def _run(self, fn: object) -> None:
            fn()  # type: ignore[operator]

    gui = GuiCall()

    class Hooks:
        def __init__(self) -> None:
            self.idle = True  # set on the GUI thread when the runner changes screen
            self.maintenance = False

        def is_idle(self) -> bool:
            return self.idle and not session.active  # type: ignore[attr-defined]

        def set_maintenance(self, on: bool) -> None:
            self.maintenance = on
            gui.call.emit(lambda: _show_maintenance(on))

        def refresh_catalogue(self) -> str | None:
            cache = desk.catalogue  # type: ignore[attr-defined]
            cache.refresh()  # raises BackendError: the command is acknowledged as failed
            if self.is_idle():
                gui.call.emit(runner.load_home)  # type: ignore[attr-defined]
            return cache.current().version

        def restart(self) -> None:
            gui.call.emit(lambda: QApplication.exit(EXIT_RESTART))

    hooks = Hooks()

    def maintenance_screen() -> None:
        runner.fail(CodedError("fleet.maintenance", "maintenance mode (fleet set_maintenance)"))  # type: ignore[attr-defined]

    def _show_maintenance(on: bool) -> None:
        if on:
            window.set_status(text("fleet.maintenance"), True)  # type: ignore[attr-defined]
            if hooks.is_idle():
                maintenance_screen()
        else:
            window.set_status("", False)  # type: ignore[attr-defined]
            if hooks.is_idle():
                runner.go_home("maintenance_end")  # type: ignore[attr-defined]

    def start_item_unless_maintenance(item: dict) -> None:
        if hooks.maintenance:  # refuse new sessions; one in progress finishes normally
            maintenance_screen()
            return
        runner.start_item(item)  # type: ignore[attr-defined]

    runner.home.item_chosen.disconnect(runner.start_item)  # type: ignore[attr-defined]
    runner.home.item_chosen.connect(start_item_unless_maintenance)  # type: ignore[attr-defined]
    runner.screen_changed.connect(  # type: ignore[attr-defined]
        lambda name: setattr(hooks, "idle", name in ("home", "error", "not_built")
                             and not session.active))  # type: ignore[attr-defined]
    try:
        return FleetClient(cfg, key, devices=devices, hooks=hooks, client=client, outbox=outbox)
    except Exception as exc:  # e.g. a bad public key: the kiosk serves residents without the fleet
        log.error("fleet operations disabled: %s", exc)
        return None


def start_kiosk(kiosk: Kiosk) -> None:
    """Start the outbox, load the home screen, then open the devices: three operations off the GUI
    thread, so that none can stop another (a damaged outbox never keeps the devices closed)."""
    from kiosk.ui.first_paint import when_painted
    from kiosk.ui.ops import run_op

    def start_outbox() -> None:  # checks the file (moves a damaged one aside), then sends what waits
        kiosk.outbox.open()  # type: ignore[attr-defined]
        kiosk.outbox.start()  # type: ignore[attr-defined]

    def open_devices() -> None:
        kiosk.devices.open_all()  # type: ignore[attr-defined]
        for device in kiosk.devices.devices.values():  # type: ignore[attr-defined]
            if not device.is_input and not device.on_demand:
                device.enable()  # output devices accept jobs from now on; input and on-demand ones when asked

    def after_first_frame() -> None:
        if kiosk.outbox is not None:
            run_op(start_outbox, lambda _: None,
                   lambda exc: log.error("outbox not started, the kiosk runs without it: %s", exc))
        run_op(open_devices, lambda _: None, lambda exc: log.error("opening devices failed: %s", exc))

    kiosk.runner.load_home()  # type: ignore[attr-defined]
    # The outbox and the devices start once home shows its tiles: their imports (OpenCV, python-escpos,
    # pyscard, requests) and handshakes would otherwise compete with the first paint (docs/performance.md).
    when_painted(kiosk.runner.home, kiosk.runner.home_loaded, after_first_frame)  # type: ignore[attr-defined]
    if kiosk.fleet is not None:
        try:
            kiosk.fleet.start()  # type: ignore[attr-defined]  # returns at once; connects in the background
        except Exception as exc:  # e.g. the broker's CA file is missing
            log.error("fleet operations not started: %s", exc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk", description="政务服务自助终端")
    parser.add_argument("--config", help="config file (default: config/kiosk.toml or $KIOSK_CONFIG)")
    parser.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    args = parser.parse_args(argv)
    startup_trace.mark("imports")
    cfg = preflight.load_or_exit(args.config, "kiosk")  # exit 2: file, key, what was expected
    setup_logging(cfg.log_dir)
    startup_trace.mark("config")

    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import load_ui_font, ui_font
    from kiosk.ui.keyboard import prepare_environment

    prepare_environment()  # the on-screen Chinese keyboard is the input method
    app = QApplication(sys.argv[:1])
    app.setApplicationName("kiosk")
    load_ui_font()
    app.setFont(ui_font())
    startup_trace.mark("qt + font")
    try:
        kiosk = build_kiosk(cfg)
    except Exception as exc:  # e.g. the signing key file is missing
        log.error("kiosk cannot start: %s", exc)
        print(f"kiosk: cannot start: {exc}", file=sys.stderr)
        return 2
    startup_trace.mark("build")
    startup_trace.watch_paints(kiosk.window, kiosk.runner.home_loaded, app.quit)  # type: ignore[attr-defined]
    kiosk.window.show_kiosk(args.windowed)  # type: ignore[attr-defined]
    startup_trace.mark("shown")
    from kiosk.ui import lockdown, watchdog  # no keyboard way out; READY/WATCHDOG=1 for systemd

    lockdown.install(app, kiosk.window, hide_cursor=not args.windowed).allow_close = args.windowed
    watch = watchdog.SystemdWatch(kiosk.window, kiosk.runner.home_loaded)
    watchdog.install_signal_handlers(app, watch)
    start_kiosk(kiosk)
    log.info("kiosk %s started", cfg.kiosk_id)
    try:
        return app.exec()  # EXIT_RESTART (kiosk/exit_codes.py) asks systemd / make run to start it again
    finally:
        watch.stopping()
        kiosk.close()


if __name__ == "__main__":
    sys.exit(main())
