"""Big touch tiles with an icon: an item (its flow's icon and name), a department group (icon, name,
how many items), or a way on (更多…). A QPushButton alone never wraps its text, so the caption is a
label inside; the tile reads as its caption (find.py, voices) and is at least the theme's tile height."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui import icons, theme
from kiosk.ui.i18n import item_text
from kiosk.ui.widgets import label


class Tile(QPushButton):
    def __init__(self, text: str, icon_name: str, detail: str = "", *, tokens: dict[str, Any],
                 role: str = "tile", vertical: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", role)
        self.setAccessibleName(text)
        # a row of tiles is as tall as its tallest (a push button alone keeps its own height)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        base = tokens["tile_h_px"] if role == "tile" else tokens["target_px"]
        lay: QVBoxLayout | QHBoxLayout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        lay.setContentsMargins(20, 10, 20, 10)
        lay.setSpacing(14 if not vertical else 6)
        self.icon_label = QLabel()
        self.icon_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        size = tokens["icon_px"] + (12 if role == "tile" else 0)
        self.icon_label.setPixmap(icons.icon(icon_name, tokens["primary"]).pixmap(QSize(size, size)))
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignCenter if vertical else Qt.AlignmentFlag.AlignVCenter)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addStretch(1)
        self.caption = label(text, "tileText")
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        texts.addWidget(self.caption)
        self.detail = label(detail, "tileDetail")
        self.detail.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.detail.setVisible(bool(detail))
        texts.addWidget(self.detail)
        for w in (self.caption, self.detail):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter if vertical else Qt.AlignmentFlag.AlignLeft)
        texts.addStretch(1)
        lay.addLayout(texts, 1)
        self.base_height = base
        self.setMinimumHeight(base)

    def _fit_height(self) -> None:
        """Never below the theme's size, never below what the caption needs: recomputed once the
        theme's fonts apply and whenever the width changes (a long name wraps)."""
        lay = self.layout()
        lay.invalidate()  # the captions' fonts may have changed since the layout last measured them
        need = max(lay.sizeHint().height(), lay.heightForWidth(self.width()) if lay.hasHeightForWidth() else 0)
        height = max(self.base_height, need + 8)
        if height != self.minimumHeight():
            self.setMinimumHeight(height)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._fit_height()
        QTimer.singleShot(0, self, self._fit_height)  # again once the captions have the theme's fonts
        super().showEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def text(self) -> str:  # type: ignore[override]
        return self.caption.text()


def item_tile(item: dict[str, Any], tokens: dict[str, Any], **kw: Any) -> Tile:
    tile = Tile(item_text(item, "name"), icons.FLOW_ICONS.get(item.get("flow", ""), icons.DEFAULT_ICON), tokens=tokens, **kw)
    tile.setObjectName(f"tile:{item['id']}")
    return tile


def tokens_for(elderly: bool) -> dict[str, Any]:
    return theme.ELDERLY if elderly else theme.STANDARD
