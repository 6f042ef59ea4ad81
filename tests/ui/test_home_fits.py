"""Home, in every language and both orientations: every tile is whole (not cut off by its row or the
screen) and no two tiles overlap. Caught on 2026-12-02: the 简/繁/EN row above the search pushed two
rows of ranked items into each other at 1920×1080, and English department tiles lost their bottom."""

from __future__ import annotations

import pytest

from kiosk.ui import find, i18n
from kiosk.ui.tiles import Tile
from tests.ui.journeys import tap


def tiles_cut_or_overlapping(ui) -> list[str]:
    tiles = [t for t in ui.runner.home.main.findChildren(Tile) if t.isVisible()]
    out = [f"{t.text()!r}: {t.visibleRegion().boundingRect().height()} of {t.height()} px shown"
           for t in tiles if t.visibleRegion().boundingRect() != t.rect()]
    boxes = [(t, t.geometry().translated(t.parentWidget().mapTo(ui.window, t.parentWidget().rect().topLeft())))
             for t in tiles]
    for n, (a, ra) in enumerate(boxes):
        out += [f"{a.text()!r} overlaps {b.text()!r}" for b, rb in boxes[n + 1:] if ra.intersects(rb)]
    return out


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
@pytest.mark.parametrize("language", ["zh_CN", "zh_HK", "en"])
def test_home_tiles_are_whole_and_apart(ui, qtbot, size, language) -> None:
    ui.window.resize(*size)
    if language != "zh_CN":
        tap(ui, i18n.LANGUAGES[language])
    qtbot.waitUntil(lambda: ui.runner.home.portrait == (size[1] > size[0]))
    qtbot.waitUntil(lambda: len([t for t in ui.runner.home.main.findChildren(Tile) if t.isVisible()]) >= 8)
    # tiles grow to their wrapped captions once shown: wait for the layout to settle, then check
    find.wait_until(lambda: not tiles_cut_or_overlapping(ui), timeout_s=5)
    assert tiles_cut_or_overlapping(ui) == []


def test_the_check_sees_a_cut_tile(ui, qtbot) -> None:
    """The check can fail: a tile forced taller than its row is reported."""
    ui.window.resize(1920, 1080)
    tile = next(t for t in ui.runner.home.main.findChildren(Tile) if t.isVisible())
    tile.setFixedHeight(tile.parentWidget().height() + 200)
    qtbot.waitUntil(lambda: any(repr(tile.text()) in p for p in tiles_cut_or_overlapping(ui)))
