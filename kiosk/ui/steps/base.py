"""The step screen contract and the context a step works in.

    enter(ctx)   the step starts (or is re-entered by 上一步): fill the widgets from ctx
    leave()      the step ends: stop devices and timers it started
    prompt()     what the screen asks of the resident, in one sentence (voice reads it)
    retranslate() the language changed (static labels already followed: kiosk/ui/i18n.py)
    done(result) emitted when the step has what it needs; the runner stores it and moves on

Instructions that appear while the step shows (camera guidance, 请取走…) are spoken with
`ctx.say(code)` (kiosk/ui/voice.py); the screen's prompt() is spoken when it shows, and again after
`ctx.prompt_changed()` when the step moves to another page of its own.

Blocking work goes through `ctx.run(fn, on_ok)`: off the GUI thread, and dropped by the runner when
the resident has moved on or the session was wiped meanwhile. Failures go to `ctx.fail(exc)`, the
one error screen, unless the step handles them itself (`on_fail`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.services.flows import Plan, Step
from kiosk.services.session import Session
from kiosk.ui.screens.base import Screen

if TYPE_CHECKING:
    from kiosk.ui.flow_runner import FlowRunner


@dataclass
class StepContext:
    runner: FlowRunner
    item: dict[str, Any]
    plan: Plan
    step: Step
    index: int  # 0-based position in the plan

    @property
    def session(self) -> Session:
        return self.runner.session

    @property
    def services(self) -> Any:
        return self.runner.services

    @property
    def devices(self) -> Any:
        return self.runner.devices

    @property
    def params(self) -> Any:
        return self.step.params

    @property
    def results(self) -> dict[str, Any]:
        """What earlier steps produced, by step kind (lives in the Session: wiped with it)."""
        return self.runner.session.results

    def run(self, fn: Callable[[], Any], on_ok: Callable[[Any], None],
            on_fail: Callable[[Exception], None] | None = None, *, busy: str | None = None) -> None:
        self.runner.run(fn, on_ok, on_fail, busy=busy)

    def fail(self, exc: Exception, retry: Callable[[], None] | None = None,
             other_way: Callable[[], None] | None = None) -> None:
        self.runner.fail(exc, retry=retry, other_way=other_way)

    def prompt_changed(self) -> None:
        """The step now asks something else without a new screen (a form's next page, the face
        check's next stage): the voice cuts off the old prompt and says the step's new prompt()."""
        voice = self.runner.voice
        if voice is not None and self.runner.current_step is not None \
                and self.runner.current_step.name == self.step.kind:
            voice.say_prompt(self.runner.current_step)

    def say(self, code: str, **counts: int) -> None:
        """Speak an instruction that appeared on this step (a message code, e.g. camera guidance),
        when the voice is on. Whole numbers only: a spoken text never carries personal data."""
        voice = self.runner.voice
        if voice is not None and self.runner.current_step is not None \
                and self.runner.current_step.name == self.step.kind:
            voice.say(code, **counts)


class StepScreen(Screen):
    """Base of every step screen. `name` is the step kind it shows."""

    name = "step"
    done = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.ctx: StepContext | None = None

    def enter(self, ctx: StepContext) -> None:
        self.ctx = ctx

    def leave(self) -> None:
        """Stop what enter() started. The runner calls it before any other screen shows."""

    def prompt(self) -> str:
        return self.title.text()

    def clear_personal_data(self) -> None:
        self.ctx = None
