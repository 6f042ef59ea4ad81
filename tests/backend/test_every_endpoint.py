"""Every operation of the contract, for several personas: one resident's whole visit per persona
(identify, face check, records, certificate, certification, application with an upload, e-licences,
payment, appointment, queue ticket, rating, help, end of session) plus the kiosk's own calls. The
test fails when an operation is added to the contract without being exercised here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from simulators.backend.catalogue import load_items
from simulators.personas import get_persona
from simulators.personas.faces import live_frames
from tests.backend.bundles import diagnostics_zip

OPENAPI = json.loads((Path(__file__).parents[2] / "simulators/backend/openapi.json").read_text(encoding="utf-8"))
CONTRACT = {(method.upper(), path) for path, ops in OPENAPI["paths"].items() for method in ops}
ITEMS = {i["id"]: i for i in load_items()}
CERT_ITEM = "social-insurance-certificate-print"
APPLY_ITEM = "housing-fund-account-transfer"
CERTIFY_ITEM = "pension-eligibility-certification"
PROXY_ITEM = "health-checkup-report-print"  # proxy_ok, no face
# persona → (the payment item they have dues for, whether they draw a pension)
PERSONAS = {
    "chen_guiying": ("resident-pension-payment", True),  # 84, rural pensioner, 社保卡
    "he_shuifa": ("resident-medical-insurance-payment", True),  # pensioner, other face photo
    "john_smith": ("resident-medical-insurance-payment", False),  # foreigner's permanent residence card
}


def _first(flow: str) -> dict[str, Any]:
    return next(i for i in ITEMS.values() if i["flow"] == flow and "idcard" in i["auth_methods"]
                and "face" not in i["auth_methods"])


class Visit:
    """Calls the backend by contract path template and records which operations were used."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.covered: set[tuple[str, str]] = set()

    def __call__(self, method: str, template: str, *, expect: tuple[int, ...] = (200,), signed: bool = True,
                 **kwargs: Any) -> requests.Response:
        args = kwargs.pop("path_args", {})
        r = self.api.call(method, template.format(**args), signed=signed, **kwargs)
        assert r.status_code in expect, f"{method} {template}: {r.status_code} {r.text[:300]}"
        self.covered.add((method, template))
        return r


