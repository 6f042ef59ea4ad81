"""What a query item's form fields do to its records: every field changes the answer.

A field either names *whose* records are asked for (a student's ID number, a child's name and birth
date, a 水电气 户号) or *narrows* the holder's records (a year, a date range, an insurance type, an
income type, a plate). `FIELDS` lists every field name a query item may declare; a catalogue item
with a field that is not in it is a test failure (tests/backend/test_record_query.py), so a field is
never asked of a resident and then ignored.

Dates and years filter on each record kind's period column (`PERIOD_COLUMNS`): "2024-03",
"2024年度", "2024" or "2024-03-18 09:12" all start with the year, and the ISO dates compare as text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from simulators.backend import records as rec
from simulators.backend.errors import ApiError
from simulators.personas import Persona, load_personas

Row = rec.Row

# The column that dates each row, per record kind (what `year` and `date_from`/`date_to` look at).
PERIOD_COLUMNS: dict[str, str] = {
    "social_insurance_payments": "费款所属期", "pension_payments": "发放年月", "unemployment_benefits": "发放年月",
    "medical_insurance_payments": "缴费年度", "medical_claims": "结算日期", "tax_payments": "所属期",
    "tax_refund": "汇算年度", "exit_entry_records": "出入境日期", "traffic_violations": "违法时间",
    "subsidy_payments": "发放年月", "low_income_status": "发放年月", "health_checkup": "体检日期",
    "vaccination": "接种日期", "agricultural_subsidies": "发放年度", "student_aid": "学年",
    "utility_bills": "账期", "electricity_usage": "账期", "gas_bills": "账期", "veteran_benefits": "发放年月",
}

# 险种 as the resident picks it → the schemes the platform files it under.
INSURANCE_SCHEMES: dict[str, tuple[str, ...]] = {
    "职工养老保险": ("企业职工基本养老保险",), "城乡居民养老保险": ("城乡居民基本养老保险",),
    "失业保险": ("失业保险",), "工伤保险": ("工伤保险",),
}
ALL = "全部"


@dataclass(frozen=True)
class Subject:
    """Whose records: the persona, or None with the platform's reason (no such student, …)."""

    persona: Persona | None
    message: str = ""


def _months_since(start: date, today: date) -> int:
    return (today.year - start.year) * 12 + today.month - start.month + 1


def _start_of(value: str) -> date:
    return date.fromisoformat(value if len(value) == 10 else value + "-01")


def _find(match: Callable[[Persona], bool]) -> Persona | None:
    return next((p for p in load_personas().values() if match(p)), None)


# ---- whose records ---------------------------------------------------------------------------

def subject(fields: Mapping[str, Any], holder: Persona | None) -> Subject | None:
    """The persona a field names, or None when no field names anyone (the holder's own records)."""
    if "student_id_number" in fields:
        number = str(fields["student_id_number"]).upper()
        student = _find(lambda p: p.id_number == number)
        if student is None:
            return Subject(None, "未查询到该身份证号码对应学生的资助记录，请核对学生身份证号码；如有疑问，请咨询学校或教育部门。")
        return Subject(student)
    if "child_name" in fields or "child_birth_date" in fields:
        name, born = str(fields.get("child_name", "")), str(fields.get("child_birth_date", ""))
        child = _find(lambda p: p.name == name and p.birth_date == born and p.age() < 18)
        if child is None:
            return Subject(None, "未查询到该儿童的预防接种档案，请核对儿童姓名和出生日期；如有疑问，请咨询接种门诊。")
        return Subject(child)
    if "account_no" in fields:
        found = rec.persona_by_account(str(fields["account_no"]))
        if found is None:
            raise ApiError(404, "account_not_found", "没有查到这个户号，请核对缴费通知单上的户号。",
                           "no household with this account number")
        return Subject(found[0])
    return None


# ---- narrowing the rows --------------------------------------------------------------------------

def _period(kind: str, row: Row) -> str:
    return row.get(PERIOD_COLUMNS.get(kind, ""), "")


def _by_year(kind: str, rows: list[Row], year: Any) -> list[Row]:
    return [r for r in rows if _period(kind, r).startswith(str(year))]


def _by_dates(kind: str, rows: list[Row], fields: Mapping[str, Any]) -> list[Row]:
    lo = str(fields.get("date_from") or "0000-01-01")
    hi = str(fields.get("date_to") or "9999-12-31")
    lo = lo if len(lo) == 10 else lo + "-01"
    hi = hi if len(hi) == 10 else hi + "-31"
    if lo > hi:
        raise ApiError(422, "form_invalid", "“开始日期”不能晚于“结束日期”，请修改后重新提交。",
                       "date_from is after date_to")
    return [r for r in rows if lo <= _period(kind, r)[:10] <= hi]


def _by_insurance(rows: list[Row], chosen: str) -> list[Row]:
    schemes = INSURANCE_SCHEMES.get(chosen, (chosen,))
    return [r for r in rows if r.get("险种", "").startswith(schemes)]


def _by_income(rows: list[Row], chosen: str) -> list[Row]:
    return rows if chosen == ALL else [r for r in rows if r.get("所得项目", "").startswith(chosen)]


def _plate(text: str) -> str:
    return text.replace("·", "").replace(" ", "").upper()


def _by_plate(rows: list[Row], plate: str) -> list[Row]:
    return [r for r in rows if _plate(r.get("号牌号码", "")) == _plate(plate)]


# Every field a query item may declare, and what it does (None: it names whose records, see subject()).
FIELDS: dict[str, Callable[[str, list[Row], Mapping[str, Any]], list[Row]] | None] = {
    "year": lambda kind, rows, f: _by_year(kind, rows, f["year"]),
    "date_from": lambda kind, rows, f: _by_dates(kind, rows, f),
    "date_to": lambda kind, rows, f: _by_dates(kind, rows, f),
    "insurance_type": lambda kind, rows, f: _by_insurance(rows, str(f["insurance_type"])),
    "income_type": lambda kind, rows, f: _by_income(rows, str(f["income_type"])),
    "plate": lambda kind, rows, f: _by_plate(rows, str(f["plate"])),
    "student_id_number": None,
    "child_name": None,
    "child_birth_date": None,
    "account_no": None,
}


def months_needed(fields: Mapping[str, Any], today: date, months: int) -> int:
    """How far back to look so that the chosen year or start date is covered."""
    if "year" in fields:
        return max(months, _months_since(date(int(fields["year"]), 1, 1), today))
    if fields.get("date_from"):
        return max(months, _months_since(_start_of(str(fields["date_from"])), today))
    return months


def narrow(kind: str, rows: list[Row], fields: Mapping[str, Any]) -> list[Row]:
    """Apply each narrowing field once (date_from and date_to together)."""
    applied: set[Callable[..., list[Row]]] = set()
    for name in fields:
        effect = FIELDS.get(name)
        if effect is None:
            continue
        key = _by_dates if name in ("date_from", "date_to") else effect
        if key in applied:
            continue
        applied.add(key)
        rows = effect(kind, rows, fields)
    return rows


def conditions(item: Mapping[str, Any], fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of each field given, in the item's order: what the answer was narrowed by.
    An ID number is masked: the answer is shown on a screen others can see."""
    out = []
    for f in item.get("form_fields", []):
        if f["name"] in fields:
            value = str(fields[f["name"]])
            out.append((f["label"], value[:4] + "*" * (len(value) - 8) + value[-4:] if f["type"] == "id_number" else value))
    return out
