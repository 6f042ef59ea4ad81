"""The service catalogue is data: every item is schema-valid and the whole catalogue shows no filler."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter, defaultdict

import jsonschema
import pytest

from simulators.backend.catalogue import ITEMS_DIR, catalogue_version, load_items, schema

FLOWS = ("query", "print", "certify", "apply", "pay", "appointment", "queue", "progress", "bundle")
IDENTIFIERS = {"idcard": "idcard", "sscard": "sscard", "eid_qr": "scanner"}  # auth method -> device
HOTLINES = {
    "人社": "12333", "医保": "12393", "公积金": "12329", "税务": "12366", "出入境": "12367",
    "交警": "12123", "供电": "95598",
}
# items other engineers and the walking skeleton rely on, and the items real terminals carry
REQUIRED_IDS = {
    "social-insurance-certificate-print", "pension-eligibility-certification", "resident-pension-payment",
    "social-insurance-payment-records", "housing-fund-balance",
}
REAL_TERMINAL_NAMES = (
    "养老待遇资格认证", "城乡居民养老保险缴费", "城乡居民医疗保险缴费", "参保证明打印", "社保缴费记录查询",
    "医保个人信息查询", "公积金余额查询", "个人所得税完税证明", "户籍证明", "居住证", "港澳通行证", "签注",
    "违章查询", "高龄津贴", "残疾人两项补贴", "临时救助", "体检报告打印", "电费", "水费", "燃气费", "村级证明",
)


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return load_items()


@pytest.fixture(scope="module")
def by_id(items) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def _canon(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- schema ---------------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema():
    sch = schema()
    assert sch["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(sch)
    assert sch["additionalProperties"] is False


def test_every_item_is_schema_valid(items):
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    problems = [
        f"{item.get('id', '?')}: {'/'.join(map(str, err.absolute_path))}: {err.message[:160]}"
        for item in items
        for err in validator.iter_errors(item)
    ]
    assert not problems, "\n".join(problems)


def test_schema_rejects_typical_mistakes(by_id):
    validator = jsonschema.Draft202012Validator(schema())
    good = by_id["social-insurance-certificate-print"]
    assert validator.is_valid(good)
    mutations = [
        lambda it: it.update(fee=""),
        lambda it: it.update(flow="download"),
        lambda it: it.update(auth_methods=["password"]),
        lambda it: it.update(hardware=["keyboard"]),
        lambda it: it.update(network_policy="maybe"),
        lambda it: it.update(tags=["urgent"]),
        lambda it: it.update(payment_methods=["wechat"]),  # not a pay item
        lambda it: it.update(bundle_items=["a", "b"]),  # not a bundle
        lambda it: it.update(unexpected=1),
        lambda it: it.pop("document"),
        lambda it: it.pop("complaint"),
        lambda it: it["materials"][0].pop("missing_ok"),
        lambda it: it["materials"][0].update(form="scan"),
        lambda it: it["form_fields"][0].pop("options"),
        lambda it: it["form_fields"][1].update(type="colour"),
        lambda it: it.update(promised_limit_days=-1),
        lambda it: it.update(hardware=["idcard"]),  # print flow without a printer
        lambda it: it.update(hardware=["idcard", "sscard", "printer"]),  # eid_qr without a scanner
        lambda it: it.update(hardware=["idcard", "scanner", "printer"]),  # sscard without a reader
        lambda it: it.update(auth_methods=["idcard", "face"], hardware=["idcard", "printer"]),  # no camera
        lambda it: it.update(home_rank=0),
    ]
    for number, mutate in enumerate(mutations):
        bad = copy.deepcopy(good)
        mutate(bad)
        assert not validator.is_valid(bad), f"mutation {number} was accepted"


# --- coverage -------------------------------------------------------------------------------------


def test_items_live_in_data_files_one_list_each():
    files = sorted(ITEMS_DIR.glob("*.json"))
    assert len(files) >= 12
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, list) and data, path.name


def test_at_least_120_items_from_12_departments(items):
    assert len(items) >= 120
    departments = Counter(item["department"] for item in items)
    assert len(departments) >= 12, departments


def test_every_department_has_at_least_three_items(items):
    departments = Counter(item["department"] for item in items)
    thin = {dept: n for dept, n in departments.items() if n < 3}
    assert not thin, thin


def test_every_flow_kind_has_at_least_two_items(items):
    flows = Counter(item["flow"] for item in items)
    assert set(flows) == set(FLOWS)
    thin = {flow: n for flow, n in flows.items() if n < 2}
    assert not thin, thin


def test_ids_names_and_english_names_are_unique(items):
    for key in ("id", "name", "name_en"):
        counts = Counter(item[key] for item in items)
        duplicates = [value for value, n in counts.items() if n > 1]
        assert not duplicates, (key, duplicates)


def test_required_items_exist(by_id):
    assert REQUIRED_IDS <= set(by_id)


def test_items_real_terminals_carry_are_present(items):
    haystack = " ".join(item["name"] + " " + " ".join(item["aliases"]) for item in items)
    missing = [name for name in REAL_TERMINAL_NAMES if name not in haystack]
    assert not missing, missing


def test_walking_skeleton_item_is_exactly_as_specified(by_id):
    item = by_id["social-insurance-certificate-print"]
    assert item["name"] == "个人社保参保证明打印"
    assert item["department"] == "人社"
    assert item["flow"] == "print"
    assert item["auth_methods"] == ["idcard", "eid_qr", "sscard"]
    assert item["hardware"] == ["idcard", "sscard", "scanner", "printer"]
    assert item["network_policy"] == "online"
    assert "instant" in item["tags"]
    assert item["promised_limit_days"] == 0
    assert item["fee"] == "不收费"
    assert item["document"]["kind"] == "social_insurance_certificate"
    assert item["document"]["title"] == "广东省社会保险个人参保证明"


def test_items_other_components_use_have_the_agreed_shape(by_id):
    cert = by_id["pension-eligibility-certification"]
    assert cert["flow"] == "certify"
    assert {"idcard", "face"} <= set(cert["auth_methods"])
    assert {"idcard", "camera"} <= set(cert["hardware"])
    assert by_id["resident-pension-payment"]["flow"] == "pay"
    records = by_id["social-insurance-payment-records"]
    assert records["flow"] == "query" and records["query"]["record_kind"] == "social_insurance_payments"
    assert by_id["housing-fund-balance"]["flow"] == "query"


# --- filler ---------------------------------------------------------------------------------------


def test_no_two_items_share_conditions_and_materials(items):
    seen: dict[str, str] = {}
    for item in items:
        key = _canon([item["conditions"], item["materials"]])
        assert key not in seen, f"{item['id']} repeats the conditions and materials of {seen[key]}"
        seen[key] = item["id"]


@pytest.mark.parametrize("field", ["conditions", "steps", "faq"])
def test_no_two_items_share_the_same_list(items, field):
    seen: dict[str, str] = {}
    for item in items:
        key = _canon(item[field])
        assert key not in seen, f"{item['id']} repeats the {field} of {seen[key]}"
        seen[key] = item["id"]


def test_no_placeholder_text(items):
    placeholder = re.compile(r"TODO|TBD|XXX|lorem|占位|待补充|示例事项|事项\d+$", re.IGNORECASE)
    for item in items:
        for text in (item["name"], *item["conditions"], *item["steps"], *(m["name"] for m in item["materials"])):
            assert not placeholder.search(text), (item["id"], text)


def test_every_basis_cites_a_named_law_policy_or_standard(items):
    for item in items:
        for basis in item["basis"]:
            assert "《" in basis and "》" in basis, (item["id"], basis)


def test_consult_phone_is_the_department_hotline(items):
    for item in items:
        hotline = HOTLINES.get(item["department"])
        if hotline:
            assert hotline in item["consult"]["phone"], (item["id"], item["consult"])


# --- field rules ----------------------------------------------------------------------------------


def test_instant_items_have_zero_promised_days_and_the_tag(items):
    for item in items:
        assert (item["promised_limit_days"] == 0) == ("instant" in item["tags"]), item["id"]


def test_promised_limit_within_legal_limit(items):
    for item in items:
        if item["legal_limit_days"] is not None:
            assert item["promised_limit_days"] <= item["legal_limit_days"], item["id"]


def test_fee_is_never_blank_and_charges_name_their_basis(items):
    for item in items:
        assert item["fee"].strip(), item["id"]
        if item["fee"] != "不收费":
            assert item.get("fee_basis"), f"{item['id']} charges ({item['fee']}) without a fee basis"


def test_every_material_has_all_required_fields(items):
    required = {"name", "form", "copies", "elicence", "commitment_ok", "missing_ok", "source"}
    for item in items:
        for material in item["materials"]:
            assert required <= set(material), (item["id"], material)
            assert material["form"] in ("original", "copy", "electronic")
            assert isinstance(material["copies"], int) and material["copies"] >= 0
            if "elicence_type" in material:
                assert material["elicence"] is True, (item["id"], material["name"])
        names = [m["name"] for m in item["materials"]]
        assert len(names) == len(set(names)), item["id"]


def test_commitment_and_missing_ok_tags_match_the_materials(items):
    for item in items:
        assert ("commitment" in item["tags"]) == any(m["commitment_ok"] for m in item["materials"]), item["id"]
        assert ("missing_ok" in item["tags"]) == any(m["missing_ok"] for m in item["materials"]), item["id"]


def test_payment_methods_exactly_for_pay_items(items):
    for item in items:
        assert bool(item["payment_methods"]) == (item["flow"] == "pay"), item["id"]
        if item["flow"] == "pay":
            assert item["network_policy"] == "online", item["id"]


def test_pay_blocks_are_consistent(items):
    for item in (it for it in items if it["flow"] == "pay"):
        pay = item["pay"]
        if "options" in pay:
            labels = [option["label"] for option in pay["options"]]
            assert len(labels) == len(set(labels)), item["id"]
        if "min_fen" in pay and "max_fen" in pay:
            assert pay["min_fen"] < pay["max_fen"], item["id"]
        assert item["visits"] == 0, item["id"]


def test_hardware_supports_the_auth_methods(items):
    for item in items:
        auth, hardware = set(item["auth_methods"]), set(item["hardware"])
        if "idcard" in auth:
            assert "idcard" in hardware, item["id"]
        if "face" in auth:
            assert "camera" in hardware, item["id"]
            assert auth & set(IDENTIFIERS), f"{item['id']}: a face check needs an identity to compare with"
        if "sscard" in hardware:
            assert "sscard" in auth, item["id"]
        for method in auth & set(IDENTIFIERS):  # every method offered has its device
            assert IDENTIFIERS[method] in hardware, f"{item['id']}: {method} needs {IDENTIFIERS[method]}"


def test_home_rank_puts_the_most_used_items_first(items):
    ranked = sorted((i for i in items if "home_rank" in i), key=lambda i: i["home_rank"])
    ranks = [i["home_rank"] for i in ranked]
    assert ranks == list(range(1, len(ranks) + 1))  # 1, 2, 3 … with no gaps or repeats
    assert [i["id"] for i in ranked[:2]] == ["pension-eligibility-certification",
                                            "social-insurance-certificate-print"]
    assert sum(i["flow"] == "query" for i in ranked[:8]) >= 3  # the most used lookups come early


def test_printed_results_need_a_printer(items):
    for item in items:
        if "kiosk_print" in item["delivery"] or item["flow"] == "print":
            assert "printer" in item["hardware"], item["id"]


def test_paper_materials_submitted_at_the_kiosk_are_photographed(items):
    for item in items:
        if item["flow"] not in ("apply", "bundle") or item["visits"] > 0:
            continue
        paper = [m["name"] for m in item["materials"] if m["form"] != "electronic" and not m["elicence"]]
        if paper:
            assert "camera" in item["hardware"], (item["id"], paper)


def test_self_service_flows_need_no_visit(items):
    for item in items:
        if item["flow"] in ("query", "print", "certify", "pay", "progress"):
            assert item["visits"] == 0, item["id"]


def test_certify_items_type_nothing(items):
    for item in (it for it in items if it["flow"] == "certify"):
        assert item["form_fields"] == [], item["id"]
        assert item["certify"]["liveness"] is True, item["id"]


def test_offline_queue_only_where_a_submission_can_wait(items):
    for item in items:
        if item["network_policy"] == "offline_queue":
            assert item["flow"] in ("apply", "bundle"), item["id"]


def test_document_and_certification_kinds_are_unique(items):
    kinds = [it["document"]["kind"] for it in items if "document" in it]
    assert len(kinds) == len(set(kinds))
    kinds = [it["certify"]["kind"] for it in items if "certify" in it]
    assert len(kinds) == len(set(kinds))


def test_form_fields_carry_types_and_valid_rules(items):
    for item in items:
        names = [field["name"] for field in item["form_fields"]]
        assert len(names) == len(set(names)), item["id"]
        for field in item["form_fields"]:
            if "pattern" in field:
                re.compile(field["pattern"])
            if "min_length" in field and "max_length" in field:
                assert field["min_length"] <= field["max_length"], (item["id"], field["name"])
            if "min" in field and "max" in field:
                assert field["min"] <= field["max"], (item["id"], field["name"])
            if field["type"] in ("phone", "id_number"):
                assert "pattern" in field, (item["id"], field["name"])
            if field["type"] == "select" and "default" in field:
                assert field["default"] in field["options"], (item["id"], field["name"])
    for item in items:
        if item["flow"] in ("apply", "bundle"):
            assert item["form_fields"], f"{item['id']}: an application needs a form"


def test_bundles_combine_existing_single_items_across_departments(items, by_id):
    bundles = [item for item in items if item["flow"] == "bundle"]
    assert len(bundles) >= 3
    for bundle in bundles:
        members = bundle["bundle_items"]
        assert len(members) >= 2, bundle["id"]
        for member in members:
            assert member in by_id, f"{bundle['id']} lists unknown item {member}"
            assert by_id[member]["flow"] != "bundle", f"{bundle['id']} nests bundle {member}"
        assert len({by_id[m]["department"] for m in members}) >= 2, f"{bundle['id']} is one department's item"
        assert bundle["form_fields"] and bundle["materials"], bundle["id"]


def _covering(bundle: dict, member_id: str, name: str) -> list[dict]:
    """The bundle's materials that stand for one member material: same name, or listed in `covers`."""
    return [m for m in bundle["materials"]
            if m["name"] == name or {"item": member_id, "name": name} in (m.get("covers") or [])]


