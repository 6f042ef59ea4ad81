"""The kiosk application's side of fleet commands (kiosk/app.py _build_fleet), headless, through the
hub's real broker and operations centre: set_maintenance shows 设备维护中 and refuses a new
session, refresh_catalogue refreshes the offline catalogue and is acknowledged with its version."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import build_kiosk, start_kiosk
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.services.messages import text
from kiosk.ui import find
from kiosk.ui.fonts import load_ui_font

pytestmark = pytest.mark.e2e
ITEM_NAME = "个人社保参保证明打印"
WAIT = 60_000
KIOSK = "GD-SG-ZJ-0001"


@pytest.fixture
def kiosk(hub, qtbot, tmp_path: Path):
    env = {**hub.kiosk_env(), "KIOSK_LOG_DIR": str(tmp_path / "log"), "KIOSK_STATE_DIR": str(tmp_path / "state"),
           "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
           "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3")}
    cfg = load_config(DEFAULT_CONFIG, env=env)
    load_ui_font()
    k = build_kiosk(cfg)
    qtbot.addWidget(k.window)
    k.window.show_kiosk(windowed=True)
    start_kiosk(k)
    qtbot.waitUntil(lambda: k.fleet is not None and k.fleet.connected, timeout=WAIT)
    qtbot.waitUntil(lambda: len(k.runner.home.tiles) > 0, timeout=WAIT)
    yield k
    k.close()


def send(hub, command: str, args: dict | None = None) -> str:
    return hub.call("POST", "/fleet/command", {"kiosk_id": KIOSK, "command": command, "args": args or {}})["id"]


def ack(hub, qtbot, command_id: str) -> dict:
    found: list[dict] = []

    def done() -> bool:
        for c in hub.call("GET", "/fleet/commands")["commands"]:
            if c["id"] == command_id:
                found[:] = [a for a in c["acks"] if a["status"] in ("done", "failed", "refused")]
        return bool(found)

    qtbot.waitUntil(done, timeout=WAIT)
    return found[0]


def test_maintenance_shows_and_refuses_new_sessions(hub, kiosk, qtbot) -> None:
    window = kiosk.window
    assert ack(hub, qtbot, send(hub, "set_maintenance", {"on": True}))["status"] == "done"
    qtbot.waitUntil(lambda: window.current == "error", timeout=WAIT)
    find.wait_for_text(window, "设备维护中")
    assert text("fleet.maintenance").startswith("设备维护中")
    find.tap_text(window, "返回首页")
    qtbot.waitUntil(lambda: window.current == "home", timeout=WAIT)
    find.tap_text(window, ITEM_NAME)  # a resident tries to start: refused, no session
    qtbot.waitUntil(lambda: window.current == "error", timeout=WAIT)
    assert not kiosk.session.active
    assert ack(hub, qtbot, send(hub, "set_maintenance", {"on": False}))["status"] == "done"
    qtbot.waitUntil(lambda: window.current == "home", timeout=WAIT)
    find.tap_text(window, ITEM_NAME)  # open again
    qtbot.waitUntil(lambda: window.current == "guide", timeout=WAIT)
    assert kiosk.session.active


def test_refresh_catalogue_runs_in_the_app(hub, kiosk, qtbot) -> None:
    result = ack(hub, qtbot, send(hub, "refresh_catalogue"))
    assert result["status"] == "done", result
    assert result["result"]["version"] == hub.call("GET", "/backend/state")["catalogue_version"]
