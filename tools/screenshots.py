"""`make screenshots`: render every screen to PNG, in both themes, by driving the real kiosk against the
real simulators (`kiosk-sim all --ephemeral`) the way a resident does: tapping what the screen says
(kiosk/ui/find.py). Also copies the printed receipts as the printer simulator rendered them.

    python tools/screenshots.py OUT_DIR      (under Xvfb: QT_QPA_PLATFORM=xcb xvfb-run …)
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import build_kiosk, start_kiosk  # noqa: E402
from kiosk.config import DEFAULT_CONFIG, load_config  # noqa: E402
from kiosk.ui import find  # noqa: E402
from kiosk.ui.fonts import load_ui_font, ui_font  # noqa: E402
from simulators.process import http_json, start_simulator  # noqa: E402

PRINT_ITEM = "个人社保参保证明打印"
FORM_ITEM = "老年人健康体检报告打印"  # a year to type on the keypad
NOT_BUILT_ITEM = "城乡居民养老保险缴费"
PERSONA = {"standard": "li_jianguo", "elderly": "chen_guiying"}
WAIT_S = 60.0


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
               "KIOSK_BACKEND__OUTBOX_DB": str(tmp / "outbox.sqlite3"),
               "KIOSK_BACKEND__CACHE_DB": str(tmp / "catalogue.sqlite3"),
               "KIOSK_TIMEOUTS__INACTIVITY_S": "600", "KIOSK_DEVICES__IDCARD__POLL_INTERVAL_S": "0.1",
               "KIOSK_DEVICES__SSCARD__ENABLED": "false", "KIOSK_DEVICES__CAMERA__ENABLED": "false",
               "KIOSK_DEVICES__SCANNER__ENABLED": "false"}
        kiosk = build_kiosk(load_config(DEFAULT_CONFIG, env=env))
        window, runner = kiosk.window, kiosk.runner
        window.setFixedSize(1920, 1080)  # a kiosk screen; content must fit, not grow the window
        window.show()
        start_kiosk(kiosk)
        find.find(window, PRINT_ITEM, timeout_s=WAIT_S)
        find.wait_until(lambda: kiosk.devices.get("idcard").status.state == "online", WAIT_S)

        def shot(name: str) -> None:
            for _ in range(5):  # let posted layout requests settle (nested layouts take rounds)
                QCoreApplication.processEvents()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            print(path)

        def tap(text: str) -> None:
            find.tap_text(window, text, timeout_s=WAIT_S)

        def screen(name: str) -> None:
            if not find.wait_until(lambda: window.current == name, WAIT_S):
                raise SystemExit(f"screenshots: expected screen {name}, got {window.current}")

        def card(persona: str | None) -> None:
            http_json("POST", control + ("/idcard/place" if persona else "/idcard/lift"),
                      {"persona": persona} if persona else None)

        for n, theme in enumerate(("standard", "elderly")):
            window.elderly_button.setChecked(theme == "elderly")
            shot(f"{theme}-01-home")
            tap(PRINT_ITEM)
            shot(f"{theme}-02-guide")
            tap("开始办理")
            screen("identify")
            shot(f"{theme}-03-identify")
            card(PERSONA[theme])
            screen("document")
            find.wait_until(lambda: runner.steps["document"].print.isEnabled(), WAIT_S)
            shot(f"{theme}-04-document")
            tap("打印证明")
            screen("result")
            shot(f"{theme}-05-result")
            receipts = http_json("GET", control + "/receipts")[1]["receipts"]
            png = receipts[-1].get("png")
            if png and Path(png).exists():
                shutil.copy(png, out / f"receipt-{n + 1}-{theme}.png")
            card(None)
            tap("完成")
            screen("rate")
            tap("不满意")
            shot(f"{theme}-06-rate")
            tap("跳过")
            screen("home")

            if find.tap_targets(window, FORM_ITEM):  # 长者模式's home has fewer tiles
                tap(FORM_ITEM)
            else:
                runner.start_item(next(i for i in runner.home.items if i["name"] == FORM_ITEM))
            tap("开始办理")
            screen("identify")
            card(PERSONA[theme])
            screen("form")
            tap("确定")  # nothing typed yet: the page says what to do
            shot(f"{theme}-07-form-keypad")
            card(None)
            tap("返回首页")

            runner.busy.prepare(f"正在为您办理「{PRINT_ITEM}」，请稍候……")
            window.show_screen("busy")
            shot(f"{theme}-08-busy")
            window.show_screen("home")
            tap(NOT_BUILT_ITEM)
            tap("开始办理")
            screen("not_built")
            shot(f"{theme}-09-not-built")
            tap("返回首页")
            tap(PRINT_ITEM)
            window.idle_warning.show_seconds(20)
            shot(f"{theme}-10-idle-warning")
            runner.go_home("screenshot")
        kiosk.close()
    finally:
        hub.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
