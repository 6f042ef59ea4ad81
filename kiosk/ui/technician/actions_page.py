"""导出与操作: the diagnostics bundle to a USB stick, the event log, refreshing the catalogue, and
restarting the app.

Export: typing a path on the keypad's letter layout would be clumsy, so the page lists where it can
write — USB sticks mounted under /media and /run/media, and the configured `technician.export_dir` —
as buttons, and says so. The bundle is kiosk/services/diag_bundle.py's (status, config without
secrets, the logs masked again on the way out). Restart asks once more, then exits with
EXIT_RESTART, which systemd and `make run` answer by starting the kiosk again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QPlainTextEdit, QScroller, QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.ui.ops import run_op
from kiosk.ui.technician.event_log import LIMIT, Event
from kiosk.ui.technician.export_targets import Target
from kiosk.ui.technician.tools import TechnicianTools
from kiosk.ui.widgets import button, card, label, touch_scroll

EXPORT_HELP = ("诊断包含设备状态、去掉密钥的配置和已打码的日志。请插入 U 盘：已挂载在 /media 或 /run/media 下的 U 盘"
               "会列在下面（不用键盘输入路径）；配置项 technician.export_dir 指定的目录存在时也会列出。")


class LogPage(QWidget):
    """事件日志: device status changes, the platform link, the outbox, the technician's own tests,
    newest last, live. Only typed events reach it (kiosk/ui/technician/event_log.py)."""

    def __init__(self, tools: TechnicianTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(label("只记录设备状态、网络连接、待发送队列和自检的变化，不含任何居民信息。最新的在最下面。", "hint"))
        self.view = QPlainTextEdit()
        self.view.setProperty("role", "eventLog")
        self.view.setReadOnly(True)
        self.view.setAccessibleName("事件日志")
        self.view.setMaximumBlockCount(LIMIT)
        QScroller.grabGesture(self.view.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        lay.addWidget(self.view, 1)
        self.live = False

    def enter(self) -> None:
        self.view.setPlainText("\n".join(self.tools.event_log.lines()) or "（启动以来没有记录）")
        self.view.verticalScrollBar().setValue(self.view.verticalScrollBar().maximum())
        self.live = True

    def leave(self) -> None:
        self.live = False
        self.view.clear()

    def append(self, event: Event) -> None:  # on the GUI thread (the controller's bridge)
        if self.live:
            self.view.appendPlainText(event.line())


class ActionsPage(QWidget):
    def __init__(self, tools: TechnicianTools, restart: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools, self.restart = tools, restart
        content = QWidget()
        content.setObjectName("screen")
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, content)
        self.columns.setSpacing(40)
        lay = QVBoxLayout()
        lay.setSpacing(12)
        self.columns.addLayout(lay, 1)

        lay.addWidget(label("导出日志和诊断包", "sectionTitle"))
        lay.addWidget(label(EXPORT_HELP, "hint"))
        self.targets_box = QVBoxLayout()
        lay.addLayout(self.targets_box)
        find_row = QHBoxLayout()
        self.find_button = button("查找 U 盘")
        self.find_button.clicked.connect(self.find_targets)
        find_row.addWidget(self.find_button)
        find_row.addStretch(1)
        lay.addLayout(find_row)
        self.export_result = label("", "body")
        lay.addWidget(self.export_result)
        lay.addStretch(1)
        lay = QVBoxLayout()
        lay.setSpacing(12)
        self.columns.addLayout(lay, 1)

        lay.addWidget(label("业务目录", "sectionTitle"))
        cat_row = QHBoxLayout()
        self.refresh_button = button("刷新业务目录")
        self.refresh_button.clicked.connect(self.refresh_catalogue)
        cat_row.addWidget(self.refresh_button)
        cat_row.addStretch(1)
        lay.addLayout(cat_row)
        self.refresh_result = label("", "body")
        lay.addWidget(self.refresh_result)

        lay.addWidget(label("重启应用", "sectionTitle"))
        lay.addWidget(label("重新启动终端程序（重新读取配置）；正在办理的业务已在进入维护时结束。", "hint"))
        restart_row = QHBoxLayout()
        self.restart_button = button("重启应用", "danger")
        self.restart_button.clicked.connect(lambda: self._confirming(True))
        self.confirm_button = button("确认重启", "danger")
        self.confirm_button.clicked.connect(self._restart)
        self.keep_button = button("不重启")
        self.keep_button.clicked.connect(lambda: self._confirming(False))
        for b in (self.restart_button, self.confirm_button, self.keep_button):
            restart_row.addWidget(b)
        restart_row.addStretch(1)
        lay.addLayout(restart_row)
        lay.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(touch_scroll(content), 1)
        self._target_buttons: list[QWidget] = []
        self._confirming(False)

    # ---- lifecycle ----------------------------------------------------------------------------
    def arrange(self, narrow: bool) -> None:
        self.columns.setDirection(QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight)

    def enter(self) -> None:
        self.export_result.setText("")
        self.refresh_result.setText("")
        self._confirming(False)
        self.find_targets()

    def leave(self) -> None:
        self._confirming(False)

    # ---- export -------------------------------------------------------------------------------
    def find_targets(self) -> None:
        self.find_button.setEnabled(False)
        run_op(self.tools.export_targets, self._show_targets,
               lambda exc: (self.find_button.setEnabled(True), self.export_result.setText(str(exc))))

    def _show_targets(self, targets: list[Target]) -> None:
        self.find_button.setEnabled(True)
        for b in self._target_buttons:
            self.targets_box.removeWidget(b)
            b.hide()
            b.deleteLater()
        self._target_buttons = []
        if not targets:
            note = label("没有找到已挂载的 U 盘。请插入 U 盘，稍候再点「查找 U 盘」。", "body")
            self.targets_box.addWidget(note)
            self._target_buttons.append(note)
        for target in targets:  # a long path wraps in its label; the button's name carries it too
            box = card()
            row = QHBoxLayout(box)
            row.setContentsMargins(20, 8, 20, 8)
            row.addWidget(label(target.label + ("" if target.writable else "（只读）"), "body"), 1)
            b = button("导出", "primary")
            b.setAccessibleName(f"导出到{target.label}")
            b.setEnabled(target.writable)
            b.clicked.connect(lambda _=False, p=target.path: self.export(p))
            row.addWidget(b)
            self.targets_box.addWidget(box)
            self._target_buttons.append(box)

    def export(self, path: Path) -> None:
        self.export_result.setText(f"正在写入 {path} ……")
        for b in self._target_buttons:
            b.setEnabled(False)
        run_op(lambda: self.tools.export(path), self._exported, self._export_failed)

    def _exported(self, written: Path) -> None:
        self.export_result.setText(f"✓ 诊断包已写入 {written}，可以拔出 U 盘。")
        self.find_targets()

    def _export_failed(self, exc: Exception) -> None:
        self.export_result.setText(f"✗ {messages.for_error(exc)}")
        self.find_targets()

    # ---- catalogue ----------------------------------------------------------------------------
    def refresh_catalogue(self) -> None:
        self.refresh_button.setEnabled(False)
        self.refresh_result.setText("正在从政务服务平台更新业务目录……")

        def done(version: str) -> None:
            self.refresh_button.setEnabled(True)
            self.refresh_result.setText(f"✓ 业务目录已更新：版本 {version}。返回服务后首页按新目录显示。")

        def failed(exc: Exception) -> None:
            self.refresh_button.setEnabled(True)
            self.refresh_result.setText(f"✗ {messages.for_error(exc)}")

        run_op(self.tools.refresh_catalogue, done, failed)

    # ---- restart ------------------------------------------------------------------------------
    def _confirming(self, on: bool) -> None:
        self.restart_button.setVisible(not on)
        self.confirm_button.setVisible(on)
        self.keep_button.setVisible(on)

    def _restart(self) -> None:
        self.tools.event_log.action("restart requested")
        self.restart()