def test_a_bundle_asks_each_member_material_once(items, by_id):
    """一件事: every material of every member item is covered by exactly one bundle material (by its
    name, or in its `covers` where the member names the same document otherwise), so the resident
    provides it once; a covering material allows no way its member's does not (the platform files
    it under each member's name); one made inside the bundle (`shared_from`) names an earlier member."""
    for bundle in (it for it in items if it["flow"] == "bundle"):
        names = [m["name"] for m in bundle["materials"]]
        assert len(names) == len(set(names)), f"{bundle['id']} lists a material twice"
        members = bundle["bundle_items"]
        used = set()
        for position, member_id in enumerate(members):
            for material in by_id[member_id]["materials"]:
                found = _covering(bundle, member_id, material["name"])
                where = f"{bundle['id']}: {member_id}'s {material['name']}"
                assert len(found) == 1, f"{where} is covered by {[m['name'] for m in found] or 'no bundle material'}"
                (cover,) = found
                used.add(cover["name"])
                if "shared_from" in cover:  # made by an earlier member, not asked
                    assert cover["shared_from"] in members[:position], f"{where}: {cover['shared_from']} is not earlier"
                    continue
                assert not cover["elicence"] or cover.get("elicence_type") == material.get("elicence_type"), where
                assert material["commitment_ok"] or not cover["commitment_ok"], where
                assert material["missing_ok"] or not cover["missing_ok"], where
        for material in bundle["materials"]:
            for entry in material.get("covers") or []:  # nothing stale: each names a member's material
                assert entry["item"] in members, (bundle["id"], material["name"], entry)
                assert entry["name"] != material["name"], (bundle["id"], material["name"], entry)
                assert entry["name"] in {m["name"] for m in by_id[entry["item"]]["materials"]}, (bundle["id"], entry)
        assert used == set(names), f"{bundle['id']} asks for what no member needs: {set(names) - used}"


