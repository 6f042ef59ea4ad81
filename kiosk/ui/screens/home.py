"""Home: the items residents use most, as big tiles. Tapping one starts its journey."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import button, label


class HomeScreen(Screen):
    name = "home"
    item_chosen = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("您好！请选择要办理的业务", parent)
        self.hint = label("点击下方的业务，按屏幕提示一步步操作。需要帮助请找工作人员。", "subtitle")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setSpacing(28)
        self.body.addLayout(self.grid)
        self.notice = label("", "error")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.notice)
        self.body.addStretch(1)
        self.tiles: dict[str, Any] = {}
        self.items: list[dict[str, Any]] = []

    def item_for(self, item_id: str) -> dict[str, Any]:
        return next(i for i in self.items if i["id"] == item_id)

    def set_items(self, items: list[dict[str, Any]], columns: int = 4) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = {}
        self.items = list(items)
        for i, item in enumerate(items):
            tile = button(item["name"], role="tile")
            tile.setObjectName(f"tile:{item['id']}")
            tile.setAccessibleName(item["name"])
            tile.clicked.connect(lambda _=False, it=item: self.item_chosen.emit(it))
            self.grid.addWidget(tile, i // columns, i % columns)
            self.tiles[item["id"]] = tile
        self.notice.setText("" if items else "暂时无法获取业务列表，请稍后再试或联系工作人员。")
