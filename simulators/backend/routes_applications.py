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

import hashlib
from typing import Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from simulators.backend import applications as apps
from simulators.backend.context import (
    Backend,
    BackendDep,
    IdempotencyHeader,
    Session,
    SessionDep,
    check_auth_method,
    iso,
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


class ApplicationIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    form: dict[str, Any] = Field(default_factory=dict)
    materials: list[MaterialChoice] = Field(default_factory=list, max_length=50)
    proxy: Proxy | None = None


class MissingDue(BaseModel):
    name: str
    due_date: str = Field(description="YYYY-MM-DD: missing_due_days working days after acceptance")


class Step(BaseModel):
    name: str
    state: Literal["done", "current", "todo"]
    at: str | None


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


LOOKUP_TRIES = 5  # wrong ID endings per acceptance number before its anonymous lookup locks


def progress_qr(request: Request, doc: dict[str, Any]) -> str:
    base = str(request.base_url).rstrip("/")
    return f"{base}/progress?acceptance_no={doc['acceptance_no']}&id_last4={_id_last4(doc)}"


def _id_last4(doc: dict[str, Any]) -> str:
    from simulators.personas import get_persona

    return get_persona(doc["persona_id"]).id_number[-4:]


def _out(doc: dict[str, Any], request: Request) -> ApplicationOut:
    return ApplicationOut(steps=[Step(**s) for s in apps.progress_steps(doc["status"], doc["accepted_at"],
                                                                          doc.get("finished_at"))],
                          progress_qr=progress_qr(request, doc),
                          missing_due=[MissingDue(**d) for d in doc.get("missing_due") or []],
                          **{k: doc.get(k) for k in ApplicationOut.model_fields
                             if k not in ("steps", "progress_qr", "missing_due")})


@router.post("/applications", response_model=ApplicationOut, responses=responses(401, 403, 404, 409, 422),
             summary="Submit an application (申办) → acceptance number")
def submit_application(body: ApplicationIn, session: SessionDep, b: BackendDep, request: Request,
                       idempotency_key: IdempotencyHeader = None) -> ApplicationOut:
    item = b.item(body.item_id, APPLY_FLOWS)
    check_auth_method(item, session)
    check_proxy(item, body.proxy)
    agent = body.proxy.model_dump() if body.proxy else session_proxy(session)  # the body's, else the session's
    form = validate_form(item, body.form)
    plan = apps.plan_materials(item, session.persona, [m.model_dump() for m in body.materials])
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
    if item["promised_limit_days"] == 0 and not pending:
        doc.update(status="已办结", finished_at=iso(now))
    b.storage.put("application", doc["acceptance_no"], doc)
    return _out(doc, request)


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
    return next((d for p in load_personas().values() for d in apps.seeded(p, b.by_id)
                 if d["acceptance_no"] == number), None)


@router.get("/applications/lookup", response_model=ApplicationOut, responses=responses(404, 422, 429),
            summary="Progress of one application without a session: acceptance number + last 4 of the ID number")
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
