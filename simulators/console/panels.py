"""The console's panels. Each emits the actions a tester takes (`act`, an actions.Action) and shows
what a poll found (`update_from(result)`); none talks to the hub itself (window.py runs the actions on its
worker). Labels are Simplified Chinese: the testers are Chinese staff."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.devices.device_url import DEVICE_IDS
from simulators.console import actions
from simulators.console.actions import DEVICE_NAMES
from simulators.console.poller import PollResult
from simulators.console.traffic import format_entry
from simulators.personas import Persona, load_personas

CARD_TYPES = {"resident": "居民身份证", "J": "港澳台居民居住证", "I": "外国人永久居留证（2017）",
              "Y": "外国人永久居留证（2023）"}
TRAFFIC_LINES = 3000  # the view keeps the newest lines only


CABLED = DEVICE_IDS  # the devices with a cable (the hub also runs the backend, broker and fleet)


def _button(text: str, slot: Any, tip: str = "") -> QPushButton:
    b = QPushButton(text)
    b.clicked.connect(lambda _=False: slot())
    if tip:
        b.setToolTip(tip)
    return b


def card_type(p: Persona) -> str:
    return CARD_TYPES[p.layout] + ("（已过期）" if p.card_expired(date.today()) else "")


class Panel(QGroupBox):
    act = Signal(object)  # an actions.Action

    def __init__(self, title: str) -> None:
        super().__init__(title)

    def set_devices(self, devices: list[str]) -> None:
        """The simulators the connected hub runs (controls for the others are disabled)."""

    def update_from(self, result: PollResult) -> None:
        """What the last poll found."""


# ---- personas: ID card, 社保卡, scanner ------------------------------------------------------------
class PersonaPanel(Panel):
    def __init__(self) -> None:
        super().__init__("居民（模拟人员）：身份证 · 社保卡 · 扫码")
        self.personas = list(load_personas().values())
        self.devices: list[str] = []
        self.table = QTableWidget(len(self.personas), 4)
        self.table.setHorizontalHeaderLabels(["姓名", "证件类型", "年龄", "社保卡"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, p in enumerate(self.personas):
            for col, text in enumerate((p.name, card_type(p), f"{p.age()} 岁", "有" if p.sscard else "无")):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{p.id}：{p.name}，{card_type(p)}，{p.age()} 岁" +
                                ("，长者" if p.elderly else ""))
                self.table.setItem(row, col, item)
        self.table.itemSelectionChanged.connect(self.refresh)

        self.place = _button("放置身份证", lambda: self._with_persona(actions.place_card))
        self.lift = _button("拿走身份证", lambda: self.act.emit(actions.lift_card()))
        self.insert = _button("插入社保卡", lambda: self._with_persona(actions.insert_sscard))
        self.remove = _button("拔出社保卡", lambda: self.act.emit(actions.remove_sscard()))
        self.eid = _button("扫描粤省事码", lambda: self._with_persona(actions.scan_eid),
                           "扫码枪读出所选居民的电子身份证码（e-ID）")
        self.account_kind = QComboBox()
        for kind, label in actions.ACCOUNT_KINDS.items():
            self.account_kind.addItem(label, kind)
        self.account = _button("扫描户号", self._scan_account, "所选居民的水电气户号（来自平台的 GET /accounts）")
        self.code = QLineEdit()
        self.code.setPlaceholderText("任意扫码内容")
        self.code.setAccessibleName("扫码内容")
        self.code.returnPressed.connect(self._scan_text)
        self.scan = _button("扫码", self._scan_text)
        self.card_state = QLabel("阅读器：—")
        self.sscard_state = QLabel("社保卡：—")
        self.scanner_state = QLabel("扫码枪：—")
        for label in (self.card_state, self.sscard_state, self.scanner_state):
            label.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(self.place, 0, 0)
        grid.addWidget(self.lift, 0, 1)
        grid.addWidget(self.insert, 1, 0)
        grid.addWidget(self.remove, 1, 1)
        grid.addWidget(self.eid, 2, 0)
        accounts = QHBoxLayout()
        accounts.addWidget(self.account_kind)
        accounts.addWidget(self.account)
        grid.addLayout(accounts, 2, 1)
        grid.addWidget(self.code, 3, 0)
        grid.addWidget(self.scan, 3, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(grid)
        for label in (self.card_state, self.sscard_state, self.scanner_state):
            lay.addWidget(label)
        self.table.selectRow(0)
        self.refresh()

    def selected(self) -> Persona | None:
        rows = self.table.selectionModel().selectedRows()
        return self.personas[rows[0].row()] if rows else None

    def select(self, persona_id: str) -> None:
        self.table.selectRow(next(i for i, p in enumerate(self.personas) if p.id == persona_id))

    def _with_persona(self, make: Any) -> None:
        p = self.selected()
        if p is not None:
            self.act.emit(make(p.id, p.name))

    def _scan_account(self) -> None:
        p = self.selected()
        if p is not None:
            self.act.emit(actions.scan_account(self.account_kind.currentData(), p.id, p.name))

    def _scan_text(self) -> None:
        if self.code.text().strip():
            self.act.emit(actions.scan_text(self.code.text()))

    def set_devices(self, devices: list[str]) -> None:
        self.devices = devices
        self.refresh()

    def refresh(self) -> None:
        p = self.selected()
        has = self.devices.__contains__
        self.place.setEnabled(p is not None and has("idcard"))
        self.lift.setEnabled(has("idcard"))
        self.insert.setEnabled(p is not None and p.sscard is not None and has("sscard"))
        self.insert.setToolTip("" if p is None or p.sscard else f"{p.name}没有社保卡")
        self.remove.setEnabled(has("sscard"))
        self.eid.setEnabled(p is not None and has("scanner"))
        self.account.setEnabled(p is not None and has("scanner") and has("backend"))
        self.scan.setEnabled(has("scanner"))
        self.code.setEnabled(has("scanner"))

    def update_from(self, result: PollResult) -> None:
        names = {p.id: p.name for p in self.personas}
        idcard = result.states.get("idcard")
        if idcard is not None:
            card = f"{names.get(idcard['card'], idcard['card'])}的证件" if idcard["card"] else "无卡"
            read = "，已被终端读取" if idcard.get("read_done") else ""
            link = "终端已连接" if idcard["connected"] else "终端未连接"
            self.card_state.setText(f"身份证阅读器：{card}{read}；{link}")
        sscard = result.states.get("sscard")
        if sscard is not None:
            inside = f"{names.get(sscard['persona'], sscard['persona'])}的社保卡" if sscard["persona"] else "无卡"
            seen = "，读卡器已识别" if sscard.get("seen_by_vpcd") else ""
            self.sscard_state.setText(f"社保卡读卡器：{inside}{seen}")
        scanner = result.states.get("scanner")
        if scanner is not None:
            self.scanner_state.setText(f"扫码枪：{'终端已连接' if scanner['connected'] else '终端未连接（扫码会丢失）'}"
                                       f"，已扫 {scanner['scans']} 次")
        for device, label in (("idcard", self.card_state), ("sscard", self.sscard_state),
                              ("scanner", self.scanner_state)):
            if device not in self.devices:
                label.setText(f"{DEVICE_NAMES[device]}：此模拟器中心未运行")
            elif device in result.errors:
                label.setText(f"{DEVICE_NAMES[device]}：状态未知（{result.errors[device]}）")


# ---- the receipt printer -------------------------------------------------------------------------
class PrinterPanel(Panel):
    def __init__(self) -> None:
        super().__init__("凭条打印机")
        self.state = QLabel("状态：—")
        self.state.setWordWrap(True)
        buttons = QGridLayout()
        for i, (state, label) in enumerate(actions.PRINTER_STATES.items()):
            buttons.addWidget(_button(label, lambda s=state: self.act.emit(actions.printer_state(s))), i // 3, i % 3)
        self.lines = QSpinBox()
        self.lines.setRange(1, 200)
        self.lines.setValue(3)
        self.lines.setSuffix(" 行后缺纸")
        after = _button("打印中途缺纸", lambda: self.act.emit(actions.paper_out_after(self.lines.value())),
                        "纸卷在再打印 N 行后用完（可以在一张凭条中间）")
        row = QHBoxLayout()
        row.addWidget(self.lines)
        row.addWidget(after)
        row.addStretch(1)
        self.strip = QHBoxLayout()
        self.strip.addStretch(1)
        holder = QWidget()
        holder.setLayout(self.strip)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.receipts_title = QLabel("最近的凭条：还没有")
        lay = QVBoxLayout(self)
        lay.addWidget(self.state)
        lay.addLayout(buttons)
        lay.addLayout(row)
        lay.addWidget(self.receipts_title)
        lay.addWidget(scroll, 1)
        self.receipt_labels: list[QLabel] = []
        self.receipt_count: int | None = None

    def set_devices(self, devices: list[str]) -> None:
        self.setEnabled("printer" in devices)
        if "printer" not in devices:
            self.state.setText("状态：此模拟器中心未运行打印机模拟器")

    def update_from(self, result: PollResult) -> None:
        s = result.states.get("printer")
        if s is None:
            if "printer" in result.errors:
                self.state.setText(f"状态未知：{result.errors['printer']}")
            return
        paper = {"ok": "有纸", "near_end": "纸将尽", "out": "缺纸"}.get(s["paper"], s["paper"])
        fault = s.get("fault") or {}
        fault = f" · 待发故障：{fault}" if fault.get("kind", "none") != "none" else ""
        self.state.setText(
            f"纸张：{paper} · 机盖：{'打开' if s['cover_open'] else '关闭'} · {'脱机' if s['offline'] else '联机'}"
            f" · 线缆：{'插着' if s['plugged'] else '拔出'} · 终端：{'已连接' if s['connected'] else '未连接'}"
            f" · {s['paper_mm']} mm · 共 {s['receipts']} 张凭条{fault}")
        self.receipt_count = result.receipt_count
        if result.receipts is not None:
            self._show_receipts(result)

    def _show_receipts(self, result: PollResult) -> None:
        for label in self.receipt_labels:
            label.deleteLater()
        self.receipt_labels = []
        receipts = result.receipts or []
        self.receipts_title.setText(f"最近的凭条（共 {result.receipt_count} 张，显示最新 {len(receipts)} 张）："
                                    if receipts else "最近的凭条：还没有")
        for r in reversed(receipts):  # newest first
            column = QWidget()
            lay = QVBoxLayout(column)
            lay.setContentsMargins(0, 0, 0, 0)
            caption = QLabel(f"#{r.index} · {_clock(r.time)}" + ("（不完整：中途断开或缺纸）" if r.incomplete else ""))
            paper = QLabel()
            paper.setToolTip(r.text)
            paper.setAccessibleName(f"凭条 #{r.index}")
            if r.image is not None:
                paper.setPixmap(QPixmap.fromImage(r.image))
            else:
                paper.setText(r.text or "（无内容）")
            lay.addWidget(caption)
            lay.addWidget(paper)
            lay.addStretch(1)
            self.strip.insertWidget(self.strip.count() - 1, column)
            self.receipt_labels.append(column)


def _clock(stamp: Any) -> str:
    """A receipt's time (epoch seconds, as the printer simulator keeps it) as the wall clock."""
    try:
        return datetime.fromtimestamp(float(stamp)).strftime("%H:%M:%S")
    except (TypeError, ValueError, OverflowError, OSError):
        return str(stamp)