def test_a_bundle_asks_each_member_field_once(items, by_id):
    """一件事: the bundle's form carries every member's fields, each once (same `name` = same field),
    and every answer the bundle's field accepts is one its member's accepts: the platform gives each
    member its own fields' values by name from the one form. A bundle field that `covers` a member's
    differently named field (新生儿姓名 is 医保's 参保人姓名) answers it, and that field is not asked again."""
    for bundle in (it for it in items if it["flow"] == "bundle"):
        mine = {f["name"]: f for f in bundle["form_fields"]}
        assert len(mine) == len(bundle["form_fields"]), f"{bundle['id']} asks a field twice"
        covering = {(c["item"], c["name"]): f for f in bundle["form_fields"] for c in f.get("covers") or []}
        for (member_id, name), field in covering.items():
            assert member_id in bundle["bundle_items"], f"{bundle['id']}: {field['name']} covers a non-member"
            assert name in {f["name"] for f in by_id[member_id].get("form_fields") or []}, (bundle["id"], name)
            assert name not in mine, f"{bundle['id']}: {name} is covered by {field['name']} and asked too"
        for member_id in bundle["bundle_items"]:
            for theirs in by_id[member_id].get("form_fields") or []:
                where = f"{bundle['id']}: {member_id}'s {theirs['name']}"
                ours = covering.get((member_id, theirs["name"])) or mine.get(theirs["name"])
                assert ours is not None, f"{where} is not in the bundle's form"
                assert ours["type"] == theirs["type"], where
                assert ours["required"] or not theirs["required"], f"{where} is required by the member"
                if theirs["type"] == "select":
                    assert set(ours["options"]) <= set(theirs["options"]), f"{where}: options the member refuses"
                assert ours.get("pattern") == theirs.get("pattern") or "pattern" not in theirs, where
                for low in ("min", "min_length"):
                    assert theirs.get(low) is None or ours.get(low, float("-inf")) >= theirs[low], (where, low)
                for high in ("max", "max_length"):
                    assert theirs.get(high) is None or ours.get(high, float("inf")) <= theirs[high], (where, high)
                if "default" in ours:
                    assert theirs["type"] != "select" or ours["default"] in theirs["options"], where


