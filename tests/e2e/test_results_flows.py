"""Query, print and certify for every item of those kinds, end to end against the hub: the reference
backend answers each (records narrowed by the item's form, the certificate, the certification), the
receipt printer simulator prints the slip, the resident rates or skips.

The steps before (identify, the face check, the form) are tested by their own work; here each item
is entered at the step under test with a platform session opened the kiosk's way (POST
/identity/idcard, then a live face frame to POST /identity/face where the item lists face) and its
form answered from simulators/backend/form_examples.py, so all 38 items stay quick. Whole journeys
from the home tile by taps, the face step included, are the shipped scenarios (tests/scenarios:
query_*, certify_*, a4_*, …) and test_print_flow.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiosk.services.flows import plan
from kiosk.services.session import Identity
from kiosk.ui import find
from simulators.backend import records as rec
from simulators.backend.catalogue import load_items
from simulators.backend.form_examples import PRINT_CASES, QUERY_CASES
from simulators.personas import get_persona, load_personas
from simulators.personas.faces import live_frames
from tests.e2e.test_print_flow import WAIT, kiosk, tap, wait_screen  # noqa: F401 (kiosk is a fixture)
from tests.ui.journeys import EVERYTHING

ITEMS = [i for i in load_items() if i["flow"] in ("query", "print", "certify")]
CERTIFY_PERSONAS = {"pension-eligibility-certification": "chen_guiying",
                    "elderly-allowance-certification": "chen_guiying",
                    "veteran-subsidy-certification": "he_shuifa"}


@pytest.fixture
def clean_hub(hub):
    """An empty backend database (no certification left by an earlier test), before the kiosk starts."""
    hub.call("POST", "/reset")
    return hub


def example(item: dict[str, Any], hub) -> tuple[str | None, dict[str, Any]]:
    if item["flow"] == "certify":
        return CERTIFY_PERSONAS[item["id"]], {}
    cases = PRINT_CASES if item["flow"] == "print" else QUERY_CASES
    if item["id"] in cases:
        persona, _, fields, _ = cases[item["id"]]
        if "account_no" in fields:
            who, utility = fields["account_no"].split(":")
            return None, {**fields, "account_no": hub.call("GET", "/backend/accounts")[who][utility]}
        return persona, fields
    kind = item["query"]["record_kind"]
    return next((p.id for p in load_personas().values() if rec.records(kind, p, date.today(), 24)),
                "chen_guiying"), {}


def step_into(kiosk, monkeypatch, item: dict[str, Any], kind: str, persona_id: str | None,  # noqa: F811
              fields: dict[str, Any]) -> None:
    """Identify `persona_id` to the platform as the identify and face steps do, then show `kind`."""
    from kiosk.ui import flow_runner

    monkeypatch.setattr(flow_runner, "plan", lambda it, mode="standard": plan(it, EVERYTHING, mode=mode))
    kiosk.runner.start_item(item)
    if persona_id is not None:
        p = get_persona(persona_id)
        identity = Identity("idcard", p.name, p.id_number)
        platform = kiosk.desk.open_session(identity)
        if "face" in item["auth_methods"]:
            answer = kiosk.client.request("POST", "/identity/face", data=live_frames(p.face_photo)[3].read_bytes(),
                                          headers={"X-Session-Token": platform.token, "Content-Type": "image/jpeg"},
                                          idempotency_key=f"face-{p.id}-{item['id']}").json()
            assert answer["matched"], answer
        kiosk.session.set_identity(identity)
        kiosk.session.platform_token = platform.token
    if fields:
        kiosk.session.results["form"] = dict(fields)
    kiosk.runner._go(kiosk.runner.plan.kinds.index(kind))


def newest_receipt(hub) -> dict[str, Any]:
    return hub.call("GET", "/receipts")["receipts"][-1]


def rate_and_leave(kiosk, qtbot) -> None:  # noqa: F811
    wait_screen(kiosk, qtbot, "result")
    tap(kiosk, "完成")
    wait_screen(kiosk, qtbot, "rate")
    tap(kiosk, "跳过")
    wait_screen(kiosk, qtbot, "home")
    assert not kiosk.session.active


@pytest.mark.e2e
@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_every_item_against_the_reference_backend(clean_hub, kiosk, qtbot, monkeypatch, item) -> None:  # noqa: F811
    hub = clean_hub
    persona, fields = example(item, hub)
    kind = {"query": "query", "print": "document", "certify": "certify"}[item["flow"]]
    step_into(kiosk, monkeypatch, item, kind, persona, fields)
    before = len(hub.call("GET", "/receipts")["receipts"])
    window = kiosk.window

    if kind == "query":
        query = kiosk.runner.steps["query"]
        qtbot.waitUntil(lambda: query.answer is not None, timeout=WAIT)
        answer = query.answer
        assert answer["columns"] == item["query"]["columns"]
        assert [c["label"] for c in answer["conditions"]] == [f["label"] for f in item["form_fields"]
                                                              if f["name"] in fields]
        if not answer["rows"]:
            find.wait_for_text(window, answer["message"])
            tap(kiosk, "完成")
        elif answer["printable"]:
            tap(kiosk, "第 1 条记录")
            assert query.values()[0] == (answer["columns"][0], answer["rows"][0][0])
            tap(kiosk, "返回列表")
            tap(kiosk, "打印凭条")
            wait_screen(kiosk, qtbot, "result")
            slip = newest_receipt(hub)
            assert len(hub.call("GET", "/receipts")["receipts"]) == before + 1
            assert answer["rows"][0][0] in slip["text"] and "查询结果" in slip["text"]
        else:
            tap(kiosk, "完成")
    elif kind == "document":
        document = kiosk.runner.steps["document"]
        qtbot.waitUntil(lambda: document.print.isEnabled(), timeout=WAIT)
        certificate = kiosk.session.results["certificate"]
        find.wait_for_text(window, f"核验码：{certificate['verification_code']}")
        tap(kiosk, "打印证明")
        wait_screen(kiosk, qtbot, "result")
        slip = newest_receipt(hub)
        assert certificate["verification_code"] in slip["text"] and certificate["qr"] in slip["qr"]
    else:
        certify = kiosk.runner.steps["certify"]
        qtbot.waitUntil(lambda: certify.result is not None, timeout=WAIT)
        find.wait_for_text(window, "认证成功，有效期至")
        tap(kiosk, "打印认证凭证")
        wait_screen(kiosk, qtbot, "result")
        slip = newest_receipt(hub)
        assert "认证凭证" in "".join(slip["text"].split()) and certify.result["certification_no"] in slip["text"]
        assert hub.call("GET", "/backend/state")["counts"].get("certification") == 1
    rate_and_leave(kiosk, qtbot)


@pytest.mark.e2e
def test_a_still_valid_certification_is_shown_first(clean_hub, kiosk, qtbot, monkeypatch) -> None:  # noqa: F811
    item = next(i for i in ITEMS if i["id"] == "elderly-allowance-certification")  # no renewal while valid
    certify = kiosk.runner.steps["certify"]
    for visit in range(2):
        step_into(kiosk, monkeypatch, item, "certify", "chen_guiying", {})
        qtbot.waitUntil(lambda: certify.status is not None, timeout=WAIT)
        if visit == 0:
            find.wait_for_text(kiosk.window, "认证成功，有效期至")
        else:
            find.wait_for_text(kiosk.window, "您已完成认证，有效期至")
            assert not certify.renew.isVisible()
        tap(kiosk, "完成")
        rate_and_leave(kiosk, qtbot)
    assert clean_hub.call("GET", "/backend/state")["counts"].get("certification") == 1
