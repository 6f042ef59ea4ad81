"""Step `identify`: prove who you are with the methods the plan offers (the item's auth_methods).

Built so far: the ID card (身份证). The reader is enabled while this step shows and disabled when it
leaves; a card placed before the step is not this resident's (queued events are dropped first).
A card read → POST /identity/idcard → the identity and the platform token go into the Session.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.devices.model import DeviceState, DeviceStatus
from kiosk.services import messages
from kiosk.services.session import Identity
from kiosk.ui.device_bridge import DeviceBridge
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import label

DOWN = (DeviceState.OFFLINE, DeviceState.NO_DEVICE, DeviceState.HW_ERROR)


@register
class IdentifyScreen(StepScreen):
    name = "identify"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setText("请放置身份证")
        self.item_name = label("", "subtitle")
        self.item_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.item_name)
        self.body.addStretch(1)
        self.picture = label("", "picture")  # where the card goes: drawn with text glyphs, no asset needed
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName("身份证放置位置示意图")
        self.body.addWidget(self.picture)
        self.instructions = self.centered(
            "请将本人身份证平放在屏幕下方的「身份证读卡区」，\n听到提示音前不要移动。", "body")
        self.status = self.centered("正在等待读卡……", "hint")
        self.error = self.centered("", "error")
        self.body.addStretch(2)
        self.bridge: DeviceBridge | None = None

    # ---- the step ---------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self.item_name.setText(f"您正在办理：{ctx.item['name']}")
        self.picture.setText("▭ 身份证\n▼\n［ 身份证读卡区 ］")
        self.error.setText("")
        self.status.setText("正在等待读卡……")
        reader = ctx.devices.get("idcard") if "idcard" in ctx.params.get("methods", ()) else None
        if reader is None:
            self.error.setText(messages.text("idcard.reader_unavailable"))
            return
        self.bridge = DeviceBridge(reader, self)
        self.bridge.data_received.connect(self._on_card)
        self.bridge.error_received.connect(self._on_card_error)
        self.bridge.status_changed.connect(self._on_status)
        self._enable_reader()
        if reader.status.state in DOWN:
            self.error.setText(messages.text("idcard.reconnecting"))

    def _enable_reader(self) -> None:
        if self.bridge is None:
            return
        device = self.bridge.device
        device.events.clear()  # a card placed before this screen is not this resident's
        errors = getattr(device, "read_errors", None)
        if errors is not None:
            errors.clear()
        device.enable()

    def leave(self) -> None:
        if self.bridge is not None:
            self.bridge.device.disable()
            self.bridge.device.events.clear()
            self.bridge.detach()
            self.bridge.deleteLater()
            self.bridge = None

    def prompt(self) -> str:
        return "请把身份证平放在下方的读卡区。"

    # ---- device events ----------------------------------------------------------------------
    def _on_status(self, status: DeviceStatus) -> None:
        if status.state in DOWN:
            self.error.setText(messages.text("idcard.reconnecting"))
        elif status.state == DeviceState.ONLINE:
            self.error.setText("")

    def _on_card_error(self, failure: Any) -> None:
        """A placed card could not be read: say so and keep waiting (the reader stays enabled)."""
        self.error.setText(messages.for_error(failure))
        self.status.setText("请重新放置身份证。")

    def _on_card(self, card: Any) -> None:
        ctx = self.ctx
        if ctx is None or self.bridge is None:
            return  # not waiting for a card: drop it, never keep it
        self.bridge.device.disable()
        identity = Identity(method="idcard", name=card.name, id_number=card.id_number,
                            card_type=card.card_type, birth_date=card.birth_date or "")
        ctx.session.set_identity(identity)
        self.status.setText("读卡成功，正在核验身份……")
        ctx.run(lambda: ctx.services.open_session(identity), self._opened, self._refused,
                busy="读卡成功，正在核验身份，请稍候……")

    def _opened(self, platform: Any) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        ctx.session.platform_token = platform.token
        ctx.session.results["profile"] = platform.profile
        self.done.emit({"method": "idcard"})

    def _refused(self, exc: Exception) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        ctx.session.identity = None
        ctx.fail(exc, retry=self._enable_reader)

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.error.setText("")
