"""代办 at the reference backend: the agent joins the principal's session after the principal (and
the principal's face where the item needs one); records, certificates and certifications answer with
and store the agent; items without proxy_ok refuse; the e-ID answer carries the holder's number."""

from __future__ import annotations

from simulators.personas import get_persona
from simulators.personas.faces import live_frames

PRINT_PROXY = "health-checkup-report-print"  # proxy_ok, idcard/sscard/eid_qr, no face
CERTIFY_PROXY = "pension-eligibility-certification"  # proxy_ok, idcard + face
NOT_PROXY = "social-insurance-certificate-print"
QUERY_PROXY = "elderly-allowance-records"  # proxy_ok query


def _agent(persona_id: str, item_id: str, relation: str = "子女") -> dict:
    p = get_persona(persona_id)
    return {"item_id": item_id, "name": p.name, "id_number": p.id_number, "relation": relation}


def _error(r) -> str:
    return r.json()["error"]["code"]


def test_the_agent_is_recorded_on_a_certificate(api):
    token = api.login("chen_guiying")
    r = api.call("POST", "/api/v1/identity/proxy", _agent("li_jianguo", PRINT_PROXY), session=token)
    assert r.status_code == 200, r.text
    li = get_persona("li_jianguo")
    out = r.json()
    assert out["name"] == li.name and out["relation"] == "子女" and li.id_number not in r.text
    cert = api.call("POST", "/api/v1/certificates", {"item_id": PRINT_PROXY, "fields": {"year": 2025}},
                    session=token)
    assert cert.status_code == 200, cert.text
    body = cert.json()
    assert body["proxy"]["name"] == li.name and body["proxy"]["id_number_masked"].endswith(li.id_number[-4:])
    holder = {line["key"]: line["value"] for line in body["lines"]}["holder_name"]
    assert holder == get_persona("chen_guiying").name  # the certificate is still the principal's
    assert api.state()["counts"]["certificate"] >= 1


def test_items_without_proxy_ok_refuse_a_proxy_session(api):
    token = api.login("chen_guiying")
    r = api.call("POST", "/api/v1/identity/proxy", _agent("li_jianguo", NOT_PROXY), session=token)
    assert r.status_code == 422 and _error(r) == "proxy_not_allowed"
    assert api.call("POST", "/api/v1/identity/proxy", _agent("li_jianguo", PRINT_PROXY),
                    session=token).status_code == 200
    r = api.call("POST", "/api/v1/certificates", {"item_id": NOT_PROXY, "fields": {
        "insurance_type": "全部险种", "start_month": "2015-01", "end_month": "2026-01"}}, session=token)
    assert r.status_code == 422 and _error(r) == "proxy_not_allowed"
    assert "不能代办" in r.json()["error"]["message"]


def test_the_agent_is_checked_like_an_id_card(api):
    token = api.login("chen_guiying")
    wrong_name = {**_agent("li_jianguo", PRINT_PROXY), "name": "李建军"}
    r = api.call("POST", "/api/v1/identity/proxy", wrong_name, session=token)
    assert r.status_code == 403 and _error(r) == "identity_mismatch"
    r = api.call("POST", "/api/v1/identity/proxy", _agent("zhou_zhiqiang", PRINT_PROXY), session=token)
    assert r.status_code == 403 and _error(r) == "id_card_expired"
    r = api.call("POST", "/api/v1/identity/proxy", _agent("chen_guiying", PRINT_PROXY), session=token)
    assert r.status_code == 422 and _error(r) == "proxy_same_person"
    r = api.call("POST", "/api/v1/identity/proxy", _agent("li_jianguo", PRINT_PROXY))
    assert r.status_code == 401


def test_the_principal_gives_the_face_before_the_agent_and_certifies(api):
    token = api.login("chen_guiying")
    r = api.call("POST", "/api/v1/identity/proxy", _agent("li_jianguo", CERTIFY_PROXY), session=token)
    assert r.status_code == 403 and _error(r) == "face_required"
    face = api.call("POST", "/api/v1/identity/face", data=live_frames("astronaut")[5].read_bytes(),
                    content_type="image/jpeg", session=token).json()
    assert face["matched"]
    assert api.call("POST", "/api/v1/identity/proxy", _agent("li_jianguo", CERTIFY_PROXY, "配偶"),
                    session=token).status_code == 200
    r = api.call("POST", "/api/v1/certifications", {"item_id": CERTIFY_PROXY}, session=token)
    assert r.status_code == 200, r.text
    assert r.json()["proxy"]["relation"] == "配偶"


def test_records_read_by_an_agent_are_recorded(api):
    token = api.login("chen_guiying")
    before = api.state()["counts"].get("record_access", 0)
    plain = api.call("GET", "/api/v1/records/pension_payments", session=token).json()
    assert plain["proxy"] is None and api.state()["counts"].get("record_access", 0) == before
    assert api.call("POST", "/api/v1/identity/proxy", _agent("huang_xiaomei", QUERY_PROXY),
                    session=token).status_code == 200
    from simulators.backend.catalogue import load_items

    kind = next(i for i in load_items() if i["id"] == QUERY_PROXY)["query"]["record_kind"]
    r = api.call("GET", f"/api/v1/records/{kind}", session=token, params={"item_id": QUERY_PROXY})
    assert r.status_code == 200, r.text
    assert r.json()["proxy"]["name"] == get_persona("huang_xiaomei").name
    assert api.state()["counts"]["record_access"] == before + 1


def test_an_eid_session_carries_the_holders_number_and_card_sessions_do_not(api):
    p = get_persona("he_shuifa")
    eid = api.call("POST", "/api/v1/identity/eid", {"token": p.eid_token}).json()
    assert eid["id_number"] == p.id_number and eid["methods"] == ["eid_qr"]
    card = api.call("POST", "/api/v1/identity/idcard", {"id_number": p.id_number, "name": p.name}).json()
    assert card["id_number"] is None
