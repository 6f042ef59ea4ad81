"""`make screenshots`: render every screen to PNG, in both themes, by driving the real journey against
the real simulators (`kiosk-sim all --ephemeral`), the way a resident would. Also copies the printed
receipt as the printer simulator rendered it.

    python tools/screenshots.py OUT_DIR      (under Xvfb: QT_QPA_PLATFORM=xcb xvfb-run …)
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QCoreApplication, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import build_kiosk, start_kiosk  # noqa: E402
from kiosk.config import DEFAULT_CONFIG, load_config  # noqa: E402
from kiosk.ui.fonts import load_ui_font, ui_font  # noqa: E402
from simulators.process import http_json, start_simulator  # noqa: E402

ITEM = "social-insurance-certificate-print"
PERSONA = {"standard": "li_jianguo", "elderly": "chen_guiying"}


def wait_until(cond: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    load_ui_font()
    app.setFont(ui_font())
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-shots-"))
    hub = start_simulator("all", "--ephemeral", "--state", str(tmp / "state.json"), "--receipts",
                          str(tmp / "receipts"), "--only", "backend,idcard,printer", listen="", control="")
    try:
        ports = json.loads((tmp / "state.json").read_text())
        control = f"http://127.0.0.1:{ports['control']}"
        env = {"KIOSK_BACKEND__URL": f"https://127.0.0.1:{ports['backend']['listen']}",
               "KIOSK_DEVICES__IDCARD__URL": f"socket://127.0.0.1:{ports['idcard']['listen']}",
               "KIOSK_DEVICES__PRINTER__URL": f"tcp://127.0.0.1:{ports['printer']['listen']}",
               "KIOSK_LOG_DIR": str(tmp / "log"), "KIOSK_TIMEOUTS__TAKE_AWAY_S": "600",
               "KIOSK_TIMEOUTS__INACTIVITY_S": "600", "KIOSK_DEVICES__IDCARD__POLL_INTERVAL_S": "0.1",
               "KIOSK_DEVICES__SSCARD__ENABLED": "false", "KIOSK_DEVICES__CAMERA__ENABLED": "false",
               "KIOSK_DEVICES__SCANNER__ENABLED": "false"}
        kiosk = build_kiosk(load_config(DEFAULT_CONFIG, env=env))
        window, journey = kiosk.window, kiosk.journey
        window.setFixedSize(1920, 1080)  # a kiosk screen; content must fit, not grow the window
        window.show()
        start_kiosk(kiosk)
        wait_until(lambda: ITEM in journey.home.tiles, "the home tiles")
        wait_until(lambda: kiosk.devices.get("idcard").status.state == "online", "the ID-card reader")

        def shot(name: str) -> None:
            for _ in range(5):  # let posted layout requests settle (nested layouts take rounds)
                QCoreApplication.processEvents()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            print(path)

        for n, theme in enumerate(("standard", "elderly")):
            window.elderly_button.setChecked(theme == "elderly")
            shot(f"{theme}-1-home")
            journey.home.tiles[ITEM].click()
            shot(f"{theme}-2-identify")
            http_json("POST", control + "/idcard/place", {"persona": PERSONA[theme]})
            wait_until(lambda: window.current == "document", "the document")
            shot(f"{theme}-3-document")
            journey.doc.print.click()
            wait_until(lambda: window.current == "take_away", "printing")
            shot(f"{theme}-4-take-away")
            receipts = http_json("GET", control + "/receipts")[1]["receipts"]
            png = receipts[-1].get("png")
            if png and Path(png).exists():
                shutil.copy(png, out / f"receipt-{n + 1}-{theme}.png")
            http_json("POST", control + "/idcard/lift")
            journey.go_home("screenshot")
            journey.busy.prepare("正在为您办理「个人社保参保证明打印」，请稍候……")
            window.show_screen("busy")
            shot(f"{theme}-5-busy")
            journey.start_item(next(i for i in journey.home.items if i["flow"] != "print"))
            shot(f"{theme}-6-not-available")
            journey.go_home("screenshot")
            journey.start_item(journey.home.item_for(ITEM))
            window.idle_warning.show_seconds(20)
            shot(f"{theme}-7-idle-warning")
            journey.go_home("screenshot")
        kiosk.close()
    finally:
        hub.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
