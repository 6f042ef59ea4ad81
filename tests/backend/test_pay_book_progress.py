"""Payments charged once (paid dues, superseded orders, the lookup without a session), full slots,
bookings and tickets with the item's form, and the anonymous progress lookup."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from simulators.backend import applications as apps
from simulators.backend.catalogue import load_items
from simulators.personas import get_persona, load_personas

ITEMS = {i["id"]: i for i in load_items()}
PENSION, ELECTRICITY = "resident-pension-payment", "electricity-bill-payment"


def _dues(api, item_id, token=None, **params):
    r = api.call("GET", "/api/v1/payments/dues", session=token, params={"item_id": item_id, **params})
    assert r.status_code == 200, r.text
    return r.json()["dues"]


def _order(api, item_id, due_id, token=None, method="wechat", idem=None, **extra):
    return api.call("POST", "/api/v1/payments/orders", {"item_id": item_id, "method": method, "due_id": due_id,
                                                        **extra}, session=token, idem=idem)


def _lookup(api, order_no, check):
    return api.call("GET", "/api/v1/payments/lookup", params={"order_no": order_no, "check": check})


def test_a_paid_tier_is_marked_paid_and_cannot_be_paid_again(api):
    token = api.login("zhou_zhiqiang", "sscard")
    first = _order(api, PENSION, "opt-0", token).json()
    assert first["status"] == "pending" and 0 < first["expires_in_s"] <= 15 * 60
    assert len(first["check_code"]) == 6 and first["check_code"].isdigit()
    again = _order(api, PENSION, "opt-2", token, method="alipay").json()  # another tier, same year
    assert api.call("GET", f"/api/v1/payments/orders/{first['order_no']}", session=token).json()["status"] == "closed"
    closed = api.call("POST", f"/api/v1/payments/orders/{first['order_no']}/test-paid", {})
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "order_closed"
    assert api.sim.control("POST", "/payments/paid", {"order_no": first["order_no"]})[1]["status"] == "closed"
    paid = api.call("POST", f"/api/v1/payments/orders/{again['order_no']}/test-paid", {}).json()
    receipt = paid["receipt"]
    p = get_persona("zhou_zhiqiang")
    assert receipt["payer_name_masked"] == p.name[0] + "*" * (len(p.name) - 1)
    assert receipt["payer_id_masked"] == p.id_number[:4] + "*" * 10 + p.id_number[-4:] and receipt["account"] is None
    assert receipt["title"] == ITEMS[PENSION]["pay"]["receipt_title"] and receipt["label"] == "360元/年"
    dues = _dues(api, PENSION, token)
    assert all(d["paid"] == {"order_no": again["order_no"], "check_code": again["check_code"]} for d in dues)
    twice = _order(api, PENSION, "opt-0", token)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_paid"
    assert "补打缴费凭证" in twice.json()["error"]["message"]


def test_a_bill_by_account_found_again_by_order_number_and_check_code(api):
    account = api.sim.control("GET", "/accounts")[1]["huang_xiaomei"]["electricity"]
    assert account.isdigit()  # 户号 are digits, as the catalogue's account_no pattern says
    due = _dues(api, ELECTRICITY, account=account)[0]
    order = _order(api, ELECTRICITY, due["due_id"], account=account).json()
    query = parse_qs(urlsplit(order["lookup_qr"]).query)
    assert query == {"order_no": [order["order_no"]], "check": [order["check_code"]]}
    found = _lookup(api, order["order_no"], order["check_code"])  # no session at all
    assert found.status_code == 200 and found.json()["status"] == "pending" and found.json()["receipt"] is None
    api.sim.control("POST", "/payments/paid", {"order_no": order["order_no"]})
    receipt = _lookup(api, order["order_no"], order["check_code"]).json()["receipt"]
    assert receipt["account"] == account and receipt["account_label"] == "用电户号"
    assert receipt["payer_id_masked"] is None and receipt["amount_fen"] == due["amount_fen"]
    assert _dues(api, ELECTRICITY, account=account)[0]["paid"]["order_no"] == order["order_no"]


def test_wrong_check_codes_lock_the_lookup(api):
    account = api.sim.control("GET", "/accounts")[1]["lan_yan"]["water"]
    due = _dues(api, "water-bill-payment", account=account)[0]
    order = _order(api, "water-bill-payment", due["due_id"], account=account).json()
    wrong = f"{(int(order['check_code']) + 1) % 10**6:06d}"
    for _ in range(5):
        r = _lookup(api, order["order_no"], wrong)
        assert r.status_code == 404 and r.json()["error"]["code"] == "order_not_found"
    locked = _lookup(api, order["order_no"], order["check_code"])
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "lookup_locked"
    assert _lookup(api, "DD1", "000000").status_code == 404


def test_an_account_of_another_utility_is_not_found(api):
    account = api.sim.control("GET", "/accounts")[1]["he_shuifa"]["water"]
    r = api.call("GET", "/api/v1/payments/dues", params={"item_id": ELECTRICITY, "account": account})
    assert r.status_code == 404 and r.json()["error"]["code"] == "account_not_found"


def test_a_retried_order_with_the_same_key_is_the_same_order(api, idem):
    account = api.sim.control("GET", "/accounts")[1]["li_jianguo"]["gas"]
    due = _dues(api, "gas-bill-payment", account=account)[0]
    one = _order(api, "gas-bill-payment", due["due_id"], account=account, idem=idem)
    two = _order(api, "gas-bill-payment", due["due_id"], account=account, idem=idem)
    assert two.headers["Idempotent-Replayed"] == "true" and two.json()["order_no"] == one.json()["order_no"]
    assert _lookup(api, one.json()["order_no"], one.json()["check_code"]).json()["status"] == "pending"


def test_the_first_slot_of_every_day_is_full_and_the_control_api_fills_another(api):
    item = ITEMS["notary-appointment"]
    slots = api.call("GET", "/api/v1/appointments/slots", params={"item_id": item["id"]}).json()["slots"]
    by_day: dict[str, list] = {}
    for s in slots:
        by_day.setdefault(s["date"], []).append(s)
    assert by_day and all(day[0]["start"] == "08:30" and day[0]["remaining"] == 0 for day in by_day.values())
    assert all(s["remaining"] > 0 for day in by_day.values() for s in day[1:])  # at most 3/4 booked
    status, filled = api.sim.control("POST", "/appointments/fill", {"item_id": item["id"]})
    assert status == 200 and filled["remaining"] == 0
    token = api.login("lan_yan")
    form = {"matter": "委托", "phone": "13912345678"}
    r = api.call("POST", "/api/v1/appointments", {"item_id": item["id"], "slot_id": filled["slot_id"], "form": form},
                 session=token)
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_full"
    free = next(s for s in slots if s["remaining"] > 0 and s["slot_id"] != filled["slot_id"])
    booking = api.call("POST", "/api/v1/appointments", {"item_id": item["id"], "slot_id": free["slot_id"],
                                                        "service": "委托", "form": form}, session=token).json()
    assert booking["sms_to"] == "139****5678" and booking["bring"][0] == "本人有效身份证件原件"
    assert booking["place"] == item["appointment"]["place"] and booking["start"] == free["start"]
    bad = api.call("POST", "/api/v1/appointments", {"item_id": item["id"], "slot_id": free["slot_id"],
                                                    "form": {"matter": "离婚"}}, session=api.login("huang_xiaomei"))
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "form_invalid"
    assert api.sim.control("POST", "/appointments/fill", {"item_id": item["id"], "slot_id": "nope"})[0] == 404
    assert api.sim.control("POST", "/appointments/fill", {})[0] == 400


def test_a_ticket_carries_the_chosen_business(api):
    item = ITEMS["real-estate-hall-ticket"]
    token = api.login("li_jianguo")
    ticket = api.call("POST", "/api/v1/queue/tickets", {"item_id": item["id"], "form": {"business": "缴费"}},
                      session=token).json()
    assert ticket["business"] == "缴费" and ticket["windows"] == item["queue"]["windows"]
    assert ticket["ticket_no"].startswith(item["queue"]["ticket_prefix"])
    bad = api.call("POST", "/api/v1/queue/tickets", {"item_id": item["id"], "form": {"business": "打麻将"}},
                   session=token)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "form_invalid"


def _seeded(persona_id):
    p = get_persona(persona_id)
    return p, apps.seeded(p, ITEMS)[0]


def test_progress_without_a_session_by_number_and_id_ending(api):
    p, seed = _seeded("lan_yan")
    r = api.call("GET", "/api/v1/applications/lookup",
                 params={"acceptance_no": seed["acceptance_no"], "id_last4": p.id_number[-4:]})
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["status"] == "审核中" and [s["name"] for s in found["steps"]] == ["受理", "审核", "办结"]
    assert [s["state"] for s in found["steps"]] == ["done", "current", "todo"]
    assert parse_qs(urlsplit(found["progress_qr"]).query) == {"acceptance_no": [seed["acceptance_no"]],
                                                              "id_last4": [p.id_number[-4:]]}
    # the holder's own view says the same
    mine = api.call("GET", f"/api/v1/applications/{seed['acceptance_no']}", session=api.login("lan_yan")).json()
    assert mine == found


def test_progress_lookup_refuses_wrong_endings_then_locks(api):
    p, seed = _seeded("huang_xiaomei")
    other = next(q for q in load_personas().values() if q.id_number[-4:] != p.id_number[-4:])
    for _ in range(5):
        r = api.call("GET", "/api/v1/applications/lookup",
                     params={"acceptance_no": seed["acceptance_no"], "id_last4": other.id_number[-4:]})
        assert r.status_code == 404 and r.json()["error"]["code"] == "application_not_found"
    locked = api.call("GET", "/api/v1/applications/lookup",
                      params={"acceptance_no": seed["acceptance_no"], "id_last4": p.id_number[-4:]})
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "lookup_locked"
    unknown = api.call("GET", "/api/v1/applications/lookup", params={"acceptance_no": "YS1", "id_last4": "0000"})
    assert unknown.status_code == 404
