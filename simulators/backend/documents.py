"""Content of printable certificates (证明): the lines and table a kiosk prints, per document kind."""

from __future__ import annotations

from datetime import date
from typing import Any

from simulators.backend import records
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


def _no_record(message: str, detail: str) -> ApiError:
    return ApiError(404, "no_record", message, detail)


def _table(columns: list[str], rows: list[dict[str, str]]) -> dict[str, Any] | None:
    return {"columns": columns, "rows": [[r.get(c, "—") for c in columns] for r in rows]} if rows else None


def _in_period(value: str, start: si.Month, end: si.Month) -> bool:
    return si.month_text(start) <= value[:7] <= si.month_text(end)


def health_checkup_report(p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    year = int(fields["year"])
    found = [r for r in records.health_checkup(p, today, 12) if r["体检日期"].startswith(str(year))]
    if not found:
        raise _no_record(f"未查询到您 {year} 年的老年人健康体检记录，请核对体检年度；如有疑问，请咨询乡镇卫生院。",
                         f"no health check-up in {year}")
    r = found[0]
    lines = [*holder_lines(p), line("year", "体检年度", str(year))]
    lines += [line(f"checkup.{k}", k, r[k]) for k in ("体检日期", "体检机构", "体检项目", "血压", "空腹血糖", "结论")]
    return {"lines": lines, "table": None}


def housing_fund_deposit_certificate(p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    kind = fields["cert_type"]
    account = records.housing_fund_balance(p, today, 12)
    if not account:
        raise _no_record("未查询到您的住房公积金缴存账户，请咨询住房公积金管理中心。", "no housing fund account")
    a = account[0]
    lines = [*holder_lines(p), line("cert_type", "证明类型", kind), line("employer", "缴存单位", a["缴存单位"]),
             line("status", "账户状态", a["账户状态"]), line("base", "缴存基数（元）", a["缴存基数"]),
             line("monthly", "月缴存额（元）", a["月缴存额"]), line("paid_to", "缴至年月", a["缴至年月"])]
    if kind == "缴存证明":
        return {"lines": [*lines, line("balance", "账户余额（元）", a["账户余额"])], "table": None}
    if kind == "缴存明细":
        last = si.last_closed_month(today)
        rows = [[si.month_text(si.month_add(last, -i)), a["月缴存额"], "已到账"] for i in range(12)]
        return {"lines": lines, "table": {"columns": ["缴存年月", "缴存额（元）", "状态"], "rows": rows}}
    loan = records.housing_fund_loan(p, today, 12)
    if loan:
        raise ApiError(409, "loan_not_settled",
                       f"您的住房公积金贷款尚未结清（贷款余额 {loan[0]['贷款余额']} 元），暂不能出具贷款结清证明。",
                       "housing fund loan outstanding")
    return {"lines": [*lines, line("loan", "贷款情况", "经查询，本人名下无未结清的住房公积金贷款。")], "table": None}


def medical_insurance_certificate(p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    start, end = _period(fields, today)
    enrolment = next((e for e in si.history(p.id).enrollments if e.insurance == "医疗保险"), None)
    lines = [*holder_lines(p), line("period", "证明期间", f"{si.month_text(start)} 至 {si.month_text(end)}")]
    if enrolment is None:
        return {"lines": [*lines, line("status", "参保状态", "未参保")], "table": None}
    months = [m for m in enrolment.covered_months(end) if m >= start]
    lines += [line("scheme", "参保险种", enrolment.scheme), line("status", "参保状态", enrolment.status),
              line("months_paid", "期间缴费月数", str(len(months)))]
    by_year: dict[int, int] = {}
    for m in months:
        by_year[m[0]] = by_year.get(m[0], 0) + 1
    rows = [[str(y), enrolment.scheme, str(n)] for y, n in sorted(by_year.items())]
    return {"lines": lines, "table": {"columns": ["年度", "险种", "缴费月数"], "rows": rows} if rows else None}


def iit_tax_record(p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    start, end = _period(fields, today)
    months = (today.year - start[0]) * 12 + today.month - start[1] + 1
    rows = [r for r in records.tax_payments(p, today, months) if _in_period(r["所属期"], start, end)]
    total = sum(float(r["已缴税额"]) for r in rows)
    lines = [*holder_lines(p), line("period", "所属期", f"{si.month_text(start)} 至 {si.month_text(end)}"),
             line("count", "纳税记录条数", str(len(rows))), line("total", "已缴税额合计（元）", f"{total:.2f}")]
    if not rows:
        lines.append(line("note", "说明", "经查询，所属期内无个人所得税纳税记录。"))
    return {"lines": lines, "table": _table(["所属期", "扣缴义务人", "所得项目", "收入额", "已缴税额"], rows)}


def tax_payment_certificate(p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    kind, lo, hi = fields["tax_kind"], str(fields["date_from"]), str(fields["date_to"])
    lo, hi = (lo if len(lo) == 10 else lo + "-01"), (hi if len(hi) == 10 else hi + "-31")
    if lo > hi:
        raise ApiError(422, "form_invalid", "“缴款日期起”不能晚于“缴款日期止”，请修改后重新提交。",
                       "date_from is after date_to")
    paid = []
    if kind == "个人所得税":
        start = date.fromisoformat(lo)
        months = (today.year - start.year) * 12 + today.month - start.month + 1
        paid = [r for r in records.tax_payments(p, today, max(1, months)) if lo[:7] <= r["所属期"] <= hi[:7]]
    if not paid:
        raise _no_record(f"未查询到您在 {lo} 至 {hi} 期间缴纳{kind}的记录，请核对税种和缴款日期。",
                         f"no {kind} payments in the period")
    total = sum(float(r["已缴税额"]) for r in paid)
    lines = [*holder_lines(p), line("tax_kind", "税种", kind), line("period", "缴款日期", f"{lo} 至 {hi}"),
             line("total", "实缴金额合计（元）", f"{total:.2f}")]
    return {"lines": lines, "table": _table(["所属期", "扣缴义务人", "所得项目", "已缴税额"], paid)}


def household_registration_certificate(p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    found = records.household_registration(p, today, 12)
    if not found:
        raise _no_record("未查询到您的户籍登记信息（户籍证明只为本地常住户口居民出具），请到户籍窗口咨询。",
                         "no local household registration")
    r = found[0]
    lines = [*holder_lines(p), line("purpose", "证明用途", fields["purpose"])]
    lines += [line(f"household.{k}", k, r[k]) for k in ("户籍地址", "户别", "与户主关系", "登记日期")]
    lines.append(line("statement", "证明内容", f"兹证明{p.name}系本辖区常住户口居民，户籍信息如上。"))
    return {"lines": lines, "table": None}


def real_estate_query_result(p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    rows = records.real_estate_rights(p, today, 12)
    lines = [*holder_lines(p), line("purpose", "查询用途", fields["purpose"]),
             line("count", "登记不动产数量", str(len(rows)))]
    if not rows:
        lines.append(line("note", "查询结果", "经查询，截至出具之日，本人名下无不动产登记记录。"))
    return {"lines": lines, "table": _table(["不动产权证号", "坐落", "权利类型", "面积", "抵押查封状态"], rows)}


BUILDERS = {"social_insurance_certificate": social_insurance_certificate,
            "health_checkup_report": health_checkup_report,
            "housing_fund_deposit_certificate": housing_fund_deposit_certificate,
            "medical_insurance_certificate": medical_insurance_certificate,
            "iit_tax_record": iit_tax_record, "tax_payment_certificate": tax_payment_certificate,
            "household_registration_certificate": household_registration_certificate,
            "real_estate_query_result": real_estate_query_result}


def certificate_content(item: dict[str, Any], p: Persona, fields: dict[str, Any], today: date) -> dict[str, Any]:
    kind = (item.get("document") or {}).get("kind", "")
    if "start_month" in fields or "end_month" in fields:
        _period(fields, today)  # every period certificate: no future end month, no inverted period
    builder = BUILDERS.get(kind)
    if builder is not None:
        return builder(p, fields, today)
    return generic_certificate(item, p, fields)
