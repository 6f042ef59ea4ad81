"""Step `result`: the outcome, 请取走… reminders, reprint of the last slip, then on by itself.

- The outcome is the step before's own sentence (`outcome` in its result), else "已办理完成".
- What to take comes from the session: the ID card that was read, the 社保卡, the printed slip. An A4
  printer that failed is said here (the slip was printed instead: `docprinter.fallback_receipt`).
- The 社保卡 sits in a slot, so it is watched: while the reader's `card_present` extra says it is
  still in, the reminder repeats every REMIND_EVERY_S seconds (`reminded` fires each time, for the
  voice) and the screen does not move on by itself; once it is out, the countdown starts.
- 再打印一次 prints the session's last receipt again, in full.
- After `take_away_s` seconds the step is done by itself (the rating follows).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.devices.model import DeviceStatus
from kiosk.services import messages
from kiosk.ui.countdown import Countdown
from kiosk.ui.device_bridge import DeviceBridge
from kiosk.ui.i18n import item_text, tr
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import restyle

TAKE_AWAY_S = 20
REMIND_EVERY_S = 8
CARDS = {"idcard": tr("身份证"), "sscard": tr("社保卡")}  # what the resident put into the kiosk to identify


@register
class ResultScreen(StepScreen):
    name = "result"
    reminded = Signal(str)  # a reminder shown again (the voice says it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setText(tr("办理完成"))
        self.body.addStretch(1)
        self.outcome = self.centered("", "subtitle")
        self.fallback = self.centered("", "error")
        self.reminder = self.centered("", "subtitle")
        self.card_reminder = self.centered("", "error")
        self.countdown_text = self.centered("", "hint")
        self.body.addStretch(2)
        self.reprint = self.add_button(tr("再打印一次"))
        self.finish = self.add_button(tr("完成"), "primary")
        self.reprint.clicked.connect(self._reprint)
        self.finish.clicked.connect(self._finish)
        self.countdown = Countdown(self)
        self.countdown.tick.connect(self._tick)
        self.countdown.finished.connect(self._finish)
        self.repeat = Countdown(self)
        self.repeat.finished.connect(self._remind_again)
        self.bridge: DeviceBridge | None = None
        self.card_in = False
        self.reminders = 0  # how often the 社保卡 reminder was shown

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        before = ctx.results.get(ctx.plan.steps[ctx.index - 1].kind) if ctx.index > 0 else None
        before = before if isinstance(before, dict) else {}
        outputs = [r for r in ctx.results.values() if isinstance(r, dict)]
        self.outcome.setText(before.get("outcome") or tr("「{name}」已办理完成。").format(name=item_text(ctx.item, "name")))
        fell_back = any(r.get("fallback") for r in outputs)
        self.fallback.setText(messages.text("docprinter.fallback_receipt") if fell_back else "")
        self.fallback.setVisible(fell_back)
        identity = ctx.session.identity
        things = []
        if identity is not None and identity.method in CARDS:
            things.append(tr(CARDS[identity.method]))
        if ctx.session.proxy is not None and tr("代办人的身份证") not in things:
            things.append(tr("代办人的身份证"))
        if any(r.get("printed") and r.get("printer") == "a4" for r in outputs):
            things.append(tr("打印的证明"))
        if any(r.get("printed") and r.get("printer") != "a4" for r in outputs):
            things.append(tr("打印的凭条"))
        self.reminder.setText(messages.text("result.take_away", things=tr("和").join(things)) if things
                              else tr("谢谢您的使用！"))
        self.reprint.setVisible(ctx.results.get("last_receipt") is not None)
        self.reminders = 0
        self._watch_sscard(ctx, identity is not None and identity.method == "sscard")
        if not self.card_in:
            self._start_countdown()

    # ---- the 社保卡 in its slot ----------------------------------------------------------------
    def _watch_sscard(self, ctx: StepContext, used: bool) -> None:
        reader = ctx.devices.get("sscard")
        present = bool(reader is not None and reader.status.extras.get("card_present"))
        self.card_in = present
        if reader is None or not (used or present):
            self._show_card_reminder()
            return
        self.bridge = DeviceBridge(reader, self)  # its data events are not connected: never read here
        self.bridge.status_changed.connect(self._on_sscard)
        reader.events.clear()
        reader.enable()  # polls, so that `card_present` follows the card
        self._show_card_reminder()

    def _on_sscard(self, status: DeviceStatus) -> None:
        present = bool(status.extras.get("card_present"))
        if present == self.card_in:
            return
        self.card_in = present
        self._show_card_reminder()
        if not present:
            self._start_countdown()

    def _show_card_reminder(self) -> None:
        self.card_reminder.setText(messages.text("result.take_sscard") if self.card_in else "")
        self.card_reminder.setVisible(self.card_in)
        if self.card_in:
            self.countdown.stop()
            self.countdown_text.setText("")
            self.repeat.start(REMIND_EVERY_S)
        else:
            self.repeat.stop()

    def _remind_again(self) -> None:
        if not self.card_in:
            return
        self.reminders += 1
        self.card_reminder.setProperty("variant", "flash" if self.reminders % 2 else "")
        restyle(self.card_reminder)
        self.reminded.emit(self.card_reminder.text())
        self.repeat.start(REMIND_EVERY_S)

    # ---- moving on ------------------------------------------------------------------------------
    def _start_countdown(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        seconds = int(ctx.runner.settings.get("take_away_s", TAKE_AWAY_S) * ctx.params.get("time_scale", 1))
        self.countdown.start(seconds)
        self._tick(seconds)

    def _tick(self, left: int) -> None:
        self.countdown_text.setText(tr("{n} 秒后进入服务评价").format(n=left))

    def _reprint(self) -> None:
        ctx = self.ctx
        receipt: Any = ctx.results.get("last_receipt") if ctx else None
        if ctx is None or receipt is None:
            return
        self.countdown.stop()
        ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: self._after_reprint(),
                lambda exc: ctx.fail(exc, retry=self._reprint), busy=tr("正在重新打印，请稍候……"))

    def _after_reprint(self) -> None:
        if self.ctx is not None and not self.card_in:
            self._start_countdown()

    def _finish(self) -> None:
        self.countdown.stop()
        if self.ctx is not None:
            self.done.emit({"shown": True})

    def leave(self) -> None:
        self.countdown.stop()
        self.repeat.stop()
        if self.bridge is not None:
            device = self.bridge.device
            device.disable()
            device.events.clear()
            self.bridge.detach()
            self.bridge.deleteLater()
            self.bridge = None

    def prompt(self) -> str:
        return self.card_reminder.text() if self.card_in else self.reminder.text()

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.countdown.stop()
        self.repeat.stop()
        self.outcome.setText("")
