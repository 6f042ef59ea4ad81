"""Under a real X server (Xvfb, no window manager) the kiosk window covers the whole screen:
showFullScreen() alone would keep the natural size there (environment notes), so show_kiosk sets
the screen's geometry. Offscreen cannot show this (its "screen" is 800×800), hence the marker."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from kiosk.ui.fonts import load_ui_font
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens.home import HomeScreen

pytestmark = pytest.mark.xserver


def test_kiosk_window_fills_the_screen(qtbot) -> None:
    assert QGuiApplication.platformName() == "xcb"
    load_ui_font()
    window = MainWindow("GD-TEST-0001")
    qtbot.addWidget(window)
    window.add_screen(HomeScreen())
    window.show_screen("home")
    window.show_kiosk(windowed=False)
    screen = QGuiApplication.primaryScreen().geometry()
    assert screen.width() >= 1024  # a real Xvfb screen, not the offscreen 800×800
    qtbot.waitUntil(lambda: window.isVisible() and window.geometry().size() == screen.size(), timeout=10_000)
    shot = window.grab()
    assert shot.width() == screen.width() and shot.height() == screen.height()
