"""Social-insurance histories of the personas (社保参保信息), the base of several record kinds.

Each persona has a small, hand-written enrolment history that fits their age and situation; every
derived figure (months paid, monthly contributions, pension payments) is computed from it
deterministically, so the same persona always gets the same answers. All employers are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Month = tuple[int, int]  # (year, month)


def parse_month(text: str) -> Month:
    year, month = text.split("-")
    return int(year), int(month)


def month_text(m: Month) -> str:
    return f"{m[0]:04d}-{m[1]:02d}"


def month_add(m: Month, n: int) -> Month:
    index = m[0] * 12 + (m[1] - 1) + n
    return index // 12, index % 12 + 1


def months_between(a: Month, b: Month) -> int:
    """Inclusive count of months from a to b (0 if b is before a)."""
    return max(0, (b[0] * 12 + b[1]) - (a[0] * 12 + a[1]) + 1)


def last_closed_month(today: date | None = None) -> Month:
    """Contributions are posted for the previous month."""
    today = today or date.today()
    return month_add((today.year, today.month), -1)


@dataclass(frozen=True)
class Enrollment:
    insurance: str  # 养老保险 | 医疗保险 | 失业保险 | 工伤保险
    scheme: str  # the exact scheme name printed on certificates
    start: str  # YYYY-MM, first month of cover
    stop: str | None = None  # YYYY-MM, last month paid when payments stopped
    gaps: tuple[tuple[str, str], ...] = ()  # unpaid stretches, inclusive
    employer: str | None = None  # None: resident scheme or flexible employment
    base_yuan: int = 0  # monthly contribution base in the start year (employee schemes)
    personal_rate: float = 0.0
    unit_rate: float = 0.0
    resident_annual_yuan: int = 0  # resident schemes: yearly amount chosen
    status: str = "正常参保"  # 正常参保 | 暂停缴费 | 待遇享受 | 终止参保

    def covered_months(self, until: Month) -> list[Month]:
        end = until if self.stop is None else min(until, parse_month(self.stop))
        first = parse_month(self.start)
        out = []
        for i in range(months_between(first, end)):
            m = month_add(first, i)
            if not any(parse_month(a) <= m <= parse_month(b) for a, b in self.gaps):
                out.append(m)
        return out

    def monthly_base(self, m: Month) -> int:
        """Bases rise about 5 % a year, rounded to whole yuan."""
        years = m[0] - parse_month(self.start)[0]
        return round(self.base_yuan * (1.05 ** years))


@dataclass(frozen=True)
class PensionBenefit:
    since: str  # YYYY-MM first payment
    basic_yuan: float  # 基础养老金 in the first year
    account_yuan: float  # 个人账户养老金
    yearly_raise_yuan: float
    bank: str


@dataclass(frozen=True)
class History:
    enrollments: tuple[Enrollment, ...] = ()
    pension: PensionBenefit | None = None
    notes: tuple[str, ...] = field(default=())


def _employee(start: str, employer: str, base: int, *, stop: str | None = None,
              gaps: tuple[tuple[str, str], ...] = (), status: str = "正常参保") -> tuple[Enrollment, ...]:
    common = {"start": start, "stop": stop, "gaps": gaps, "employer": employer, "base_yuan": base,
              "status": status}
    return (
        Enrollment("养老保险", "企业职工基本养老保险", personal_rate=0.08, unit_rate=0.16, **common),
        Enrollment("失业保险", "失业保险", personal_rate=0.002, unit_rate=0.0032, **common),
        Enrollment("工伤保险", "工伤保险", personal_rate=0.0, unit_rate=0.004, **common),
        Enrollment("医疗保险", "职工基本医疗保险", personal_rate=0.02, unit_rate=0.055, **common),
    )


def _resident_medical(start: str) -> Enrollment:
    return Enrollment("医疗保险", "城乡居民基本医疗保险", start=start, resident_annual_yuan=380)


def _rural_pensioner(bank: str) -> History:
    """Over 60 when 城乡居民养老保险 came to Shaoguan (2009-10): draws the basic pension without
    having paid (老人老办法), and has resident medical insurance."""
    return History(
        enrollments=(
            Enrollment("养老保险", "城乡居民基本养老保险", start="2009-10", stop="2009-09",
                       status="待遇享受"),
            _resident_medical("2007-01"),
        ),
        pension=PensionBenefit(since="2009-10", basic_yuan=55.0, account_yuan=0.0, yearly_raise_yuan=14.0,
                               bank=bank),
    )


HISTORIES: dict[str, History] = {
    # 84, 城乡居民养老保险 since the scheme came to Shaoguan
    "chen_guiying": _rural_pensioner("广东韶关农村商业银行"),
    "li_jianguo": History(
        enrollments=_employee("1990-07", "韶关市浈江机械厂（模拟）", 900, gaps=(("2002-03", "2004-08"),)),
    ),
    "huang_xiaomei": History(
        enrollments=_employee("2013-07", "韶关市曲江区恒达电子有限公司（模拟）", 2600),
    ),
    "lan_yan": History(
        enrollments=(
            Enrollment("养老保险", "城乡居民基本养老保险", start="2012-01", resident_annual_yuan=360),
            _resident_medical("2012-01"),
        ),
    ),
    "wong_kaming": History(
        enrollments=_employee("2019-03", "韶关市武江区港粤物流有限公司（模拟）", 5200),
    ),
    "john_smith": History(
        enrollments=_employee("2021-07", "韶关市丹霞国际学校（模拟）", 9800),
    ),
    "tanaka_yuki": History(
        enrollments=_employee("2024-04", "韶关市日韶精密制造有限公司（模拟）", 7600),
    ),
    # flexible employment (个体): stopped paying in mid-2023, so his status is 暂停缴费
    "zhou_zhiqiang": History(
        enrollments=(
            Enrollment("养老保险", "企业职工基本养老保险（灵活就业）", start="2005-01", stop="2023-06",
                       base_yuan=1200, personal_rate=0.20, status="暂停缴费"),
            Enrollment("医疗保险", "职工基本医疗保险（灵活就业）", start="2005-01", stop="2023-06",
                       base_yuan=1200, personal_rate=0.085, status="暂停缴费"),
        ),
    ),
    "he_shuifa": _rural_pensioner("广东仁化农村商业银行"),
    # a schoolboy: resident medical insurance only
    "liang_zihao": History(enrollments=(_resident_medical("2013-05"),)),
}

DEFAULT_HISTORY = History(enrollments=(_resident_medical("2015-01"),))


def history(persona_id: str) -> History:
    return HISTORIES.get(persona_id, DEFAULT_HISTORY)


def months_paid(enrollment: Enrollment, today: date | None = None) -> int:
    """累计缴费月数. Resident schemes pay a year at a time: count 12 per paid year."""
    until = last_closed_month(today)
    months = enrollment.covered_months(until)
    if enrollment.employer is None and enrollment.resident_annual_yuan:
        return 12 * len({y for y, _ in months})
    return len(months)


def enrollment_summary(persona_id: str, today: date | None = None) -> list[dict]:
    """One entry per insurance: scheme, status, start month, months paid, employer."""
    out = []
    for e in history(persona_id).enrollments:
        out.append({
            "insurance": e.insurance,
            "scheme": e.scheme,
            "status": e.status,
            "start_month": e.start,
            "months_paid": months_paid(e, today),
            "employer": e.employer or ("灵活就业" if e.personal_rate >= 0.08 else "城乡居民"),
        })
    return out
