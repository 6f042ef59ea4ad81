"""`kiosk-diag status`: one view of the devices, the platform, catalogue, outbox and disk, and its
exit code for each state, driven through the simulator hub's control API (real processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.diag import status as diag_status
from kiosk.services.backend_client import BackendClient
from kiosk.services.catalogue_cache import CatalogueCache
from kiosk.services.health import OUTBOX_BACKLOG_DEPTH
from kiosk.services.outbox import Outbox
from kiosk.services.signing import load_key

pytestmark = pytest.mark.e2e


@pytest.fixture
def env(hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The default config pointed at the hub (backend, ID-card reader, printer), with a downloaded
    offline catalogue, an empty outbox and state in tmp; the hub's devices restored afterwards."""
    values = {**hub.kiosk_env(),
              "KIOSK_DEVICES__SCANNER__ENABLED": "false", "KIOSK_DEVICES__CAMERA__ENABLED": "false",
              "KIOSK_DEVICES__SSCARD__ENABLED": "false",
              "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3"),
              "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
              "KIOSK_LOG_DIR": str(tmp_path / "log"), "KIOSK_STATE_DIR": str(tmp_path / "state")}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    cfg = load_config(DEFAULT_CONFIG)
    client = BackendClient(cfg.backend, cfg.kiosk_id, load_key(cfg.backend.key_file))
    try:
        assert CatalogueCache(cfg.backend.cache_db, client).refresh()  # the kiosk has run once
    finally:
        client.close()
    try:
        yield values
    finally:
        hub.call("POST", "/printer/state", {"paper": "ok", "cover_open": False, "offline": False})
        hub.call("POST", "/idcard/replug")
        hub.call("POST", "/backend/mode", {"mode": "up"})


def run_status(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = diag_status.main(["--json"])
    return code, json.loads(capsys.readouterr().out)


def test_all_online_is_exit_0(env, capsys) -> None:
    code, health = run_status(capsys)
    assert code == 0, health
    assert health["verdict"] == "online" and set(health["devices"]) == {"idcard", "printer", "speaker"}
    assert health["devices"]["idcard"]["extras"]["sam_id"].startswith("05.01-")
    assert health["devices"]["printer"]["extras"]["paper"] == "ok"
    assert health["backend"]["verdict"] == "online" and health["backend"]["ok"]
    assert health["catalogue"]["version"] == health["catalogue"]["platform_version"]
    assert health["outbox"]["depth"] == 0 and health["disk"]["free_bytes"] > 0
    assert health["app_version"] and health["kiosk_id"] == "GD-SG-ZJ-0001"
    assert diag_status.main([]) == 0
    text = capsys.readouterr().out
    assert "SAM 05.01-" in text and "result: online (exit 0)" in text


def test_paper_near_end_is_degraded_exit_1(env, hub, capsys) -> None:
    hub.call("POST", "/printer/state", {"paper": "near_end"})
    code, health = run_status(capsys)
    assert code == 1 and health["verdict"] == "degraded"
    assert health["devices"]["printer"]["verdict"] == "degraded"
    assert "paper near end" in health["devices"]["printer"]["summary"]


@pytest.mark.parametrize("printer_state", [{"paper": "out"}, {"cover_open": True}])
def test_paper_out_or_cover_open_is_offline_exit_3(env, hub, capsys, printer_state) -> None:
    hub.call("POST", "/printer/state", printer_state)
    code, health = run_status(capsys)
    assert code == 3 and health["devices"]["printer"]["verdict"] == "offline"
    assert health["devices"]["printer"]["state"] == "user_error"
    assert health["devices"]["idcard"]["verdict"] == "online"


def test_an_unplugged_reader_is_offline_exit_3(env, hub, capsys) -> None:
    hub.call("POST", "/idcard/unplug")
    code, health = run_status(capsys)
    assert code == 3
    idcard = health["devices"]["idcard"]
    assert idcard["verdict"] == "offline" and idcard["state"] == "no_device" and "refused" in idcard["detail"]


def test_the_platform_down_is_offline_exit_3(env, hub, capsys) -> None:
    hub.call("POST", "/backend/mode", {"mode": "down"})
    code, health = run_status(capsys)
    assert code == 3 and health["backend"]["verdict"] == "offline"
    assert [c["name"] for c in health["backend"]["checks"]] == ["reachable"]
    assert health["catalogue"]["verdict"] == "online"  # the offline copy is still there and fresh
    assert all(d["verdict"] == "online" for d in health["devices"].values())


def test_an_outbox_backlog_is_degraded_exit_1(env, capsys) -> None:
    cfg = load_config(DEFAULT_CONFIG)
    with Outbox(cfg.backend.outbox_db, load_key(cfg.backend.key_file)) as box:  # no client: nothing is sent
        for i in range(OUTBOX_BACKLOG_DEPTH):
            box.enqueue("usage_event", "/kiosk/events", {"events": [{"type": "item.start", "at": str(i)}]})
    code, health = run_status(capsys)
    assert code == 1 and health["outbox"]["verdict"] == "degraded"
    assert health["outbox"]["depth"] == OUTBOX_BACKLOG_DEPTH and "backlog" in health["outbox"]["summary"]


def test_the_command_line_exit_codes(env, hub) -> None:
    """The installed entry point, not just main(): 3 offline, 2 for a bad config."""
    hub.call("POST", "/printer/state", {"paper": "out"})
    done = subprocess.run([sys.executable, "-m", "kiosk.diag.cli", "status"], capture_output=True, text=True,
                          timeout=120, env=os.environ.copy())
    assert done.returncode == 3, done.stdout + done.stderr
    assert "OFFLINE  printer" in done.stdout and "result: offline (exit 3)" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "kiosk.diag.cli", "status"], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "KIOSK_FLEET__URL": "http://nowhere"})
    assert bad.returncode == 2 and "fleet.url" in bad.stderr
    assert "Exit status: 0 ok; 1 degraded" in subprocess.run(
        [sys.executable, "-m", "kiosk.diag.cli", "status", "--help"], capture_output=True, text=True,
        timeout=60).stdout
