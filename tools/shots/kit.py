"""What every screenshot module uses: the kiosk window, taps by text, waits, the hub's control API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from kiosk.ui import find
from simulators.process import http_json

WAIT_S = 60.0
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


class Kit:
    def __init__(self, kiosk: Any, control: str, out: Path) -> None:
        self.kiosk, self.control, self.out = kiosk, control, out
        self.window, self.runner = kiosk.window, kiosk.runner
        self.theme, self.orientation = "standard", "landscape"

    # ---- the variant being rendered -----------------------------------------------------------
    def use(self, theme: str, orientation: str) -> None:
        self.theme, self.orientation = theme, orientation
        self.window.setFixedSize(*SIZES[orientation])  # a kiosk screen: content must fit, not grow
        self.window.elderly_button.setChecked(theme == "elderly")
        self.home()

    def home(self) -> None:
        self.runner.go_home("screenshot")
        self.card(None)
        self.window.elderly_button.setChecked(self.theme == "elderly")  # a wipe ends 长者模式: this theme again

    # ---- acting like a resident ---------------------------------------------------------------
    def tap(self, text: str) -> None:
        find.tap_text(self.window, text, timeout_s=WAIT_S)

    def start(self, item_name: str) -> None:
        """Open an item from home: its tile when home shows it, else straight from the catalogue."""
        if find.tap_targets(self.window, item_name):
            self.tap(item_name)
        else:
            self.runner.start_item(next(i for i in self.runner.home.items if i["name"] == item_name))

    def screen(self, name: str) -> None:
        if not find.wait_until(lambda: self.window.current == name, WAIT_S):
            raise SystemExit(f"screenshots: expected screen {name}, got {self.window.current}")

    def until(self, condition: Any, what: str) -> None:
        if not find.wait_until(condition, WAIT_S):
            raise SystemExit(f"screenshots: timed out waiting for {what}")

    def shot(self, name: str) -> Path:
        for _ in range(5):  # let posted layout requests settle (nested layouts take rounds)
            QCoreApplication.processEvents()
        path = self.out / f"{self.theme}-{self.orientation}-{name}.png"
        self.window.grab().save(str(path))
        print(path)
        return path

    # ---- the simulators -----------------------------------------------------------------------
    def hub(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        status, payload = http_json(method, self.control + path, body)
        if status >= 400:
            raise SystemExit(f"screenshots: hub {method} {path} → {status} {payload}")
        return payload

    def card(self, persona: str | None) -> None:
        self.hub("POST", "/idcard/place" if persona else "/idcard/lift", {"persona": persona} if persona else None)

    def persona(self) -> str:
        return {"standard": "li_jianguo", "elderly": "chen_guiying"}[self.theme]
