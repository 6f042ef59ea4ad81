"""Content of printable certificates (证明): the lines and table a kiosk prints, per document kind."""

from __future__ import annotations

from datetime import date
from typing import Any

from simulators.backend import social_insurance as si
from simulators.backend.errors import ApiError
from simulators.personas import Persona

CERTIFIED_INSURANCES = ("养老保险", "失业保险", "工伤保险")  # what 人社 certifies; medical is 医保's
INSURANCE_KEYS = {"养老保险": "pension", "医疗保险": "medical", "失业保险": "unemployment", "工伤保险": "injury"}


def id_label(p: Persona) -> str:
    return "公民身份号码" if p.layout == "resident" else "证件号码"


def masked_id(p: Persona) -> str:
    n = p.id_number
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def line(key: str, label: str, value: str) -> dict[str, str]:
    """One certificate line: a stable key (what the kiosk masks and prints by), its label and value."""
    return {"key": key, "label": label, "value": value}


def holder_lines(p: Persona) -> list[dict[str, str]]:
    return [line("holder_name", "姓名", p.name), line("holder_id_number", id_label(p), masked_id(p))]


def _period(fields: dict[str, Any], today: date) -> tuple[si.Month, si.Month]:
    last = si.last_closed_month(today)
    start = si.parse_month(str(fields.get("start_month", "1990-01"))[:7])
    end = si.parse_month(str(fields.get("end_month", si.month_text(last)))[:7])
    if end > (today.year, today.month):
        raise ApiError(422, "form_invalid", "“截止年月”不能晚于当前月份，请修改后重新提交。",
                       "end_month is in the future", field="end_month")
    if start > end:
        raise ApiError(422, "form_invalid", "“起始年月”不能晚于“截止年月”，请修改后重新提交。",
                       "start_month is after end_month", field="start_month")
    return start, min(end, last)


def social_insurance_certificate(p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    chosen = fields.get("insurance_type", "全部险种")
    wanted = CERTIFIED_INSURANCES if chosen == "全部险种" else (chosen,)
    start, end = _period(fields, today)
    enrollments = [e for e in si.history(p.id).enrollments if e.insurance in wanted]
    lines = holder_lines(p)
    if not enrollments:
        lines += [line("insurances", "参保险种", "无"), line("status", "参保状态", "未参保"),
                  line("months_paid", "累计缴费月数", "0"),
                  line("note", "说明", f"经查询，本人在本省无{ '、'.join(wanted) }参保记录。")]
        return {"lines": lines, "table": None}
    lines.append(line("insurances", "参保险种", "、".join(e.scheme for e in enrollments)))
    lines.append(line("status", "参保状态", "；".join(f"{e.insurance} {e.status}" for e in enrollments)))
    lines.append(line("months_paid", "累计缴费月数",
                      "；".join(f"{e.insurance} {si.months_paid(e, today)} 个月" for e in enrollments)))
    for e in enrollments:
        lines.append(line(f"start_month.{INSURANCE_KEYS.get(e.insurance, e.insurance)}",
                          f"{e.insurance}参保起始年月", e.start))
    employers = sorted({e.employer for e in enrollments if e.employer})
    if employers:
        lines.append(line("employers", "参保单位", "、".join(employers)))
    lines.append(line("period", "证明期间", f"{si.month_text(start)} 至 {si.month_text(end)}"))
    rows = []
    for e in enrollments:
        by_year: dict[int, list[si.Month]] = {}
        for m in e.covered_months(end):
            if m >= start:
                by_year.setdefault(m[0], []).append(m)
        for year, months in sorted(by_year.items()):
            personal = sum(e.monthly_base(m) * e.personal_rate for m in months)
            unit = sum(e.monthly_base(m) * e.unit_rate for m in months)
            rows.append([str(year), e.insurance, str(len(months)), f"{personal:.2f}", f"{unit:.2f}"])
    rows.sort(key=lambda r: (r[0], CERTIFIED_INSURANCES.index(r[1])))
    return {"lines": lines, "table": {"columns": ["年度", "险种", "缴费月数", "个人缴费(元)", "单位缴费(元)"],
                                      "rows": rows}}


def generic_certificate(item: dict[str, Any], p: Persona, fields: dict[str, Any]) -> dict[str, Any]:
    """Any other printable item: holder, item, issuing body and the submitted form values."""
    labels = {f["name"]: f["label"] for f in item["form_fields"]}
    lines = [*holder_lines(p), line("item_name", "证明事项", item["name"]),
             line("issuer", "出具单位", item["implementing_body"]["name"])]
    lines += [line(f"field.{k}", labels[k], str(v)) for k, v in fields.items() if k in labels]
    return {"lines": lines, "table": None}


BUILDERS = {"social_insurance_certificate": social_insurance_certificate}


def certificate_content(item: dict[str, Any], p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    kind = (item.get("document") or {}).get("kind", "")
    if "start_month" in fields or "end_month" in fields:
        _period(fields, today)  # every period certificate: no future end month, no inverted period
    builder = BUILDERS.get(kind)
    if builder is not None:
        return builder(p, fields, today)
    return generic_certificate(item, p, fields)
