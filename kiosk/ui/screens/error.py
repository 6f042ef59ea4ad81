"""The one error screen: what happened, what to do next, and the ways on.

重试 (when the step can try again) · 换一种方式 (when there is another way) · 请联系工作人员 (calls the
staff, POST /assistance) · 返回首页 (ends the session). Which of them show comes from the runner.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.services import messages
from kiosk.ui.i18n import tr
from kiosk.ui.screens.base import Screen


class ErrorScreen(Screen):
    name = "error"
    home_clicked = Signal()
    help_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("没有办成"), parent)
        self.body.addStretch(1)
        self.what = self.centered("", "subtitle")
        self.next_step = self.centered("", "body")
        self.body.addStretch(2)
        self.home = self.add_button(tr("返回首页"))
        self.help = self.add_button(tr("请联系工作人员"))
        self.other = self.add_button(tr("换一种方式"))
        self.retry = self.add_button(tr("重试"), "primary")
        self.home.clicked.connect(self.home_clicked.emit)
        self.help.clicked.connect(self.help_clicked.emit)
        self.retry.clicked.connect(lambda: self._retry and self._retry())
        self.other.clicked.connect(lambda: self._other and self._other())
        self._retry: Callable[[], None] | None = None
        self._other: Callable[[], None] | None = None

    def prepare(self, what: str, retry: Callable[[], None] | None = None,
                other_way: Callable[[], None] | None = None) -> None:
        self._retry, self._other = retry, other_way
        self.what.setText(what)
        self.retry.setVisible(retry is not None)
        self.other.setVisible(other_way is not None)
        if retry and other_way:
            key = "error.next.retry_or_other"
        elif retry:
            key = "error.next.retry"
        elif other_way:
            key = "error.next.other"
        else:
            key = "error.next.home"
        self.next_step.setText(messages.text(key))

    def prompt(self) -> str:
        return self.what.text()

    def clear_personal_data(self) -> None:
        self.what.setText("")
        self._retry = self._other = None
