"""UI test fixtures: the real window and flow runner over a fake service desk (no hub)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.services.session import Session
from kiosk.ui.flow_runner import FlowRunner
from kiosk.ui.fonts import load_ui_font
from kiosk.ui.main_window import MainWindow
from tests.ui.fake_desk import FakeDesk, FakeDevices


class UiKiosk:
    def __init__(self, window: MainWindow, runner: FlowRunner, desk: FakeDesk, devices: FakeDevices,
                 session: Session) -> None:
        self.window, self.runner, self.desk, self.devices, self.session = window, runner, desk, devices, session


@pytest.fixture
def ui(qtbot):
    load_ui_font()
    desk, devices, session = FakeDesk(), FakeDevices(), Session()
    window = MainWindow("TEST-0001")
    runner = FlowRunner(window, desk, devices, session, settings={"take_away_s": 5})
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    runner.load_home()
    qtbot.waitUntil(lambda: bool(runner.home.items), timeout=10_000)
    yield UiKiosk(window, runner, desk, devices, session)
    QApplication.instance().setStyleSheet("")  # the window themed the whole application: undo it
    runner.set_language("zh_CN")  # the translator is the application's: the next test starts in zh_CN
