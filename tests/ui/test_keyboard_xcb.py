"""The on-screen Chinese keyboard (kiosk/ui/keyboard.py) in a real kiosk window, under Xvfb.

Keys are tapped where they are drawn (QTest on the QQuickWidget), as a finger does; pinyin goes to
Qt Virtual Keyboard's engine and the chosen candidate is committed into the focused field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFrame, QLineEdit, QPlainTextEdit

from kiosk.ui.keyboard import ScreenKeyboard, screen_keyboard
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens.base import Screen

pytestmark = pytest.mark.xserver


@pytest.fixture
def window(qtbot):
    win = MainWindow("TEST-0001")
    screen = Screen("测试")
    screen.name = "typing"
    screen.edit = QLineEdit()
    screen.edit.setAccessibleName("居住地址")
    screen.body.addWidget(screen.edit)
    screen.area = QPlainTextEdit()
    screen.body.addWidget(screen.area)
    win.add_screen(screen)
    win.show_screen("typing")
    qtbot.addWidget(win)
    win.setGeometry(0, 0, 1920, 1080)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: not win.keyboard.loading, timeout=10_000)
    return win


def tap_keys(qtbot, kb: ScreenKeyboard, letters: str) -> None:
    for letter in letters:
        qtbot.waitUntil(lambda key=letter: key in kb.keys(), timeout=5000)
        QTest.mouseClick(kb.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, kb.keys()[letter])


def test_the_keyboard_is_docked_in_the_window_not_a_window_of_its_own(qtbot, window) -> None:
    kb = screen_keyboard(window.screens["typing"])
    assert kb is window.keyboard and kb.usable, kb.error
    kb.attach(window.screens["typing"].edit)

    def bottom() -> int:
        return kb.mapTo(window, kb.rect().bottomLeft()).y()

    qtbot.waitUntil(lambda: kb.isVisible() and kb.height() > 200 and bottom() <= window.height(), timeout=5000)
    assert kb.window() is window and not kb.isWindow()
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [window]
    status = window.findChild(QFrame, "statusBar")  # 重听 and 语音 make it a touch target tall
    assert window.height() - status.height() - 8 <= bottom()  # docked at the bottom, above the status line only
    screen = window.screens["typing"]
    assert screen.mapTo(window, screen.rect().bottomLeft()).y() <= kb.mapTo(window, kb.rect().topLeft()).y()
    assert kb.locale() == "zh_CN"
    kb.release()
    qtbot.waitUntil(lambda: not kb.isVisible(), timeout=5000)


def test_pinyin_typed_on_the_keys_commits_chinese_into_the_field(qtbot, window) -> None:
    edit = window.screens["typing"].edit
    kb = window.keyboard
    kb.attach(edit)
    qtbot.waitUntil(lambda: kb.isVisible(), timeout=5000)
    tap_keys(qtbot, kb, "zhongguo")
    qtbot.waitUntil(lambda: "中国" in kb.candidates(), timeout=5000)
    assert edit.text() == ""  # still a pinyin composition, not text
    kb.choose(kb.candidates().index("中国"))
    qtbot.waitUntil(lambda: edit.text() == "中国", timeout=5000)
    assert edit.hasFocus()  # the taps never took the focus from the field


def test_a_multi_line_field_takes_the_same_keyboard(qtbot, window) -> None:
    area = window.screens["typing"].area
    kb = window.keyboard
    kb.attach(area)
    qtbot.waitUntil(lambda: kb.isVisible(), timeout=5000)
    tap_keys(qtbot, kb, "cun")
    qtbot.waitUntil(lambda: "村" in kb.candidates(), timeout=5000)
    kb.choose(kb.candidates().index("村"))
    qtbot.waitUntil(lambda: area.toPlainText() == "村", timeout=5000)


def test_pinyin_learns_nothing_from_one_resident_for_the_next(qtbot, window) -> None:
    """Google pinyin remembers composed phrases; the kiosk runs it without a user dictionary."""
    edit = window.screens["typing"].edit
    kb = window.keyboard
    kb.attach(edit)
    qtbot.waitUntil(lambda: kb.isVisible(), timeout=5000)
    first = None
    for _ in range(2):
        edit.clear()
        tap_keys(qtbot, kb, "tangcun")
        qtbot.waitUntil(lambda: "塘" in kb.candidates(), timeout=5000)
        first = first or kb.candidates()[0]
        kb.choose(kb.candidates().index("塘"))  # 塘 then 村 in one composition: what the engine learns
        qtbot.waitUntil(lambda: "村" in kb.candidates(), timeout=5000)
        kb.choose(kb.candidates().index("村"))
        qtbot.waitUntil(lambda: edit.text() == "塘村", timeout=5000)
    edit.clear()
    tap_keys(qtbot, kb, "tangcun")
    qtbot.waitUntil(lambda: bool(kb.candidates()), timeout=5000)
    assert kb.candidates()[0] == first != "塘村"


def test_the_scenario_runner_types_chinese_through_the_keyboard(qtbot, window, tmp_path) -> None:
    """`type` in a scenario: pinyin keys tapped on the keyboard, the candidate chosen, digits from
    the symbol layout — the field's text comes from the input method only."""
    from simulators.scenario.steps import STEPS, Context

    ctx = Context(root=window, hub=None, current_screen=lambda: window.current, screenshots=tmp_path)
    STEPS["type"](ctx, {"field": "居住地址", "text": "黄塘村12号"})
    assert window.screens["typing"].edit.text() == "黄塘村12号"
    assert ctx.taps > len("黄塘村12号")  # the field, every pinyin letter, every candidate and digit