# ---- the camera -------------------------------------------------------------------------------------
class CameraPanel(Panel):
    def __init__(self) -> None:
        super().__init__("摄像头")
        self.kind = QComboBox()
        for kind, label in actions.CAMERA_SCENES.items():
            self.kind.addItem(f"{label}  {kind}", kind)
        self.persona = QComboBox()
        for p in load_personas().values():
            self.persona.addItem(f"{p.name}（{p.id}）", p.id)
        self.variant = QComboBox()
        for variant, label in actions.CAMERA_VARIANTS.items():
            self.variant.addItem(label if not variant else f"{label}  {variant}", variant)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.apply = _button("切换场景", self._apply)
        self.scene = QLabel("当前场景：—")
        self.thumb = QLabel("（摄像头画面）")
        self.thumb.setFixedSize(320, 240)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setObjectName("thumbnail")
        self.thumb.setAccessibleName("摄像头画面")
        form = QGridLayout()
        form.addWidget(QLabel("场景"), 0, 0)
        form.addWidget(self.kind, 0, 1)
        form.addWidget(QLabel("居民"), 1, 0)
        form.addWidget(self.persona, 1, 1)
        form.addWidget(QLabel("姿态"), 2, 0)
        form.addWidget(self.variant, 2, 1)
        form.addWidget(self.apply, 3, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.scene)
        lay.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)
        self.frames = 0  # thumbnails shown (tests wait on it)
        self._kind_changed()

    def scene_text(self) -> str:
        kind = self.kind.currentData()
        return f"{kind}:{self.persona.currentData()}" if kind in ("face", "photo") else kind

    def _kind_changed(self) -> None:
        with_person = self.kind.currentData() in ("face", "photo")
        self.persona.setEnabled(with_person)
        self.variant.setEnabled(with_person)

    def _apply(self) -> None:
        variant = self.variant.currentData() if self.variant.isEnabled() else ""
        self.act.emit(actions.camera_scene(self.scene_text(), variant))

    def set_devices(self, devices: list[str]) -> None:
        self.setEnabled("camera" in devices)
        if "camera" not in devices:
            self.scene.setText("当前场景：此模拟器中心未运行摄像头模拟器")
            self.thumb.clear()

    def update_from(self, result: PollResult) -> None:
        s = result.states.get("camera")
        if s is not None:
            variant = f"，{actions.CAMERA_VARIANTS.get(s['variant'] or '', s['variant'])}" if s.get("variant") else ""
            self.scene.setText(f"当前场景：{s['scene']}{variant} · 线缆：{'插着' if s['plugged'] else '拔出'}"
                               f" · 观看的终端：{s['clients']} · {s['fps']} 帧/秒")
        if result.camera is not None:
            self.thumb.setPixmap(QPixmap.fromImage(result.camera))
            self.frames += 1
        elif result.request.camera and result.camera_error:
            self.thumb.setText(f"没有画面：\n{result.camera_error}")


