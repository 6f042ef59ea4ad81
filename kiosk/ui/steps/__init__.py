"""One screen class per step kind (kiosk/services/flows/kinds.py STEP_KINDS), in one registry.

A step screen shows one step and emits `done(result)`; it never decides what comes next (the flow
runner does). Register a screen with `@register`; the runner builds one instance of each.
"""

from __future__ import annotations

import importlib

from kiosk.ui.steps.base import StepContext, StepScreen

REGISTRY: dict[str, type[StepScreen]] = {}

# The modules that register step screens (imported once, by screen_classes()).
MODULES = ("guide", "identify", "face", "form", "materials", "query", "document", "certify", "result", "rate",
           "dues", "confirm", "payment", "slots", "ticket", "progress")  # resident UI 4: dues … progress


def register(cls: type[StepScreen]) -> type[StepScreen]:
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"two screens for step kind {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


def screen_classes() -> dict[str, type[StepScreen]]:
    for module in MODULES:
        importlib.import_module(f"kiosk.ui.steps.{module}")
    return dict(REGISTRY)


__all__ = ["REGISTRY", "StepContext", "StepScreen", "register", "screen_classes"]
