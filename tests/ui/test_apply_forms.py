"""The form step for every apply item: it builds, pre-fills what is known of the resident (shown
for checking), refuses an empty required answer, and what it sends passes the platform's own check.

Answers go in the way a resident gives them: option buttons, the keypad's keys, typed text (here as
key events: the on-screen keyboard itself runs under Xvfb, tests/ui/test_keyboard_xcb.py)."""

from __future__ import annotations

import math
import re

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from kiosk.services.flows import BUILT, STEP_KINDS, Built, plan
from kiosk.services.form_check import check
from kiosk.services.form_prefill import FIELD_KEYS
from kiosk.services.session import Identity
from kiosk.ui import find
from kiosk.ui.steps.base import StepContext
from kiosk.ui.steps.form import CheckPage, FieldPage
from kiosk.ui.widgets import mask_id_number
from simulators.backend.forms import validate_form
from simulators.personas import get_persona
from tests.ui.fake_desk import ITEMS

APPLY = [i for i in ITEMS if i["flow"] == "apply"]
EVERYTHING = Built(frozenset(STEP_KINDS), frozenset({"idcard", "sscard", "eid_qr"}), BUILT.field_types)
# A valid answer for each pattern the catalogue uses (a new pattern needs a sample here).
PATTERN_SAMPLES = {
    r"^\d{10,16}$": "0751234567", r"^\d{16,19}$": "6222021234567890123", r"^\d{12,23}$": "622202123456",
    r"^[A-Z]\d{9}$": "M440212345", r"^[0-9A-Z]{15,20}$": "91440200MA4W123456", r"^[A-Z0-9]{10,30}$": "S000044020",
    r"^[\u4e00-\u9fa5·]{1,10}$": "李小明", r"^粤[A-Z][A-Z0-9]{5,6}$": "粤F12345", r"^1[3-9]\d{9}$": "13800138000",
    r"^\d{17}[\dX]$": "440204194203080028",
}


def test_every_apply_item_is_here() -> None:
    assert len(APPLY) == 65


def sample(pattern: str) -> str | None:
    """A valid answer for the pattern: the table, or a run of digits / capitals of the least length."""
    if pattern in PATTERN_SAMPLES:
        return PATTERN_SAMPLES[pattern]
    m = re.fullmatch(r"\^(\\d|\[0-9A-Z\]|\[A-Z0-9\])\{(\d+)(,\d+)?\}\$", pattern)
    if m:
        return ("6" if m.group(1) == "\\d" else "A6") * int(m.group(2)) if m.group(1) == "\\d" \
            else ("A6" * int(m.group(2)))[: int(m.group(2))]
    return None


def test_every_text_pattern_has_a_sample() -> None:
    patterns = {f["pattern"] for i in APPLY for f in i["form_fields"] if f.get("pattern")}
    missing = {p for p in patterns if sample(p) is None}
    assert not missing
    assert all(re.fullmatch(p, sample(p)) for p in patterns)


def commit(field, text: str) -> None:
    """What the on-screen keyboard does when a candidate is chosen: an input-method commit."""
    field.clear()
    field.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(field, event)


def answer(page: FieldPage) -> None:
    spec = page.spec
    if page.group is not None:
        page.group.button(0).click()
    elif spec["type"] == "date":
        page.month_group.button(3).click()
        if page.day_group is not None:
            page.day_group.button(5).click()
    elif page.keypad is not None:
        text = sample(spec.get("pattern", "")) or ({
            "number": str(max(1, math.ceil(spec.get("min", 1)))), "money": str(max(1, math.ceil(spec.get("min", 1)))),
            "phone": "13800138000", "id_number": "440204194203080028"}.get(spec["type"], ""))
        page.edit.clear()
        for char in text:
            page.keypad.press(char)
    else:
        text = sample(spec.get("pattern", "")) or "韶关市浈江区测试内容"
        text = text.ljust(spec.get("min_length", 0), "测")[: spec["max_length"]]
        commit(page.field, text)


@pytest.mark.parametrize("item", APPLY, ids=[i["id"] for i in APPLY])
def test_the_form_builds_prefills_and_validates(ui, qtbot, item) -> None:
    steps = plan(item, EVERYTHING).steps
    if "form" not in [s.kind for s in steps]:
        assert not any(f["required"] and "default" not in f for f in item["form_fields"])
        return
    index = [s.kind for s in steps].index("form")
    persona = get_persona("li_jianguo")
    ui.session.start(item)
    ui.session.set_identity(Identity("idcard", persona.name, persona.id_number))
    ui.desk._holder = ui.session.identity
    ui.session.platform_token = "token-1"
    ui.session.results["prefill"] = ui.desk.form_prefill("token-1")
    form = ui.runner.steps["form"]
    form.enter(StepContext(ui.runner, item, plan(item, EVERYTHING), steps[index], index))
    ui.window.show_screen("form")
    fields = list(steps[index].params["fields"])
    assert [p.spec["name"] for p in form.pages] == [f["name"] for f in fields]

    for spec in fields:  # defaults are valid answers
        if "default" in spec:
            assert check(spec, spec["default"]) is not None or not spec["required"], spec["name"]
    own = {"id_number": persona.id_number, "phone": persona.phone, "address": persona.address}
    expected = {f["name"] for f in fields if f["name"] in FIELD_KEYS and "default" not in f
                and len(own[FIELD_KEYS[f["name"]]]) <= f.get("max_length", 999)}
    assert set(form.prefilled) == expected
    if expected:  # shown for checking first, not asked again
        assert isinstance(form.current, CheckPage)
        if "id_number" in expected:
            assert find.has_text(ui.window, mask_id_number(persona.id_number))
            assert not find.has_text(ui.window, persona.id_number)
        if "phone" in expected:
            assert find.has_text(ui.window, persona.phone)
            assert find.tap_targets(ui.window, "修改" + next(f["label"] for f in fields if f["name"] == "phone"))

    refused = False
    done = []
    form.done.connect(done.append)
    for _ in range(len(form.walk) + 1):
        page = form.current
        if isinstance(page, FieldPage) and not refused and page.spec["required"] and page.value() in (None, ""):
            form.next.click()  # nothing given: the page says so and stays
            assert form.current is page and page.error.text(), page.spec["name"]
            refused = True
        if isinstance(page, FieldPage):
            answer(page)
        form.next.click()
        assert not (isinstance(page, FieldPage) and page.error.text()), (page.spec["name"], page.error.text())
        if done:
            break
    assert done, "the form did not finish"
    values = done[0]
    for name in expected:
        assert values[name] == form.prefilled[name].value
    validate_form(item, values)  # the platform accepts what the kiosk sends
