"""Shared test set-up. Qt runs offscreen unless the X-server partition set QT_QPA_PLATFORM=xcb."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

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


@pytest.hookimpl(trylast=True)  # after pytest's own faulthandler plugin has enabled it
def pytest_configure(config) -> None:
    _crash_report_of_the_crashing_thread(config)
    _patient_wait_until()


def _crash_report_of_the_crashing_thread(config) -> None:
    """On a segfault, faulthandler prints the crashing thread only: with every thread, the ~400 idle
    device threads of the fixture kiosks filled its 100-thread limit and the crashing one was cut."""
    import faulthandler

    try:
        from _pytest.faulthandler import fault_handler_stderr_fd_key  # pytest's dup of stderr
        fd = config.stash[fault_handler_stderr_fd_key]
    except (ImportError, KeyError):  # pytest changed or -p no:faulthandler: keep what is there
        return
    faulthandler.enable(file=fd, all_threads=False)


def _patient_wait_until() -> None:
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