def test_covers_and_shared_from_belong_to_bundles(by_id):
    validator = jsonschema.Draft202012Validator(schema())
    single = copy.deepcopy(by_id["employee-medical-retirement-verification"])
    single["materials"][0]["covers"] = [{"item": "employee-pension-benefit-claim", "name": "居民身份证"}]
    assert not validator.is_valid(single)
    bundle = by_id["retirement-bundle"]
    shared = next(m for m in bundle["materials"] if "shared_from" in m)
    for mutate in (lambda m: m.pop("note"), lambda m: m.update(missing_ok=True, missing_due_days=5),
                   lambda m: m.update(covers=[{"item": "x", "name": "y", "why": "z"}]), lambda m: m.update(covers=[])):
        bad = copy.deepcopy(bundle)
        mutate(next(m for m in bad["materials"] if m["name"] == shared["name"]))
        assert not validator.is_valid(bad)


def test_what_a_bundle_makes_itself_is_listed_but_not_asked(by_id):
    from kiosk.services import guide, materials

    bundle = by_id["retirement-bundle"]
    shared = [m["name"] for m in bundle["materials"] if "shared_from" in m]
    assert shared == ["基本养老金核定信息"]
    assert not set(shared) & {m["name"] for m in materials.asked(bundle)}  # no page on the materials step
    (line,) = [x for x in dict((s.title, s.lines) for s in guide.sections(bundle))["申请材料"] if x.startswith(shared[0])]
    assert "无需本人提供" in line and "需携带到窗口" not in line and shared[0] not in guide.unavailable_materials(bundle)


