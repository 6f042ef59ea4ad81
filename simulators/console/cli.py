"""`kiosk-sim console`: the tester console, a window on a running hub's control API.

    kiosk-sim console [--hub URL] [--config FILE] [--interval S]

Without --hub it uses the hub of `make run` / `kiosk-sim all`: http://127.0.0.1:<[simulators]
control_port> from the kiosk config (7000). The hub need not be running yet: the console says so,
and connects when it is there.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-sim console", description=__doc__.split("\n\n")[0])
    ap.add_argument("--hub", metavar="URL", help="the hub's control API (default: from the kiosk config)")
    ap.add_argument("--config", help="kiosk config for the default hub port (default config/kiosk.toml)")
    ap.add_argument("--interval", type=float, default=1.0, metavar="S",
                    help="seconds between refreshes of state, receipts and traffic (default 1)")
    args = ap.parse_args(argv)
    if args.interval <= 0:
        ap.error("--interval must be > 0")
    url = args.hub
    if url is None:
        from kiosk.config import load_config_or_exit

        url = f"http://127.0.0.1:{load_config_or_exit(args.config, 'kiosk-sim console').simulators.control_port}"
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and not os.environ.get("QT_QPA_PLATFORM"):
        print("kiosk-sim console: no display ($DISPLAY is not set); run it on the desktop, or under "
              "xvfb-run with QT_QPA_PLATFORM=xcb", file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import load_ui_font, ui_font
    from simulators.console.window import ConsoleWindow

    app = QApplication.instance() or QApplication(["kiosk-sim console"])
    load_ui_font()
    app.setFont(ui_font(10))  # type: ignore[union-attr]
    window = ConsoleWindow(url, interval_s=args.interval)
    window.show()
    window.start()
    signal.signal(signal.SIGINT, lambda *_: window.close())  # Ctrl-C in the terminal: close cleanly
    wake = QTimer()  # Qt's loop holds the interpreter: wake it so Python sees the signal
    wake.timeout.connect(lambda: None)
    wake.start(250)
    return app.exec()  # type: ignore[union-attr]
