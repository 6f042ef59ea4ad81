"""设备自检: one row per device — its test button, and the result (✓ 通过 / ✗ 失败 with the device's
own message). The card and code tests wait for the technician (up to `tools.wait_s`); the printers
print their test pages; the camera shows a live preview with the face box, passing once a face is
found. Results and preview frames are dropped when the page is left: the masked numbers a test
card produced stay no longer than the screen."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.devices.model import DeviceError
from kiosk.ui.ops import run_op
from kiosk.ui.technician import self_tests
from kiosk.ui.technician.self_tests import CameraProbe, Look, Outcome
from kiosk.ui.technician.status_page import DEVICE_NAMES
from kiosk.ui.technician.tools import SELF_TESTS, TechnicianTools
from kiosk.ui.widgets import button, card, label, restyle, touch_scroll

PREVIEW_INTERVAL_MS = 200  # at most five analysed frames a second: Haar detection is not free
PREVIEW_SIZE = (480, 360)


class SelfTestPage(QWidget):
    def __init__(self, tools: TechnicianTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(label("每项自检都用真实设备完成：读卡、扫码只显示打码后的号码；测试页不含居民信息。", "hint"))
        content = QWidget()
        content.setObjectName("screen")
        rows = QVBoxLayout(content)
        rows.setSpacing(10)
        rows.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        self.results: dict[str, Any] = {}
        for device_id, (caption, _) in SELF_TESTS.items():
            box = card()
            grid = QGridLayout(box)
            grid.setContentsMargins(20, 10, 20, 10)
            grid.setColumnStretch(0, 1)
            grid.addWidget(label(DEVICE_NAMES[device_id], "fieldValue"), 0, 0)
            b = button(caption, "primary")
            b.setAccessibleName(caption)
            b.setMinimumWidth(260)
            b.clicked.connect(lambda _=False, d=device_id: self.start(d))
            grid.addWidget(b, 0, 1)
            result = label("", "body")
            result.setObjectName(f"result:{device_id}")
            grid.addWidget(result, 1, 0, 1, 2)
            rows.addWidget(box)
            self.buttons[device_id], self.results[device_id] = b, result
        rows.addStretch(1)
        # The preview sits outside the scrolled list: beside it in landscape, above it in portrait.
        self.split = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.split.setSpacing(20)
        self.preview = label("", "hint")
        self.preview.setAccessibleName("摄像头预览画面")
        self.preview.setFixedSize(*PREVIEW_SIZE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.hide()
        self.split.addWidget(touch_scroll(content), 1)
        self.split.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        lay.addLayout(self.split, 1)
        self.outcomes: dict[str, Outcome] = {}
        self._generation = 0
        self._probe: CameraProbe | None = None
        self._looking = False
        self._preview_started = 0.0
        self._camera_passed = False
        self._timer = QTimer(self, interval=PREVIEW_INTERVAL_MS)
        self._timer.timeout.connect(self._next_look)

    # ---- page lifecycle -----------------------------------------------------------------------
    def arrange(self, narrow: bool) -> None:
        self.split.setDirection(QBoxLayout.Direction.BottomToTop if narrow else QBoxLayout.Direction.LeftToRight)

    def enter(self) -> None:
        for device_id, b in self.buttons.items():
            present = self.tools.devices.get(device_id) is not None
            b.setEnabled(present)
            self._say(device_id, None, "" if present else "本终端未配置此设备")

    def leave(self) -> None:
        self._generation += 1  # a test still waiting reports to nobody
        self.stop_preview()
        self.outcomes.clear()
        for device_id in self.results:
            self._say(device_id, None, "")

    def _say(self, device_id: str, ok: bool | None, text: str) -> None:
        mark = "" if ok is None else ("✓ 通过　" if ok else "✗ 失败　")
        result = self.results[device_id]
        result.setText(mark + text)
        result.setVisible(bool(text))  # an empty line would only make the card taller
        result.setProperty("variant", "" if ok is None else ("online" if ok else "offline"))
        result.setProperty("role", "body" if ok is None else "verdictText")
        restyle(result)

    # ---- the blocking tests -------------------------------------------------------------------
    def start(self, device_id: str) -> None:
        if device_id == "camera":
            self.toggle_preview()
            return
        caption, waiting = SELF_TESTS[device_id]
        self.buttons[device_id].setEnabled(False)
        self._say(device_id, None, waiting.format(s=int(self.tools.wait_s)) + "……")
        generation = self._generation
        run_op(lambda: self.tools.self_test(device_id),
               lambda outcome: generation == self._generation and self._done(device_id, outcome),
               lambda exc: generation == self._generation and self._done(device_id, Outcome.failed(exc)))

    def _done(self, device_id: str, outcome: Outcome) -> None:
        self.outcomes[device_id] = outcome
        self.buttons[device_id].setEnabled(True)
        self._say(device_id, outcome.ok, outcome.text)

    # ---- the camera preview -------------------------------------------------------------------
    def toggle_preview(self) -> None:
        if self._probe is not None:
            self.stop_preview()
            return
        camera = self.tools.devices.get("camera")
        probe = CameraProbe(camera)
        try:
            probe.start()
        except DeviceError as exc:
            self._camera_result(Outcome.failed(exc))
            return
        self._probe, self._camera_passed = probe, False
        self._preview_started = time.monotonic()
        self.buttons["camera"].setText("停止预览")
        self.preview.setText("正在打开摄像头……")
        self.preview.show()
        self._say("camera", None, "请正对摄像头……")
        self._timer.start()

    def stop_preview(self) -> None:
        self._timer.stop()
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.stop()
        self.buttons["camera"].setText(SELF_TESTS["camera"][0])
        self.preview.clear()  # frames are faces: nothing stays on screen
        self.preview.hide()

    def _next_look(self) -> None:
        probe = self._probe
        if probe is None or self._looking:
            return
        self._looking = True

        def looked(look: Look | None) -> None:
            self._looking = False
            if probe is self._probe and look is not None:
                self._show(look)

        def lost(exc: Exception) -> None:
            self._looking = False
            if probe is self._probe:
                self.stop_preview()
                self._camera_result(Outcome.failed(exc))

        run_op(probe.look, looked, lost)

    def _show(self, look: Look) -> None:
        h, w = look.rgb.shape[:2]
        image = QImage(look.rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        if look.face is not None:
            painter = QPainter(image)
            painter.setPen(QPen(QColor("#00E676"), 4))
            painter.drawRect(*look.face)
            painter.end()
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        outcome = self_tests.camera_outcome(look)
        if outcome.ok and not self._camera_passed:
            self._camera_passed = True
            self._camera_result(outcome)
        elif not self._camera_passed:
            timed_out = time.monotonic() - self._preview_started >= self.tools.wait_s
            self._say("camera", None if not timed_out else False, outcome.text)
            if timed_out and "camera" not in self.outcomes:
                self._camera_result(outcome)

    def _camera_result(self, outcome: Outcome) -> None:
        self.outcomes["camera"] = outcome
        self.tools.record("camera", outcome)
        self._say("camera", outcome.ok, outcome.text)
