"""POST /applications for issue 20: materials inline (bound to the application in one idempotent
request), the kiosk-signed identity assertion of an application queued offline, and a bundle
(一件事) fanned out to one acceptance number per member item."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest

from simulators.backend.catalogue import load_items
from simulators.personas import get_persona
from tests.ui.test_apply_forms import sample

ITEMS = {i["id"]: i for i in load_items(None)}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
BEIJING = timezone(timedelta(hours=8))


def answers(item: dict) -> dict:
    def one(f: dict):
        if f["type"] in ("select",):
            return f["options"][0]
        if f["type"] == "checkbox":
            return True
        if f.get("pattern") and sample(f["pattern"]):
            return sample(f["pattern"])
        if f["type"] == "phone":
            return "13800138000"
        if f["type"] == "id_number":
            return "440204194203080028"
        if f["type"] in ("number", "money"):
            return max(1, int(f.get("min", 1)))
        if f["type"] == "date":
            return "2026-01-05"
        text = sample(f.get("pattern", "")) or "韶关市浈江区测试内容"
        return text.ljust(f.get("min_length", 0), "测")[: f.get("max_length", 200)]
    return {f["name"]: one(f) for f in item.get("form_fields") or [] if f.get("required")}


def uploads(item: dict) -> list[dict]:
    """Every material the resident provides (not a conditional one, not one a bundle shares), photographed."""
    return [{"name": m["name"], "by": "upload", "content_type": "image/jpeg",
             "content_b64": base64.b64encode(JPEG).decode()} for m in item["materials"]
            if not m.get("condition") and not m.get("shared_from")]


def test_materials_inline_leave_nothing_pending_and_a_repeat_files_once(api, idem):
    item = ITEMS["village-residence-certificate"]
    token = api.login("li_jianguo")
    body = {"item_id": item["id"], "form": answers(item), "materials": uploads(item)}
    first = api.call("POST", "/api/v1/applications", body, session=token, idem=idem)
    assert first.status_code == 200, first.text
    again = api.call("POST", "/api/v1/applications", body, session=token, idem=idem)
    assert again.json()["acceptance_no"] == first.json()["acceptance_no"]
    assert first.json()["pending_materials"] == [] and first.json()["status"] in ("已受理", "已办结")


def test_an_identity_assertion_stands_in_for_the_session_offline_queue_only(api, idem):
    item = ITEMS["village-residence-certificate"]
    assert item["network_policy"] == "offline_queue"
    p = get_persona("li_jianguo")
    now = datetime.now(BEIJING).isoformat(timespec="seconds")
    body = {"item_id": item["id"], "form": answers(item), "materials": uploads(item),
            "identity": {"method": "idcard", "id_number": p.id_number, "checked_at": now},
            "local_ref": "ZC" + idem[2:14].upper()}
    r = api.call("POST", "/api/v1/applications", body, idem=idem)
    assert r.status_code == 200, r.text
    number = r.json()["acceptance_no"]
    found = api.call("GET", "/api/v1/applications/lookup", params={"acceptance_no": number,
                                                                   "id_last4": p.id_number[-4:]})
    assert found.status_code == 200 and found.json()["item_id"] == item["id"]
    by_ref = api.call("GET", "/api/v1/applications/lookup", params={"acceptance_no": body["local_ref"],
                                                                    "id_last4": p.id_number[-4:]})
    assert by_ref.status_code == 200 and by_ref.json()["acceptance_no"] == number  # found by the receipt's reference
    unsigned = api.call("POST", "/api/v1/applications", body, signed=False)
    assert unsigned.status_code == 401
    online = ITEMS["farm-machinery-subsidy"]
    r = api.call("POST", "/api/v1/applications", {**body, "item_id": online["id"], "form": answers(online),
                                                  "materials": uploads(online)})
    assert r.status_code == 403 and r.json()["error"]["code"] == "assertion_not_allowed"
    stale = (datetime.now(BEIJING) - timedelta(days=8)).isoformat(timespec="seconds")
    r = api.call("POST", "/api/v1/applications", {**body, "identity": {**body["identity"], "checked_at": stale}})
    assert r.status_code == 422 and r.json()["error"]["code"] == "assertion_stale"
    face = ITEMS["elderly-allowance"]  # offline_queue, but its face match needs the platform
    r = api.call("POST", "/api/v1/applications", {**body, "item_id": face["id"], "form": answers(face),
                                                  "materials": uploads(face)})
    assert r.status_code == 403 and r.json()["error"]["code"] == "face_required"


BUNDLES = [i["id"] for i in ITEMS.values() if i["flow"] == "bundle"]


@pytest.mark.parametrize("bundle_id", BUNDLES)
def test_a_bundle_gives_one_acceptance_number_per_member(api, idem, bundle_id):
    from simulators.personas.faces import live_frames

    bundle = ITEMS[bundle_id]
    chen = api.login("chen_guiying")
    face = api.call("POST", "/api/v1/identity/face", data=live_frames("astronaut")[5].read_bytes(),
                    content_type="image/jpeg", session=chen).json()
    assert face["matched"]
    r = api.call("POST", "/api/v1/applications", {"item_id": bundle["id"], "form": answers(bundle),
                                                  "materials": uploads(bundle)}, session=chen, idem=idem)
    assert r.status_code == 200, r.text
    out = r.json()
    assert [m["item_id"] for m in out["members"]] == bundle["bundle_items"]
    numbers = [m["acceptance_no"] for m in out["members"]]
    assert len(set(numbers)) == len(numbers) and all(n.startswith("YS") for n in numbers)
    assert out["acceptance_no"].startswith("YJ") and out["promised_date"] == max(m["promised_date"]
                                                                                for m in out["members"])
    # each member got its materials under its own names (`covers`), what an earlier member makes is shared
    assert all(m["pending_materials"] == [] and m["status"] in ("已受理", "已办结") for m in out["members"]), out
    assert out["pending_materials"] == [] and out["status"] == "已受理"


APPLY = sorted(i["id"] for i in ITEMS.values() if i["flow"] == "apply")


@pytest.mark.parametrize("item_id", APPLY)
def test_every_apply_item_is_accepted_with_its_form_and_materials(api, idem, item_id):
    """Every `apply` item of the catalogue, as the kiosk submits it (its required answers, every
    material photographed, a face-checked session): one acceptance number, nothing left pending."""
    from simulators.personas.faces import live_frames

    item = ITEMS[item_id]
    method = next(m for m in item["auth_methods"] if m in ("idcard", "sscard", "eid_qr"))
    token = api.login("chen_guiying", {"eid_qr": "eid"}.get(method, method))
    if "face" in item["auth_methods"]:
        face = api.call("POST", "/api/v1/identity/face", data=live_frames("astronaut")[5].read_bytes(),
                        content_type="image/jpeg", session=token).json()
        assert face["matched"]
    r = api.call("POST", "/api/v1/applications", {"item_id": item_id, "form": answers(item),
                                                  "materials": uploads(item)}, session=token, idem=idem)
    assert r.status_code == 200, f"{item_id}: {r.text}"
    out = r.json()
    assert out["acceptance_no"].startswith("YS") and out["promised_date"], out
    assert out["pending_materials"] == [], out


def _stored(backend_dir, number: str) -> dict:
    """The platform's own record of one application (read-only: the backend process owns the file)."""
    import json
    import sqlite3

    db = sqlite3.connect(f"file:{backend_dir / 'backend.sqlite3'}?mode=ro", uri=True)
    try:
        (data,) = db.execute("SELECT data FROM documents WHERE kind = 'application' AND key = ?", (number,)).fetchone()
    finally:
        db.close()
    return json.loads(data)


