"""Records for the query flow: GET /api/v1/records/{record_kind} for the session holder.

With `item_id`, the item's columns and period apply, and so does every form field it declares
(passed as query parameters by name, checked like any form): a field names whose records (a
student, a child, a 户号) or narrows them (year, dates, 险种, 所得类型, plate); see record_query.py.

A 代办 session (POST /identity/proxy) may read the records of `proxy_ok` items only; each such read
is recorded (kind `record_access`: who read what for whom, when).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from simulators.backend import record_query as rq
from simulators.backend import records as rec
from simulators.backend.context import (
    Backend,
    BackendDep,
    OptionalSessionDep,
    Session,
    check_auth_method,
    iso,
)
from simulators.backend.errors import ApiError, responses
from simulators.backend.forms import validate_form
from simulators.backend.proxy import ProxyRecord, record, session_proxy
from simulators.personas import Persona

router = APIRouter(prefix="/api/v1", tags=["records"])

RecordKind = Enum("RecordKind", {k: k for k in rec.record_kinds()}, type=str)  # type: ignore[misc]
NO_ROWS = "暂无相关记录。如有疑问，请拨打事项咨询电话或到窗口咨询。"


class RecordFields(BaseModel):
    """The form fields of query items, by name (only those the item declares are accepted)."""

    year: int | None = Field(None, ge=1900, le=2100, description="年度: rows of that year")
    date_from: str | None = Field(None, max_length=10, description="YYYY-MM or YYYY-MM-DD: rows from that day")
    date_to: str | None = Field(None, max_length=10, description="YYYY-MM or YYYY-MM-DD: rows up to that day")
    insurance_type: str | None = Field(None, max_length=20, description="险种 as the item's options name it")
    income_type: str | None = Field(None, max_length=20, description="所得类型 as the item's options name it (全部: all)")
    plate: str | None = Field(None, max_length=12, description="号牌号码: that vehicle's rows only")
    student_id_number: str | None = Field(None, max_length=18, description="the student whose records (学生资助)")
    child_name: str | None = Field(None, max_length=20, description="the child whose records (预防接种), with child_birth_date")
    child_birth_date: str | None = Field(None, max_length=10, description="YYYY-MM-DD")
    account_no: str | None = Field(None, max_length=32, description="户号, for items without identity check (水电气)")

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None and v != ""}


class Condition(BaseModel):
    label: str
    value: str


class RecordsOut(BaseModel):
    record_kind: str
    title: str
    columns: list[str]
    rows: list[list[str]] = Field(description="newest first; one value per column")
    months: int
    as_of: str
    printable: bool
    conditions: list[Condition] = Field(default_factory=list,
                                        description="the item's form fields that narrowed the answer, in order")
    message: str | None = Field(None, description="shown when there are no rows")
    proxy: ProxyRecord | None = Field(None, description="the 代办 agent reading them for the holder, if any")


def _holder(item: dict | None, session: Session | None) -> Persona | None:
    if item is not None and not item["auth_methods"]:
        return None  # 水电气: the 户号 names the household, nobody is identified
    if session is None:
        raise ApiError(401, "session_required", "请先刷身份证、社保卡或扫描电子身份证核验身份。",
                       "records need an identified session (or an account_no for 水电气 items)")
    if item is not None:
        check_auth_method(item, session)
    return session.persona


@dataclass(frozen=True)
class Answer:
    """What the platform finds for one query item (or a bare record kind)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    months: int
    printable: bool
    conditions: list[tuple[str, str]]
    message: str | None
    persona_id: str | None  # whose records they are (None: nobody found)


def query_answer(b: Backend, kind: str, item: dict[str, Any] | None, session: Session | None,
                 given: dict[str, Any], months: int | None = None) -> Answer:
    """The records of `kind` as `item` asks for them, its form fields applied (also used by
    POST /certificates for a printable query item's A4 printout)."""
    if item is None:
        if given:
            raise ApiError(422, "form_invalid", "查询条件与事项不符，请返回重新选择。",
                           f"form fields {sorted(given)} need the item_id that declares them")
        columns, printable, fields, period = None, True, {}, months or 12
    else:
        query = item["query"]
        if query["record_kind"] != kind:
            raise ApiError(422, "wrong_record_kind", "查询内容与事项不符，请返回重新选择。",
                           f"item {item['id']} queries {query['record_kind']}, not {kind}")
        fields = validate_form(item, given)
        columns, printable = query.get("columns"), query["printable"]
        period = months or query.get("period_months", 12)
    holder = _holder(item, session)
    whose = rq.subject(fields, holder)
    persona = whose.persona if whose is not None else holder
    today = b.now().date()
    rows = [] if persona is None else rq.narrow(
        kind, rec.records(kind, persona, today, rq.months_needed(fields, today, period)), fields)
    columns = columns or rec.default_columns(rows)
    narrowed = rq.conditions(item, fields) if item is not None else []
    message = None
    if not rows:
        if whose is not None and whose.message:
            message = whose.message
        elif narrowed:
            shown = "，".join(f"{label}：{value}" for label, value in narrowed)
            message = f"按您选择的条件（{shown}）未查询到记录。如有疑问，请拨打事项咨询电话或到窗口咨询。"
        else:
            message = NO_ROWS
    return Answer(rec.TITLES.get(kind, kind), list(columns), [[row.get(c, "—") for c in columns] for row in rows],
                  period, printable, narrowed, message, persona.id if persona is not None else None)


@router.get("/records/{record_kind}", response_model=RecordsOut, responses=responses(401, 403, 404, 422),
            summary="The session holder's records of one kind, narrowed by the query item's form fields")
def get_records(record_kind: RecordKind, session: OptionalSessionDep, b: BackendDep,
                form: Annotated[RecordFields, Query()],
                item_id: str | None = Query(None, min_length=1, max_length=64,
                                            description="the query item asking; sets columns, period and fields"),
                months: int | None = Query(None, ge=1, le=600, description="how far back (default: the item's)"),
                ) -> RecordsOut:
    kind = record_kind.value
    item = b.item(item_id, "query") if item_id is not None else None
    a = query_answer(b, kind, item, session, form.given(), months)
    agent = session_proxy(session)
    if agent is not None and a.persona_id is not None:
        b.storage.put("record_access", uuid.uuid4().hex, {
            "persona_id": a.persona_id, "record_kind": kind, "item_id": item_id, "agent": agent, "at": iso(b.now())})
    return RecordsOut(record_kind=kind, title=a.title, columns=a.columns, rows=a.rows, months=a.months,
                      as_of=iso(b.now()), printable=a.printable,
                      conditions=[Condition(label=lb, value=v) for lb, v in a.conditions], message=a.message,
                      proxy=record(agent))
