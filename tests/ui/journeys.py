"""Helpers for the step tests of query, print and certify: tap by text, wait for a screen, and step
into an item's plan at one step with a persona already identified and its form filled in — so every
item's step is tested against the fake desk while the steps before it (the face check, Chinese text
fields) are built and tested by their own work."""

from __future__ import annotations

from typing import Any

from kiosk.services.flows import FORM_FIELD_TYPES, IDENTITY_METHODS, STEP_KINDS, Built
from kiosk.services.flows import plan as make_plan
from kiosk.services.session import Identity
from kiosk.ui import find, flow_runner
from simulators.personas import get_persona

EVERYTHING = Built(frozenset(STEP_KINDS), frozenset(IDENTITY_METHODS), frozenset(FORM_FIELD_TYPES))


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def texts(ui) -> str:
    return "\n".join(find.visible_texts(ui.window))


def enter_at(ui, monkeypatch, item: dict[str, Any], kind: str, persona_id: str | None,
             fields: dict[str, Any] | None = None) -> None:
    """Start `item` with every step kind built, the persona identified by ID card (None: nobody,
    as for 水电气), its form answered with `fields`, and show step `kind`."""
    monkeypatch.setattr(flow_runner, "plan", lambda it, mode="standard": make_plan(it, EVERYTHING, mode=mode))
    ui.runner.start_item(item)
    if persona_id is not None:
        p = get_persona(persona_id)
        identity = Identity("idcard", p.name, p.id_number)
        ui.session.set_identity(identity)
        ui.desk.open_session(identity)
        ui.session.platform_token = "token-" + p.id_number[-4:]
    if fields:
        ui.session.results["form"] = dict(fields)
    ui.runner._go(ui.runner.plan.kinds.index(kind))


def finish_to_home(ui, qtbot) -> None:
    screen(ui, qtbot, "result")
    tap(ui, "完成")
    screen(ui, qtbot, "rate")
    tap(ui, "跳过")
    screen(ui, qtbot, "home")
