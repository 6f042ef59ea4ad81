"""The technician screen ("technician"): four pages behind big tab buttons, 返回服务 always there.

    设备状态   every device's state and facts, the platform, catalogue, outbox, disk (status_page.py)
    设备自检   a test per device with pass/fail and the device's own message (selftest_page.py)
    事件日志   the live event log, no personal data (actions_page.py LogPage)
    导出与操作 diagnostics bundle to a USB stick, refresh the catalogue, restart (actions_page.py)

Five minutes without a touch go back to service (an InactivityWatcher on the countdown clock, so
tests and scenarios skip the time with `idle:`): a warning for the last 30 s, then `timed_out`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QButtonGroup, QGridLayout, QWidget

from kiosk.services.health import Health
from kiosk.ui.inactivity import InactivityWatcher
from kiosk.ui.screens.base import Screen
from kiosk.ui.technician.actions_page import ActionsPage, LogPage
from kiosk.ui.technician.selftest_page import SelfTestPage
from kiosk.ui.technician.status_page import VERDICTS, StatusPage
from kiosk.ui.technician.tools import TechnicianTools
from kiosk.ui.widgets import PageStack, label, option_button

IDLE_S = 300
WARNING_S = 30
TABS = ("设备状态", "设备自检", "事件日志", "导出与操作")
NARROW_PX = 1400  # below this width (portrait 1080) the pages stack


class TechnicianScreen(Screen):
    name = "technician"
    return_clicked = Signal()
    timed_out = Signal()

    def __init__(self, tools: TechnicianTools, restart: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("技术维护", parent)
        self.tools = tools
        self.summary = label("", "hint")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.summary)
        self.tabs = QGridLayout()
        self.tabs.setSpacing(12)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.tab_buttons = []
        for i, caption in enumerate(TABS):
            b = option_button(caption)
            self.group.addButton(b, i)
            self.tab_buttons.append(b)
        self.body.addLayout(self.tabs)
        self.status = StatusPage(tools)
        self.selftest = SelfTestPage(tools)
        self.log_page = LogPage(tools)
        self.actions = ActionsPage(tools, restart)
        self.pages = PageStack()
        for page in (self.status, self.selftest, self.log_page, self.actions):
            self.pages.addWidget(page)
        self.body.addWidget(self.pages, 1)
        self.idle_note = label("", "error")
        self.idle_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_note.hide()
        self.body.addWidget(self.idle_note)
        self.back = self.add_button("返回服务", "primary")
        self.back.clicked.connect(self.return_clicked.emit)
        self.group.idClicked.connect(self.show_tab)
        self.status.checked.connect(self._summarise)
        self.watcher = InactivityWatcher(IDLE_S - WARNING_S, WARNING_S, self)
        self.watcher.warn.connect(self._warn)
        self.watcher.resumed.connect(self.idle_note.hide)
        self.watcher.expired.connect(self.timed_out.emit)
        self._summarise(None)
        self.narrow: bool | None = None
        self._arrange(False)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._arrange(event.size().width() < NARROW_PX)

    def _arrange(self, narrow: bool) -> None:
        """Landscape: tabs in one row, pages side by side; portrait (or a narrow window): 2 × 2
        tabs, pages stacked, so the 长者模式 sizes fit without clipping."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        for i, b in enumerate(self.tab_buttons):
            self.tabs.addWidget(b, *((i // 2, i % 2) if narrow else (0, i)))
        for page in (self.status, self.selftest, self.actions):
            page.arrange(narrow)

    # ---- entering and leaving -----------------------------------------------------------------
    def enter(self) -> None:
        self.idle_note.hide()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.watcher)
        self.watcher.arm(True)
        self.show_tab(0)
        self.status.refresh()

    def leave(self) -> None:
        self.watcher.arm(False)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.watcher)
        for page in (self.status, self.selftest, self.log_page, self.actions):
            page.leave()
        self.idle_note.hide()

    def show_tab(self, index: int) -> None:
        current = self.pages.currentWidget()
        if current is not self.pages.widget(index) and current in (self.selftest, self.log_page, self.actions):
            current.leave()  # a camera preview stops, the log stops following
        self.tab_buttons[index].setChecked(True)
        self.pages.setCurrentIndex(index)
        page = self.pages.widget(index)
        if page is not self.status:
            page.enter()  # type: ignore[attr-defined]

    # ---- what it shows ------------------------------------------------------------------------
    def _summarise(self, health: Health | None) -> None:
        version = health.app_version if health is not None else "…"
        self.title.setText("技术维护" + (f"　{VERDICTS[health.verdict]}" if health is not None else ""))
        self.summary.setText(f"终端 {self.tools.kiosk_id} · 程序版本 {version}")

    def _warn(self, seconds: int) -> None:
        self.idle_note.setText(f"长时间没有操作：{seconds} 秒后返回服务。点屏幕任意处继续维护。")
        self.idle_note.show()
