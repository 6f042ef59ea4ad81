"""Lockdown inside the application (kiosk/ui/lockdown.py) on the real kiosk window: every widget's
policies, widgets created later included, and the escape keys, context menu, drag and close request
never reaching a widget."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListWidget, QWidget

from kiosk.app import build_kiosk
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.ui import lockdown

K, M = Qt.Key, Qt.KeyboardModifier
ESCAPES = [
    (K.Key_F4, M.AltModifier), (K.Key_Tab, M.AltModifier), (K.Key_Backtab, M.AltModifier | M.ShiftModifier),
    (K.Key_Escape, M.AltModifier), (K.Key_Backspace, M.ControlModifier | M.AltModifier),
    (K.Key_Delete, M.ControlModifier | M.AltModifier), (K.Key_Super_L, M.NoModifier),
    (K.Key_D, M.MetaModifier), (K.Key_W, M.ControlModifier), (K.Key_Q, M.ControlModifier),
    (K.Key_F11, M.NoModifier), (K.Key_C, M.ControlModifier), (K.Key_V, M.ControlModifier),
    (K.Key_X, M.ControlModifier), (K.Key_A, M.ControlModifier), (K.Key_Insert, M.ShiftModifier),
    *[(getattr(K, f"Key_F{i}"), M.ControlModifier | M.AltModifier) for i in range(1, 13)],
]
ORDINARY = [(K.Key_1, M.NoModifier), (K.Key_A, M.NoModifier), (K.Key_Backspace, M.NoModifier),
            (K.Key_A, M.ShiftModifier), (K.Key_Return, M.NoModifier)]


class Probe(QLineEdit):
    """Records what reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[tuple[int, int]] = []
        self.menus = 0
        self.drags = 0

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802
        self.keys.append((e.key(), e.modifiers().value))

    def contextMenuEvent(self, e) -> None:  # noqa: N802
        self.menus += 1

    def dragEnterEvent(self, e) -> None:  # noqa: N802
        self.drags += 1


@pytest.fixture
def locked(qtbot, tmp_path):
    cfg = load_config(DEFAULT_CONFIG, env={"KIOSK_LOG_DIR": str(tmp_path / "log"),
                                           "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "c.sqlite3"),
                                           "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "o.sqlite3")})
    kiosk = build_kiosk(cfg)  # no I/O: nothing is opened, nothing is fetched
    qtbot.addWidget(kiosk.window)
    app = QApplication.instance()
    lock = lockdown.install(app, kiosk.window, hide_cursor=True)
    kiosk.window.show_kiosk(windowed=True)
    qtbot.waitExposed(kiosk.window)
    yield kiosk, lock
    app.removeEventFilter(lock)
    while QGuiApplication.overrideCursor() is not None:
        QGuiApplication.restoreOverrideCursor()
    lock.allow_close = True
    kiosk.close()


def _assert_locked(widget: QWidget) -> None:
    assert widget.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu, widget
    assert not widget.acceptDrops(), widget
    if isinstance(widget, QLabel):
        assert widget.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction, widget.text()
        assert not widget.openExternalLinks()
    if isinstance(widget, QLineEdit):
        assert not widget.dragEnabled()


def test_every_widget_of_the_window_is_locked_down_including_later_ones(locked, qtbot) -> None:
    kiosk, _ = locked
    widgets = [kiosk.window, *kiosk.window.findChildren(QWidget)]
    assert any(isinstance(w, QLabel) for w in widgets)
    for w in widgets:
        _assert_locked(w)
    # widgets made after start-up (home tiles, a step screen's form) are locked when polished
    home = kiosk.window.screens["home"]
    home.set_items([{"id": "x1", "name": "城乡居民养老保险参保证明"}, {"id": "x2", "name": "社保卡挂失"}])
    field = QLineEdit(home)
    field.setDragEnabled(True)
    field.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
    selectable = QLabel("4401**********123X", home)
    selectable.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    views = QListWidget(home)
    views.setDragEnabled(True)
    kiosk.window.show_screen("home")
    for w in (field, selectable, views):
        w.show()
    qtbot.waitUntil(lambda: all(t.isVisible() for t in home.tiles.values()))
    for w in [*home.tiles.values(), *[c for t in home.tiles.values() for c in t.findChildren(QWidget)],
              field, selectable]:
        _assert_locked(w)
    assert not views.dragEnabled() and views.dragDropMode() == QListWidget.DragDropMode.NoDragDrop


def test_escape_keys_never_reach_a_widget_and_ordinary_keys_do(locked, qtbot) -> None:
    kiosk, lock = locked
    probe = Probe()
    probe.setParent(kiosk.window.screens["home"])
    probe.show()
    app = QApplication.instance()
    for key, mods in ESCAPES:
        before = lock.swallowed
        app.sendEvent(probe, QKeyEvent(QEvent.Type.KeyPress, key, mods))
        assert lock.swallowed > before, (key, mods)
    assert probe.keys == []
    for key, mods in ORDINARY:
        app.sendEvent(probe, QKeyEvent(QEvent.Type.KeyPress, key, mods, "1"))
    assert [k for k, _ in probe.keys] == [k for k, _ in ORDINARY]


def test_no_context_menu_drag_or_close(locked, qtbot) -> None:
    kiosk, _ = locked
    probe = Probe()
    probe.setParent(kiosk.window.screens["home"])
    probe.show()
    app = QApplication.instance()
    app.sendEvent(probe, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5)))
    assert probe.menus == 0
    mime = QMimeData()
    mime.setText("x")
    drag = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
    app.sendEvent(probe, drag)
    assert probe.drags == 0
    assert kiosk.window.close() is False and kiosk.window.isVisible()
    assert QGuiApplication.overrideCursor() is not None
    assert QGuiApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
