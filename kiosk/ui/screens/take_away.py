"""The end of a journey: take the card and the receipt. Goes home by itself after a countdown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.screens.base import Screen


class TakeAwayScreen(Screen):
    name = "take_away"
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("办理完成", parent)
        self.body.addStretch(1)
        self.reminder = self.centered("", "subtitle")
        self.countdown = self.centered("", "hint")
        self.body.addStretch(2)
        self.finish = self.add_button("完成，返回首页", "primary")
        self.finish.clicked.connect(self.done.emit)

    def prepare(self, printed: bool, card: bool) -> None:
        things = [t for t, on in (("身份证", card), ("打印的证明", printed)) if on]
        self.reminder.setText("请取走您的" + "和".join(things) + "，谢谢！" if things else "谢谢您的使用！")

    def set_seconds_left(self, seconds: int) -> None:
        self.countdown.setText(f"{seconds} 秒后自动返回首页")
