"""Certificates (a printable document with a verification code) and certifications (e.g. 养老待遇资格认证)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from simulators.backend import social_insurance as si
from simulators.backend.context import (
    BackendDep,
    IdempotencyHeader,
    SessionDep,
    check_auth_method,
    iso,
    new_number,
    session_item,
)
from simulators.backend.documents import certificate_content
from simulators.backend.errors import ApiError, responses
from simulators.backend.forms import validate_form
from simulators.backend.proxy import ProxyRecord, record, session_proxy

router = APIRouter(tags=["certificates"])

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by people
NOTICE = "本证明由参考后台模拟生成，仅用于测试。"


class CertificateIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    fields: dict[str, Any] = Field(default_factory=dict)


class Line(BaseModel):
    key: str = Field(description="stable field key: holder_name, holder_id_number, item_name, field.<name>, …")
    label: str
    value: str


class Table(BaseModel):
    columns: list[str]
    rows: list[list[str]]


class CertificateOut(BaseModel):
    certificate_no: str
    verification_code: str
    item_id: str
    title: str
    seal: str | None
    issued_at: str
    valid_until: str | None
    lines: list[Line] = Field(description="lines in print order; the kiosk masks and prints by key, never by label")
    table: Table | None
    qr: str = Field(description="verification URL to print as a QR code")
    notice: str
    proxy: ProxyRecord | None = Field(None, description="the 代办 agent who obtained it for the holder, if any")


def _code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


@router.post("/api/v1/certificates", response_model=CertificateOut,
             responses=responses(401, 403, 404, 409, 422),
             summary="Issue a certificate of a print item for the session holder")
def issue_certificate(body: CertificateIn, session: SessionDep, b: BackendDep, request: Request,
                      idempotency_key: IdempotencyHeader = None) -> CertificateOut:
    item, _ = session_item(b, session, body.item_id, "print")
    agent = session_proxy(session)
    fields = validate_form(item, body.fields)
    now = b.now()
    content = certificate_content(item, session.persona, fields, now.date())
    document = item.get("document") or {}
    valid_days = document.get("valid_days")
    code = _code()
    out = CertificateOut(
        certificate_no=new_number(b, "ZM"), verification_code=code, item_id=item["id"],
        title=document.get("title", item["result"]["name"]), seal=document.get("seal"), issued_at=iso(now),
        valid_until=(now + timedelta(days=valid_days)).date().isoformat() if valid_days else None,
        lines=content["lines"], table=content["table"],
        qr=f"{str(request.base_url).rstrip('/')}/verify?code={code}", notice=NOTICE, proxy=record(agent))
    b.storage.put("certificate", code, {**out.model_dump(), "persona_id": session.persona.id, "agent": agent})
    return out


class VerifyOut(BaseModel):
    valid: bool
    certificate_no: str | None = None
    title: str | None = None
    issued_at: str | None = None
    valid_until: str | None = None
    holder: str | None = Field(None, description="the holder's name with all but the first character masked")


@router.get("/verify", response_model=VerifyOut, tags=["public"],
            summary="Check a printed certificate's verification code (public, what the QR opens)")
def verify_certificate(b: BackendDep, code: str = Query(min_length=1, max_length=32)) -> VerifyOut:
    doc = b.storage.get("certificate", code.strip().upper())
    if doc is None:
        return VerifyOut(valid=False)
    holder = next((line["value"] for line in doc["lines"] if line["key"] == "holder_name"), "")
    expired = doc["valid_until"] is not None and doc["valid_until"] < b.now().date().isoformat()
    return VerifyOut(valid=not expired, certificate_no=doc["certificate_no"], title=doc["title"],
                     issued_at=doc["issued_at"], valid_until=doc["valid_until"],
                     holder=holder[:1] + "*" * (len(holder) - 1))


class CertificationIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)


class CertificationOut(BaseModel):
    certification_no: str
    item_id: str
    kind: str
    certified_at: str
    valid_until: str
    message: str
    proxy: ProxyRecord | None = Field(None, description="the 代办 agent who certified for the holder, if any")


def _add_months(day, months: int):
    y, m = si.month_add((day.year, day.month), months)
    return day.replace(year=y, month=m, day=min(day.day, 28))


def _eligible(kind: str, persona_id: str) -> bool:
    if kind == "pension_eligibility":
        return si.history(persona_id).pension is not None
    return True


@router.post("/api/v1/certifications", response_model=CertificationOut,
             responses=responses(401, 403, 404, 409, 422),
             summary="Certify the session holder (identity + face, nothing typed), e.g. 养老待遇资格认证")
def certify(body: CertificationIn, session: SessionDep, b: BackendDep,
            idempotency_key: IdempotencyHeader = None) -> CertificationOut:
    item = b.item(body.item_id, "certify")
    block = item["certify"]
    check_auth_method(item, session, need_face=block.get("liveness", False) or "face" in item["auth_methods"])
    agent = session_proxy(session)
    if not _eligible(block["kind"], session.persona.id):
        raise ApiError(403, "not_eligible", "系统显示您目前没有领取相关待遇，无需认证；如有疑问请咨询12333。",
                       f"persona is not a beneficiary for certification kind {block['kind']}")
    now = b.now()
    out = CertificationOut(
        certification_no=new_number(b, "RZ"), item_id=item["id"], kind=block["kind"], certified_at=iso(now),
        valid_until=_add_months(now.date(), block["valid_months"]).isoformat(),
        message=f"认证成功，有效期至 {_add_months(now.date(), block['valid_months']).isoformat()}。",
        proxy=record(agent))
    b.storage.put("certification", out.certification_no,
                  {**out.model_dump(), "persona_id": session.persona.id, "agent": agent})
    return out


class CertificationStatus(BaseModel):
    item_id: str
    certified: bool
    valid_until: str | None
    last_certified_at: str | None


@router.get("/api/v1/certifications", response_model=CertificationStatus,
            responses=responses(401, 404, 422), summary="The holder's current certification for an item")
def certification_status(session: SessionDep, b: BackendDep,
                         item_id: str = Query(min_length=1, max_length=64)) -> CertificationStatus:
    b.item(item_id, "certify")
    docs = b.storage.find("certification", persona_id=session.persona.id, item_id=item_id)
    if not docs:
        return CertificationStatus(item_id=item_id, certified=False, valid_until=None, last_certified_at=None)
    last = docs[-1]
    today = b.now().date().isoformat()
    return CertificationStatus(item_id=item_id, certified=last["valid_until"] >= today,
                               valid_until=last["valid_until"], last_certified_at=last["certified_at"])
