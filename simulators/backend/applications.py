"""Applications (申办): e-licences per persona, material rules, progress steps, and seeded history.

E-licence trust levels (国办函〔2016〕108号): A issued by the agency, usable directly; B verified by a
clerk, reusable; C uploaded by the user, original checked at the window; D self-made by the user
with a truthfulness pledge. A material may be replaced by an e-licence of its elicence_type only
at level A or B; C and D are listed but still need the original or an upload.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from simulators.backend.errors import ApiError
from simulators.backend.forms import validate_form
from simulators.personas import Persona

USABLE_LEVELS = ("A", "B")
STEPS = ("受理", "审核", "办结")


def add_working_days(day: date, days: int) -> date:
    """Weekends skipped (public holidays are not modelled)."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def elicences(p: Persona) -> list[dict[str, Any]]:
    """The persona's e-licences in the 电子证照库 (licence_id is stable per persona and type)."""
    out: list[dict[str, Any]] = []

    def add(type_: str, issuer: str, level: str, issued: str, valid_to: str, number: str) -> None:
        out.append({"licence_id": f"EL-{p.id_number[-6:]}-{len(out) + 1:02d}", "type": type_,
                    "holder": p.name, "issuer": issuer, "trust_level": level, "issued_at": issued,
                    "valid_to": valid_to, "number_masked": number[:4] + "****" + number[-2:]})

    if p.layout == "resident":
        add("居民身份证电子证照", p.authority or "公安机关", "A", p.valid_from, p.valid_to, p.id_number)
        if p.address:
            add("居民户口簿电子证照", (p.authority or "公安机关") + "户政", "B", p.valid_from, "长期", p.id_number)
    elif p.layout == "J":
        add("港澳台居民居住证电子证照", p.authority or "公安机关", "A", p.valid_from, p.valid_to, p.id_number)
    else:
        add("外国人永久居留身份证电子证照", "国家移民管理局", "A", p.valid_from, p.valid_to, p.id_number)
    if p.sscard is not None:
        add("社会保障卡电子证照", "广东省人力资源和社会保障厅", "A", p.sscard.issue_date, p.sscard.expiry_date,
            p.sscard.card_number)
    if p.id == "li_jianguo":
        add("结婚证电子证照", "乐昌市民政局", "A", "1994-10-06", "长期", "J440281-1994-001206")
        add("机动车驾驶证电子证照", "韶关市公安局交通警察支队", "A", "2012-04-17", "2032-04-17", p.id_number)
    if p.id == "huang_xiaomei":
        add("职业技能等级证书电子证照", "韶关市职业技能鉴定指导中心", "B", "2022-06-30", "长期", "S000044020")
        add("个人收入证明（本人上传）", "申请人上传", "C", "2026-03-02", "2026-09-02", "UP2026030201")
    if p.id == "zhou_zhiqiang":
        add("个人信用承诺书", "申请人自行制作", "D", "2025-11-20", "2026-11-20", "CN2025112001")
    if p.age() >= 60:
        add("基本养老金核定表", "韶关市社会保险基金管理局", "A", "2009-10-01", "长期", p.id_number)
    return out


def plan_materials(item: dict[str, Any], p: Persona, declared: list[dict[str, Any]]) -> dict[str, list[str]]:
    """How each material of the item is satisfied.

    ``declared`` entries are {name, by: elicence|upload|commitment|missing, licence_id?}. Materials
    with a ``condition`` are needed only when that situation applies, i.e. when declared. A bundle's
    fan-out also declares ``by: shared`` for what an earlier member makes (never a kiosk: the API's
    MaterialChoice has no such value).
    Returns {"elicence": [...], "upload": [...], "commitment": [...], "missing": [...]} by name, and
    "shared": [...] when there are any.
    """
    specs = {m["name"]: m for m in item["materials"]}
    unknown = sorted({d["name"] for d in declared} - set(specs))
    if unknown:
        raise ApiError(422, "material_unknown", "提交的材料与事项不符，请返回重新选择。",
                       f"item {item['id']} has no material(s) {unknown}")
    licences = {e["licence_id"]: e for e in elicences(p)}
    by_name = {d["name"]: d for d in declared}
    plan: dict[str, list[str]] = {"elicence": [], "upload": [], "commitment": [], "missing": []}
    for name, spec in specs.items():
        d = by_name.get(name)
        if d is None:
            if spec.get("condition"):
                continue
            d = {"name": name, "by": "upload"}
        how = d["by"]
        if how == "elicence":
            lic = licences.get(d.get("licence_id") or "")
            if not spec["elicence"] or lic is None or lic["type"] != spec.get("elicence_type") \
                    or lic["trust_level"] not in USABLE_LEVELS:
                raise ApiError(422, "elicence_unusable", f"“{name}”不能用该电子证照代替，请上传材料。",
                               f"material {name!r}: licence {d.get('licence_id')!r} is not an A/B "
                               f"{spec.get('elicence_type')!r} of this person")
        elif how == "commitment" and not spec["commitment_ok"]:
            raise ApiError(422, "commitment_not_allowed", f"“{name}”不适用告知承诺，请提交材料。",
                           f"material {name!r} does not allow 告知承诺")
        elif how == "missing" and not spec["missing_ok"]:
            raise ApiError(422, "material_required", f"“{name}”是必须提交的材料，请上传后再提交。",
                           f"material {name!r} does not allow 容缺受理")
        plan.setdefault(how, []).append(name)
    return plan