# ---- cables and the platform ---------------------------------------------------------------------------
class DevicesPanel(Panel):
    COLUMNS = ["设备", "线缆", "终端连接", "", ""]

    def __init__(self) -> None:
        super().__init__("设备线缆与政务服务平台")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rows: dict[str, int] = {}
        self.mode = QLabel("平台：—")
        self.mode.setWordWrap(True)
        self.seconds = QDoubleSpinBox()
        self.seconds.setRange(0.1, 120)
        self.seconds.setDecimals(1)
        self.seconds.setValue(3)
        self.seconds.setSuffix(" 秒")
        self.status = QSpinBox()
        self.status.setRange(500, 599)
        self.status.setValue(503)
        self.status.setPrefix("HTTP ")
        self.backend_box = QGroupBox("政务服务平台（故障代理）")
        grid = QGridLayout(self.backend_box)
        grid.addWidget(self.mode, 0, 0, 1, 3)
        grid.addWidget(_button("正常", lambda: self.act.emit(actions.backend_mode("up"))), 1, 0)
        grid.addWidget(_button("断开", lambda: self.act.emit(actions.backend_mode("down")),
                               "拒绝新连接并切断已有连接"), 1, 1)
        grid.addWidget(self.seconds, 2, 0)
        grid.addWidget(_button("缓慢", lambda: self.act.emit(actions.backend_mode("slow", seconds=self.seconds.value())),
                               "转发，但每个应答延迟设定的秒数"), 2, 1)
        grid.addWidget(self.status, 3, 0)
        grid.addWidget(_button("服务器错误", lambda: self.act.emit(actions.backend_mode("error", status=self.status.value())),
                               "每个请求都应答该 5xx 状态码"), 3, 1)
        grid.addWidget(_button("最新订单已支付", lambda: self.act.emit(actions.pay_newest()),
                               "居民在手机上付款：把最新一笔待支付订单标记为已支付"), 4, 0, 1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.backend_box)

    def set_devices(self, devices: list[str]) -> None:
        cabled = [d for d in devices if d in CABLED]  # devices with a cable (not the backend, broker, fleet…)
        self.table.setRowCount(len(cabled))
        self.rows = {}
        for row, device in enumerate(cabled):
            self.rows[device] = row
            self.table.setItem(row, 0, QTableWidgetItem(f"{DEVICE_NAMES.get(device, device)}（{device}）"))
            self.table.setItem(row, 1, QTableWidgetItem("—"))
            self.table.setItem(row, 2, QTableWidgetItem("—"))
            self.table.setCellWidget(row, 3, _button("拔出线缆", lambda d=device: self.act.emit(actions.unplug(d))))
            self.table.setCellWidget(row, 4, _button("插回线缆", lambda d=device: self.act.emit(actions.replug(d))))
        self.backend_box.setEnabled("backend" in devices)
        if "backend" not in devices:
            self.mode.setText("平台：此模拟器中心未运行参考后端")

    def update_from(self, result: PollResult) -> None:
        for device, row in self.rows.items():
            s = result.states.get(device)
            if s is None:
                self.table.item(row, 1).setText("未知")
                self.table.item(row, 2).setText(result.errors.get(device, "—"))
                continue
            alive = result.alive.get(device, True)
            self.table.item(row, 1).setText(("插着" if s.get("plugged", True) else "拔出") +
                                            ("" if alive else "（模拟器进程已退出）"))
            self.table.item(row, 2).setText(_link_text(device, s))
        m = result.backend_mode
        if m is not None:
            detail = {"slow": f"，每个应答延迟 {m.get('seconds')} 秒", "error": f"，应答 HTTP {m.get('status')}"}
            left = f"（还剩 {m['count']} 个请求）" if m.get("count") else ""
            self.mode.setText(f"平台当前：{actions.BACKEND_MODES.get(m['mode'], m['mode'])} {m['mode']}"
                              f"{detail.get(m['mode'], '')}{left}")
        elif "backend" in result.errors:
            self.mode.setText(f"平台：状态未知（{result.errors['backend']}）")


