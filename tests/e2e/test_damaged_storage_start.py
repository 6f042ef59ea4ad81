"""Issue 16, case 2, end to end: the kiosk starts on an outbox truncated to 1 KB and a catalogue cache
full of random bytes. Before, one operation opened the outbox and then the devices, so "database disk
image is malformed" kept every device closed while the screen looked alive. Now the devices come
online, home shows the catalogue (refetched), both files are kept aside, and the technician's report
says what happened."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kiosk.app import build_kiosk, start_kiosk
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.model import DeviceState
from kiosk.services.outbox import Outbox
from kiosk.services.signing import load_key
from kiosk.ui.fonts import load_ui_font

WAIT = 60_000  # ms; generous for a loaded machine — correctness never depends on it


@pytest.mark.e2e
def test_devices_and_home_start_on_a_damaged_outbox_and_cache(hub, qtbot, tmp_path: Path) -> None:
    outbox_db, cache_db = tmp_path / "outbox.sqlite3", tmp_path / "catalogue.sqlite3"
    env = {**hub.kiosk_env(), "KIOSK_LOG_DIR": str(tmp_path / "log"),
           "KIOSK_BACKEND__OUTBOX_DB": str(outbox_db), "KIOSK_BACKEND__CACHE_DB": str(cache_db)}
    cfg = load_config(DEFAULT_CONFIG, env=env)
    with Outbox(outbox_db, load_key(cfg.backend.key_file)) as ob:  # a kiosk that had entries waiting
        for i in range(40):
            ob.enqueue("usage_event", "/kiosk/events", {"events": [{"type": "item.start", "n": i, "pad": "x" * 300}]})
    with open(outbox_db, "r+b") as f:
        f.truncate(1024)
    cache_db.write_bytes(random.Random(2).randbytes(64 * 1024))

    load_ui_font()
    k = build_kiosk(cfg)
    qtbot.addWidget(k.window)
    k.window.show_kiosk(windowed=True)
    try:
        start_kiosk(k)
        qtbot.waitUntil(lambda: k.devices.get("idcard").status.state == DeviceState.ONLINE, timeout=WAIT)
        qtbot.waitUntil(lambda: k.devices.get("printer").status.state == DeviceState.ONLINE, timeout=WAIT)
        qtbot.waitUntil(lambda: len(k.runner.home.tiles) > 10, timeout=WAIT)  # the catalogue, fetched again
        qtbot.waitUntil(lambda: k.outbox.health().available, timeout=WAIT)
        report = k.desk.storage_report()
        assert report.needs_attention
        assert [e.kind for e in report.outbox.events][:1] == ["moved_aside"]
        assert len(report.outbox.moved_aside) == 1 and Path(report.outbox.moved_aside[0]).stat().st_size == 1024
        assert [e.kind for e in report.catalogue_events] == ["moved_aside"]
        assert len(report.catalogue_moved_aside) == 1
    finally:
        k.close()
