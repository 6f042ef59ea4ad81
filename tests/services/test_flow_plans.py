"""Every catalogue item gets a valid plan: flows as data, trimmed by the item's own fields."""

from __future__ import annotations

import pytest

from kiosk.services.flows import (
    BUILT,
    FLOW_KINDS,
    FORM_FIELD_TYPES,
    IDENTITY_METHODS,
    SENDING_STEPS,
    STEP_KINDS,
    Built,
    PlanError,
    form_needs_answer,
    plan,
)
from simulators.backend.catalogue import load_items

ITEMS = load_items(None)
EVERYTHING = Built(frozenset(STEP_KINDS), frozenset(IDENTITY_METHODS), frozenset(FORM_FIELD_TYPES))


def test_nine_flow_kinds_of_known_step_kinds() -> None:
    assert set(FLOW_KINDS) == {"query", "print", "certify", "apply", "pay", "appointment", "queue",
                               "progress", "bundle"}
    for kinds in FLOW_KINDS.values():
        assert set(kinds) <= set(STEP_KINDS)
        assert kinds[0] == "guide" and kinds[-2:] == ("result", "rate")
    assert FLOW_KINDS["certify"] == ("guide", "identify", "face", "certify", "result", "rate")


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_every_item_gets_a_valid_plan(item) -> None:
    full = plan(item, EVERYTHING)
    assert full.complete and full.item_id == item["id"] and full.flow == item["flow"]
    kinds = full.kinds
    # the flow kind's order, with steps only dropped, never invented
    order = FLOW_KINDS[item["flow"]]
    assert [order.index(k) for k in kinds] == sorted(order.index(k) for k in kinds)
    methods = [m for m in item["auth_methods"] if m != "face"]
    assert ("identify" in kinds) == bool(methods)
    if methods:
        identify = full.steps[kinds.index("identify")]
        assert list(identify.params["methods"]) == methods  # the item's order, nothing it does not allow
    assert ("face" in kinds) == ("face" in item["auth_methods"])
    fields = item.get("form_fields", [])
    # flows without a form step (pay, progress, queue…) read their fields in their own step
    has_form = "form" in FLOW_KINDS[item["flow"]]
    assert ("form" in kinds) == (has_form and any(form_needs_answer(f) for f in fields))
    if "form" in kinds:
        assert len(full.steps[kinds.index("form")].params["fields"]) == len(fields)

    today = plan(item)  # this build: complete, or the guide and one honest not_built step
    if not today.complete:
        missing = today.steps[-1].params
        if missing["kind"] in SENDING_STEPS:  # the form and materials run; nothing is sent (no confirm page)
            first = next(k for k in full.kinds if k in SENDING_STEPS)
            assert today.kinds == (*full.kinds[: full.kinds.index(first)], "not_built")
            assert set(today.kinds[:-1]) <= BUILT.steps
        else:
            assert today.kinds in (("guide", "not_built"), ("not_built",))
        assert missing["kind"] in STEP_KINDS and missing["window"]["name"]
    else:
        assert set(today.kinds) <= BUILT.steps


def test_every_print_item_is_complete_today() -> None:
    """The face step and every identity method are built (issue 17): all eight print items."""
    prints = [i for i in ITEMS if i["flow"] == "print"]
    assert len(prints) == 8 and all(plan(i).complete for i in prints)
    assert sum("face" in plan(i).kinds for i in prints) == 5


def test_form_step_only_for_fields_that_need_an_answer() -> None:
    item = {"id": "x", "flow": "print", "auth_methods": ["idcard"], "implementing_body": {"name": "窗口"},
            "form_fields": [{"name": "a", "label": "A", "type": "select", "required": True,
                             "options": ["1", "2"], "default": "1"},
                            {"name": "b", "label": "B", "type": "date", "required": False}]}
    assert plan(item).kinds == ("guide", "identify", "document", "result", "rate")
    item["form_fields"][1]["required"] = True
    assert plan(item).kinds == ("guide", "identify", "form", "document", "result", "rate")
    item["form_fields"].append({"name": "c", "label": "C", "type": "text", "required": True, "max_length": 9})
    assert plan(item).kinds == ("guide", "identify", "form", "document", "result", "rate")
    no_text = Built(BUILT.steps, BUILT.methods, BUILT.field_types - {"text"})  # a build without the keyboard
    p = plan(item, no_text)
    assert p.kinds == ("guide", "not_built") and p.steps[-1].params["missing"] == "field:text"


def test_unknown_flow_or_method_is_a_plan_error() -> None:
    with pytest.raises(PlanError):
        plan({"id": "x", "flow": "teleport", "auth_methods": []})
    with pytest.raises(PlanError):
        plan({"id": "x", "flow": "print", "auth_methods": ["palm"]})


def test_elderly_mode_is_the_same_plan_with_other_params() -> None:
    """长者模式 has no flow of its own: every item's steps are the standard ones, in the same order;
    the mode only adds settings (kiosk/services/flows/modes.py)."""
    for item in ITEMS:
        standard, elderly = plan(item, EVERYTHING), plan(item, EVERYTHING, mode="elderly")
        assert elderly.kinds == standard.kinds, item["id"]
        for s, e in zip(standard.steps, elderly.steps, strict=True):
            assert {k: v for k, v in e.params.items() if k in s.params} == dict(s.params)
            if e.kind != "not_built":
                assert e.params["time_scale"] == 2
    pension = next(i for i in ITEMS if i["id"] == "pension-eligibility-certification")
    steps = {s.kind: s.params for s in plan(pension, mode="elderly").steps}
    assert steps["guide"]["essentials"] and steps["certify"]["print_on_success"]
    assert "essentials" not in plan(pension).steps[0].params
    with pytest.raises(ValueError, match="unknown mode"):
        plan(pension, mode="large")
