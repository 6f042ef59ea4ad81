"""Step `result`: the outcome, 请取走… reminders, reprint of the last slip, then on by itself.

What to take comes from the session (the ID card was used; a slip was printed). 再打印一次 prints the
session's last receipt again, in full. After `take_away_s` seconds the step is done by itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.ui.countdown import Countdown
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen

TAKE_AWAY_S = 20


CARDS = {"idcard": "身份证", "sscard": "社保卡"}  # what the resident put into the kiosk to identify


@register
class ResultScreen(StepScreen):
    name = "result"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setText("办理完成")
        self.body.addStretch(1)
        self.outcome = self.centered("", "subtitle")
        self.reminder = self.centered("", "subtitle")
        self.countdown_text = self.centered("", "hint")
        self.body.addStretch(2)
        self.reprint = self.add_button("再打印一次")
        self.finish = self.add_button("完成", "primary")
        self.reprint.clicked.connect(self._reprint)
        self.finish.clicked.connect(self._finish)
        self.countdown = Countdown(self)
        self.countdown.tick.connect(self._tick)
        self.countdown.finished.connect(self._finish)

    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        printed = any(isinstance(r, dict) and r.get("printed") for r in ctx.results.values())
        things = []
        identity = ctx.session.identity
        if identity is not None and identity.method in CARDS:
            things.append(CARDS[identity.method])
        if ctx.session.proxy is not None and "代办人的身份证" not in things:
            things.append("代办人的身份证")
        if printed:
            things.append("打印的凭条")
        self.outcome.setText(f"「{ctx.item['name']}」已办理完成。")
        self.reminder.setText(f"请取走您的{'和'.join(things)}，谢谢！" if things else "谢谢您的使用！")
        self.reprint.setVisible(ctx.results.get("last_receipt") is not None)
        seconds = int(ctx.runner.settings.get("take_away_s", TAKE_AWAY_S))
        self.countdown.start(seconds)
        self._tick(seconds)

    def _tick(self, left: int) -> None:
        self.countdown_text.setText(f"{left} 秒后进入服务评价")

    def _reprint(self) -> None:
        ctx = self.ctx
        receipt: Any = ctx.results.get("last_receipt") if ctx else None
        if ctx is None or receipt is None:
            return
        self.countdown.stop()
        ctx.run(lambda: ctx.services.print_receipt(receipt), lambda _: self.enter(ctx),
                lambda exc: ctx.fail(exc, retry=self._reprint), busy="正在重新打印，请稍候……")

    def _finish(self) -> None:
        self.countdown.stop()
        if self.ctx is not None:
            self.done.emit({"shown": True})

    def leave(self) -> None:
        self.countdown.stop()

    def prompt(self) -> str:
        return self.reminder.text()

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self.countdown.stop()
        self.outcome.setText("")
