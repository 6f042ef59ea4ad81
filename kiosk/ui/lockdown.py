"""Kiosk lockdown inside the application: no keyboard way out, nothing to select, copy, drag or
right-click, no pointer in kiosk mode. Under cage there is no other window to reach and VT
switching is off (docs/deployment.md lists every way out and what closes it); this filter is the
application's own layer, so a USB keyboard plugged into the terminal gets nowhere either.

One application event filter, so widgets built later (the flow runner's step screens) are covered
as they are polished, without each screen having to remember:

- key presses: Alt+F4, Alt+Tab / Alt+Shift+Tab, Alt+Esc, Ctrl+Alt+Backspace, Ctrl+Alt+Delete,
  Ctrl+Alt+F1…F12, the Super/Meta key, Ctrl+W/Q, F11, and copy/cut/paste/select-all are swallowed
  (paste could bring back what the previous resident typed);
- context menus, drag and drop, middle-click (selection paste) are swallowed;
- every widget, when polished: no context menu, labels without text interaction (no selection,
  no links opened), line edits without drag, item views without drag and drop;
- the window ignores close requests until `allow_close` is set (the app quits by app.exit()).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

log = logging.getLogger(__name__)

K = Qt.Key
M = Qt.KeyboardModifier
_FN_KEYS = {getattr(K, f"Key_F{i}") for i in range(1, 13)}
_META_KEYS = {K.Key_Meta, K.Key_Super_L, K.Key_Super_R, K.Key_Menu, K.Key_Hyper_L, K.Key_Hyper_R}
_CLIPBOARD = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut,
              QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.SelectAll)
_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)
_SWALLOWED = (QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def is_escape_key(event: QKeyEvent) -> bool:
    """A key a resident could use to leave the kiosk, switch away or copy/paste something."""
    key = event.key()
    mods = event.modifiers() & ~M.KeypadModifier
    alt, ctrl = bool(mods & M.AltModifier), bool(mods & M.ControlModifier)
    if key in _META_KEYS or mods & M.MetaModifier:
        return True
    if alt and key in (K.Key_F4, K.Key_Tab, K.Key_Backtab, K.Key_Escape):
        return True
    if ctrl and alt and (key in _FN_KEYS or key in (K.Key_Backspace, K.Key_Delete)):
        return True
    if ctrl and not alt and key in (K.Key_W, K.Key_Q):
        return True
    if key == K.Key_F11:
        return True
    return event.type() != QEvent.Type.KeyRelease and any(event.matches(s) for s in _CLIPBOARD)


def apply_policies(widget: QWidget) -> None:
    """What every kiosk widget gets: nothing to right-click, select, drag or drop."""
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    widget.setAcceptDrops(False)
    if isinstance(widget, QLabel):
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        widget.setOpenExternalLinks(False)
    elif isinstance(widget, QLineEdit):
        widget.setDragEnabled(False)
    elif isinstance(widget, QTextEdit | QPlainTextEdit) and widget.isReadOnly():
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    elif isinstance(widget, QAbstractItemView):
        widget.setDragEnabled(False)
        widget.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)


class Lockdown(QObject):
    def __init__(self, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.allow_close = False
        self.swallowed = 0  # how many events were stopped (tests, diagnostics)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        t = event.type()
        if t == QEvent.Type.Polish and isinstance(obj, QWidget):
            apply_policies(obj)
            return False
        if t in _KEY_EVENTS and isinstance(event, QKeyEvent) and is_escape_key(event):
            return self._swallow(event, f"key {QKeySequence(event.keyCombination()).toString()}")
        if t in _SWALLOWED:
            return self._swallow(event, t.name)
        if (t in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease)
                and isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.MiddleButton):
            return self._swallow(event, "middle click")
        if t == QEvent.Type.Close and obj is self.window and not self.allow_close:
            if isinstance(event, QCloseEvent):
                event.ignore()  # QWidget.close() then returns False and the window stays
            return self._swallow(event, "window close")
        return False

    def _swallow(self, event: QEvent, what: str) -> bool:
        self.swallowed += 1
        if event.type() != QEvent.Type.Close:
            event.accept()  # else QApplication offers the key to each parent in turn
        if event.type() not in (QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            log.info("lockdown: ignored %s", what)
        return True


def install(app: QApplication, window: QWidget, hide_cursor: bool) -> Lockdown:
    """Lock the kiosk down: the filter on the whole application, the policies on every widget that
    exists already, and (full-screen kiosk mode) a blank cursor over everything."""
    lock = Lockdown(window)
    app.installEventFilter(lock)
    for widget in [window, *window.findChildren(QWidget)]:
        apply_policies(widget)
    if hide_cursor:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
    return lock