def _face_checked(api, persona_id: str) -> str:
    from simulators.personas.faces import live_frames

    token = api.login(persona_id)
    face = api.call("POST", "/api/v1/identity/face", data=live_frames("astronaut")[5].read_bytes(),
                    content_type="image/jpeg", session=token).json()
    assert face["matched"]
    return token


def test_each_bundle_member_is_filed_with_its_own_fields(api, idem, backend_dir):
    """军人退役一件事: one form; each member's application carries the values of its own fields, by name
    (服役年限 to 报到, 转出地参保时间段 to the pension transfer, 领取方式 to the 优待证), nothing else."""
    bundle = ITEMS["veteran-discharge-bundle"]
    form = {**answers(bundle), "service_years": 6, "from_region": "湖南省长沙市", "from_period": "2018-09至2024-09",
            "insurance_kind": "职工医保", "pickup": "邮寄"}
    r = api.call("POST", "/api/v1/applications", {"item_id": bundle["id"], "form": form,
                                                  "materials": uploads(bundle)},
                 session=_face_checked(api, "chen_guiying"), idem=idem)
    assert r.status_code == 200, r.text
    for member in r.json()["members"]:
        fields = {f["name"] for f in ITEMS[member["item_id"]]["form_fields"]}
        assert _stored(backend_dir, member["acceptance_no"])["form"] == {k: v for k, v in form.items() if k in fields}
    arrival, pension, medical, card = (_stored(backend_dir, m["acceptance_no"])["form"] for m in r.json()["members"])
    assert arrival["service_years"] == 6 and "from_region" not in arrival
    assert pension["from_period"] == "2018-09至2024-09" and medical["insurance_kind"] == "职工医保"
    assert card["pickup"] == "邮寄" and card["bank"] == form["bank"]


