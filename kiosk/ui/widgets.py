"""Small widget helpers: every styled widget gets its look from a dynamic property (theme.qss)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QWidget


def label(text: str = "", role: str = "body", wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    w = QLabel(text, parent)
    w.setProperty("role", role)
    w.setWordWrap(wrap)
    w.setTextFormat(Qt.TextFormat.PlainText)  # never interpret data as rich text
    return w


def button(text: str, variant: str = "", role: str = "", parent: QWidget | None = None) -> QPushButton:
    b = QPushButton(text, parent)
    if variant:
        b.setProperty("variant", variant)
    if role:
        b.setProperty("role", role)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    return b


def card(parent: QWidget | None = None) -> QFrame:
    f = QFrame(parent)
    f.setProperty("role", "card")
    return f


def restyle(w: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    w.style().unpolish(w)
    w.style().polish(w)


def mask_id_number(value: str) -> str:
    """4401**********123X: the region prefix and the last four stay readable."""
    if not value or len(value) < 8:
        return "*" * len(value or "")
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(value: str) -> str:
    """陈*英 / 李* : enough to recognise, not enough to read aloud to a stranger."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
