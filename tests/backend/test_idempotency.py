"""Every write honours Idempotency-Key: a repeat returns the first answer and stores nothing new."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from simulators.backend.catalogue import load_items
from simulators.personas import get_persona
from simulators.personas.faces import live_frames
from tests.backend.bundles import diagnostics_zip

ITEMS = {i["id"]: i for i in load_items()}
OPENAPI = json.loads((Path(__file__).parents[2] / "simulators/backend/openapi.json").read_text())


def _first(flow):
    return next(i for i in ITEMS.values() if i["flow"] == flow and "face" not in i["auth_methods"])


def _apply_case(api):
    item = ITEMS.get("social-security-card-application") or _first("apply")
    form = {f["name"]: (f["options"][0] if f["type"] == "select" else "13800138000" if f["type"] == "phone"
                        else "网点") for f in item["form_fields"] if f["required"]}
    return {"item_id": item["id"], "form": form}


def _order(api, token):
    item = ITEMS["resident-pension-payment"]
    r = api.call("POST", "/api/v1/payments/orders", {"item_id": item["id"], "method": "wechat", "due_id": "opt-0"},
                 session=token)
    return r.json()["order_no"]


def _application(api, token):
    return api.call("POST", "/api/v1/applications", _apply_case(api), session=token).json()


def _free_slot(api):
    item = _first("appointment")
    slots = api.call("GET", "/api/v1/appointments/slots", params={"item_id": item["id"]}).json()["slots"]
    return item["id"], next(s["slot_id"] for s in reversed(slots) if s["remaining"] > 0)


# path template → builder(api, token) returning (path, kwargs for api.call)
WRITES: dict[str, Callable] = {
    "/api/v1/identity/idcard": lambda api, t: ("/api/v1/identity/idcard", {"body": {
        "id_number": get_persona("li_jianguo").id_number, "name": "李建国"}}),
    "/api/v1/identity/sscard": lambda api, t: ("/api/v1/identity/sscard", {"body": {
        "card_number": get_persona("li_jianguo").sscard.card_number,
        "id_number": get_persona("li_jianguo").id_number, "name": "李建国"}}),
    "/api/v1/identity/eid": lambda api, t: ("/api/v1/identity/eid", {"body": {
        "token": get_persona("li_jianguo").eid_token}}),
    "/api/v1/identity/face": lambda api, t: ("/api/v1/identity/face", {
        "data": live_frames("grace_hopper")[1].read_bytes(), "content_type": "image/jpeg", "session": t}),
    "/api/v1/identity/proxy": lambda api, t: ("/api/v1/identity/proxy", {"body": {
        "item_id": "health-checkup-report-print", "name": get_persona("huang_xiaomei").name,
        "id_number": get_persona("huang_xiaomei").id_number, "relation": "子女"}, "session": t}),
    "/api/v1/identity/session/end": lambda api, t: ("/api/v1/identity/session/end", {"body": {}, "session": t}),
    "/api/v1/certificates": lambda api, t: ("/api/v1/certificates", {"body": {
        "item_id": "social-insurance-certificate-print"}, "session": t}),
    "/api/v1/certifications": lambda api, t: ("/api/v1/certifications", {"body": {
        "item_id": "pension-eligibility-certification"}, "session": t}),
    "/api/v1/applications": lambda api, t: ("/api/v1/applications", {"body": _apply_case(api), "session": t}),
    "/api/v1/applications/{acceptance_no}/materials": lambda api, t: (
        f"/api/v1/applications/{_application(api, t)['acceptance_no']}/materials", {
            "params": {"name": "近期免冠白底彩色照片（电子版）"} if "social-security-card-application" in ITEMS
            else {"name": _first("apply")["materials"][0]["name"]},
            "data": live_frames("grace_hopper")[0].read_bytes(), "content_type": "image/jpeg", "session": t}),
    "/api/v1/payments/orders": lambda api, t: ("/api/v1/payments/orders", {"body": {
        "item_id": "resident-pension-payment", "method": "alipay", "due_id": "opt-1"}, "session": t}),
    "/api/v1/payments/orders/{order_no}/test-paid": lambda api, t: (
        f"/api/v1/payments/orders/{_order(api, t)}/test-paid", {"body": {}}),
    "/api/v1/appointments": lambda api, t: ("/api/v1/appointments", {"body": dict(zip(
        ("item_id", "slot_id"), _free_slot(api), strict=True)), "session": t}),
    "/api/v1/queue/tickets": lambda api, t: ("/api/v1/queue/tickets", {"body": {"item_id": _first("queue")["id"]},
                                                                      "session": t}),
    "/api/v1/ratings": lambda api, t: ("/api/v1/ratings", {"body": {
        "item_id": "social-insurance-certificate-print", "level": 4, "comment": "方便"}}),
    "/api/v1/assistance": lambda api, t: ("/api/v1/assistance", {"body": {"reason": "operation_help"}}),
    "/api/v1/kiosk/diagnostics": lambda api, t: ("/api/v1/kiosk/diagnostics", {
        "data": diagnostics_zip(), "content_type": "application/zip"}),
    "/api/v1/kiosk/events": lambda api, t: ("/api/v1/kiosk/events", {"body": {"events": [
        {"type": "screen.view", "at": "2026-11-23T09:00:00+08:00", "screen": "home"}]}}),
}


def test_every_write_in_the_contract_is_covered():
    writes = {path for path, ops in OPENAPI["paths"].items() for m in ops if m in ("post", "put", "patch", "delete")}
    assert writes == set(WRITES)


def _token(api, path):
    # the certification needs a pensioner whose face was checked
    if path == "/api/v1/certifications":
        token = api.login("he_shuifa")
        r = api.call("POST", "/api/v1/identity/face", data=live_frames("grace_hopper")[2].read_bytes(),
                     content_type="image/jpeg", session=token)
        assert r.json()["matched"]
        return token
    return api.login("li_jianguo")


@pytest.mark.parametrize("template", sorted(WRITES))
def test_repeat_returns_first_answer_and_stores_nothing(api, template, idem):
    token = _token(api, template)
    path, kwargs = WRITES[template](api, token)
    first = api.call("POST", path, idem=idem, **kwargs)
    assert first.status_code == 200, first.text
    assert "Idempotent-Replayed" not in first.headers
    before = api.state()["counts"]
    again = api.call("POST", path, idem=idem, **kwargs)
    assert again.status_code == first.status_code
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.state()["counts"] == before
    fresh = api.call("POST", path, idem=idem + "-2", **kwargs)  # a new key really runs again
    assert "Idempotent-Replayed" not in fresh.headers


def test_key_reused_for_another_request_is_refused(api, idem):
    first = api.call("POST", "/api/v1/assistance", {"reason": "other"}, idem=idem)
    assert first.status_code == 200
    other = api.call("POST", "/api/v1/assistance", {"reason": "device_fault"}, idem=idem)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"


def test_error_answers_are_replayed_too(api, idem):
    bad = api.call("POST", "/api/v1/ratings", {"item_id": "no-such-item", "level": 3}, idem=idem)
    assert bad.status_code == 404
    again = api.call("POST", "/api/v1/ratings", {"item_id": "no-such-item", "level": 3}, idem=idem)
    assert again.status_code == 404 and again.headers["Idempotent-Replayed"] == "true"


def test_without_a_key_each_write_runs(api):
    a = api.call("POST", "/api/v1/assistance", {"reason": "other"}).json()
    b = api.call("POST", "/api/v1/assistance", {"reason": "other"}).json()
    assert a["request_no"] != b["request_no"]