def member_sources(bundle: dict[str, Any], member: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """一件事: each material name of one member item → the bundle material that stands for it (the
    same name, or this member's name in its ``covers``). The resident provides that one once; the
    platform files it under each member's own name (tests/services/test_catalogue_data.py checks
    that exactly one bundle material covers every member material)."""
    out: dict[str, dict[str, Any]] = {}
    for spec in member["materials"]:
        for m in bundle["materials"]:
            if m["name"] == spec["name"] or {"item": member["id"], "name": spec["name"]} in (m.get("covers") or []):
                out[spec["name"]] = m
                break
    return out


def member_form(bundle: dict[str, Any], member: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """一件事: the values of one member item's own fields (by name) from the bundle's checked form,
    checked against the member's definitions; a bundle field that `covers` a member field of another
    name gives that field its answer. A member's required field the bundle's form lacks
    (a catalogue whose bundle form does not carry its members' fields) is refused, never filed
    incomplete: 422 `form_invalid` naming the field and the member."""
    values = {f["name"]: form[f["name"]] for f in member.get("form_fields") or [] if f["name"] in form}
    for field in bundle.get("form_fields") or []:  # asked once under the bundle's name (`covers`)
        for cover in field.get("covers") or []:
            if cover["item"] == member["id"] and field["name"] in form:
                values[cover["name"]] = form[field["name"]]
    try:
        return validate_form(member, values)
    except ApiError as exc:  # e.g. "退役士兵报到：“服役年限”为必填项，请修改后重新提交。"
        raise ApiError(422, "form_invalid", f"{member['name']}：{exc.message}",
                       f"bundle {bundle['id']}, member {member['id']}: {exc.detail}", field=exc.field) from None


def progress_steps(status: str, accepted_at: str, finished_at: str | None) -> list[dict[str, Any]]:
    # the step under way: 受理 while materials are missing, 审核 once accepted (and while under review)
    reached = {"材料待上传": 0, "已受理": 1, "审核中": 1, "已办结": 3, "不予受理": 3}[status]
    out = []
    for i, name in enumerate(STEPS):
        state = "done" if i < reached else ("current" if i == reached else "todo")
        at = accepted_at if i == 0 and reached > 0 else (finished_at if i == 2 and reached == 3 else None)
        out.append({"name": name, "state": state, "at": at})
    return out


# Applications the personas made earlier, so the progress flow has something to find.
SEEDS = {
    "lan_yan": ("social-security-card-application", "审核中", "2026-10-28", None,
                "已提交制卡银行，预计10个工作日内短信通知领卡。"),
    "huang_xiaomei": ("vocational-training-subsidy", "审核中", "2026-11-10", None, "正在核验培训证书信息。"),
    "wong_kaming": ("pension-insurance-transfer", "已办结", "2026-06-02", "2026-07-14",
                    "养老保险关系已转入韶关市，缴费年限已合并。"),
    "zhou_zhiqiang": ("unemployment-insurance-benefit-claim", "已办结", "2023-07-20", "2023-07-31",
                      "核定领取失业保险金6个月。"),
}


def seeded(p: Persona, items: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    seed = SEEDS.get(p.id)
    if seed is None or seed[0] not in items:
        return []
    item_id, status, accepted, finished, note = seed
    item = items[item_id]
    number = f"YS{accepted.replace('-', '')}{int(p.id_number[-5:-1]) + 100000:06d}"[:16]
    return [{"acceptance_no": number, "item_id": item_id, "item_name": item["name"], "persona_id": p.id,
             "status": status, "accepted_at": f"{accepted}T10:12:00+08:00",
             "finished_at": f"{finished}T16:30:00+08:00" if finished else None,
             "promised_date": add_working_days(date.fromisoformat(accepted),
                                               item["promised_limit_days"]).isoformat(),
             "pending_materials": [], "missing_later": [], "note": note, "form": {}, "uploads": []}]
