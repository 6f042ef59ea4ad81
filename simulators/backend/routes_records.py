"""Records for the query flow: GET /api/v1/records/{record_kind} for the session holder.

A 代办 session (POST /identity/proxy) may read the records of `proxy_ok` items only; each such read
is recorded (kind `record_access`: who read what for whom, when)."""

from __future__ import annotations

import uuid
from enum import Enum

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from simulators.backend import records as rec
from simulators.backend.context import BackendDep, OptionalSessionDep, Session, check_auth_method, iso
from simulators.backend.errors import ApiError, responses
from simulators.backend.proxy import ProxyRecord, record, session_proxy
from simulators.personas import Persona

router = APIRouter(prefix="/api/v1", tags=["records"])

RecordKind = Enum("RecordKind", {k: k for k in rec.record_kinds()}, type=str)  # type: ignore[misc]


class RecordsOut(BaseModel):
    record_kind: str
    title: str
    columns: list[str]
    rows: list[list[str]] = Field(description="newest first; one value per column")
    months: int
    as_of: str
    printable: bool
    message: str | None = Field(None, description="shown when there are no rows")
    proxy: ProxyRecord | None = Field(None, description="the 代办 agent reading them for the holder, if any")


def _whose(item: dict | None, session: Session | None, account: str | None) -> Persona:
    if item is not None and not item["auth_methods"] and account:
        found = rec.persona_by_account(account)
        if found is None:
            raise ApiError(404, "account_not_found", "没有查到这个户号，请核对缴费通知单上的户号。",
                           "no household with this account number")
        return found[0]
    if session is None:
        raise ApiError(401, "session_required", "请先刷身份证、社保卡或扫描电子身份证核验身份。",
                       "records need an identified session (or an account for 水电气 items)")
    if item is not None:
        check_auth_method(item, session)
    return session.persona


@router.get("/records/{record_kind}", response_model=RecordsOut, responses=responses(401, 403, 404, 422),
            summary="The session holder's records of one kind")
def get_records(record_kind: RecordKind, session: OptionalSessionDep, b: BackendDep,
                item_id: str | None = Query(None, min_length=1, max_length=64,
                                            description="the query item asking; sets columns and period"),
                months: int | None = Query(None, ge=1, le=600, description="how far back (default: the item's)"),
                account: str | None = Query(None, min_length=1, max_length=32,
                                            description="户号, for items without identity check (水电气)"),
                ) -> RecordsOut:
    kind = record_kind.value
    columns: list[str] | None = None
    item = None
    printable = True
    period = months or 12
    if item_id is not None:
        item = b.item(item_id, "query")
        query = item["query"]
        if query["record_kind"] != kind:
            raise ApiError(422, "wrong_record_kind", "查询内容与事项不符，请返回重新选择。",
                           f"item {item_id} queries {query['record_kind']}, not {kind}")
        columns = query.get("columns")
        printable = query["printable"]
        period = months or query.get("period_months", 12)
    persona = _whose(item, session, account)
    rows = rec.records(kind, persona, b.now().date(), period)
    columns = columns or rec.default_columns(rows)
    agent = session_proxy(session)
    if agent is not None:
        b.storage.put("record_access", uuid.uuid4().hex, {
            "persona_id": persona.id, "record_kind": kind, "item_id": item_id, "agent": agent, "at": iso(b.now())})
    return RecordsOut(
        record_kind=kind, title=rec.TITLES.get(kind, kind), columns=columns,
        rows=[[row.get(c, "—") for c in columns] for row in rows], months=period, as_of=iso(b.now()),
        printable=printable, message=None if rows else "暂无相关记录。如有疑问，请拨打事项咨询电话或到窗口咨询。",
        proxy=record(agent))
