"""Issue 16, case 3 on the screen: the real ServiceDesk over a damaged catalogue cache. With the
platform up home shows the catalogue (fetched again); with it down, home says the catalogue is
unavailable (backend.no_catalogue) instead of staying empty without a word."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.services import messages
from kiosk.services.service_desk import ServiceDesk
from kiosk.services.session import Session
from kiosk.ui.flow_runner import FlowRunner
from kiosk.ui.fonts import load_ui_font
from kiosk.ui.main_window import MainWindow
from tests.services.test_storage_damage import ITEMS, Source, make_cache
from tests.ui.fake_desk import FakeDevices


@pytest.mark.parametrize("platform_up", [True, False])
def test_home_over_a_damaged_cache(qtbot, tmp_path: Path, platform_up: bool) -> None:
    cache_db = tmp_path / "catalogue.sqlite3"
    make_cache(cache_db)
    cache_db.write_bytes(random.Random(3).randbytes(cache_db.stat().st_size))  # garbage, same size
    source = Source()
    source.down = not platform_up
    client = SimpleNamespace(config=SimpleNamespace(cache_db=cache_db), connectivity=source.connectivity,
                             fetch_catalogue=source.fetch_catalogue, kiosk_id="TEST-0001")
    desk = ServiceDesk(client, FakeDevices())  # type: ignore[arg-type]
    load_ui_font()
    window = MainWindow("TEST-0001")
    runner = FlowRunner(window, desk, FakeDevices(), Session(), settings={"take_away_s": 5})  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    runner.load_home()
    qtbot.waitUntil(runner.home_loaded, timeout=20_000)
    if platform_up:
        qtbot.waitUntil(lambda: len(runner.home.items) == len([i for i in ITEMS if i.get("valid", True)]),
                        timeout=20_000)
        assert runner.home.tiles
    else:
        qtbot.waitUntil(lambda: window.status_line.text() == messages.text("backend.no_catalogue"), timeout=20_000)
        assert runner.home.tiles == {}
    assert [e.kind for e in desk.storage_report().catalogue_events] == ["moved_aside"]
    desk.close()
