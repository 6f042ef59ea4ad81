"""Modes as step settings: 长者模式 walks the SAME plan as standard mode, with other params.

`plan(item, mode=…)` merges these into each step's params; the step kinds and their order never
change with the mode (tests/services/test_flow_plans.py checks it for every item). What 长者模式
changes, and why (the 4-tap 养老待遇资格认证: 长者模式 → tile → 开始办理 → 同意, docs/scenarios.md):

- every step: `time_scale` 2 — the countdowns a step runs itself (result's 请取走…) last twice as
  long (the inactivity watcher is scaled by the runner);
- guide: `essentials` — the guide at a glance and 开始办理 at once; the 13 elements stay one tap
  away (查看完整办事指南), never dropped;
- identify: a read card goes on by itself (as in standard mode: no 下一步 to tap);
- face: starts by itself after the one consent tap (as in standard mode);
- certify: `print_on_success` — the 认证凭证 prints by itself once the platform certified, so the
  resident leaves with the proof without another decision;
- identify (代办): `proxy_family` — the button reads 帮家人办理 instead of 帮他人办理 (the words live in the screen).
"""

from __future__ import annotations

from typing import Any

MODES: tuple[str, ...] = ("standard", "elderly")

ALL_STEPS = "*"  # params for every step kind of the mode

MODE_PARAMS: dict[str, dict[str, dict[str, Any]]] = {
    "standard": {},
    "elderly": {
        ALL_STEPS: {"time_scale": 2},
        "guide": {"essentials": True},
        "certify": {"print_on_success": True},
        "identify": {"proxy_family": True},
    },
}


def step_params(mode: str, kind: str) -> dict[str, Any]:
    """The params `mode` adds to a step of `kind` (empty for standard mode)."""
    if mode not in MODE_PARAMS:
        raise ValueError(f"unknown mode {mode!r}: expected one of {', '.join(MODES)}")
    table = MODE_PARAMS[mode]
    return {**table.get(ALL_STEPS, {}), **table.get(kind, {})}


def time_scale(mode: str) -> float:
    """How much longer every timeout is in `mode` (the inactivity watcher, step countdowns)."""
    return float(step_params(mode, "").get("time_scale", 1))
