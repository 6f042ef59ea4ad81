"""Home: the items residents use most, as big tiles. Tapping one starts its journey.

长者模式 shows fewer, larger tiles (two columns) — fewer choices, bigger targets (docs/ui-rules.md)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import label

STANDARD_LAYOUT = (4, 12)  # columns, tiles
ELDERLY_LAYOUT = (2, 6)


class Tile(QPushButton):
    """A big button whose text wraps (QPushButton alone never wraps)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setProperty("role", "tile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(text)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 8, 16, 8)
        self.caption = label(text, "tileText")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        lay.addWidget(self.caption)

    def text(self) -> str:  # type: ignore[override]
        return self.caption.text()


class HomeScreen(Screen):
    name = "home"
    item_chosen = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("您好！请选择要办理的业务", parent)
        self.hint = label("点击下方的业务，按屏幕提示一步步操作。需要帮助请找工作人员。", "subtitle")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.hint)
        grid_host = QWidget()
        grid_host.setObjectName("screen")
        self.grid = QGridLayout(grid_host)
        self.grid.setSpacing(28)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        self.body.addWidget(scroll, 1)
        self.notice = label("", "error")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.notice)
        self.tiles: dict[str, Tile] = {}
        self.items: list[dict[str, Any]] = []
        self.loaded = False  # the items arrived (or could not be fetched, and the notice says so)
        self.layout_spec = STANDARD_LAYOUT
        self.tile_height = theme.STANDARD["tile_h_px"]

    def item_for(self, item_id: str) -> dict[str, Any]:
        return next(i for i in self.items if i["id"] == item_id)

    def set_elderly(self, on: bool) -> None:
        self.layout_spec = ELDERLY_LAYOUT if on else STANDARD_LAYOUT
        self.tile_height = (theme.ELDERLY if on else theme.STANDARD)["tile_h_px"]
        self.set_items(self.items)

    def set_items(self, items: list[dict[str, Any]]) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.hide()
            tile.deleteLater()
        self.tiles = {}
        self.items = list(items)
        columns, shown = self.layout_spec
        for i, item in enumerate(self.items[:shown]):
            tile = Tile(item["name"])
            tile.setObjectName(f"tile:{item['id']}")
            tile.setMinimumHeight(self.tile_height)  # QSS min-height yields to the inner layout
            tile.clicked.connect(lambda _=False, it=item: self.item_chosen.emit(it))
            self.grid.addWidget(tile, i // columns, i % columns)
            self.tiles[item["id"]] = tile
        for c in range(4):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        self.notice.setText("" if items else "暂时无法获取业务列表，请稍后再试或联系工作人员。")
        self.loaded = True
