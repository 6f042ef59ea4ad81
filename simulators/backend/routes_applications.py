"""Applications: submit (→ acceptance number), upload materials, progress; e-licences (免证办);
what the platform knows to pre-fill a form (智能预填).

Materials and the acceptance number: a kiosk keeps what the resident captured (photos of paper,
a signed 告知承诺) until it submits; POST /applications then answers with the acceptance number
and `pending_materials`, and the kiosk uploads each one to /applications/{no}/materials. A material
declared `by: commitment` stays pending until its signature (PNG) arrives there: a 告知承诺 is only
a commitment once it is signed.

Progress without a session (GET /applications/lookup): acceptance number + the last 4 characters of
the applicant's ID number, what the acceptance receipt prints (its QR, `progress_qr`, carries both).
Wrong guesses are counted per acceptance number and the lookup locks after LOOKUP_TRIES.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime, timedelta
from typing import Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from simulators.backend import applications as apps
from simulators.backend.context import (
    Backend,
    BackendDep,
    IdempotencyHeader,
    OptionalSessionDep,
    Session,
    SessionDep,
    check_auth_method,
    iso,
    kiosk_id,
    new_number,
)
from simulators.backend.errors import ApiError, responses
from simulators.backend.forms import validate_form
from simulators.backend.proxy import Proxy, check_proxy, session_proxy

router = APIRouter(prefix="/api/v1", tags=["applications"])

UPLOAD_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "application/pdf": b"%PDF-"}
MAX_UPLOAD = 10 * 1024 * 1024
APPLY_FLOWS = ("apply", "bundle")


class MaterialChoice(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    by: Literal["elicence", "upload", "commitment", "missing"]
    licence_id: str | None = Field(None, max_length=64)
    content_b64: str | None = Field(None, max_length=MAX_UPLOAD * 4 // 3 + 4, description=(
        "the material itself, base64 (an upload's photo, a commitment's signature PNG): bound to the "
        "application in the same idempotent request, so a queued application needs no acceptance "
        "number to carry its materials"))
    content_type: Literal["image/jpeg", "image/png", "application/pdf"] | None = None


ASSERTION_MAX_AGE = timedelta(days=7)  # a queued application waits at most this long for the network


class IdentityAssertion(BaseModel):
    """The identity check the kiosk made itself (the chip of an ID card or 社保卡 is trusted offline),
    in the body of a kiosk-signed request: what an application queued while the platform was down
    carries instead of the 15-minute session token. A face match needs the platform, so items
    that require `face` refuse an assertion."""

    method: Literal["idcard", "sscard"]
    id_number: str = Field(pattern=r"^\d{17}[\dX]$")
    checked_at: str = Field(description="ISO 8601 with offset: when the card was read")


class ApplicationIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    form: dict[str, Any] = Field(default_factory=dict)
    materials: list[MaterialChoice] = Field(default_factory=list, max_length=50)
    proxy: Proxy | None = None
    local_ref: str | None = Field(None, pattern=r"^ZC[A-Z0-9]{6,20}$", description=(
        "the kiosk's own reference of a queued application (printed on its 已暂存 receipt): GET "
        "/applications/lookup finds the application by it, as by the acceptance number"))
    identity: IdentityAssertion | None = Field(None, description=(
        "instead of X-Session-Token: the kiosk's own identity check (offline_queue items only; the "
        "request must carry the kiosk signature)"))


class MissingDue(BaseModel):
    name: str
    due_date: str = Field(description="YYYY-MM-DD: missing_due_days working days after acceptance")


class Step(BaseModel):
    name: str
    state: Literal["done", "current", "todo"]
    at: str | None


class MemberOut(BaseModel):
    acceptance_no: str
    item_id: str
    item_name: str
    status: str
    promised_date: str
    pending_materials: list[str]
    missing_later: list[str]


class ApplicationOut(BaseModel):
    acceptance_no: str
    item_id: str
    item_name: str
    status: Literal["材料待上传", "已受理", "审核中", "已办结", "不予受理"]
    accepted_at: str
    finished_at: str | None
    promised_date: str
    pending_materials: list[str] = Field(description="still to upload before the file is complete")
    missing_later: list[str] = Field(description="容缺: to be supplied later at the window")
    missing_due: list[MissingDue] = Field(default_factory=list,
                                          description="容缺: each material's deadline (missing_due_days)")
    steps: list[Step]
    note: str | None
    progress_qr: str = Field(description="what the acceptance receipt's QR carries: the acceptance number and the "
                                         "last 4 characters of the ID number, for GET /applications/lookup")
    local_ref: str | None = None
    members: list[MemberOut] = Field(default_factory=list, description=(
        "一件事 (bundle items): one application per member item, each with its own acceptance number"))


LOOKUP_TRIES = 5  # wrong ID endings per acceptance number before its anonymous lookup locks


def progress_qr(request: Request, doc: dict[str, Any]) -> str:
    base = str(request.base_url).rstrip("/")
    return f"{base}/progress?acceptance_no={doc['acceptance_no']}&id_last4={_id_last4(doc)}"


def _id_last4(doc: dict[str, Any]) -> str:
    from simulators.personas import get_persona

    return get_persona(doc["persona_id"]).id_number[-4:]


def _out(doc: dict[str, Any], request: Request) -> ApplicationOut:
    b: Backend = request.app.state.backend
    return ApplicationOut(steps=[Step(**s) for s in apps.progress_steps(doc["status"], doc["accepted_at"],
                                                                          doc.get("finished_at"))],
                          progress_qr=progress_qr(request, doc),
                          missing_due=[MissingDue(**d) for d in doc.get("missing_due") or []],
                          members=[_member(b, n) for n in doc.get("members") or []],
                          **{k: doc.get(k) for k in ApplicationOut.model_fields
                             if k not in ("steps", "progress_qr", "missing_due", "members")})


def _member(b: Backend, number: str) -> MemberOut:
    doc = b.storage.get("application", number) or {}
    return MemberOut(**{k: doc.get(k) for k in MemberOut.model_fields})


@router.post("/applications", response_model=ApplicationOut, responses=responses(401, 403, 404, 409, 413, 422),
             summary="Submit an application (申办) → acceptance number; a bundle (一件事) → one per member")
def submit_application(body: ApplicationIn, session: OptionalSessionDep, b: BackendDep, request: Request,
                       idempotency_key: IdempotencyHeader = None) -> ApplicationOut:
    item = b.item(body.item_id, APPLY_FLOWS)
    if session is None:
        session = _asserted(b, item, body.identity, request)
    check_auth_method(item, session)
    check_proxy(item, body.proxy)
    agent = body.proxy.model_dump() if body.proxy else session_proxy(session)  # the body's, else the session's
    form = validate_form(item, body.form)
    declared = [m.model_dump(exclude={"content_b64", "content_type"}) for m in body.materials]
    contents = {m.name: _content(m) for m in body.materials if m.content_b64 is not None}
    if item["flow"] != "bundle":
        doc = _file(b, item, session, form, declared, contents, agent)
        if body.local_ref:
            doc["local_ref"] = body.local_ref
            b.storage.put("application", doc["acceptance_no"], doc)
        return _out(doc, request)
    return _file_bundle(b, item, session, form, declared, contents, agent, body.local_ref, request)


def _file_bundle(b: Backend, item: dict[str, Any], session: Session, form: dict[str, Any],
                 declared: list[dict[str, Any]], contents: dict[str, tuple[str, bytes]], agent: Any,
                 local_ref: str | None, request: Request) -> ApplicationOut:
    """一件事: one application per member item, each with its own fields' values from the bundle's
    form (by name; a member's required field missing → 422 form_invalid, nothing filed) and, under its own names,
    the bundle materials that stand for its materials (`covers`); what an earlier member makes
    (`shared_from`) is shared, not pending. The bundle record names each material once, by the
    bundle's name."""
    unknown = sorted({d["name"] for d in declared} - {m["name"] for m in item["materials"]})
    if unknown:
        raise ApiError(422, "material_unknown", "提交的材料与事项不符，请返回重新选择。",
                       f"item {item['id']} has no material(s) {unknown}")
    by_name = {d["name"]: d for d in declared}
    as_bundle: dict[tuple[str, str], str] = {}  # (member id, member's name) → the bundle's name
    members = [b.item(member_id, "apply") for member_id in item["bundle_items"]]
    forms = [apps.member_form(item, member, form) for member in members]  # all checked before any is filed
    numbers = []
    for member, member_form in zip(members, forms, strict=True):
        mine: list[dict[str, Any]] = []
        files: dict[str, tuple[str, bytes]] = {}
        for name, source in apps.member_sources(item, member).items():
            as_bundle[(member["id"], name)] = source["name"]
            if source.get("shared_from"):
                mine.append({"name": name, "by": "shared", "from_item": source["shared_from"]})
            elif source["name"] in by_name:
                mine.append({**by_name[source["name"]], "name": name})
                if source["name"] in contents:
                    files[name] = contents[source["name"]]
        numbers.append(_file(b, member, session, member_form, mine, files, agent)["acceptance_no"])
    docs = [b.storage.get("application", n) for n in numbers]

    def named(d: dict[str, Any], names: list[str]) -> set[str]:
        return {as_bundle.get((d["item_id"], n), n) for n in names}

    due: dict[str, str] = {}  # the earliest deadline of the members a 容缺 material is filed under
    for d in docs:
        for x in d["missing_due"]:
            name = as_bundle.get((d["item_id"], x["name"]), x["name"])
            due[name] = min(due.get(name, x["due_date"]), x["due_date"])
    now = b.now()
    doc = {"acceptance_no": new_number(b, "YJ"), "item_id": item["id"], "item_name": item["name"],
           "persona_id": session.persona.id, "accepted_at": iso(now), "finished_at": None,
           "status": "材料待上传" if any(d["pending_materials"] for d in docs) else "已受理",
           "promised_date": max(d["promised_date"] for d in docs),
           "pending_materials": sorted(set().union(*(named(d, d["pending_materials"]) for d in docs))),
           "missing_later": sorted(set().union(*(named(d, d["missing_later"]) for d in docs))),
           "missing_due": [{"name": n, "due_date": v} for n, v in due.items()],
           "note": "一件事一次办：各事项分别受理，编号见下。", "members": numbers, "form": form,
           "proxy": agent, "kiosk_id": session.kiosk_id, "uploads": [], "local_ref": local_ref}
    b.storage.put("application", doc["acceptance_no"], doc)
    return _out(doc, request)


def _asserted(b: Backend, item: dict[str, Any], identity: IdentityAssertion | None, request: Request) -> Session:
    """A Session built from the kiosk's own identity check (an application queued offline)."""
    from simulators.personas import by_id_number

    if identity is None:
        raise ApiError(401, "session_required", "请先刷身份证、社保卡或扫描电子身份证核验身份。",
                       "missing, unknown, ended or expired X-Session-Token, and no identity assertion")
    if kiosk_id(request) == "unsigned":
        raise ApiError(401, "signature_missing", "终端签名缺失，请联系工作人员。",
                       "an identity assertion is accepted only in a kiosk-signed request")
    if item.get("network_policy") != "offline_queue":
        raise ApiError(403, "assertion_not_allowed", "这个事项需要联网核验身份后办理。",
                       f"item {item['id']} is network_policy {item.get('network_policy')!r}, not offline_queue")
    try:
        checked = datetime.fromisoformat(identity.checked_at)
    except ValueError:
        raise ApiError(422, "assertion_invalid", "身份核验记录无效，请重新刷证办理。",
                       f"identity.checked_at {identity.checked_at!r} is not ISO 8601") from None
    if checked.tzinfo is None or not timedelta(minutes=-5) <= b.now() - checked <= ASSERTION_MAX_AGE:
        raise ApiError(422, "assertion_stale", "身份核验记录已过期，请重新刷证办理。",
                       f"identity.checked_at {identity.checked_at} is not within {ASSERTION_MAX_AGE} before now")
    persona = by_id_number(identity.id_number)
    if persona is None:
        raise ApiError(404, "person_not_found", "没有查到该身份信息，请到窗口办理。", "no person with that ID number")
    return Session("", persona, [identity.method], kiosk_id(request), 0.0, {})


def _content(m: MaterialChoice) -> tuple[str, bytes]:
    try:
        data = base64.b64decode(m.content_b64 or "", validate=True)
    except binascii.Error:
        raise ApiError(422, "upload_unreadable", "文件内容无法识别，请重新扫描。",
                       f"material {m.name!r}: content_b64 is not base64") from None
    if len(data) > MAX_UPLOAD:
        raise ApiError(413, "upload_too_large", "文件太大，请降低扫描分辨率后重试。",
                       f"material {m.name!r} is {len(data)} bytes, limit {MAX_UPLOAD}")
    kind = m.content_type or ""
    if kind not in UPLOAD_TYPES or not data.startswith(UPLOAD_TYPES[kind]):
        raise ApiError(400, "upload_unreadable", "文件内容无法识别，请重新扫描。",
                       f"material {m.name!r}: content does not start with the {kind or 'missing'} signature")
    return kind, data


def _file(b: Backend, item: dict[str, Any], session: Session, form: dict[str, Any], declared: list[dict[str, Any]],
          contents: dict[str, tuple[str, bytes]], agent: Any) -> dict[str, Any]:
    """One application stored (with the materials that came inline), answered by its doc."""
    plan = apps.plan_materials(item, session.persona, declared)
    now = b.now()
    specs = {m["name"]: m for m in item["materials"]}
    pending = plan["upload"] + plan["commitment"]  # a commitment waits for its signature (PNG)
    due = [{"name": n, "due_date": apps.add_working_days(now.date(), specs[n].get("missing_due_days", 20)).isoformat()}
           for n in plan["missing"]]
    doc = {
        "acceptance_no": new_number(b, "YS"), "item_id": item["id"], "item_name": item["name"],
        "persona_id": session.persona.id, "status": "材料待上传" if pending else "已受理",
        "accepted_at": iso(now), "finished_at": None,
        "promised_date": apps.add_working_days(now.date(), item["promised_limit_days"]).isoformat(),
        "pending_materials": pending, "missing_later": plan["missing"], "missing_due": due,
        "note": "容缺受理：请在承诺期限内到窗口补齐材料。" if plan["missing"] else None,
        "form": form, "materials": plan, "proxy": agent,
        "kiosk_id": session.kiosk_id, "uploads": [],
    }
    for name, (_kind, data) in contents.items():
        material_id = f"M-{doc['acceptance_no']}-{len(doc['uploads']) + 1:02d}"
        b.storage.put_blob(material_id, data)
        doc["uploads"].append({"material_id": material_id, "name": name, "sha256": hashlib.sha256(data).hexdigest()})
        doc["pending_materials"] = [m for m in doc["pending_materials"] if m != name]
    if doc["status"] == "材料待上传" and not doc["pending_materials"]:
        doc["status"] = "已受理"
    if item["promised_limit_days"] == 0 and not doc["pending_materials"]:
        doc.update(status="已办结", finished_at=iso(now))
    b.storage.put("application", doc["acceptance_no"], doc)
    return doc


class PrefillValue(BaseModel):
    key: Literal["name", "id_number", "phone", "address"]
    value: str
    source: str = Field(description="where the platform has it from, shown to the resident (e.g. 户籍登记)")


class Prefill(BaseModel):
    values: list[PrefillValue]


@router.get("/applications/prefill", response_model=Prefill, responses=responses(401, 422),
            summary="What the platform knows of the session holder, to pre-fill an application form")
def prefill(session: SessionDep) -> Prefill:
    """Name, ID number, registered mobile number and household address of the session holder, for
    the kiosk to show for checking (never to store). The kiosk maps them onto the item's fields."""
    p = session.persona
    values = [PrefillValue(key="name", value=p.name, source="身份证件"),
              PrefillValue(key="id_number", value=p.id_number, source="身份证件")]
    if p.phone:
        values.append(PrefillValue(key="phone", value=p.phone, source="实名登记手机号"))
    if p.address:
        values.append(PrefillValue(key="address", value=p.address, source="户籍登记地址"))
    return Prefill(values=values)


def _find(b: BackendDep, session: Session, number: str) -> dict[str, Any]:
    doc = b.storage.get("application", number)
    if doc is None:
        doc = next((d for d in apps.seeded(session.persona, b.by_id) if d["acceptance_no"] == number), None)
    if doc is None or doc["persona_id"] != session.persona.id:
        raise ApiError(404, "application_not_found", "没有查到这个受理编号的办件，请核对回执上的编号。",
                       f"no application {number!r} for this person")
    return doc


AcceptanceNo = Path(min_length=1, max_length=32, pattern=r"^[A-Z0-9]+$")


@router.get("/applications", response_model=list[ApplicationOut], responses=responses(401, 422),
            summary="The session holder's applications, newest first (progress by ID number)")
def list_applications(session: SessionDep, b: BackendDep, request: Request) -> list[ApplicationOut]:
    docs = apps.seeded(session.persona, b.by_id) + b.storage.find("application", persona_id=session.persona.id)
    return [_out(d, request) for d in sorted(docs, key=lambda d: d["accepted_at"], reverse=True)]


def _any_application(b: Backend, number: str) -> dict[str, Any] | None:
    """A stored application, or one the personas made earlier (seeded), by acceptance number."""
    from simulators.personas import load_personas

    doc = b.storage.get("application", number)
    if doc is not None:
        return doc
    if number.startswith("ZC"):  # a queued application's local reference
        return next(iter(b.storage.find("application", local_ref=number)), None)
    return next((d for p in load_personas().values() for d in apps.seeded(p, b.by_id)
                 if d["acceptance_no"] == number), None)


@router.get("/applications/lookup", response_model=ApplicationOut, responses=responses(404, 422, 429),
            summary="Progress of one application without a session: acceptance number (or a queued one's "
                    "local reference) + last 4 of the ID number")
def lookup_application(b: BackendDep, request: Request,
                       acceptance_no: str = Query(min_length=1, max_length=32, pattern=r"^[A-Z0-9]+$"),
                       id_last4: str = Query(min_length=4, max_length=4, pattern=r"^[0-9X]{4}$",
                                             description="the last 4 characters of the applicant's ID number")
                       ) -> ApplicationOut:
    doc = _any_application(b, acceptance_no)
    not_found = ApiError(404, "application_not_found", "没有查到这个办件，请核对受理编号和身份证号码后四位。",
                         f"no application {acceptance_no!r} with this ID ending")
    if doc is None:
        raise not_found
    tries = b.storage.get("lookup_failure", f"application/{acceptance_no}") or {"failures": 0}
    if tries["failures"] >= LOOKUP_TRIES:
        raise ApiError(429, "lookup_locked", "这个受理编号的查询次数过多，已暂停自助查询，请带身份证到服务窗口查询。",
                       f"application {acceptance_no}: {LOOKUP_TRIES} wrong ID endings")
    if _id_last4(doc) != id_last4:
        b.storage.put("lookup_failure", f"application/{acceptance_no}", {"failures": tries["failures"] + 1})
        raise not_found
    return _out(doc, request)


@router.get("/applications/{acceptance_no}", response_model=ApplicationOut, responses=responses(401, 404, 422),
            summary="Progress of one application by acceptance number")
def get_application(session: SessionDep, b: BackendDep, request: Request,
                    acceptance_no: str = AcceptanceNo) -> ApplicationOut:
    return _out(_find(b, session, acceptance_no), request)


class MaterialOut(BaseModel):
    material_id: str
    name: str
    content_type: str
    size: int
    sha256: str
    pending_materials: list[str]
    status: str


@router.post(
    "/applications/{acceptance_no}/materials", response_model=MaterialOut,
    responses=responses(400, 401, 404, 409, 413, 415, 422),
    summary="Upload one material (JPEG, PNG or PDF, raw body) to an application",
    description="A photo of the paper (JPEG), a 告知承诺 signature (PNG) or a PDF, under the material's name.",
    openapi_extra={"requestBody": {"required": True, "content": {
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "image/png": {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload_material(request: Request, session: SessionDep, b: BackendDep,
                          acceptance_no: str = AcceptanceNo,
                          name: str = Query(min_length=1, max_length=100, description="the material's name"),
                          idempotency_key: IdempotencyHeader = None) -> MaterialOut:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in UPLOAD_TYPES:
        raise ApiError(415, "unsupported_media_type", "只能上传照片（JPEG、PNG）或PDF文件，请重新扫描。",
                       f"Content-Type must be image/jpeg, image/png or application/pdf, got {content_type or 'none'}")
    doc = _find(b, session, acceptance_no)
    item = b.item(doc["item_id"])
    if name not in {m["name"] for m in item["materials"]}:
        raise ApiError(422, "material_unknown", "这份材料不属于该事项，请返回重新选择。",
                       f"item {item['id']} has no material {name!r}")
    if doc["status"] in ("已办结", "不予受理"):
        raise ApiError(409, "application_closed", "这个办件已经办结，不需要再上传材料。",
                       f"application {acceptance_no} is {doc['status']}")
    data = await request.body()
    if len(data) > MAX_UPLOAD:
        raise ApiError(413, "upload_too_large", "文件太大，请降低扫描分辨率后重试。",
                       f"upload is {len(data)} bytes, limit {MAX_UPLOAD}")
    if not data.startswith(UPLOAD_TYPES[content_type]):
        raise ApiError(400, "upload_unreadable", "文件内容无法识别，请重新扫描。",
                       f"body does not start with the {content_type} signature")
    digest = hashlib.sha256(data).hexdigest()
    material_id = f"M-{acceptance_no}-{len(doc.get('uploads', [])) + 1:02d}"
    b.storage.put_blob(material_id, data)
    doc.setdefault("uploads", []).append({"material_id": material_id, "name": name, "sha256": digest})
    doc["pending_materials"] = [m for m in doc["pending_materials"] if m != name]
    if doc["status"] == "材料待上传" and not doc["pending_materials"]:
        doc["status"] = "已受理"
    b.storage.put("application", acceptance_no, doc)
    return MaterialOut(material_id=material_id, name=name, content_type=content_type, size=len(data),
                       sha256=digest, pending_materials=doc["pending_materials"], status=doc["status"])


class Elicence(BaseModel):
    licence_id: str
    type: str
    holder: str
    issuer: str
    trust_level: Literal["A", "B", "C", "D"]
    issued_at: str
    valid_to: str
    number_masked: str
    usable_without_original: bool


def _elicence(e: dict[str, Any]) -> Elicence:
    return Elicence(usable_without_original=e["trust_level"] in apps.USABLE_LEVELS, **e)


@router.get("/elicences", response_model=list[Elicence], responses=responses(401, 422),
            summary="The session holder's e-licences (免证办), trust levels A–D")
def list_elicences(session: SessionDep) -> list[Elicence]:
    return [_elicence(e) for e in apps.elicences(session.persona)]


@router.get("/elicences/{licence_id}", response_model=Elicence, responses=responses(401, 404, 422),
            summary="One e-licence of the session holder")
def get_elicence(session: SessionDep, licence_id: str = Path(min_length=1, max_length=64)) -> Elicence:
    for e in apps.elicences(session.persona):
        if e["licence_id"] == licence_id:
            return _elicence(e)
    raise ApiError(404, "elicence_not_found", "没有找到这份电子证照，请返回重新选择。",
                   f"no e-licence {licence_id!r} for this person")
