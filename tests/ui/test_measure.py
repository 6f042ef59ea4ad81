"""The pixel measurement behind the 长者模式 checks really measures: a big, dark label passes; a small,
low-contrast one and a small button fail (the negative case the elderly issue asks for)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.fonts import load_ui_font
from tests.ui.measure import ink, violations


@pytest.fixture(autouse=True)
def no_app_theme(qapp):
    """A kiosk built earlier in this process leaves its theme on the application: measure plain Qt."""
    saved = qapp.styleSheet()
    qapp.setStyleSheet("")
    yield
    qapp.setStyleSheet(saved)


RULES = {"min_glyph_px": 32, "min_target_px": 96, "min_contrast": 7.0}


def host(qtbot, *widgets: QWidget) -> QWidget:
    load_ui_font()
    w = QWidget()
    lay = QVBoxLayout(w)
    for child in widgets:
        lay.addWidget(child)
    qtbot.addWidget(w)
    w.resize(1200, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_big_dark_label_passes(qtbot) -> None:
    big = QLabel("请把身份证平放在读卡区")
    big.setStyleSheet('font-family: "Noto Sans CJK SC"; font-size: 30pt; color: #000000; background: #FFFFFF;')
    window = host(qtbot, big)
    measured = ink(big)
    assert measured is not None and max(measured.glyph_heights) >= 32 and measured.contrast >= 15
    assert violations(window, **RULES) == []


def test_a_small_grey_label_and_a_small_button_fail(qtbot) -> None:
    small = QLabel("小字提示")
    small.setStyleSheet('font-family: "Noto Sans CJK SC"; font-size: 10pt; color: #9A9A9A; background: #C8C8C8;')
    tiny = QPushButton("确定")
    tiny.setFixedSize(60, 40)
    window = host(qtbot, small, tiny)
    found = "\n".join(violations(window, **RULES))
    assert "小字提示" in found and "glyphs" in found and "contrast" in found
    assert "target 60×40 px" in found


def test_a_wrapped_label_shorter_than_its_lines_fails(qtbot) -> None:
    """A layout that gives a wrapped label less height than its lines need cuts its last line; the
    label's own box does it, so nothing covers it: the check compares its height with what it asks."""
    long = QLabel("付款后如未出凭证，可凭订单号和查询码到补打缴费凭证补打。" * 3)
    long.setWordWrap(True)
    long.setStyleSheet('font-family: "Noto Sans CJK SC"; font-size: 30pt; color: #000000; background: #FFFFFF;')
    long.setFixedHeight(60)  # one line's height for three or more lines
    window = host(qtbot, long)
    found = "\n".join(violations(window, **RULES))
    assert "text cut, 60 of" in found
    long.setMinimumHeight(0)
    long.setMaximumHeight(16777215)
    long.setFixedHeight(long.heightForWidth(long.width()))
    assert violations(window, **RULES) == []
