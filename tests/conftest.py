"""Shared test set-up. Qt runs offscreen unless the X-server partition set QT_QPA_PLATFORM=xcb."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

if os.environ["QT_QPA_PLATFORM"] == "xcb":  # the X-server partition: the on-screen keyboard works there
    from kiosk.ui.keyboard import prepare_environment

    prepare_environment()

pytest_plugins = ["tests.fixtures.hub", "tests.fixtures.docprinter_sim"]


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked `xserver` need a real X server; `make test` runs them in their own process under
    Xvfb. Anywhere else (e.g. a plain `pytest tests/ui`) they are skipped with the reason printed."""
    import pytest

    if os.environ.get("QT_QPA_PLATFORM") == "xcb" and os.environ.get("DISPLAY"):
        return
    skip = pytest.mark.skip(reason="needs a real X server: QT_QPA_PLATFORM=xcb under xvfb-run (make test does this)")
    for item in items:
        if "xserver" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config) -> None:
    """qtbot.waitUntil's default is 5 s; on a loaded 2-core CI machine (two pytest workers, espeak,
    the hub's simulators) an answer can take longer than that without anything being wrong. Tests
    wait on conditions, never on time, so a longer ceiling costs nothing when the condition comes."""
    try:
        from pytestqt.qtbot import QtBot
    except ImportError:
        return
    original = QtBot.waitUntil
    if getattr(original, "_patient", False):
        return

    def wait_until(self, callback, *, timeout: int = 20_000) -> None:
        return original(self, callback, timeout=timeout)

    wait_until._patient = True  # type: ignore[attr-defined]
    QtBot.waitUntil = wait_until  # type: ignore[method-assign]
