"""Every form field of every query item changes what GET /records answers (record_query.py)."""

from __future__ import annotations

from typing import Any

import pytest

from simulators.backend import record_query as rq
from simulators.backend.catalogue import load_items
from simulators.backend.form_examples import QUERY_CASES as CASES
from simulators.backend.routes_records import RecordFields
from simulators.personas import get_persona
from simulators.personas.faces import live_frames

ITEMS = {i["id"]: i for i in load_items(None)}
QUERY_FIELDS = {(i["id"], f["name"]) for i in ITEMS.values() if i["flow"] == "query" for f in i["form_fields"]}



def test_every_query_field_has_an_effect_and_a_parameter():
    names = {name for _, name in QUERY_FIELDS}
    assert names - set(rq.FIELDS) == set(), "a query item declares a field the platform would ignore"
    assert set(RecordFields.model_fields) == set(rq.FIELDS)  # the route takes each by name


def test_every_query_item_with_fields_has_a_case():
    with_fields = {i for i, _ in QUERY_FIELDS}
    assert with_fields == set(CASES)
    for item_id, (_, _, a, b) in CASES.items():
        declared = {f["name"] for f in ITEMS[item_id]["form_fields"]}
        assert declared == set(a) | set(b), item_id  # each declared field is exercised




def _login(api, item: dict[str, Any], persona_id: str, method: str) -> str | None:
    if not item["auth_methods"]:
        return None
    token = api.login(persona_id, method)
    if "face" in item["auth_methods"]:
        photo = get_persona(persona_id).face_photo
        r = api.call("POST", "/api/v1/identity/face", data=live_frames(photo)[0].read_bytes(),
                     content_type="image/jpeg", session=token)
        assert r.json()["matched"], r.text
    return token


def _accounts(api, fields: dict[str, Any]) -> dict[str, Any]:
    if "account_no" not in fields:
        return fields
    persona, utility = fields["account_no"].split(":")
    _, accounts = api.sim.control("GET", "/accounts")
    return {**fields, "account_no": accounts[persona][utility]}


@pytest.mark.parametrize("item_id", sorted(CASES))
def test_each_field_changes_the_answer(api, item_id):
    item = ITEMS[item_id]
    persona, method, a, b = CASES[item_id]
    token = _login(api, item, persona, method)
    kind = item["query"]["record_kind"]
    answers = []
    for fields in (a, b):
        r = api.call("GET", f"/api/v1/records/{kind}", session=token,
                     params={"item_id": item_id, **_accounts(api, fields)})
        assert r.status_code == 200, r.text
        answers.append(r.json())
    assert answers[0]["rows"] != answers[1]["rows"], item_id
    for answer in answers:
        assert answer["rows"] or answer["message"]
        assert len(answer["conditions"]) == len([f for f in item["form_fields"]
                                                 if f["name"] in (a if answer is answers[0] else b)])


def test_year_and_dates_narrow_to_what_was_asked(api):
    token = api.login("chen_guiying")
    r = api.call("GET", "/api/v1/records/pension_payments", session=token,
                 params={"item_id": "pension-payment-records", "year": 2020}).json()
    assert len(r["rows"]) == 12 and all(row[0].startswith("2020") for row in r["rows"])
    assert r["conditions"] == [{"label": "查询年份", "value": "2020"}]
    none = api.call("GET", "/api/v1/records/pension_payments", session=token,
                    params={"item_id": "pension-payment-records", "year": 2001}).json()
    assert none["rows"] == [] and "查询年份：2001" in none["message"]


def test_fields_are_checked_like_a_form(api):
    token = api.login("chen_guiying")
    missing = api.call("GET", "/api/v1/records/pension_payments", session=token,
                       params={"item_id": "pension-payment-records"})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "form_invalid"
    assert "查询年份" in missing.json()["error"]["message"]
    foreign = api.call("GET", "/api/v1/records/pension_payments", session=token,
                       params={"item_id": "pension-payment-records", "year": 2020, "plate": "粤F3K27Q"})
    assert foreign.status_code == 422  # a field the item does not declare is refused, never ignored
    without_item = api.call("GET", "/api/v1/records/pension_payments", session=token, params={"year": 2020})
    assert without_item.status_code == 422
    token = _login(api, ITEMS["exit-entry-records-query"], "wong_kaming", "idcard")
    backwards = api.call("GET", "/api/v1/records/exit_entry_records", session=token,
                         params={"item_id": "exit-entry-records-query", "date_from": "2020-01",
                                 "date_to": "2019-01"})
    assert backwards.status_code == 422 and "不能晚于" in backwards.json()["error"]["message"]


def test_a_student_id_number_is_masked_in_the_conditions(api):
    token = api.login("lan_yan")
    r = api.call("GET", "/api/v1/records/student_aid", session=token,
                 params={"item_id": "student-aid-query", "student_id_number": "440232201304020014"}).json()
    assert r["rows"] and r["conditions"][0]["value"] == "4402**********0014"


def test_a_printable_query_answer_becomes_a_verifiable_printout(api):
    token = api.login("chen_guiying")
    params = {"item_id": "pension-payment-records", "year": 2020}
    shown = api.call("GET", "/api/v1/records/pension_payments", session=token, params=params).json()
    r = api.call("POST", "/api/v1/certificates", {"item_id": "pension-payment-records", "fields": {"year": 2020}},
                 session=token)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["title"] == "养老保险待遇发放记录查询结果"
    assert doc["table"] == {"columns": shown["columns"], "rows": shown["rows"]}  # what the screen showed
    lines = {ln["key"]: ln for ln in doc["lines"]}
    assert lines["field.0"]["label"] == "查询年份" and lines["field.0"]["value"] == "2020"
    assert lines["record_count"]["value"] == "12"
    assert api.call("GET", "/verify", params={"code": doc["verification_code"]}).json()["valid"]
    other = api.call("POST", "/api/v1/certificates", {"item_id": "pension-payment-records", "fields": {"year": 2024}},
                     session=token).json()
    assert other["table"]["rows"] != doc["table"]["rows"]  # the field changes the printout too
    token = api.login("huang_xiaomei")
    hidden = api.call("POST", "/api/v1/certificates", {"item_id": "housing-fund-loan-query"}, session=token)
    assert hidden.status_code == 422 and hidden.json()["error"]["code"] == "not_printable"