@pytest.mark.parametrize("persona_id", sorted(PERSONAS))
def test_every_operation_for_the_persona(api, persona_id):
    p = get_persona(persona_id)
    pay_item, pensioner = PERSONAS[persona_id]
    call = Visit(api)

    # public
    assert call("GET", "/openapi.json", signed=False).json()["paths"]
    assert call("GET", "/api/v1/time", signed=False).json()["timezone"] == "Asia/Shanghai"
    assert len(call("GET", "/api/v1/catalog").json()["items"]) == len(ITEMS)
    assert call("GET", "/api/v1/catalog/{item_id}", path_args={"item_id": CERT_ITEM}).json() == ITEMS[CERT_ITEM]

    # identity: every method the persona has; the last session is used below
    if p.sscard is not None:
        r = call("POST", "/api/v1/identity/sscard", body={"card_number": p.sscard.card_number,
                                                          "id_number": p.id_number, "name": p.name})
        assert r.json()["profile"]["name"] == p.name
    else:
        call.covered.add(("POST", "/api/v1/identity/sscard"))  # no 社保卡: refused below
        r = api.call("POST", "/api/v1/identity/sscard", {"card_number": "X" * 9, "id_number": p.id_number,
                                                          "name": p.name})
        assert 400 <= r.status_code < 500
    assert call("POST", "/api/v1/identity/eid", body={"token": p.eid_token}).json()["profile"]["name"] == p.name
    r = call("POST", "/api/v1/identity/idcard", body={"id_number": p.id_number, "name": p.name})
    token = r.json()["session_token"]
    assert p.id_number not in r.text
    face = call("POST", "/api/v1/identity/face", data=live_frames(p.face_photo)[1].read_bytes(),
                content_type="image/jpeg", session=token).json()
    assert face["matched"] and face["simulation"] is True

    # records, certificate (and its public verification), certification
    rec = call("GET", "/api/v1/records/{record_kind}", path_args={"record_kind": "pension_payments"},
               session=token).json()
    assert bool(rec["rows"]) == pensioner
    cert = call("POST", "/api/v1/certificates", session=token, body={"item_id": CERT_ITEM, "fields": {
        "insurance_type": "全部险种", "start_month": "2015-01", "end_month": "2026-01"}}).json()
    assert {line["key"]: line["value"] for line in cert["lines"]}["holder_name"] == p.name
    verify = call("GET", "/verify", params={"code": cert["verification_code"]}, signed=False).json()
    assert verify["valid"] and verify["holder"][0] == p.name[0]
    certified = call("POST", "/api/v1/certifications", body={"item_id": CERTIFY_ITEM}, session=token,
                     expect=(200,) if pensioner else (403,))
    status = call("GET", "/api/v1/certifications", params={"item_id": CERTIFY_ITEM}, session=token).json()
    assert status["certified"] == pensioner
    if not pensioner:
        assert certified.json()["error"]["code"] == "not_eligible"

    # application, an uploaded material, progress
    app = call("POST", "/api/v1/applications", session=token, body={"item_id": APPLY_ITEM, "form": {
        "from_city": "广州市", "from_centre": f"广州住房公积金管理中心（{persona_id}）", "phone": "13800138000"}}).json()
    number = app["acceptance_no"]
    material = app["pending_materials"][0]
    up = call("POST", "/api/v1/applications/{acceptance_no}/materials", path_args={"acceptance_no": number},
              params={"name": material}, data=live_frames(p.face_photo)[0].read_bytes(),
              content_type="image/jpeg", session=token).json()
    assert material not in up["pending_materials"]
    assert number in [a["acceptance_no"] for a in call("GET", "/api/v1/applications", session=token).json()]
    progress = call("GET", "/api/v1/applications/{acceptance_no}", path_args={"acceptance_no": number},
                    session=token).json()
    assert progress["acceptance_no"] == number and progress["status"]
    anonymous = call("GET", "/api/v1/applications/lookup",  # the receipt's QR: number + last 4, no session
                     params={"acceptance_no": number, "id_last4": p.id_number[-4:]}).json()
    assert anonymous["acceptance_no"] == number and anonymous["progress_qr"] == progress["progress_qr"]

    # what the platform pre-fills into a form: the holder's own data, shown for checking
    known = {v["key"]: v["value"] for v in call("GET", "/api/v1/applications/prefill", session=token).json()["values"]}
    assert known["name"] == p.name and known["id_number"] == p.id_number and known.get("phone") == p.phone

    # e-licences
    licences = call("GET", "/api/v1/elicences", session=token).json()
    if licences:
        one = call("GET", "/api/v1/elicences/{licence_id}", path_args={"licence_id": licences[0]["licence_id"]},
                   session=token).json()
        assert one == licences[0]
    else:
        call("GET", "/api/v1/elicences/{licence_id}", path_args={"licence_id": "none"}, session=token,
             expect=(404,))

    # payment: dues → order → (test hook) paid → status
    dues = call("GET", "/api/v1/payments/dues", params={"item_id": pay_item}, session=token).json()["dues"]
    order = call("POST", "/api/v1/payments/orders", session=token, body={
        "item_id": pay_item, "method": ITEMS[pay_item]["payment_methods"][0], "due_id": dues[0]["due_id"]}).json()
    assert order["amount_fen"] == dues[0]["amount_fen"] and order["qr_payload"]
    call("POST", "/api/v1/payments/orders/{order_no}/test-paid", path_args={"order_no": order["order_no"]}, body={})
    assert call("GET", "/api/v1/payments/orders/{order_no}", path_args={"order_no": order["order_no"]},
                session=token).json()["status"] == "paid"
    found = call("GET", "/api/v1/payments/lookup",  # found again without a session: number + check code
                 params={"order_no": order["order_no"], "check": order["check_code"]}).json()
    assert found["receipt"]["amount_fen"] == order["amount_fen"]

    # appointment and queue
    item = _first("appointment")
    slots = call("GET", "/api/v1/appointments/slots", params={"item_id": item["id"]}).json()["slots"]
    slot = next(s for s in reversed(slots) if s["remaining"] > 0)
    booking = call("POST", "/api/v1/appointments", body={"item_id": item["id"], "slot_id": slot["slot_id"]},
                   session=token).json()
    assert booking["date"] == slot["date"] and p.phone not in booking["sms_to"]
    ticket = call("POST", "/api/v1/queue/tickets", body={"item_id": _first("queue")["id"]}, session=token).json()
    assert ticket["ticket_no"]

    # feedback and help
    assert call("POST", "/api/v1/ratings", body={"item_id": CERT_ITEM, "level": 5}, session=token).json()
    assert call("POST", "/api/v1/assistance", body={"reason": "operation_help", "item_id": CERT_ITEM},
                session=token).json()["request_no"]

    # kiosk operations (no person)
    assert call("GET", "/api/v1/kiosk/auth-check").json()["signature"] == "accepted"
    up = call("POST", "/api/v1/kiosk/diagnostics", data=diagnostics_zip(), content_type="application/zip").json()
    assert up["bundle_no"].startswith("ZD") and "status.json" in up["files"]
    call("POST", "/api/v1/kiosk/events", body={"events": [
        {"type": "item.done", "at": "2026-11-23T10:00:00+08:00", "item_id": CERT_ITEM, "outcome": "success"}]})

    # 代办: an agent joins a second session of the persona for a proxy_ok item
    principal = api.login(persona_id)
    agent = get_persona("huang_xiaomei")
    proxy = call("POST", "/api/v1/identity/proxy", session=principal, body={
        "item_id": PROXY_ITEM, "name": agent.name, "id_number": agent.id_number, "relation": "子女"}).json()
    assert proxy["name"] == agent.name and agent.id_number not in json.dumps(proxy)

    # the end of the visit closes the session
    assert call("POST", "/api/v1/identity/session/end", body={}, session=token).json() == {"ended": True}
    assert api.call("GET", "/api/v1/elicences", session=token).status_code == 401

    assert call.covered == CONTRACT, f"not exercised: {sorted(CONTRACT - call.covered)}"
