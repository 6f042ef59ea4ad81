"""`make screenshots`: render every screen to PNG in both themes (standard, 长者模式) and both
orientations, by driving the real kiosk against the real simulators (`kiosk-sim all --ephemeral`).
Each area's screens are a module in tools/shots/ (see tools/shots/__init__.py).

    python tools/screenshots.py OUT_DIR [AREA …]      (under Xvfb: QT_QPA_PLATFORM=xcb xvfb-run …)
"""

from __future__ import annotations

import importlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import build_kiosk, start_kiosk  # noqa: E402
from kiosk.config import DEFAULT_CONFIG, load_config  # noqa: E402
from kiosk.ui import find  # noqa: E402
from kiosk.ui.fonts import load_ui_font, ui_font  # noqa: E402
from kiosk.ui.keyboard import prepare_environment  # noqa: E402
from simulators.hub import kiosk_env  # noqa: E402
from simulators.process import start_simulator  # noqa: E402
from tools.shots import AREAS  # noqa: E402
from tools.shots.kit import WAIT_S, Kit  # noqa: E402

SIMULATORS = "backend,idcard,printer,scanner,camera,sscard,docprinter"  # sscard: pcscd (make screenshots holds the PC/SC lock)
THEMES = ("standard", "elderly")
ORIENTATIONS = ("landscape", "portrait")


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "screenshots")
    areas = argv[1:] or list(AREAS)
    out.mkdir(parents=True, exist_ok=True)
    prepare_environment()  # the on-screen keyboard shows in the screenshots
    app = QApplication(sys.argv[:1])
    load_ui_font()
    app.setFont(ui_font())
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-shots-"))
    hub = start_simulator("all", "--ephemeral", "--state", str(tmp / "state.json"), "--receipts",
                          str(tmp / "receipts"), "--only", SIMULATORS, listen="", control="")
    try:
        ports = json.loads((tmp / "state.json").read_text())
        env = {**kiosk_env(ports), "KIOSK_LOG_DIR": str(tmp / "log"),
               "KIOSK_TIMEOUTS__TAKE_AWAY_S": "600", "KIOSK_TIMEOUTS__INACTIVITY_S": "600",
               "KIOSK_BACKEND__OUTBOX_DB": str(tmp / "outbox.sqlite3"),
               "KIOSK_BACKEND__CACHE_DB": str(tmp / "catalogue.sqlite3"),
               "KIOSK_DEVICES__IDCARD__POLL_INTERVAL_S": "0.1"}
        kiosk = build_kiosk(load_config(DEFAULT_CONFIG, env=env))
        kiosk.window.show()
        start_kiosk(kiosk)
        kit = Kit(kiosk, f"http://127.0.0.1:{ports['control']}", out)
        find.find(kiosk.window, "个人社保参保证明打印", timeout_s=WAIT_S)
        kit.until(lambda: kiosk.devices.get("idcard").status.state == "online", "the ID-card reader")
        for theme in THEMES:
            for orientation in ORIENTATIONS:
                for area in areas:
                    kit.use(theme, orientation)
                    importlib.import_module(f"tools.shots.{area}").shots(kit)
        kiosk.close()
    finally:
        hub.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
