"""The tester console's window (`kiosk-sim console`): a view on a running hub's control API.

Threads: the GUI thread only builds actions and shows results. Every control-API call runs on one
of two Workers (worker.py): `actions` (the tester's clicks, in order) and `polls` (connect, then a
poll every `interval_s`: poller.py). The connection has three states:

    connecting ──ok──▶ connected ──hub unreachable──▶ lost ──ok──▶ connected
         └──fail──▶ unreachable (message + 重试; retried every retry_s too)

While not connected the panels are disabled and the banner says why and what to do.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from simulators.console import actions
from simulators.console.actions import Action, perform, step_problem
from simulators.console.hub_link import HubLink, HubRefused, HubUnreachable
from simulators.console.panels import (
    CameraPanel,
    DevicesPanel,
    Panel,
    PersonaPanel,
    PrinterPanel,
    RecordingPanel,
    TrafficPanel,
)
from simulators.console.poller import PollRequest, PollResult, poll
from simulators.console.recording import Recording
from simulators.console.traffic import TrafficTail
from simulators.console.worker import Worker
from simulators.scenario.hub_client import StepFailed
from simulators.scenario.scenario_file import ScenarioFileError

STYLE = """
QLabel#banner { padding: 8px 12px; border-radius: 4px; font-weight: bold; }
QLabel#banner[state="connected"] { background: #e3f4e6; color: #145a22; }
QLabel#banner[state="connecting"] { background: #eef2f7; color: #24364d; }
QLabel#banner[state="unreachable"], QLabel#banner[state="lost"] { background: #fde8e6; color: #8a1c12; }
QLabel#thumbnail { background: #202020; color: #dddddd; }
"""


def explain(exc: BaseException) -> str:
    """Why an action failed, for the tester (Chinese), with the precise English cause in brackets."""
    if isinstance(exc, HubUnreachable):
        return f"模拟器中心没有应答，操作没有执行（{exc}）"
    if isinstance(exc, HubRefused):
        if exc.status == 404 and exc.path.endswith("/payments/paid"):
            return "没有等待支付的订单：请先在终端上下单，出现支付二维码后再标记已支付"
        if exc.status == 404 and exc.error.startswith("no simulator"):
            return f"这个模拟器中心没有运行该模拟器（{exc.error}）"
        if exc.status == 409:
            return f"当前状态下不能这样做（{exc.error}）"
        return f"模拟器拒绝了这个操作：HTTP {exc.status}（{exc.error}）"
    if isinstance(exc, StepFailed):
        if "did not connect to the scanner" in str(exc):
            return "没有终端连接着扫码枪，扫到的码会丢失：请先启动终端（make run），再扫码"
        return f"操作没有完成（{exc}）"
    if isinstance(exc, ScenarioFileError):
        return f"步骤不符合场景格式：{step_problem(exc)}"
    return f"{type(exc).__name__}: {exc}"


class ConsoleWindow(QMainWindow):
    connection_changed = Signal(str)  # connecting | connected | unreachable | lost
    polled = Signal(object)  # each PollResult, after the panels showed it
    action_done = Signal(object, object)  # (Action, exception or None)

    def __init__(self, hub_url: str, *, interval_s: float = 1.0, retry_s: float = 2.0) -> None:
        super().__init__()
        self.setWindowTitle("终端模拟器测试控制台（kiosk-sim console）")
        self.setStyleSheet(STYLE)
        self.link = HubLink(hub_url)
        self.recording = Recording()
        self.state = "connecting"
        self.ever_connected = False
        self.actions_worker = Worker("console-actions", self)
        self.polls = Worker("console-polls", self)
        self._polling = False  # a poll or a connect attempt is under way
        self._tail = TrafficTail()
        self._tail_device: str | None = None
        self.last_poll: PollResult | None = None

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.retry = QPushButton("重试连接")
        self.retry.clicked.connect(lambda _=False: self.connect_hub())
        self.retry.setAccessibleName("重试连接")
        top = QHBoxLayout()
        top.addWidget(self.banner, 1)
        top.addWidget(self.retry)

        self.persona = PersonaPanel()
        self.printer = PrinterPanel()
        self.camera = CameraPanel()
        self.devices = DevicesPanel()
        self.traffic = TrafficPanel()
        self.record = RecordingPanel()
        self.panels: list[Panel] = [self.persona, self.printer, self.camera, self.devices, self.traffic]
        for panel in self.panels:
            panel.act.connect(self.run_action)
        self.tabs = QTabWidget()
        for panel, title in ((self.printer, "打印机"), (self.camera, "摄像头"),
                             (self.devices, "线缆与平台"), (self.traffic, "通信记录")):
            self.tabs.addTab(panel, title)
        self._wire_recording()

        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        self.log.setAccessibleName("操作日志")
        splitter = QSplitter()
        splitter.addWidget(self.persona)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.record)
        splitter.setSizes([420, 760, 420])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(splitter)
        body.addWidget(self.log)
        body.setSizes([760, 160])
        root = QWidget()
        lay = QVBoxLayout(root)
        lay.addLayout(top)
        lay.addWidget(body, 1)
        self.setCentralWidget(root)
        self.resize(1600, 960)

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(int(interval_s * 1000))
        self.poll_timer.timeout.connect(self.poll_now)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.setInterval(int(retry_s * 1000))
        self.retry_timer.timeout.connect(self.connect_hub)
        self._set_state("connecting", f"正在连接模拟器中心 {self.link.url} …")

    # ---- the connection ---------------------------------------------------------------------------
    def start(self) -> None:
        self.connect_hub()

    def connect_hub(self) -> None:
        """One attempt (the retry button, the retry timer); the banner keeps its message meanwhile."""
        if self._polling or self.state == "connected":
            return
        self.retry_timer.stop()
        self._polling = True
        self.retry.setEnabled(False)
        self.retry.setText("正在连接…")
        self.polls.submit(self.link.connect, self._connected, self._connect_failed)

    def _attempt_over(self) -> None:
        self._polling = False
        self.retry.setEnabled(True)
        self.retry.setText("重试连接")

    def _connected(self, ports: dict[str, Any]) -> None:
        self._attempt_over()
        devices = self.link.devices()
        again = self.ever_connected
        self.ever_connected = True
        for panel in self.panels:
            panel.set_devices(devices)
        self._set_state("connected", f"已连接模拟器中心 {self.link.url}：" +
                        "、".join(f"{actions.DEVICE_NAMES.get(d, d)}" for d in devices))
        self._say("重新连接上模拟器中心" if again else f"已连接模拟器中心 {self.link.url}")
        self.poll_timer.start()
        self.poll_now()

    def _connect_failed(self, exc: Exception) -> None:
        self._attempt_over()
        reason = getattr(exc, "reason", exc)
        if self.state == "lost":
            self._set_state("lost", f"与模拟器中心 {self.link.url} 的连接断开了，正在重新连接…"
                                    f"（每 {self.retry_timer.interval() / 1000:g} 秒一次；{reason}）")
        else:
            self._set_state("unreachable",
                            f"没有连接到模拟器中心：{self.link.url} 没有应答（{reason}）。"
                            "请先运行 kiosk-sim all（或 make run），再点“重试连接”；"
                            f"控制台也会每 {self.retry_timer.interval() / 1000:g} 秒自动重试。")
        self.retry_timer.start()

    def _lost(self, exc: Exception) -> None:
        if self.state != "connected":
            return
        self.poll_timer.stop()
        self._say(f"与模拟器中心的连接断开了：{exc}")
        self._set_state("lost", f"与模拟器中心 {self.link.url} 的连接断开了，正在重新连接…"
                                f"（{getattr(exc, 'reason', exc)}）")
        self.connect_hub()

    def _set_state(self, state: str, text: str) -> None:
        self.state = state
        self.banner.setText(text)
        self.banner.setProperty("state", state)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        connected = state == "connected"
        self.retry.setVisible(not connected)
        self.persona.setEnabled(connected)  # recording stays usable: saving needs no hub
        self.tabs.setEnabled(connected)
        self.connection_changed.emit(state)

    # ---- polling ------------------------------------------------------------------------------------
    def poll_now(self) -> None:
        if self._polling or self.state != "connected":
            return
        device = self.traffic.current()
        if device != self._tail_device:  # another device on view: its log from the start
            self._tail, self._tail_device = TrafficTail(), device
        req = PollRequest(traffic_device=device, tail=self._tail,
                          camera=self.tabs.currentWidget() is self.camera,
                          receipts_seen=self.printer.receipt_count)
        self._polling = True
        self.polls.submit(lambda: poll(self.link, req), self._polled, self._poll_failed)

    def _polled(self, result: PollResult) -> None:
        self._polling = False
        if self.state != "connected":
            return
        self.last_poll = result
        for panel in self.panels:
            panel.update_from(result)
        self.polled.emit(result)

    def _poll_failed(self, exc: Exception) -> None:
        self._polling = False
        if isinstance(exc, HubUnreachable):
            self._lost(exc)
        else:  # a console bug or an odd answer: say it, keep polling
            self._say(f"刷新状态失败：{explain(exc)}")

    # ---- actions ---------------------------------------------------------------------------------------
    def run_action(self, action: Action) -> None:
        if self.state != "connected":
            self._say(f"没有执行“{action.label}”：还没有连接模拟器中心")
            return
        self._say(f"▶ {action.label}")
        self.actions_worker.submit(lambda: perform(action, self.link),
                                   lambda _: self._action_ok(action), lambda exc: self._action_failed(action, exc))

    def _action_ok(self, action: Action) -> None:
        self._say(f"✓ {action.label}")
        if self.record.enabled.isChecked():
            self.record.lines.addItem(self.recording.add(action))
        self.poll_now()
        self.action_done.emit(action, None)

    def _action_failed(self, action: Action, exc: Exception) -> None:
        self._say(f"✗ {action.label}：{explain(exc)}")
        if isinstance(exc, HubUnreachable):
            self._lost(exc)
        self.action_done.emit(action, exc)

    def _say(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    # ---- recording -----------------------------------------------------------------------------------------
    def _wire_recording(self) -> None:
        r = self.record
        r.add.clicked.connect(lambda _=False: self.add_manual_step())
        r.manual_text.returnPressed.connect(self.add_manual_step)
        r.delete.clicked.connect(lambda _=False: self._delete_selected())
        r.clear.clicked.connect(lambda _=False: (self.recording.clear(), r.lines.clear()))
        r.save.clicked.connect(lambda _=False: self._save_dialog())

    def add_manual_step(self) -> None:
        r = self.record
        kind, text = r.manual_kind.currentData(), r.manual_text.text().strip()
        if not text:
            return
        try:
            line = self.recording.add_manual(kind, text)
        except ScenarioFileError as exc:
            self._say(f"✗ 没有添加步骤：{step_problem(exc)}")
            return
        r.lines.addItem(line)
        r.manual_text.clear()
        self._say(f"添加了手动步骤 {line}")

    def _delete_selected(self) -> None:
        row = self.record.lines.currentRow()
        if row >= 0:
            self.recording.remove(row)
            self.record.lines.takeItem(row)

    def _save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存为场景文件", "bug_report.yaml", "场景文件 (*.yaml)")
        if path:
            self.save_recording(Path(path))

    def save_recording(self, path: Path) -> bool:
        try:
            scenario = self.recording.save(path, self.record.name.text())
        except (ValueError, OSError, ScenarioFileError) as exc:
            self.record.saved.setText(f"没有保存：{exc}")
            self._say(f"✗ 没有保存场景：{exc}")
            return False
        self.record.saved.setText(f"已保存 {len(scenario.steps)} 个步骤到 {path}\n回放：kiosk-sim run {path}")
        self._say(f"✓ 场景已保存：{path}（回放：kiosk-sim run {path}）")
        return True

    # ---- the end -----------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.poll_timer.stop()
        self.retry_timer.stop()
        self.actions_worker.close()
        self.polls.close()
        super().closeEvent(event)