def test_elderly_home_screen_has_enough_items(items):
    elderly = [item for item in items if item["elderly_frequent"]]
    assert 10 <= len(elderly) <= len(items) // 2


# --- loader ---------------------------------------------------------------------------------------


def test_catalogue_version_is_stable_and_content_sensitive(items):
    version = catalogue_version(items)
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    assert catalogue_version(load_items()) == version
    changed = copy.deepcopy(items)
    changed[0]["fee"] = changed[0]["fee"] + "。"
    assert catalogue_version(changed) != version


def test_load_items_reads_files_in_sorted_order(tmp_path):
    (tmp_path / "b.json").write_text(json.dumps([{"id": "second"}]), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps([{"id": "first"}, {"id": "also-first"}]), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert [item["id"] for item in load_items(tmp_path)] == ["first", "also-first", "second"]


def test_load_items_rejects_a_file_that_is_not_a_list(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps({"id": "x"}), encoding="utf-8")
    with pytest.raises(ValueError):
        load_items(tmp_path)


def test_departments_spread_over_several_files():
    per_file = defaultdict(set)
    for path in sorted(ITEMS_DIR.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            per_file[path.name].add(item["department"])
    owners = defaultdict(set)
    for name, departments in per_file.items():
        for department in departments:
            owners[department].add(name)
    split = {dept: files for dept, files in owners.items() if len(files) > 1}
    assert not split, f"a department's items are split across files: {split}"
