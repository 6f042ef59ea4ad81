"""Touch only: every list scrolls by dragging (QScroller) with no desktop scrollbar, nothing reacts
to hover or double-tap, and no button on home, search or the guide is smaller than the theme's target
size, in both themes and both orientations. (The hidden cursor: tests/deploy/test_lockdown.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QScroller

from kiosk.ui import find, theme
from tests.ui.fake_desk import BY_ID
from tests.ui.measure import violations

REPO = Path(__file__).resolve().parents[2]


def test_no_hover_and_no_double_tap_anywhere() -> None:
    assert ":hover" not in (REPO / "assets" / "theme.qss").read_text(encoding="utf-8")
    for path in (REPO / "kiosk" / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"doubleClick|DoubleClick|WA_Hover|enterEvent|setMouseTracking", text), path


def test_every_scroll_area_drags_and_shows_no_scrollbar(ui, qtbot) -> None:
    ui.runner.start_item(BY_ID["social-insurance-certificate-print"])  # the guide: a long sheet
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    areas = ui.window.findChildren(QAbstractScrollArea)
    assert len(areas) >= 3  # home's department pages, search results, the guide …
    for area in areas:
        if area.metaObject().className() in ("QListView", "QTableView"):
            continue
        off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        assert area.verticalScrollBarPolicy() == off and area.horizontalScrollBarPolicy() == off, area
        assert QScroller.hasScroller(area.viewport()), area
    scroll = ui.runner.steps["guide"].scroll
    assert scroll.down.isVisible() and scroll.down.height() >= theme.STANDARD["target_px"]


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_no_button_is_smaller_than_the_target(ui, qtbot, elderly, size) -> None:
    target = (theme.ELDERLY if elderly else theme.STANDARD)["target_px"]
    ui.window.resize(*size)
    if elderly:
        find.tap_text(ui.window, "长者模式")
    qtbot.waitUntil(lambda: ui.runner.home.portrait == (size[1] > size[0]), timeout=5_000)
    qtbot.waitUntil(lambda: ui.runner.home.index is not None, timeout=20_000)

    def check(where: str) -> None:
        qtbot.wait(50)  # let new widgets take their place (a layout pass), nothing else waits on it
        rules = {"min_glyph_px": 0, "min_target_px": target, "min_contrast": 1.0}
        found = [v for v in violations(ui.window, **rules) if "target" in v]
        assert not found, f"{where}: {found}"
        assert all(b.height() >= target for b in ui.window.findChildren(QAbstractButton) if b.isVisible())

    check("home")
    find.tap_text(ui.window, "搜索业务")
    for key in "SB":
        find.tap_text(ui.window, key)
    check("search")
    ui.runner.start_item(BY_ID["social-insurance-certificate-print"])
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=10_000)
    check("guide")