def _link_text(device: str, s: dict[str, Any]) -> str:
    if device == "camera":
        return f"{s.get('clients', 0)} 个终端在看画面"
    if device == "sscard":
        return "已接入读卡器（有卡）" if s.get("connected") else "未接入（无卡或已拔出）"
    if device == "docprinter":
        reasons = ", ".join(s.get("reasons") or []) or "none"
        return f"{s.get('printer_state', '?')}（{reasons}）"
    return "已连接" if s.get("connected") else "未连接"


# ---- wire traffic ------------------------------------------------------------------------------------------
class TrafficPanel(Panel):
    def __init__(self) -> None:
        super().__init__("通信记录（线路上的字节，十六进制与文字）")
        self.device = QComboBox()
        self.device.setAccessibleName("查看哪个设备的通信")
        self.pause = QCheckBox("暂停")
        self.clear = _button("清屏", lambda: self.view.clear())
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(TRAFFIC_LINES)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(9)
        self.view.setFont(mono)
        top = QHBoxLayout()
        top.addWidget(QLabel("设备"))
        top.addWidget(self.device, 1)
        top.addWidget(self.pause)
        top.addWidget(self.clear)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        self.device.currentIndexChanged.connect(lambda _: self.view.clear())

    def current(self) -> str | None:
        return self.device.currentData()

    def set_devices(self, devices: list[str]) -> None:
        current = self.current()
        self.device.blockSignals(True)
        self.device.clear()
        for d in devices:
            what = "请求记录" if d == "backend" else "线路字节"
            self.device.addItem(f"{DEVICE_NAMES.get(d, d)}（{d}）· {what}", d)
        index = self.device.findData(current)
        self.device.setCurrentIndex(index if index >= 0 else 0)
        self.device.blockSignals(False)

    def update_from(self, result: PollResult) -> None:
        req = result.request
        if req.traffic_device != self.current() or self.pause.isChecked():
            return
        if result.traffic:
            self.view.appendPlainText("\n".join(format_entry(e) for e in result.traffic[-TRAFFIC_LINES:]))
        error = result.errors.get(f"traffic:{req.traffic_device}")
        if error:
            self.view.appendPlainText(f"（读取通信记录失败：{error}）")


