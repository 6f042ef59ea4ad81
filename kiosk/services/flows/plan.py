"""plan(item) -> Plan: the steps one catalogue item takes, computed from its data. Pure, no I/O.

- `identify` only when the item names identifying methods (`auth_methods` without `face`); its params
  say which methods, in the item's order (the most likely first).
- `face` only when `auth_methods` lists `face`.
- `form` only when a field needs the resident's answer (required, with no default); it then shows
  every field of a type this build can ask.
- `mode` (standard, elderly) adds settings to the steps' params (modes.py); the steps are the same.
- A step this build cannot show yet: the plan becomes the guide (still worth reading) and one honest
  `not_built` step that names the window to go to. The resident is never asked for a card or a face
  on the way to a dead end. Except a sending step (confirm, submit: kinds.SENDING_STEPS): the
  steps before it run, and `not_built` there says that nothing was sent (at the first sending step: no confirm page
  for what cannot then be sent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kiosk.services.flows.kinds import BUILT, FLOW_KINDS, IDENTITY_METHODS, SENDING_STEPS, Built
from kiosk.services.flows.modes import step_params


class PlanError(ValueError):
    """The item's data cannot make a plan (unknown flow kind, malformed fields)."""


def _frozen(params: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(params or {}))


@dataclass(frozen=True)
class Step:
    kind: str
    params: Mapping[str, Any] = field(default_factory=_frozen)


@dataclass(frozen=True)
class Plan:
    item_id: str
    flow: str
    steps: tuple[Step, ...]

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(s.kind for s in self.steps)

    @property
    def complete(self) -> bool:
        """False when a step is not built yet (the plan ends in `not_built`)."""
        return "not_built" not in self.kinds


def form_needs_answer(spec: Mapping[str, Any]) -> bool:
    return bool(spec.get("required")) and "default" not in spec


def _window(item: Mapping[str, Any]) -> dict[str, str]:
    body = item.get("implementing_body") or {}
    return {"name": str(body.get("name", "")), "address": str(body.get("address", "")),
            "phone": str(body.get("phone", ""))}


def _not_built(item: Mapping[str, Any], kind: str, missing: str) -> Step:
    return Step("not_built", _frozen({"kind": kind, "missing": missing, "window": _window(item)}))


def plan(item: Mapping[str, Any], built: Built = BUILT, mode: str = "standard") -> Plan:
    """The item's steps; `mode` (kiosk/services/flows/modes.py) only adds params, never steps."""
    flow = item.get("flow")
    if flow not in FLOW_KINDS:
        raise PlanError(f"item {item.get('id')!r}: unknown flow kind {flow!r}")
    auth = list(item.get("auth_methods") or [])
    methods = [m for m in auth if m != "face"]
    unknown = [m for m in methods if m not in IDENTITY_METHODS]
    if unknown:
        raise PlanError(f"item {item.get('id')!r}: unknown auth method(s) {unknown}")
    fields = list(item.get("form_fields") or [])

    # One sending step missing stops the flow at its first sending step: a confirm page is only shown
    # when what it confirms can then be sent.
    unsent = [k for k in FLOW_KINDS[flow] if k in SENDING_STEPS and k not in built.steps]
    steps: list[Step] = []
    for kind in FLOW_KINDS[flow]:
        params: dict[str, Any] = {}
        missing = ""
        if kind == "identify":
            if not methods:
                continue
            offered = [m for m in methods if m in built.methods]
            params = {"methods": tuple(offered), "all_methods": tuple(methods),
                      "proxy_ok": "proxy_ok" in (item.get("tags") or [])}
            if not offered:
                missing = "method:" + ",".join(methods)
        elif kind == "face":
            if "face" not in auth:
                continue
        elif kind == "form":
            if not any(form_needs_answer(f) for f in fields):
                continue
            blocked = [f["type"] for f in fields if form_needs_answer(f) and f["type"] not in built.field_types]
            if blocked:
                missing = "field:" + ",".join(sorted(set(blocked)))
            params = {"fields": tuple(_frozen(f) for f in fields if f["type"] in built.field_types)}
        if kind not in built.steps and not missing:
            missing = "step:" + kind
        if unsent and kind in SENDING_STEPS and not missing:
            return Plan(str(item["id"]), flow, (*steps, _not_built(item, unsent[0], "step:" + unsent[0])))
        if missing:
            guide = [s for s in steps if s.kind == "guide"]
            return Plan(str(item["id"]), flow, (*guide, _not_built(item, kind, missing)))
        steps.append(Step(kind, _frozen({**step_params(mode, kind), **params})))
    return Plan(str(item["id"]), flow, tuple(steps))
