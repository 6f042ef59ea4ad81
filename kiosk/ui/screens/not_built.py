"""暂未开通: this kiosk cannot do this step of the item yet. Says so plainly and names the window."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.services import messages
from kiosk.services.flows import SENDING_STEPS
from kiosk.ui.i18n import tr
from kiosk.ui.screens.base import Screen


class NotBuiltScreen(Screen):
    name = "not_built"
    home_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("暂未开通"), parent)
        self.body.addStretch(1)
        self.what = self.centered("", "subtitle")
        self.window_text = self.centered("", "body")
        self.body.addStretch(2)
        self.home = self.add_button(tr("返回首页"), "primary")
        self.home.clicked.connect(self.home_clicked.emit)

    def prepare(self, item: Mapping[str, Any], params: Mapping[str, Any]) -> None:
        late = params.get("kind") in SENDING_STEPS  # after the form and materials: nothing was sent
        self.what.setText(messages.text("flow.not_sent" if late else "flow.not_built", name=item.get("name", "")))
        window = params.get("window") or {}
        lines = [messages.text("flow.go_to_window", window=window.get("name") or tr("服务窗口"))]
        if window.get("address"):
            lines.append(tr("地址：{address}").format(address=window["address"]))
        if window.get("phone"):
            lines.append(tr("咨询电话：{phone}").format(phone=window["phone"]))
        self.window_text.setText("\n".join(lines))

    def prompt(self) -> str:
        return self.what.text()
