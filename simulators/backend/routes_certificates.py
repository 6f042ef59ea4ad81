"""Certificates (a printable document with a verification code) and certifications (e.g. 养老待遇资格认证)."""

from __future__ import annotations

import calendar
import secrets
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from simulators.backend import records
from simulators.backend import social_insurance as si
from simulators.backend.context import (
    BackendDep,
    IdempotencyHeader,
    SessionDep,
    check_auth_method,
    iso,
    new_number,
)
from simulators.backend.documents import certificate_content, holder_lines, line
from simulators.backend.errors import ApiError, responses
from simulators.backend.forms import validate_form
from simulators.backend.proxy import ProxyRecord, record, session_proxy
from simulators.backend.routes_records import query_answer

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
    """A print item's certificate; or, for a printable query item, its answer as a verifiable
    查询结果 printout (the records as the table, the form's conditions as lines: the A4 page)."""
    item = b.item(body.item_id, ("print", "query"))
    check_auth_method(item, session)
    agent = session_proxy(session)
    now = b.now()
    if item["flow"] == "query":
        content, document = _query_printout(b, item, session, body.fields)
    else:
        fields = validate_form(item, body.fields)
        content = certificate_content(item, session.persona, fields, now.date())
        document = item.get("document") or {}
    valid_days = document.get("valid_days")
    code = _code()
    out = CertificateOut(
        certificate_no=new_number(b, "ZM"), verification_code=code, item_id=item["id"],
        title=document.get("title") or item["result"]["name"], seal=document.get("seal"), issued_at=iso(now),
        valid_until=(now + timedelta(days=valid_days)).date().isoformat() if valid_days else None,
        lines=content["lines"], table=content["table"],
        qr=f"{str(request.base_url).rstrip('/')}/verify?code={code}", notice=NOTICE, proxy=record(agent))
    b.storage.put("certificate", code, {**out.model_dump(), "persona_id": session.persona.id, "agent": agent})
    return out