# ---- recording -------------------------------------------------------------------------------------------------
class RecordingPanel(QGroupBox):
    """The recorded fragment (window.py owns the Recording; this shows and edits it)."""

    def __init__(self) -> None:
        from simulators.console.recording import MANUAL_KINDS

        super().__init__("录制：保存为场景片段（kiosk-sim run 可回放）")
        self.enabled = QCheckBox("录制我的操作")
        self.enabled.setChecked(True)
        self.lines = QListWidget()
        self.lines.setAccessibleName("已录制的步骤")
        self.manual_kind = QComboBox()
        for kind, label in MANUAL_KINDS.items():
            self.manual_kind.addItem(f"{label}  {kind}", kind)
        self.manual_text = QLineEdit()
        self.manual_text.setPlaceholderText("按钮上的字、应看到的文字、界面名……")
        self.manual_text.setAccessibleName("手动步骤内容")
        self.add = QPushButton("添加步骤")
        self.delete = QPushButton("删除所选")
        self.clear = QPushButton("全部清空")
        self.name = QLineEdit()
        self.name.setPlaceholderText("场景名称：这次复现了什么")
        self.name.setAccessibleName("场景名称")
        self.save = QPushButton("保存为场景文件…")
        self.saved = QLabel("")
        self.saved.setWordWrap(True)
        self.saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel("控制台看不到终端屏幕：在终端上点了什么、应当看到什么，请用下面的“手动步骤”补上。")
        hint.setWordWrap(True)
        manual = QHBoxLayout()
        manual.addWidget(self.manual_kind)
        manual.addWidget(self.manual_text, 1)
        manual.addWidget(self.add)
        edit = QHBoxLayout()
        edit.addWidget(self.delete)
        edit.addWidget(self.clear)
        edit.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.enabled)
        lay.addWidget(self.lines, 1)
        lay.addWidget(hint)
        lay.addLayout(manual)
        lay.addLayout(edit)
        lay.addWidget(self.name)
        lay.addWidget(self.save)
        lay.addWidget(self.saved)
