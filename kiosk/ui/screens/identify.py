"""Ask for the ID card and wait for the reader. Errors say what happened and what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import label


class IdentifyScreen(Screen):
    name = "identify"
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("请放置身份证", parent)
        self.item_name = label("", "subtitle")
        self.item_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.item_name)
        self.body.addStretch(1)
        self.instructions = self.centered(
            "请将本人身份证平放在屏幕下方的「身份证读卡区」，\n听到提示音前不要移动。", "body")
        self.status = self.centered("正在等待读卡……", "hint")
        self.error = self.centered("", "error")
        self.body.addStretch(2)
        self.back = self.add_button("返回首页")
        self.back.clicked.connect(self.cancelled.emit)

    def prepare(self, item_name: str) -> None:
        self.item_name.setText(f"您正在办理：{item_name}")
        self.status.setText("正在等待读卡……")
        self.error.setText("")

    def show_reading(self) -> None:
        self.status.setText("正在读卡，请不要移动身份证……")
        self.error.setText("")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.status.setText("请重新放置身份证，或点「返回首页」。")