def test_a_covering_bundle_field_answers_the_members_differently_named_field(api, idem, backend_dir):
    """新生儿出生一件事 asks the baby's name once (新生儿姓名); 医保 files it as its 参保人姓名 (`covers`)."""
    bundle = ITEMS["newborn-bundle"]
    assert "insured_name" not in {f["name"] for f in bundle["form_fields"]}
    form = {**answers(bundle), "baby_name": "陈一"}
    r = api.call("POST", "/api/v1/applications", {"item_id": bundle["id"], "form": form,
                                                  "materials": uploads(bundle)},
                 session=_face_checked(api, "chen_guiying"), idem=idem)
    assert r.status_code == 200, r.text
    medical = next(m for m in r.json()["members"] if m["item_id"] == "resident-medical-insurance-enrollment")
    assert _stored(backend_dir, medical["acceptance_no"])["form"]["insured_name"] == "陈一"


def test_a_bundle_lacking_a_member_field_files_nothing(api, idem):
    bundle = ITEMS["veteran-discharge-bundle"]
    token = _face_checked(api, "chen_guiying")
    before = api.state()["counts"]["application"]
    form = {k: v for k, v in answers(bundle).items() if k != "service_years"}
    r = api.call("POST", "/api/v1/applications", {"item_id": bundle["id"], "form": form,
                                                  "materials": uploads(bundle)}, session=token, idem=idem)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "form_invalid" and error["field"] == "service_years" and "服役年限" in error["message"]
    assert api.state()["counts"]["application"] == before  # no member filed


def test_a_member_field_the_bundle_form_lacks_is_refused_by_the_member():
    """A bundle whose form does not carry a member's required field (a stale catalogue) passes its own
    form check; the fan-out refuses it for the member, naming both, before anything is filed."""
    import copy

    from simulators.backend.applications import member_form
    from simulators.backend.errors import ApiError
    from simulators.backend.forms import validate_form

    stale = copy.deepcopy(ITEMS["veteran-discharge-bundle"])
    stale["form_fields"] = [f for f in stale["form_fields"] if f["name"] != "service_years"]
    form = validate_form(stale, answers(stale))
    arrival = ITEMS["veteran-arrival-registration"]
    with pytest.raises(ApiError) as refused:
        member_form(stale, arrival, form)
    e = refused.value
    assert (e.status, e.code, e.field) == (422, "form_invalid", "service_years")
    assert e.message == "退役士兵报到：“服役年限”为必填项，请修改后重新提交。", e.message
    assert "veteran-discharge-bundle" in e.detail and "veteran-arrival-registration" in e.detail
    assert member_form(stale, ITEMS["veteran-preferential-card"], form) == {
        k: form[k] for k in ("bank", "pickup", "phone")}


def test_a_bundle_names_each_material_once_and_files_it_under_each_members_name(api, idem):
    """身后一件事: the applicant's ID card stands for three members' differently named ones; left for
    the window it is pending in each member under that member's name, and once in the bundle."""
    from simulators.personas.faces import live_frames

    bundle = ITEMS["posthumous-affairs-bundle"]
    token = api.login("chen_guiying")
    face = api.call("POST", "/api/v1/identity/face", data=live_frames("astronaut")[5].read_bytes(),
                    content_type="image/jpeg", session=token).json()
    assert face["matched"]
    materials = [m for m in uploads(bundle) if m["name"] not in ("申请人居民身份证", "火化证明")]
    materials += [{"name": "申请人居民身份证", "by": "upload"}, {"name": "火化证明", "by": "missing"}]
    r = api.call("POST", "/api/v1/applications", {"item_id": bundle["id"], "form": answers(bundle),
                                                  "materials": materials}, session=token, idem=idem)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["pending_materials"] == ["申请人居民身份证"]
    assert [d["name"] for d in out["missing_due"]] == ["火化证明"] and out["missing_later"] == ["火化证明"]
    pending = {m["item_id"]: m["pending_materials"] for m in out["members"]}
    assert pending == {"household-deregistration-death": ["申报人居民身份证"],
                       "resident-pension-death-benefit": ["申领人居民身份证"],
                       "funeral-service-subsidy": ["经办人居民身份证"]}
    later = {m["item_id"]: m["missing_later"] for m in out["members"]}
    assert later["funeral-service-subsidy"] == ["火化证明"] and later["household-deregistration-death"] == []
    bad = api.call("POST", "/api/v1/applications", {"item_id": bundle["id"], "form": answers(bundle),
                                                    "materials": [{"name": "申报人居民身份证", "by": "upload"}]},
                   session=token)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "material_unknown"  # the bundle's names only
