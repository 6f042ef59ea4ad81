"""Every endpoint over HTTPS, for several personas, with realistic answers."""

from __future__ import annotations

import pytest

from simulators.backend.catalogue import load_items
from simulators.backend.form_examples import QUERY_CASES as CASES
from simulators.backend.records import GENERATORS, record_kinds
from simulators.personas import get_persona, load_personas

ITEMS = {i["id"]: i for i in load_items()}
SEVERAL = ["chen_guiying", "li_jianguo", "huang_xiaomei", "wong_kaming", "john_smith", "he_shuifa"]
CERT_ITEM = "social-insurance-certificate-print"


def first(flow: str, pred=lambda i: True) -> dict:
    return next(i for i in ITEMS.values() if i["flow"] == flow and pred(i))


def test_time_and_catalogue_are_public_with_etag(api):
    r = api.call("GET", "/api/v1/time", signed=False)
    assert r.status_code == 200 and r.json()["timezone"] == "Asia/Shanghai"
    r = api.call("GET", "/api/v1/catalog", signed=False)
    assert r.status_code == 200
    doc = r.json()
    assert len(doc["items"]) == len(ITEMS) and r.headers["ETag"] == f'"{doc["version"]}"'
    again = api.call("GET", "/api/v1/catalog", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    stale = api.call("GET", "/api/v1/catalog", headers={"If-None-Match": '"0000"'})
    assert stale.status_code == 200
    item = api.call("GET", f"/api/v1/catalog/{CERT_ITEM}", signed=False)
    assert item.status_code == 200 and item.json() == ITEMS[CERT_ITEM]
    missing = api.call("GET", "/api/v1/catalog/no-such-item")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "item_not_found"


@pytest.mark.parametrize("persona_id", SEVERAL)
def test_identity_methods_open_sessions(api, persona_id):
    p = get_persona(persona_id)
    methods = ["idcard", "eid"] + (["sscard"] if p.sscard else [])
    for method in methods:
        token = api.login(persona_id, method)
        r = api.call("GET", "/api/v1/elicences", session=token)
        assert r.status_code == 200


def test_identity_refusals(api):
    li = get_persona("li_jianguo")
    r = api.call("POST", "/api/v1/identity/idcard", {"id_number": li.id_number, "name": "李建军"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "identity_mismatch"
    r = api.call("POST", "/api/v1/identity/idcard", {"id_number": "440281196810010099", "name": "李建国"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "person_not_found"
    zhou = get_persona("zhou_zhiqiang")  # ID card expired in 2021: the card cannot open a session
    r = api.call("POST", "/api/v1/identity/idcard", {"id_number": zhou.id_number, "name": zhou.name})
    assert r.status_code == 403 and r.json()["error"]["code"] == "id_card_expired"
    assert "社保卡" in r.json()["error"]["message"]
    assert api.login("zhou_zhiqiang", "sscard")  # … but his 社保卡 and e-ID still work
    r = api.call("POST", "/api/v1/identity/eid", {"token": "EID1.NOTAREALTOKEN"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "eid_invalid"


def test_profile_masks_numbers(api):
    p = get_persona("huang_xiaomei")
    r = api.call("POST", "/api/v1/identity/idcard", {"id_number": p.id_number, "name": p.name})
    prof = r.json()["profile"]
    assert prof["name"] == p.name and prof["sex"] == "女" and prof["document_type"] == "居民身份证"
    assert p.id_number not in r.text and p.phone not in r.text
    elderly = api.call("POST", "/api/v1/identity/eid", {"token": get_persona("chen_guiying").eid_token}).json()
    assert elderly["profile"]["elderly"] is True


def test_session_end_and_required(api):
    token = api.login("li_jianguo")
    assert api.call("POST", "/api/v1/identity/session/end", {}, session=token).json() == {"ended": True}
    r = api.call("GET", "/api/v1/elicences", session=token)
    assert r.status_code == 401 and r.json()["error"]["code"] == "session_required"
    assert api.call("GET", "/api/v1/elicences").status_code == 401


@pytest.mark.parametrize("persona_id", SEVERAL + ["liang_zihao"])
def test_social_insurance_certificate(api, persona_id):
    token = api.login(persona_id)
    r = api.call("POST", "/api/v1/certificates", {"item_id": CERT_ITEM, "fields": {
        "insurance_type": "全部险种", "start_month": "2015-01", "end_month": "2026-01"}}, session=token)
    assert r.status_code == 200, r.text
    cert = r.json()
    labels = [line["label"] for line in cert["lines"]]
    keys = [line["key"] for line in cert["lines"]]
    for needed in ("姓名", "参保险种", "参保状态", "累计缴费月数"):
        assert needed in labels
    assert keys[:2] == ["holder_name", "holder_id_number"]  # the kiosk masks and prints by key
    assert len(set(keys)) == len(keys)
    assert ("公民身份号码" in labels) == (get_persona(persona_id).layout == "resident")
    assert cert["verification_code"] in cert["qr"] and cert["title"] == ITEMS[CERT_ITEM]["document"]["title"]
    assert get_persona(persona_id).id_number not in r.text
    lines = {line["label"]: line["value"] for line in cert["lines"]}
    if persona_id == "li_jianguo":
        assert lines["养老保险参保起始年月"] == "1990-07" and "正常参保" in lines["参保状态"]
        months = int(lines["累计缴费月数"].split("；")[0].split()[1])
        assert months > 300  # 1990-07 to now minus the 2002-2004 gap
    if persona_id == "liang_zihao":
        assert lines["参保状态"] == "未参保"
    verify = api.call("GET", "/verify", params={"code": cert["verification_code"]}, signed=False).json()
    assert verify["valid"] and verify["certificate_no"] == cert["certificate_no"]
    assert verify["holder"].startswith(get_persona(persona_id).name[0]) and "*" in verify["holder"]


def test_certificate_form_checked(api):
    token = api.login("li_jianguo")
    bad = api.call("POST", "/api/v1/certificates", {"item_id": CERT_ITEM, "fields": {
        "start_month": "2020-13", "end_month": "2021-01"}}, session=token)
    assert bad.status_code == 422 and "起始年月" in bad.json()["error"]["message"]
    assert bad.json()["error"]["field"] == "start_month"
    future = api.call("POST", "/api/v1/certificates", {"item_id": "medical-insurance-certificate-print", "fields": {
        "start_month": "2020-01", "end_month": "2099-12"}}, session=token)  # any period certificate
    err = future.json()["error"]
    assert future.status_code == 422 and err["code"] == "form_invalid" and err["field"] == "end_month"
    wrong = api.call("POST", "/api/v1/certificates", {"item_id": first("apply")["id"]}, session=token)
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "wrong_flow"
    assert api.call("GET", "/verify", params={"code": "NOPE-NOPE-NOPE"}).json() == {
        "valid": False, "certificate_no": None, "title": None, "issued_at": None, "valid_until": None,
        "holder": None}


def test_every_catalogue_record_kind_has_a_generator():
    assert [k for k in record_kinds() if k not in GENERATORS] == []


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_every_record_kind_for_several_personas(api, kind):
    for persona_id in ("chen_guiying", "li_jianguo", "huang_xiaomei"):
        token = api.login(persona_id, "eid")
        r = api.call("GET", f"/api/v1/records/{kind}", session=token, params={"months": 24})
        assert r.status_code == 200, r.text
        doc = r.json()
        assert doc["record_kind"] == kind and all(len(row) == len(doc["columns"]) for row in doc["rows"])
        assert doc["rows"] or doc["message"]


def test_records_for_query_items_use_the_catalogue_columns(api):
    from simulators.personas.faces import live_frames

    token = api.login("li_jianguo")
    face = api.call("POST", "/api/v1/identity/face", data=live_frames("grace_hopper")[0].read_bytes(),
                    content_type="image/jpeg", session=token)
    assert face.json()["matched"]
    for item in ITEMS.values():
        if item["flow"] != "query" or "idcard" not in item["auth_methods"]:
            continue
        kind = item["query"]["record_kind"]
        fields = CASES[item["id"]][2] if item["id"] in CASES else {}  # the item's form, filled in
        r = api.call("GET", f"/api/v1/records/{kind}", session=token, params={"item_id": item["id"], **fields})
        assert r.status_code == 200, r.text
        assert r.json()["columns"] == item["query"].get("columns", r.json()["columns"])
        assert r.json()["title"]


def test_records_differ_by_persona(api):
    chen, li = api.login("chen_guiying"), api.login("li_jianguo")
    pension_chen = api.call("GET", "/api/v1/records/pension_payments", session=chen).json()
    pension_li = api.call("GET", "/api/v1/records/pension_payments", session=li).json()
    assert len(pension_chen["rows"]) == 12 and pension_li["rows"] == []
    fund = api.call("GET", "/api/v1/records/housing_fund_balance", session=li).json()
    assert fund["rows"] and float(fund["rows"][0][fund["columns"].index("账户余额")]) > 0
    again = api.call("GET", "/api/v1/records/pension_payments", session=api.login("chen_guiying")).json()
    assert again["rows"] == pension_chen["rows"]  # deterministic


def test_certification_needs_face_and_a_beneficiary(api):
    from simulators.personas.faces import live_frames

    item = "pension-eligibility-certification"
    chen = api.login("chen_guiying")
    r = api.call("POST", "/api/v1/certifications", {"item_id": item}, session=chen)
    assert r.status_code == 403 and r.json()["error"]["code"] == "face_required"
    face = api.call("POST", "/api/v1/identity/face", data=live_frames("astronaut")[5].read_bytes(),
                    content_type="image/jpeg", session=chen).json()
    assert face["matched"] and face["simulation"] is True and "face" in face["methods"]
    r = api.call("POST", "/api/v1/certifications", {"item_id": item}, session=chen)
    assert r.status_code == 200, r.text
    valid_until = r.json()["valid_until"]
    status = api.call("GET", "/api/v1/certifications", session=chen, params={"item_id": item}).json()
    assert status["certified"] and status["valid_until"] == valid_until
    li = api.login("li_jianguo")  # not drawing a pension: nothing to certify
    api.call("POST", "/api/v1/identity/face", data=live_frames("grace_hopper")[3].read_bytes(),
             content_type="image/jpeg", session=li)
    r = api.call("POST", "/api/v1/certifications", {"item_id": item}, session=li)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_eligible"
    assert ITEMS[item]["implementing_body"]["phone"] in r.json()["error"]["message"]  # where to ask


def _face_session(api, persona_id: str) -> str:
    from simulators.personas.faces import live_frames

    token = api.login(persona_id)
    face = api.call("POST", "/api/v1/identity/face", session=token, content_type="image/jpeg",
                    data=live_frames(get_persona(persona_id).face_photo)[2].read_bytes()).json()
    assert face["matched"]
    return token


def test_certification_runs_to_the_end_of_a_month_and_renews_only_where_allowed(api):
    import calendar
    from datetime import date

    token = _face_session(api, "he_shuifa")  # 78: a pensioner and a veteran, too young for 高龄津贴
    r = api.call("POST", "/api/v1/certifications", {"item_id": "veteran-subsidy-certification"}, session=token)
    assert r.status_code == 200, r.text
    until = date.fromisoformat(r.json()["valid_until"])
    assert until.day == calendar.monthrange(until.year, until.month)[1]
    assert r.json()["message"] == f"认证成功，有效期至 {until.year} 年 {until.month} 月。"
    status = api.call("GET", "/api/v1/certifications", session=token,
                      params={"item_id": "veteran-subsidy-certification"}).json()
    assert status["certified"] and status["can_certify"] is False  # this item does not renew while valid
    again = api.call("POST", "/api/v1/certifications", {"item_id": "veteran-subsidy-certification"}, session=token)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_certified"
    assert f"{until.year} 年 {until.month} 月" in again.json()["error"]["message"]

    pension = "pension-eligibility-certification"  # recertify_while_valid: may certify again
    first_time = api.call("POST", "/api/v1/certifications", {"item_id": pension}, session=token)
    assert first_time.status_code == 200
    status = api.call("GET", "/api/v1/certifications", session=token, params={"item_id": pension}).json()
    assert status["certified"] and status["can_certify"] is True
    assert api.call("POST", "/api/v1/certifications", {"item_id": pension}, session=token).status_code == 200

    young = api.call("POST", "/api/v1/certifications", {"item_id": "elderly-allowance-certification"},
                     session=token)
    assert young.status_code == 403 and "高龄津贴" in young.json()["error"]["message"]
    fresh = api.call("GET", "/api/v1/certifications", session=_face_session(api, "chen_guiying"),
                     params={"item_id": "elderly-allowance-certification"}).json()
    assert fresh == {"item_id": "elderly-allowance-certification", "certified": False, "valid_until": None,
                     "last_certified_at": None, "certification_no": None, "can_certify": True}


def _apply_item() -> dict:
    return ITEMS.get("social-security-card-application") or first("apply")


def test_application_materials_and_progress(api):
    item = _apply_item()
    token = api.login("huang_xiaomei")
    form = {f["name"]: (f["options"][0] if f["type"] == "select" else "13800138000" if f["type"] == "phone"
                        else "韶关市曲江区马坝镇网点") for f in item["form_fields"] if f["required"]}
    elicence = next(e for e in api.call("GET", "/api/v1/elicences", session=token).json()
                    if e["type"] == "居民身份证电子证照")
    assert elicence["trust_level"] == "A" and elicence["usable_without_original"]
    materials = [{"name": m["name"], "by": "elicence", "licence_id": elicence["licence_id"]}
                 for m in item["materials"] if m.get("elicence_type") == "居民身份证电子证照"]
    r = api.call("POST", "/api/v1/applications", {"item_id": item["id"], "form": form, "materials": materials},
                 session=token)
    assert r.status_code == 200, r.text
    app = r.json()
    assert app["acceptance_no"].startswith("YS") and app["steps"][0]["name"] == "受理"
    pending = app["pending_materials"]
    for name in pending:
        up = api.call("POST", f"/api/v1/applications/{app['acceptance_no']}/materials", params={"name": name},
                      data=b"%PDF-1.4\n% test material\n", content_type="application/pdf", session=token)
        assert up.status_code == 200, up.text
    progress = api.call("GET", f"/api/v1/applications/{app['acceptance_no']}", session=token).json()
    assert progress["pending_materials"] == [] and progress["status"] in ("已受理", "已办结")
    listed = api.call("GET", "/api/v1/applications", session=token).json()
    assert app["acceptance_no"] in [a["acceptance_no"] for a in listed]
    other = api.login("li_jianguo")  # someone else's number is not found
    assert api.call("GET", f"/api/v1/applications/{app['acceptance_no']}", session=other).status_code == 404


def test_application_refusals(api):
    item = _apply_item()
    token = api.login("li_jianguo")
    r = api.call("POST", "/api/v1/applications", {"item_id": item["id"], "form": {}}, session=token)
    assert r.status_code == 422 and r.json()["error"]["code"] == "form_invalid"
    first_required = next(f for f in item["form_fields"] if f["required"] and "default" not in f)
    assert r.json()["error"]["field"] == first_required["name"]  # the kiosk shows it on that field's page
    needed = next(m for m in item["materials"] if not m["missing_ok"] and not m.get("condition"))
    form = {f["name"]: (f["options"][0] if f["type"] == "select" else "13800138000" if f["type"] == "phone"
                        else "网点") for f in item["form_fields"] if f["required"]}
    r = api.call("POST", "/api/v1/applications", {"item_id": item["id"], "form": form,
                                                  "materials": [{"name": needed["name"], "by": "missing"}]},
                 session=token)
    assert r.status_code == 422 and r.json()["error"]["code"] == "material_required"
    r = api.call("POST", "/api/v1/applications/YS1/materials", params={"name": needed["name"]},
                 data=b"GIF89a", content_type="image/gif", session=token)
    assert r.status_code == 415


def test_seeded_application_progress(api):
    token = api.login("wong_kaming")
    apps = api.call("GET", "/api/v1/applications", session=token).json()
    if "pension-insurance-transfer" in ITEMS:
        done = next(a for a in apps if a["item_id"] == "pension-insurance-transfer")
        assert done["status"] == "已办结" and all(s["state"] == "done" for s in done["steps"])
        again = api.call("GET", f"/api/v1/applications/{done['acceptance_no']}", session=token).json()
        assert again == done


# Not the personas of test_every_endpoint.py: one backend serves the session and a due is paid once.
@pytest.mark.parametrize(("persona_id", "item_id"), [
    ("huang_xiaomei", "resident-pension-payment"), ("lan_yan", "resident-pension-payment"),
    ("wong_kaming", "resident-medical-insurance-payment"), ("liang_zihao", "resident-medical-insurance-payment")])
def test_payment_order_to_paid(api, persona_id, item_id):
    item = ITEMS[item_id]
    token = api.login(persona_id)
    dues = api.call("GET", "/api/v1/payments/dues", session=token, params={"item_id": item["id"]}).json()
    assert dues["dues"], dues
    r = api.call("POST", "/api/v1/payments/orders", {"item_id": item["id"], "method": item["payment_methods"][0],
                                                     "due_id": dues["dues"][0]["due_id"]}, session=token)
    assert r.status_code == 200, r.text
    order = r.json()
    assert order["status"] == "pending" and order["amount_fen"] == dues["dues"][0]["amount_fen"]
    assert order["qr_payload"]
    paid = api.call("POST", f"/api/v1/payments/orders/{order['order_no']}/test-paid", {}).json()
    assert paid["status"] == "paid" and paid["receipt"]["amount_fen"] == order["amount_fen"]
    status = api.call("GET", f"/api/v1/payments/orders/{order['order_no']}", session=token).json()
    assert status["status"] == "paid"


def test_payment_for_a_household_member_and_refusals(api):
    item = first("pay", lambda i: "household" in i["pay"]["payer_options"])
    token = api.login("li_jianguo")
    chen = get_persona("chen_guiying")
    dues = api.call("GET", "/api/v1/payments/dues", session=token, params={
        "item_id": item["id"], "payer": "household", "payee_id_number": chen.id_number}).json()
    assert dues["payee_name_masked"] == "陈**"
    r = api.call("POST", "/api/v1/payments/orders", {"item_id": item["id"], "method": "wechat",
                                                     "due_id": "nope"}, session=token)
    assert r.status_code == 422 and r.json()["error"]["code"] == "due_invalid"
    missing = api.call("GET", "/api/v1/payments/orders/DD1", session=token)
    assert missing.status_code == 404


def test_bill_payment_by_account_without_identity(api):
    item = first("pay", lambda i: not i["auth_methods"] and i["pay"]["amount_rule"] == "bill")
    status, accounts = api.sim.control("GET", "/accounts")
    label = item["pay"]["account_label"]
    utility = {"用电户号": "electricity", "用水户号": "water", "燃气用户号": "gas"}[label]
    account = accounts["he_shuifa"][utility]
    dues = api.call("GET", "/api/v1/payments/dues", params={"item_id": item["id"], "account": account}).json()
    assert len(dues["dues"]) == 1 and dues["payee_name_masked"] == "何**"
    order = api.call("POST", "/api/v1/payments/orders", {"item_id": item["id"], "method": "alipay",
                                                         "account": account, "due_id": dues["dues"][0]["due_id"]})
    assert order.status_code == 200, order.text
    assert api.call("GET", f"/api/v1/payments/orders/{order.json()['order_no']}").json()["status"] == "pending"
    status, paid = api.sim.control("POST", "/payments/paid", {"order_no": order.json()["order_no"]})
    assert status == 200 and paid["status"] == "paid"
    assert api.sim.control("POST", "/payments/paid", {})[0] == 400  # neither order_no nor newest_pending
    unknown = api.call("GET", "/api/v1/payments/dues", params={"item_id": item["id"], "account": "X1"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "account_not_found"
    water = next((i for i in ITEMS.values() if i["flow"] == "query" and not i["auth_methods"]
                  and i["query"]["record_kind"] == "utility_bills"), None)
    if water:
        r = api.call("GET", "/api/v1/records/utility_bills",
                     params={"item_id": water["id"], "account_no": accounts["he_shuifa"]["water"]})
        assert r.status_code == 200 and r.json()["rows"] and "—" not in r.json()["rows"][0]


def test_appointment_slots_and_booking(api):
    item = first("appointment")
    slots = api.call("GET", "/api/v1/appointments/slots", params={"item_id": item["id"]}).json()
    free = [s for s in slots["slots"] if s["remaining"] > 0]
    assert free and all(s["start"] >= "08:30" for s in slots["slots"])
    token = api.login("lan_yan")
    r = api.call("POST", "/api/v1/appointments", {"item_id": item["id"], "slot_id": free[0]["slot_id"]},
                 session=token)
    assert r.status_code == 200, r.text
    booking = r.json()
    assert booking["date"] == free[0]["date"] and booking["booking_no"].startswith("YY")
    after = api.call("GET", "/api/v1/appointments/slots", params={"item_id": item["id"],
                                                                  "date": free[0]["date"]}).json()
    same = next(s for s in after["slots"] if s["slot_id"] == free[0]["slot_id"])
    assert same["remaining"] == free[0]["remaining"] - 1
    twice = api.call("POST", "/api/v1/appointments", {"item_id": item["id"], "slot_id": free[0]["slot_id"]},
                     session=token)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_booked"
    full = [s for s in slots["slots"] if s["remaining"] == 0]
    if full:
        r = api.call("POST", "/api/v1/appointments", {"item_id": item["id"], "slot_id": full[0]["slot_id"]},
                     session=api.login("huang_xiaomei"))
        assert r.status_code == 409 and r.json()["error"]["code"] == "slot_full"


def test_queue_tickets_count_up(api):
    item = first("queue")
    prefix = item["queue"]["ticket_prefix"]
    a = api.call("POST", "/api/v1/queue/tickets", {"item_id": item["id"]}, session=api.login("he_shuifa")).json()
    b = api.call("POST", "/api/v1/queue/tickets", {"item_id": item["id"]}, session=api.login("li_jianguo")).json()
    assert a["ticket_no"].startswith(prefix) and int(b["ticket_no"][len(prefix):]) == int(a["ticket_no"][len(prefix):]) + 1


def test_rating_and_assistance(api):
    good = api.call("POST", "/api/v1/ratings", {"item_id": CERT_ITEM, "level": 5,
                                                "indicators": {"整体满意度": 5, "办事便捷度": 4}})
    assert good.status_code == 200 and good.json()["level_text"] == "非常满意" and not good.json()["follow_up"]
    bad = api.call("POST", "/api/v1/ratings", {"item_id": CERT_ITEM, "level": 1, "comment": "字太小看不清"},
                   session=api.login("chen_guiying")).json()
    assert bad["follow_up"] and bad["follow_up_due"]
    wrong = api.call("POST", "/api/v1/ratings", {"item_id": CERT_ITEM, "level": 4, "indicators": {"颜值": 5}})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "indicator_invalid"
    help_ = api.call("POST", "/api/v1/assistance", {"reason": "card_unreadable", "item_id": CERT_ITEM}).json()
    assert help_["request_no"].startswith("XZ") and help_["eta_minutes"] > 0
    remote = help_["remote_help"]  # video help for the same request: a link for a QR and a 6-digit code
    assert remote["url"].startswith("https://") and help_["request_no"] in remote["url"]
    assert len(remote["code"]) == 6 and remote["code"].isdigit() and remote["valid_minutes"] > 0


def test_kiosk_operations(api):
    r = api.call("GET", "/api/v1/kiosk/auth-check")
    assert r.status_code == 200 and r.json()["signature"] == "accepted" and r.json()["kiosk_id"] == "GD-TEST-0001"
    retired = api.call("POST", "/api/v1/kiosk/heartbeat", {"app_version": "0.1.0", "uptime_s": 12.5})
    assert retired.status_code in (404, 405)  # telemetry goes over MQTT (docs/fleet.md)
    ev = api.call("POST", "/api/v1/kiosk/events", {"events": [
        {"type": "item.done", "at": "2026-11-23T10:00:00+08:00", "item_id": CERT_ITEM, "flow": "print",
         "duration_ms": 81000, "outcome": "success", "elderly_mode": True}]})
    assert ev.status_code == 200 and ev.json()["accepted"] == 1


@pytest.mark.parametrize("event", [
    {"type": "item.done", "at": "x", "props": {"name": "陈桂英"}},
    {"type": "item.done", "at": "x", "props": {"who": "440204194203080028"}},
    {"type": "item.done", "at": "x", "screen": "call 13827510261"},
    {"type": "item.done", "at": "x", "id_number": "440204194203080028"},
])
def test_events_with_personal_data_are_refused(api, event):
    r = api.call("POST", "/api/v1/kiosk/events", {"events": [event]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "personal_data_rejected"


def test_all_personas_can_identify(api):
    for persona_id in load_personas():
        assert api.login(persona_id, "eid")


def test_generators_fill_every_catalogue_column():
    """Each column a query item shows is produced by the backend for at least one persona."""
    from datetime import date

    from simulators.backend.records import records

    gaps = {}
    for item in ITEMS.values():
        if item["flow"] != "query":
            continue
        q = item["query"]
        seen: set[str] = set()
        for p in load_personas().values():
            for row in records(q["record_kind"], p, date.today(), q.get("period_months", 12)):
                seen |= set(row)
        missing = [c for c in q.get("columns", []) if c not in seen]
        if missing:
            gaps[item["id"]] = missing
    assert gaps == {}


def test_diagnostics_bundles_are_filed_and_checked(api):
    """What the fleet's collect_logs uploads: a zip with a manifest and the status, masked."""
    from tests.backend.bundles import diagnostics_zip

    up = api.call("POST", "/api/v1/kiosk/diagnostics", data=diagnostics_zip(), content_type="application/zip",
                  headers={"X-Command-Id": "cmd-0001-test"})
    assert up.status_code == 200, up.text
    body = up.json()
    assert body["bundle_no"].startswith("ZD") and body["command_id"] == "cmd-0001-test"
    assert body["files"] == ["manifest.json", "status.json", "logs/kiosk.log"] and body["bytes"] > 0
    stored = api.sim.control("GET", "/diagnostics", None)[1]["bundles"]
    assert any(b["bundle_no"] == body["bundle_no"] and b["kiosk_id"] == "GD-TEST-0001" for b in stored)
    files = api.sim.control("GET", f"/diagnostics?bundle_no={body['bundle_no']}")[1]["files"]
    assert "card read ***" in files["logs/kiosk.log"]

    unmasked = diagnostics_zip({"logs/kiosk.log.1": "card 440204194203080028 read"})
    refused = api.call("POST", "/api/v1/kiosk/diagnostics", data=unmasked, content_type="application/zip")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "personal_data_rejected"
    assert "logs/kiosk.log.1" in refused.json()["error"]["detail"]
    not_zip = api.call("POST", "/api/v1/kiosk/diagnostics", data=b"PK not really", content_type="application/zip")
    assert not_zip.status_code == 400 and not_zip.json()["error"]["code"] == "bundle_unreadable"
    wrong_type = api.call("POST", "/api/v1/kiosk/diagnostics", data=diagnostics_zip(), content_type="text/plain")
    assert wrong_type.status_code == 415
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("logs/kiosk.log", "x")
    incomplete = api.call("POST", "/api/v1/kiosk/diagnostics", data=buf.getvalue(), content_type="application/zip")
    assert incomplete.status_code == 422 and incomplete.json()["error"]["code"] == "bundle_invalid"


def test_the_control_api_pays_the_newest_pending_order(api):
    """`pay: paid` in a scenario: the tester does not know the order number, the newest one is paid."""
    accounts = api.sim.control("GET", "/accounts")[1]["chen_guiying"]
    orders = []
    for item_id, utility in (("water-bill-payment", "water"), ("gas-bill-payment", "gas")):
        dues = api.call("GET", "/api/v1/payments/dues", params={"item_id": item_id,
                                                                "account": accounts[utility]}).json()
        orders.append(api.call("POST", "/api/v1/payments/orders", {
            "item_id": item_id, "method": "wechat", "account": accounts[utility],
            "due_id": dues["dues"][0]["due_id"]}, idem=f"newest-{utility}").json()["order_no"])
    status, paid = api.sim.control("POST", "/payments/paid", {"newest_pending": True})
    assert status == 200 and paid["order_no"] == orders[1] and paid["status"] == "paid"
    assert api.call("GET", f"/api/v1/payments/orders/{orders[0]}").json()["status"] == "pending"
    status, paid = api.sim.control("POST", "/payments/paid", {"newest_pending": True})
    assert status == 200 and paid["order_no"] == orders[0]


def _item_with(predicate) -> dict:
    return next(i for i in ITEMS.values() if i["flow"] == "apply" and "face" not in i["auth_methods"]
                and any(predicate(m) for m in i["materials"]))


def _form(item: dict) -> dict:
    return {f["name"]: (f["options"][0] if f["type"] == "select" else "13800138000" if f["type"] == "phone"
                        else True if f["type"] == "checkbox" else f.get("min", 1) if f["type"] in ("number", "money")
                        else "2026-01-05" if f["type"] == "date" else "440204194203080028"
                        if f["type"] == "id_number" else "网点") for f in item["form_fields"] if f["required"]}


def test_form_invalid_names_the_refused_field(api):
    item = next(i for i in ITEMS.values() if i["flow"] == "apply" and "face" not in i["auth_methods"]
                and any(f["type"] == "phone" and f["required"] for f in i["form_fields"]))
    phone = next(f for f in item["form_fields"] if f["type"] == "phone" and f["required"])
    token = api.login("li_jianguo")
    form = {**_form(item), phone["name"]: "12345"}
    r = api.call("POST", "/api/v1/applications", {"item_id": item["id"], "form": form}, session=token)
    err = r.json()["error"]
    assert r.status_code == 422 and err["code"] == "form_invalid" and err["field"] == phone["name"]
    assert phone["label"] in err["message"]


def test_a_commitment_waits_for_its_signature_png_and_missing_ones_have_deadlines(api):
    item = _item_with(lambda m: m["commitment_ok"] and not m.get("condition"))
    signed = next(m for m in item["materials"] if m["commitment_ok"] and not m.get("condition"))
    token = api.login("li_jianguo")
    later = [m for m in item["materials"] if m["missing_ok"] and m is not signed and not m.get("condition")]
    materials = [{"name": signed["name"], "by": "commitment"}] + [{"name": m["name"], "by": "missing"} for m in later]
    r = api.call("POST", "/api/v1/applications", {"item_id": item["id"], "form": _form(item),
                                                  "materials": materials}, session=token)
    assert r.status_code == 200, r.text
    app = r.json()
    assert signed["name"] in app["pending_materials"] and app["status"] == "材料待上传"
    assert [d["name"] for d in app["missing_due"]] == [m["name"] for m in later]
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    up = api.call("POST", f"/api/v1/applications/{app['acceptance_no']}/materials", params={"name": signed["name"]},
                  data=png, content_type="image/png", session=token)
    assert up.status_code == 200, up.text
    assert up.json()["content_type"] == "image/png" and signed["name"] not in up.json()["pending_materials"]
    fake = api.call("POST", f"/api/v1/applications/{app['acceptance_no']}/materials", params={"name": signed["name"]},
                    data=b"GIF89a", content_type="image/png", session=token)
    assert fake.status_code == 400 and fake.json()["error"]["code"] == "upload_unreadable"


def test_missing_due_dates_follow_the_catalogue(api):
    item = _item_with(lambda m: m["missing_ok"] and not m.get("condition"))
    later = next(m for m in item["materials"] if m["missing_ok"] and not m.get("condition"))
    token = api.login("li_jianguo")
    r = api.call("POST", "/api/v1/applications", {"item_id": item["id"], "form": _form(item),
                                                  "materials": [{"name": later["name"], "by": "missing"}]},
                 session=token)
    assert r.status_code == 200, r.text
    (due,) = [d for d in r.json()["missing_due"] if d["name"] == later["name"]]
    accepted = r.json()["accepted_at"][:10]
    assert due["due_date"] > accepted and later["missing_due_days"] >= 1
