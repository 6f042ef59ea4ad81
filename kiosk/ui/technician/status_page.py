"""设备状态: every device's state and facts, the platform checks, the catalogue, the outbox, the
disk and the app version, from one health model (kiosk/services/health.py, the same as
`kiosk-diag status`). 刷新 asks the devices again (printer and A4 printer status queries, SAM id,
camera frame rate) and checks the platform; it runs off the GUI thread."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.services import messages
from kiosk.services.health import Health, Part
from kiosk.ui.layout_items import take_items
from kiosk.ui.ops import run_op
from kiosk.ui.technician.tools import TechnicianTools
from kiosk.ui.widgets import button, card, label, restyle, touch_scroll

DEVICE_NAMES = {"idcard": "身份证阅读器", "scanner": "扫码器", "printer": "凭条打印机", "docprinter": "A4 打印机",
                "camera": "摄像头", "sscard": "社保卡读卡器"}
STATE_NAMES = {"online": "在线", "offline": "离线，正在重连", "no_device": "未连接", "power_off": "未通电",
               "hw_error": "硬件故障", "user_error": "需要人工处理", "busy": "忙", "starting": "正在启动",
               "closed": "未打开"}
VERDICTS = {"online": "✓ 正常", "degraded": "! 需注意", "offline": "✗ 故障"}  # a sign as well as a colour
PAPER = {"ok": "正常", "near_end": "将尽", "out": "缺纸"}
SERVICE_NAMES = {"backend": "政务服务平台", "catalogue": "业务目录", "outbox": "待发送队列", "disk": "磁盘空间"}


def _ago(seconds: float) -> str:
    s = int(seconds)
    if s < 120:
        return f"{s} 秒"
    if s < 7200:
        return f"{s // 60} 分钟"
    return f"{s // 3600} 小时"


def device_facts(extras: Mapping[str, Any]) -> list[str]:
    """The extras a technician reads, in words (paper, cover, SAM, reader, frames, A4 faults)."""
    out = []
    if extras.get("paper") in PAPER:
        out.append(f"纸张：{PAPER[extras['paper']]}")
    if extras.get("cover_open"):
        out.append("机盖：打开")
    if extras.get("failed_jobs"):
        out.append(f"失败待重打的任务：{extras['failed_jobs']} 个")
    if extras.get("sam_id"):
        out.append(f"SAM 编号：{extras['sam_id']}")
    if extras.get("reader"):
        out.append(f"读卡器：{extras['reader']}")
    if extras.get("size"):
        fps = extras.get("fps")
        out.append(f"分辨率：{extras['size']}" + (f"，{fps:g} 帧/秒" if isinstance(fps, int | float) and fps else ""))
    if extras.get("fault"):
        code = f"docprinter.{extras['fault']}"
        out.append("故障：" + (messages.text(code) if code in messages.MESSAGES else str(extras["fault"])))
    for warning in extras.get("warnings") or ():
        code = f"docprinter.{warning}"
        out.append("提醒：" + (messages.text(code) if code in messages.MESSAGES else str(warning)))
    if extras.get("printer_state"):
        out.append(f"CUPS 状态：{extras['printer_state']}")
    return out


def service_facts(part: Part) -> list[str]:
    d = part.data
    if part.name == "backend":
        checks = d.get("checks")
        if checks:
            return [f"{'✓' if c['ok'] and not c.get('warning') else '✗' if not c['ok'] else '!'} "
                    f"{c['name']}：{c['detail']}" for c in checks]
        return []
    if part.name == "catalogue" and d.get("version"):
        out = [f"版本 {d['version']}，共 {d.get('items', 0)} 项，{_ago(d.get('age_s') or 0)}前与平台确认"]
        if d.get("platform_version") and d["platform_version"] != d["version"]:
            out.append(f"平台上的版本：{d['platform_version']}（请刷新业务目录）")
        return out
    if part.name == "outbox" and "depth" in d:
        out = [f"待发送 {d.get('depth') or 0} 条；平台拒收、保留待处理 {d.get('failed') or 0} 条"]
        if d.get("last_error"):
            out.append(f"最近一次错误：{d['last_error']}")
        return out
    if part.name == "disk" and "free_bytes" in d:
        return [f"剩余 {d['free_bytes'] / 2**30:.1f} GB，共 {d['total_bytes'] / 2**30:.1f} GB（{d['path']}）"]
    return []


class StatusPage(QWidget):
    checked = Signal(object)  # the Health just gathered

    def __init__(self, tools: TechnicianTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.when = label("", "hint")
        head.addWidget(self.when, 1)
        self.refresh_button = button("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button)
        lay.addLayout(head)
        self.content = QWidget()
        self.content.setObjectName("screen")
        outer = QVBoxLayout(self.content)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        outer.addLayout(self.grid)
        outer.addStretch(1)
        lay.addWidget(touch_scroll(self.content), 1)
        self.health: Health | None = None
        self.columns = 2
        self._generation = 0

    def arrange(self, narrow: bool) -> None:
        self.columns = 1 if narrow else 2
        if self.health is not None:
            self._fill(self.health)

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        self.refresh_button.setEnabled(False)
        self.when.setText("正在检查各设备和政务服务平台……")
        run_op(self.tools.health, lambda h: generation == self._generation and self._show(h),
               lambda exc: generation == self._generation and self._failed(exc))

    def leave(self) -> None:
        self._generation += 1  # a check still running is not shown
        self.refresh_button.setEnabled(True)

    def _failed(self, exc: Exception) -> None:
        self.refresh_button.setEnabled(True)
        self.when.setText(f"检查失败：{messages.for_error(exc)}")

    def _show(self, health: Health) -> None:
        self.health = health
        self.refresh_button.setEnabled(True)
        self.when.setText(f"检查于 {time.strftime('%H:%M:%S', time.localtime(health.checked_at))}")
        self._fill(health)
        self.checked.emit(health)

    def _fill(self, health: Health) -> None:
        for item in take_items(self.grid):
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        row = 0
        for title, parts in (("设备", list(health.devices.values())), ("服务", list(health.services.values()))):
            self.grid.addWidget(label(title, "sectionTitle"), row, 0, 1, self.columns)
            row += 1
            for i, part in enumerate(parts):
                self.grid.addWidget(self._card(part), row + i // self.columns, i % self.columns)
            row += (len(parts) + self.columns - 1) // self.columns
        for c in range(2):
            self.grid.setColumnStretch(c, 1 if c < self.columns else 0)

    def _card(self, part: Part) -> QWidget:
        box = card()
        box.setObjectName(f"part:{part.name}")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(20, 12, 20, 12)
        lay.setSpacing(4)
        if part.name in DEVICE_NAMES:
            name = f"{DEVICE_NAMES[part.name]}（{part.name}）"
            state = STATE_NAMES.get(part.data.get("state", ""), part.data.get("state", ""))
            facts = [f"状态：{state}", *device_facts(part.data.get("extras") or {})]
        else:
            name, facts = SERVICE_NAMES.get(part.name, part.name), service_facts(part)
        head = label(f"{VERDICTS[part.verdict]}　{name}", "verdict")
        head.setProperty("variant", part.verdict)
        restyle(head)
        lay.addWidget(head)
        if facts:
            lay.addWidget(label("；".join(facts) if part.name in DEVICE_NAMES else "\n".join(facts), "body"))
        lay.addWidget(label(part.summary, "hint"))  # the same English line as kiosk-diag status
        return box
