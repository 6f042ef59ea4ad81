"""Every print item's form changes the certificate the platform issues (documents.py builders)."""

from __future__ import annotations

import pytest

from simulators.backend.catalogue import load_items
from simulators.backend.documents import BUILDERS
from simulators.backend.form_examples import PRINT_CASES
from tests.backend.test_record_query import _login

ITEMS = {i["id"]: i for i in load_items(None)}
PRINT_ITEMS = [i for i in ITEMS.values() if i["flow"] == "print"]


def test_every_print_item_has_a_builder_and_a_case():
    assert {i["document"]["kind"] for i in PRINT_ITEMS} <= set(BUILDERS)
    assert {i["id"] for i in PRINT_ITEMS} == set(PRINT_CASES)
    for item_id, (_, _, a, b) in PRINT_CASES.items():
        assert {f["name"] for f in ITEMS[item_id]["form_fields"]} == set(a) | set(b), item_id


@pytest.mark.parametrize("item_id", sorted(PRINT_CASES))
def test_each_field_changes_the_certificate(api, item_id):
    persona, method, a, b = PRINT_CASES[item_id]
    token = _login(api, ITEMS[item_id], persona, method)
    docs = []
    for fields in (a, b):
        r = api.call("POST", "/api/v1/certificates", {"item_id": item_id, "fields": fields}, session=token)
        assert r.status_code == 200, r.text
        docs.append(r.json())
    content = [([(ln["key"], ln["value"]) for ln in d["lines"]], d["table"]) for d in docs]
    assert content[0] != content[1], item_id
    assert all(d["verification_code"] and d["qr"].endswith(d["verification_code"]) for d in docs)


def test_a_missing_record_is_the_platforms_sentence(api):
    token = _login(api, ITEMS["health-checkup-report-print"], "li_jianguo", "idcard")  # 58: no 65+ check-up
    r = api.call("POST", "/api/v1/certificates", {"item_id": "health-checkup-report-print",
                                                  "fields": {"year": 2024}}, session=token)
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_record"
    assert "2024 年" in r.json()["error"]["message"]
    token = _login(api, ITEMS["housing-fund-deposit-certificate"], "huang_xiaomei", "idcard")
    loan = api.call("POST", "/api/v1/certificates", {"item_id": "housing-fund-deposit-certificate",
                                                     "fields": {"cert_type": "贷款结清证明"}}, session=token)
    assert loan.status_code == 409 and "尚未结清" in loan.json()["error"]["message"]
