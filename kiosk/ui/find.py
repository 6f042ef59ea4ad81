"""Find widgets the way a person does: by what is written on them. pytest-qt tests and the scenario
runner (`kiosk-sim run`) both use these helpers, never private attributes.

A *tap target* is a visible, enabled button (any QAbstractButton) whose text equals the string, or any
visible, enabled widget whose accessible name equals it (e.g. a tile, a keypad key, the technician
corner). `find()` waits up to a timeout for exactly one; on failure the error lists what is visible.
Waiting processes Qt events until a condition holds (like qtbot.waitUntil), never a fixed sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QWidget,
)

DEFAULT_TIMEOUT_S = 10.0


class FindError(AssertionError):
    """No widget, or more than one, matched; the message lists what was visible."""


def _shown(w: QWidget) -> bool:
    return w.isVisible() and w.width() > 0 and w.height() > 0


def widget_text(w: QWidget) -> str:
    """The text a person reads on a widget (buttons, labels, inputs)."""
    if isinstance(w, QAbstractButton | QLabel | QLineEdit):
        return w.text() or ""
    if isinstance(w, QPlainTextEdit | QTextEdit):
        return w.toPlainText()
    text = getattr(w, "text", None)  # e.g. a tile overriding text()
    if callable(text):
        try:
            value = text()
        except TypeError:
            return ""
        return value if isinstance(value, str) else ""
    return ""


def visible_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in [root, *root.findChildren(QWidget)] if _shown(w)]


def visible_texts(root: QWidget) -> list[str]:
    """Every non-empty text and accessible name on screen, in widget order, without repeats."""
    out: list[str] = []
    for w in visible_widgets(root):
        for t in (widget_text(w), w.accessibleName()):
            t = (t or "").strip()
            if t and t not in out:
                out.append(t)
    return out


def tap_targets(root: QWidget, text: str) -> list[QWidget]:
    found = []
    for w in visible_widgets(root):
        if not w.isEnabled():
            continue
        if w.accessibleName() == text or (isinstance(w, QAbstractButton) and widget_text(w) == text):
            found.append(w)
    # A button's own caption label may repeat its text: keep the outermost match.
    return [w for w in found if not any(o is not w and o.isAncestorOf(w) for o in found)]


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Process Qt events until `condition()` is true or the timeout passes; returns the last value."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout_s
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return bool(condition())
        if app is not None:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        QTest.qWait(10)  # yield to queued signals from worker threads


def visible_listing(root: QWidget) -> str:
    """'visible: a | b | …' — what a failure message shows of the screen."""
    shown = visible_texts(root)
    return "visible: " + (" | ".join(shown[:80]) if shown else "(nothing)")


def find(root: QWidget, text: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> QWidget:
    """Exactly one tap target whose text or accessible name equals `text`, waiting up to the timeout."""
    matches: list[QWidget] = []

    def one() -> bool:
        nonlocal matches
        matches = tap_targets(root, text)
        return len(matches) == 1

    if wait_until(one, timeout_s):
        return matches[0]
    if not matches:
        raise FindError(f"nothing to tap reads {text!r} within {timeout_s:g} s; {visible_listing(root)}")
    raise FindError(f"{len(matches)} widgets read {text!r} (ambiguous): "
                    + ", ".join(type(w).__name__ for w in matches) + f"; {visible_listing(root)}")


def tap(widget: QWidget) -> None:
    """Touch a widget in its centre, scrolling it into view first as a finger would."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
            break
        parent = parent.parentWidget()
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(widget.width() // 2, widget.height() // 2))


def tap_text(root: QWidget, text: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> QWidget:
    w = find(root, text, timeout_s=timeout_s)
    tap(w)
    return w


def has_text(root: QWidget, substring: str) -> bool:
    return any(substring in t for t in visible_texts(root))


def wait_for_text(root: QWidget, substring: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
    if not wait_until(lambda: has_text(root, substring), timeout_s):
        raise FindError(f"no visible text contains {substring!r} within {timeout_s:g} s; {visible_listing(root)}")