def _query_printout(b, item: dict[str, Any], session, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    if not item["query"]["printable"]:
        raise ApiError(422, "not_printable", "这个查询结果不提供打印，请在屏幕上查看。",
                       f"query item {item['id']} is not printable")
    answer = query_answer(b, item["query"]["record_kind"], item, session, fields)
    lines = [*holder_lines(session.persona), line("item_name", "查询事项", item["name"])]
    lines += [line(f"field.{i}", label, value) for i, (label, value) in enumerate(answer.conditions)]
    lines.append(line("record_count", "记录条数", str(len(answer.rows))))
    if not answer.rows:
        lines.append(line("note", "说明", answer.message or ""))
    body = item["implementing_body"]["name"]
    document = {"title": f"{answer.title}查询结果", "seal": f"{body}业务专用章（电子）", "valid_days": None}
    table = {"columns": answer.columns, "rows": answer.rows} if answer.rows else None
    return {"lines": lines, "table": table}, document


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
    valid_until: str = Field(description="the last day of the last month it covers (YYYY-MM-DD)")
    message: str = Field(description="what the resident is told, e.g. 认证成功，有效期至 2027 年 12 月。")
    proxy: ProxyRecord | None = Field(None, description="the 代办 agent who certified for the holder, if any")


def _valid_until(day: date, months: int) -> date:
    """Valid to the end of the month `months` later: certified in 2026-12 for 12 months → 2027-12-31."""
    y, m = si.month_add((day.year, day.month), months)
    return date(y, m, calendar.monthrange(y, m)[1])


def month_text(day: date) -> str:
    return f"{day.year} 年 {day.month} 月"


# Who can be certified for what: the beneficiaries of each certification kind.
BENEFICIARIES = {
    "pension_eligibility": lambda p, today: si.history(p.id).pension is not None,
    "elderly_allowance_eligibility": lambda p, today: p.age(today) >= 80,
    "veteran_benefit_eligibility": lambda p, today: bool(records.veteran_benefits(p, today, 1)),
}
BENEFITS = {"pension_eligibility": "养老保险待遇", "elderly_allowance_eligibility": "高龄津贴",
            "veteran_benefit_eligibility": "优抚金"}


def _not_eligible(item: dict[str, Any], kind: str) -> ApiError:
    body = item["implementing_body"]
    where = f"{body['name']}（{body['address']}），电话 {body['phone']}"
    return ApiError(403, "not_eligible",
                    f"系统显示您目前没有领取{BENEFITS.get(kind, '相关待遇')}，无需认证。如有疑问，请到{where}咨询。",
                    f"persona is not a beneficiary for certification kind {kind}")


def _current(b, persona_id: str, item_id: str) -> dict[str, Any] | None:
    docs = b.storage.find("certification", persona_id=persona_id, item_id=item_id)
    return docs[-1] if docs else None


@router.post("/api/v1/certifications", response_model=CertificationOut,
             responses=responses(401, 403, 404, 409, 422),
             summary="Certify the session holder (identity + face, nothing typed), e.g. 养老待遇资格认证")
def certify(body: CertificationIn, session: SessionDep, b: BackendDep,
            idempotency_key: IdempotencyHeader = None) -> CertificationOut:
    """403 `not_eligible` (the message names where to ask); 409 `already_certified` while a
    certification is still valid and the item does not allow certifying again before it expires."""
    item = b.item(body.item_id, "certify")
    block = item["certify"]
    check_auth_method(item, session, need_face=block.get("liveness", False) or "face" in item["auth_methods"])
    agent = session_proxy(session)
    today = b.now().date()
    eligible = BENEFICIARIES.get(block["kind"], lambda p, d: True)
    if not eligible(session.persona, today):
        raise _not_eligible(item, block["kind"])
    last = _current(b, session.persona.id, item["id"])
    if last is not None and last["valid_until"] >= today.isoformat() and not block.get("recertify_while_valid"):
        until = date.fromisoformat(last["valid_until"])
        raise ApiError(409, "already_certified",
                       f"您已完成认证，有效期至 {month_text(until)}，无需重复认证。",
                       f"certification {last['certification_no']} valid until {until}; item does not allow renewal")
    now = b.now()
    until = _valid_until(today, block["valid_months"])
    out = CertificationOut(
        certification_no=new_number(b, "RZ"), item_id=item["id"], kind=block["kind"], certified_at=iso(now),
        valid_until=until.isoformat(), message=f"认证成功，有效期至 {month_text(until)}。", proxy=record(agent))
    b.storage.put("certification", out.certification_no,
                  {**out.model_dump(), "persona_id": session.persona.id, "agent": agent})
    return out


class CertificationStatus(BaseModel):
    item_id: str
    certified: bool = Field(description="a certification is valid today")
    valid_until: str | None
    last_certified_at: str | None
    certification_no: str | None = None
    can_certify: bool = Field(description="POST /certifications would be accepted now (not yet, expired, or "
                                          "the item allows certifying again while valid)")


@router.get("/api/v1/certifications", response_model=CertificationStatus,
            responses=responses(401, 404, 422), summary="The holder's current certification for an item")
def certification_status(session: SessionDep, b: BackendDep,
                         item_id: str = Query(min_length=1, max_length=64)) -> CertificationStatus:
    item = b.item(item_id, "certify")
    last = _current(b, session.persona.id, item_id)
    renew = bool(item["certify"].get("recertify_while_valid"))
    if last is None:
        return CertificationStatus(item_id=item_id, certified=False, valid_until=None, last_certified_at=None,
                                   can_certify=True)
    certified = last["valid_until"] >= b.now().date().isoformat()
    return CertificationStatus(item_id=item_id, certified=certified, valid_until=last["valid_until"],
                               last_certified_at=last["certified_at"], certification_no=last["certification_no"],
                               can_certify=not certified or renew)
