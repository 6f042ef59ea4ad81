"""Per-persona records for the query flow (社保缴费, 待遇发放, 医保, 公积金, 个税, 违章, 水电气, 体检…).

Every record kind of the catalogue schema has a generator here. A generator returns rows as dicts
keyed by column label (a superset of what catalogue items show) for one persona, newest first.
Everything is derived deterministically from the persona registry and social_insurance.py: the
same persona always gets the same records, and a random generator seeded by (persona, kind) adds
realistic variety. Who has what follows the persona: employees have 公积金, the elderly draw a
pension, only drivers have 违章, a schoolboy has 学生资助, and so on. An empty list means the
platform has no record of that kind for the person (the kiosk shows 暂无记录).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date, timedelta

from simulators.backend import catalogue
from simulators.backend import social_insurance as si
from simulators.personas import Persona

Row = dict[str, str]

EMPLOYEES = {"li_jianguo", "huang_xiaomei", "wong_kaming", "john_smith", "tanaka_yuki"}
DRIVERS = {"li_jianguo": "粤F·3K27Q", "huang_xiaomei": "粤F·D82615", "zhou_zhiqiang": "粤F·7M5C2"}
FARMERS = {"chen_guiying", "he_shuifa", "lan_yan", "zhou_zhiqiang", "li_jianguo"}
HOSPITALS = ("韶关市第一人民医院", "粤北人民医院", "韶关市中医院", "浈江区犁市镇卫生院", "仁化县人民医院",
             "乐昌市人民医院", "南雄市人民医院")
BANKS = ("广东韶关农村商业银行", "中国工商银行韶关分行", "中国建设银行韶关分行", "中国邮政储蓄银行韶关市分行")


def _rng(p: Persona, kind: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(f"{p.id}/{kind}".encode()).digest()[:8], "big"))


def _yuan(value: float) -> str:
    return f"{value:.2f}"


def _account_tail(p: Persona) -> str:
    return p.id_number[-8:-4]


def _months_back(today: date, count: int) -> list[si.Month]:
    last = si.last_closed_month(today)
    return [si.month_add(last, -i) for i in range(count)]


# ---- 人社 --------------------------------------------------------------------------------------

def social_insurance_payments(p: Persona, today: date, months: int) -> list[Row]:
    rows = []
    window = set(_months_back(today, months))
    for e in si.history(p.id).enrollments:
        if e.insurance == "医疗保险":
            continue  # medical contributions are the 医保 records
        for m in reversed(e.covered_months(si.last_closed_month(today))):
            if m not in window:
                continue
            if e.resident_annual_yuan:
                if m[1] != 1:
                    continue  # resident scheme: one payment a year
                rows.append({"费款所属期": f"{m[0]}年度", "险种": e.scheme, "缴费基数": "—",
                             "个人缴费": _yuan(e.resident_annual_yuan), "单位缴费": "0.00", "到账状态": "已到账"})
                continue
            base = e.monthly_base(m)
            recent = m == si.last_closed_month(today)
            rows.append({"费款所属期": si.month_text(m), "险种": e.scheme, "缴费基数": _yuan(base),
                         "个人缴费": _yuan(base * e.personal_rate), "单位缴费": _yuan(base * e.unit_rate),
                         "到账状态": "未到账（征收中）" if recent else "已到账"})
    rows.sort(key=lambda r: r["费款所属期"], reverse=True)
    return rows


def social_insurance_info(p: Persona, today: date, months: int) -> list[Row]:
    return [{"险种": s["scheme"], "参保状态": s["status"], "参保起始年月": s["start_month"],
             "累计缴费月数": str(s["months_paid"]), "参保单位": s["employer"], "参保地": "韶关市"}
            for s in si.enrollment_summary(p.id, today)]


def pension_payments(p: Persona, today: date, months: int) -> list[Row]:
    benefit = si.history(p.id).pension
    if benefit is None:
        return []
    first = si.parse_month(benefit.since)
    rows = []
    for m in _months_back(today, months):
        if m < first:
            break
        years = m[0] - first[0]
        basic = benefit.basic_yuan + benefit.yearly_raise_yuan * years
        elderly_bonus = 100.0 if p.age(date(m[0], m[1], 1)) >= 80 else 0.0  # 高龄津贴 paid alongside
        rows.append({"发放年月": si.month_text(m), "基础养老金": _yuan(basic + elderly_bonus),
                     "个人账户养老金": _yuan(benefit.account_yuan),
                     "实发金额": _yuan(basic + elderly_bonus + benefit.account_yuan), "发放银行": benefit.bank,
                     "发放状态": "已发放"})
    return rows


def unemployment_benefits(p: Persona, today: date, months: int) -> list[Row]:
    if p.id != "zhou_zhiqiang":
        return []
    return [{"发放年月": si.month_text(si.month_add((2023, 7), i)), "失业保险金": "1674.00",
             "代缴医保费": "142.30", "发放银行": BANKS[0], "发放状态": "已发放"} for i in range(5, -1, -1)]


def social_security_card(p: Persona, today: date, months: int) -> list[Row]:
    card = p.sscard
    if card is None:
        return []
    expired = card.expired(today)
    return [{"卡号": card.card_number[:3] + "****" + card.card_number[-2:],
             "卡片状态": "有效期满待换卡" if expired else "正常使用", "发卡银行": BANKS[len(p.id) % len(BANKS)],
             "领卡网点": f"{BANKS[len(p.id) % len(BANKS)]}{p.address[6:9] if p.address else '韶关'}支行",
             "状态变更时间": card.issue_date, "有效期至": card.expiry_date, "社保卡版本": "第三代社保卡"}]


# ---- 医保 --------------------------------------------------------------------------------------

def _medical(p: Persona) -> si.Enrollment | None:
    return next((e for e in si.history(p.id).enrollments if e.insurance == "医疗保险"), None)


def medical_insurance_info(p: Persona, today: date, months: int) -> list[Row]:
    e = _medical(p)
    if e is None:
        return []
    rng = _rng(p, "medical_account")
    balance = rng.uniform(800, 6000) if e.employer else 0.0
    return [{"险种": e.scheme, "参保状态": e.status, "参保地": "韶关市", "个人账户余额": _yuan(balance),
             "待遇享受状态": "正常享受" if e.status == "正常参保" else "暂停享受",
             "参保起始年月": e.start, "定点医疗机构": HOSPITALS[len(p.name) % len(HOSPITALS)]}]


def medical_insurance_payments(p: Persona, today: date, months: int) -> list[Row]:
    e = _medical(p)
    if e is None:
        return []
    rows = []
    first_year = max(si.parse_month(e.start)[0], today.year - months // 12)
    for year in range(today.year, first_year - 1, -1):
        if e.resident_annual_yuan:
            amount = 180 + 20 * max(0, year - 2015)  # the resident premium rose every year
            rows.append({"缴费年度": str(year), "险种": e.scheme, "缴费金额": _yuan(amount),
                         "到账日期": f"{year - 1}-12-{10 + len(p.id) % 15:02d}"})
        else:
            covered = [m for m in e.covered_months(si.last_closed_month(today)) if m[0] == year]
            if covered:
                total = sum(e.monthly_base(m) * (e.personal_rate + e.unit_rate) for m in covered)
                rows.append({"缴费年度": str(year), "险种": e.scheme, "缴费金额": _yuan(total),
                             "到账日期": f"{si.month_text(covered[-1])}-15"})
    return rows


def medical_claims(p: Persona, today: date, months: int) -> list[Row]:
    rng = _rng(p, "claims")
    visits = 2 + (6 if p.age(today) >= 60 else 0) + rng.randrange(3)
    rows = []
    for _ in range(visits):
        day = today - timedelta(days=rng.randrange(15, max(30, months * 30)))
        total = rng.choice((rng.uniform(60, 400), rng.uniform(60, 400), rng.uniform(3000, 18000)))
        fund = total * (0.55 if total < 1000 else 0.75)
        rows.append({"结算日期": day.isoformat(), "医疗机构": rng.choice(HOSPITALS), "医疗总费用": _yuan(total),
                     "统筹基金支付": _yuan(fund), "个人自付": _yuan(total - fund),
                     "就诊类型": "住院" if total > 1000 else "门诊"})
    return sorted(rows, key=lambda r: r["结算日期"], reverse=True)


# ---- 公积金 ------------------------------------------------------------------------------------

def housing_fund_balance(p: Persona, today: date, months: int) -> list[Row]:
    if p.id not in EMPLOYEES:
        return []
    e = si.history(p.id).enrollments[0]
    last = si.last_closed_month(today)
    base = e.monthly_base(last)
    paid = [m for m in e.covered_months(last) if m >= (2000, 1)]
    balance = sum(e.monthly_base(m) * 0.10 * 2 for m in paid[-96:]) * 0.85  # some withdrawn for rent
    return [{"账户余额": _yuan(balance), "账户状态": "正常缴存", "缴存基数": _yuan(base),
             "月缴存额": _yuan(base * 0.10 * 2), "缴至年月": si.month_text(last), "缴存单位": e.employer or ""}]


def housing_fund_loan(p: Persona, today: date, months: int) -> list[Row]:
    if p.id != "huang_xiaomei":
        return []
    paid_terms = (today.year - 2021) * 12 + today.month - 4
    principal, terms = 400000.0, 360
    monthly = principal * 0.002583 / (1 - 1.002583 ** -terms)  # 3.1 % a year
    remaining = principal * (1.002583 ** paid_terms) - monthly * ((1.002583 ** paid_terms - 1) / 0.002583)
    return [{"贷款金额": _yuan(principal), "贷款余额": _yuan(remaining), "月还款额": _yuan(monthly),
             "已还期数": f"{paid_terms}/{terms}", "逾期情况": "无逾期", "放款日期": "2021-03-18"}]


# ---- 税务 --------------------------------------------------------------------------------------

def tax_payments(p: Persona, today: date, months: int) -> list[Row]:
    if p.id not in EMPLOYEES:
        return []
    e = si.history(p.id).enrollments[0]
    rows = []
    for m in _months_back(today, months):
        if m < si.parse_month(e.start):
            break
        income = e.monthly_base(m) * 1.15
        taxable = max(0.0, income - 5000 - income * 0.105)
        tax = taxable * 0.03
        rows.append({"所属期": si.month_text(m), "扣缴义务人": e.employer or "", "所得项目": "工资薪金所得",
                     "收入额": _yuan(income), "已缴税额": _yuan(tax)})
    return rows


def tax_refund(p: Persona, today: date, months: int) -> list[Row]:
    if p.id not in EMPLOYEES:
        return []
    rng = _rng(p, "refund")
    rows = []
    for year in range(today.year - 1, today.year - 4, -1):
        refund = rng.choice((0.0, rng.uniform(80, 1600)))
        rows.append({"汇算年度": str(year), "申报状态": "已申报", "应退税额": _yuan(refund),
                     "退税进度": "已退库" if refund else "无需退（补）税", "退付银行": BANKS[1] if refund else "—"})
    return rows


# ---- 公安 / 交警 / 出入境 --------------------------------------------------------------------------

def household_registration(p: Persona, today: date, months: int) -> list[Row]:
    if p.layout != "resident" or not p.address:
        return []
    return [{"户籍地址": p.address, "户别": "农业家庭户口" if "村" in p.address else "非农业家庭户口",
             "与户主关系": "户主" if p.age(today) >= 18 else "子", "登记日期": p.valid_from,
             "派出所": (p.authority or "").replace("公安局", "公安局派出所")}]


def residence_permit_points(p: Persona, today: date, months: int) -> list[Row]:
    return []  # no persona lives away from home with a 居住证 in the registry


def _masked_doc(number: str) -> str:
    return number[:2] + "****" + number[-3:]


def exit_entry_documents(p: Persona, today: date, months: int) -> list[Row]:
    if p.id == "wong_kaming":
        return [{"证件种类": "港澳居民来往内地通行证", "证件号码": _masked_doc(p.pass_number or "H00000000"),
                 "证件状态": "有效", "有效期至": p.valid_to, "签注种类": "—（无需签注）", "剩余次数": "不限",
                 "签发机关": "公安部出入境管理局"}]
    if p.id in ("huang_xiaomei", "li_jianguo"):
        rng = _rng(p, "endorsement")
        return [{"证件种类": "往来港澳通行证", "证件号码": _masked_doc("C" + p.id_number[-8:]), "证件状态": "有效",
                 "有效期至": f"{today.year + 6}-05-20", "签注种类": "香港团队旅游（一年多次）" if rng.random() < 0.5
                 else "澳门个人旅游（三个月一次）", "剩余次数": str(rng.randrange(0, 4)),
                 "签发机关": "公安部出入境管理局"}]
    return []


def exit_entry_records(p: Persona, today: date, months: int) -> list[Row]:
    crossings = {"wong_kaming": ("港澳居民来往内地通行证", p.pass_number or "", ("皇岗口岸", "深圳湾口岸"), 12),
                 "john_smith": ("护照", "GB" + p.id_number[-7:], ("广州白云机场口岸",), 3),
                 "tanaka_yuki": ("护照", "TK" + p.id_number[-7:], ("广州白云机场口岸", "深圳宝安机场口岸"), 3),
                 "huang_xiaomei": ("往来港澳通行证", "C" + p.id_number[-8:], ("港珠澳大桥珠海口岸",), 1)}
    if p.id not in crossings:
        return []
    doc, number, ports, trips = crossings[p.id]
    rng = _rng(p, "crossings")
    rows = []
    for _ in range(trips):
        out = today - timedelta(days=rng.randrange(10, max(30, months * 30)))
        back = out + timedelta(days=rng.randrange(1, 20))
        port = rng.choice(ports)
        leaving, entering = ("入境", "出境") if p.layout in ("J", "I", "Y") else ("出境", "入境")
        for day, kind in ((out, leaving), (back, entering)):
            if day <= today:
                rows.append({"出入境日期": day.isoformat(), "出入境类型": kind, "口岸": port, "证件种类": doc,
                             "证件号码": _masked_doc(number)})
    return sorted(rows, key=lambda r: r["出入境日期"], reverse=True)


def traffic_violations(p: Persona, today: date, months: int) -> list[Row]:
    plate = DRIVERS.get(p.id)
    if plate is None:
        return []
    rng = _rng(p, "violations")
    kinds = (("机动车违反禁止标线指示的", 200, 3), ("机动车超过规定时速未达20%的", 200, 3),
             ("驾驶机动车不按规定使用安全带的", 50, 1), ("机动车违反规定停放、临时停车的", 150, 0))
    rows = []
    for _ in range(1 + rng.randrange(3)):
        what, fine, points = rng.choice(kinds)
        day = today - timedelta(days=rng.randrange(5, 300))
        rows.append({"违法时间": f"{day.isoformat()} {rng.randrange(7, 21):02d}:{rng.randrange(60):02d}",
                     "号牌号码": plate, "违法地点": rng.choice(("韶关市浈江区解放路", "G106国道K2145",
                                                           "乐昌市人民北路", "韶关市武江区工业西路")),
                     "违法行为": what, "罚款金额": _yuan(fine), "记分": str(points),
                     "处理状态": "未处理" if rng.random() < 0.5 else "已处理"})
    return sorted(rows, key=lambda r: r["违法时间"], reverse=True)


def driving_licence_points(p: Persona, today: date, months: int) -> list[Row]:
    if p.id not in DRIVERS:
        return []
    points = sum(int(r["记分"]) for r in traffic_violations(p, today, 12) if r["处理状态"] == "已处理")
    cycle = date(today.year if p.birth_date[5:] <= today.isoformat()[5:] else today.year - 1,
                 *map(int, p.birth_date[5:].split("-")))
    return [{"准驾车型": "C1", "累积记分": str(points), "驾驶证状态": "正常",
             "记分周期": f"{cycle.isoformat()} 至 {cycle.replace(year=cycle.year + 1).isoformat()}",
             "有效期至": f"{today.year + 4}-{p.birth_date[5:]}", "清分日期": f"{today.year + 1}-{p.birth_date[5:]}"}]


def vehicle_status(p: Persona, today: date, months: int) -> list[Row]:
    plate = DRIVERS.get(p.id)
    if plate is None:
        return []
    return [{"号牌号码": plate, "车辆类型": "小型普通客车", "车辆状态": "正常",
             "检验有效期至": f"{today.year + 1}-06-30", "强制报废期": "无强制报废期限（行驶60万公里引导报废）"}]


# ---- 民政 / 残联 / 退役军人 / 司法 --------------------------------------------------------------

def subsidy_payments(p: Persona, today: date, months: int) -> list[Row]:
    if p.age(today) < 80:
        return []
    return [{"发放年月": si.month_text(m), "补贴项目": "高龄老人津贴", "发放金额": "100.00",
             "发放日期": f"{si.month_text(m)}-10", "账户尾号": _account_tail(p), "发放银行": BANKS[0],
             "发放状态": "已发放"} for m in _months_back(today, min(months, 12))]


def low_income_status(p: Persona, today: date, months: int) -> list[Row]:
    if p.id != "he_shuifa":
        return []
    return [{"救助类别": "农村最低生活保障", "保障人数": "1", "发放年月": si.month_text(m), "发放金额": "540.00",
             "月保障金": "540.00", "认定日期": "2019-07-01", "复核状态": "已复核"}
            for m in _months_back(today, min(months, 12))]


def disability_certificate(p: Persona, today: date, months: int) -> list[Row]:
    if p.id != "he_shuifa":
        return []
    return [{"残疾人证号": p.id_number[:6] + "*" * 8 + p.id_number[-4:] + "44", "残疾类别": "听力残疾",
             "残疾等级": "四级", "有效期至": "2029-05-31", "证件状态": "有效", "发证机关": "仁化县残疾人联合会"}]


def legal_aid(p: Persona, today: date, months: int) -> list[Row]:
    return []


# ---- 卫健 --------------------------------------------------------------------------------------

def health_checkup(p: Persona, today: date, months: int) -> list[Row]:
    if p.age(today) < 65:
        return []  # the free yearly check-up of the basic public health service is for 65+
    rng = _rng(p, "checkup")
    rows = []
    for year in range(today.year, today.year - 3, -1):
        rows.append({"体检日期": f"{year}-{rng.randrange(3, 10):02d}-{rng.randrange(1, 28):02d}",
                     "体检机构": rng.choice(HOSPITALS[3:]), "体检项目": "老年人健康体检（国家基本公共卫生服务）",
                     "血压": f"{rng.randrange(128, 158)}/{rng.randrange(72, 92)} mmHg",
                     "空腹血糖": f"{rng.uniform(5.0, 7.4):.1f} mmol/L",
                     "结论": rng.choice(("未见明显异常", "血压偏高，建议定期复查", "血糖偏高，建议控制饮食"))})
    return rows


def health_record(p: Persona, today: date, months: int) -> list[Row]:
    if p.layout != "resident" or not p.address:
        return []
    rng = _rng(p, "health_record")
    elderly = p.age(today) >= 65
    checkups = health_checkup(p, today, months)
    return [{"建档机构": p.address[3:9].rstrip("镇区市县") + "卫生院", "责任医生": rng.choice(("张医生", "刘医生", "邓医生")),
             "慢病管理": rng.choice(("高血压", "高血压、2型糖尿病")) if elderly else "无",
             "最近随访": (today - timedelta(days=rng.randrange(10, 80))).isoformat() if elderly else "—",
             "最近体检": checkups[0]["体检日期"] if checkups else "—", "建档日期": "2012-06-15"}]


def vaccination(p: Persona, today: date, months: int) -> list[Row]:
    birth = p.birth
    rows = []
    if p.age(today) < 18:
        schedule = (("乙肝疫苗第1剂", 0), ("卡介苗", 0), ("脊灰疫苗第1剂", 60), ("百白破疫苗第1剂", 90),
                    ("麻腮风疫苗", 240), ("乙脑减毒活疫苗", 240), ("甲肝减毒活疫苗", 540))
        for name, days in schedule:
            rows.append({"接种日期": (birth + timedelta(days=days)).isoformat(), "疫苗名称": name,
                         "接种单位": "乳源瑶族自治县必背镇卫生院预防接种门诊", "剂次": "1", "下次应种": "—"})
        if rows:
            rows[-1]["下次应种"] = "已完成国家免疫规划程序"
    elif p.age(today) >= 60:
        for year in range(today.year - 2, today.year + 1):
            rows.append({"接种日期": f"{year}-10-15", "疫苗名称": "流感疫苗", "接种单位": "乡镇卫生院预防接种门诊",
                         "剂次": "1", "下次应种": f"{year + 1}年10月（流感疫苗）"})
    return sorted(rows, key=lambda r: r["接种日期"], reverse=True)


# ---- 自然资源 / 农业农村 / 教育 ----------------------------------------------------------------------

def real_estate_rights(p: Persona, today: date, months: int) -> list[Row]:
    if p.id in FARMERS and p.address:
        return [{"不动产权证号": f"粤（{today.year - 5}）韶关市不动产权第{int(p.id_number[6:13]) % 10**7:07d}号",
                 "不动产单元号": f"{p.id_number[:6]}{int(p.id_number[6:12]) % 999:03d}JC00{len(p.id):03d}F00010001",
                 "坐落": p.address, "权利类型": "宅基地使用权/房屋所有权", "面积": "120.00㎡", "登记状态": "现势",
                 "抵押查封状态": "无抵押、无查封"}]
    if p.id == "huang_xiaomei" and p.address:
        return [{"不动产权证号": "粤（2021）韶关市不动产权第0031882号",
                 "不动产单元号": "440205002003GB00031F00020201", "坐落": p.address,
                 "权利类型": "国有建设用地使用权/房屋所有权", "面积": "89.36㎡", "登记状态": "现势",
                 "抵押查封状态": "已抵押（住房公积金贷款）"}]
    return []


def land_contract(p: Persona, today: date, months: int) -> list[Row]:
    if p.id not in FARMERS or not p.address:
        return []
    rng = _rng(p, "land")
    contract = f"{p.id_number[:6]}{rng.randrange(10**8):08d}J"
    rows = []
    for n in range(1, 2 + rng.randrange(4)):
        rows.append({"合同编号": contract, "地块编码": f"{contract[:12]}{n:05d}", "确权面积（亩）": f"{rng.uniform(0.3, 1.6):.2f}",
                     "四至": "东至" + rng.choice(("水沟", "田埂", "村道")) + "，西至" + rng.choice(("山脚", "田埂")) +
                     "，南至" + rng.choice(("河堤", "田埂")) + "，北至" + rng.choice(("机耕路", "田埂")),
                     "承包期限": "1999-01-01 至 2028-12-31", "发包方": p.address.split("村委会")[0] + "村委会"})
    return rows


def agricultural_subsidies(p: Persona, today: date, months: int) -> list[Row]:
    if p.id not in FARMERS:
        return []
    area = sum(float(r["确权面积（亩）"]) for r in land_contract(p, today, months))
    return [{"发放年度": str(year), "补贴项目": "耕地地力保护补贴", "补贴面积（亩）": f"{area:.2f}",
             "补贴标准": "112.50元/亩", "补贴金额": _yuan(area * 112.5), "发放日期": f"{year}-06-18",
             "发放状态": "已发放"}
            for year in range(today.year, today.year - 3, -1)]


def student_aid(p: Persona, today: date, months: int) -> list[Row]:
    if not 6 <= p.age(today) <= 18:
        return []
    return [{"学年": f"{year}-{year + 1}", "资助项目": "义务教育家庭经济困难学生生活补助", "金额": "625.00",
             "发放日期": f"{year}-11-20", "账户尾号": _account_tail(p), "学校": "乳源瑶族自治县必背镇中心学校",
             "发放状态": "已发放"}
            for year in range(today.year - 1, today.year - 3, -1)]


# ---- 水电气 ------------------------------------------------------------------------------------

# 户号 are digits (as on the bills and in the catalogue's patterns): a two-digit company prefix + 10.
UTILITIES = {"water": ("31", "用水户号"), "electricity": ("32", "用电户号"), "gas": ("33", "燃气用户号")}


def utility_account(p: Persona, utility: str) -> str | None:
    """The persona's account number (户号) with the water, power or gas company; None if no household."""
    if p.layout != "resident" or p.age() < 18 or not p.address:
        return None
    digest = int(hashlib.sha256(f"{p.id}/{utility}".encode()).hexdigest()[:12], 16)
    return f"{UTILITIES[utility][0]}{digest % 10**10:010d}"


def persona_by_account(account: str) -> tuple[Persona, str] | None:
    from simulators.personas import load_personas

    for p in load_personas().values():
        for utility in UTILITIES:
            if utility_account(p, utility) == account.strip().upper():
                return p, utility
    return None


def _meter(p: Persona, utility: str, today: date, months: int) -> list[Row]:
    account = utility_account(p, utility)
    if account is None:
        return []
    rng = _rng(p, utility)
    unit, price, low, high = {"water": ("立方米", 2.25, 8, 18), "electricity": ("千瓦时", 0.5883, 90, 320),
                              "gas": ("立方米", 4.2, 6, 16)}[utility]
    periods = list(reversed(_months_back(today, min(months, 24))))
    reading = 1000 + rng.randrange(4000)
    rows = []
    for i, m in enumerate(periods):
        usage = round(rng.uniform(low, high))
        reading += usage
        tier = "第一档" if usage <= 260 or utility != "electricity" else "第二档"
        amount = usage * price * (1.0 if tier == "第一档" else 1.08)
        unpaid = i == len(periods) - 1
        rows.append({"账期": si.month_text(m), "抄表日期": f"{si.month_text(m)}-{8 + len(p.id) % 10:02d}",
                     "本期读数": str(reading), f"用{'电' if utility == 'electricity' else '水' if utility == 'water' else '气'}量（{unit}）": str(usage),
                     "阶梯档位": tier, "金额": _yuan(amount), "电费" if utility == "electricity" else "费用": _yuan(amount),
                     "缴费状态": "未缴" if unpaid else "已缴", "户号": account})
    return list(reversed(rows))


def utility_bills(p: Persona, today: date, months: int) -> list[Row]:
    """Water bills (the 水费 query); power has its own kind, gas is paid by bill."""
    return _meter(p, "water", today, months)


def electricity_usage(p: Persona, today: date, months: int) -> list[Row]:
    return _meter(p, "electricity", today, months)


def gas_bills(p: Persona, today: date, months: int) -> list[Row]:
    return _meter(p, "gas", today, months)


def veteran_benefits(p: Persona, today: date, months: int) -> list[Row]:
    if p.id != "he_shuifa":  # served 1966-1970, back to farming in his village
        return []
    return [{"优抚类别": "农村籍退役士兵老年生活补助", "发放年月": si.month_text(m), "发放金额": "200.00",
             "发放日期": f"{si.month_text(m)}-12", "服役年限": "4年"} for m in _months_back(today, min(months, 24))]


GENERATORS: dict[str, Callable[[Persona, date, int], list[Row]]] = {
    f.__name__: f for f in (
        social_insurance_payments, social_insurance_info, pension_payments, unemployment_benefits,
        social_security_card, medical_insurance_info, exit_entry_records, health_record, medical_insurance_payments, medical_claims,
        housing_fund_balance, housing_fund_loan, tax_payments, tax_refund, household_registration,
        residence_permit_points, exit_entry_documents, traffic_violations, driving_licence_points,
        vehicle_status, subsidy_payments, low_income_status, disability_certificate, health_checkup,
        vaccination, real_estate_rights, land_contract, agricultural_subsidies, student_aid, utility_bills,
        electricity_usage, veteran_benefits, legal_aid)
}

TITLES = {
    "social_insurance_payments": "社会保险缴费记录", "social_insurance_info": "社会保险参保信息",
    "pension_payments": "养老保险待遇发放记录", "unemployment_benefits": "失业保险金发放记录",
    "social_security_card": "社会保障卡状态", "medical_insurance_info": "医疗保险参保信息",
    "medical_insurance_payments": "医疗保险缴费记录", "medical_claims": "医疗费用结算记录",
    "housing_fund_balance": "住房公积金账户信息", "housing_fund_loan": "住房公积金贷款信息",
    "tax_payments": "个人所得税收入纳税明细", "tax_refund": "个人所得税汇算退税进度",
    "household_registration": "户籍信息", "residence_permit_points": "居住证积分",
    "exit_entry_documents": "出入境证件信息", "exit_entry_records": "出入境记录", "health_record": "居民健康档案", "traffic_violations": "交通违法记录",
    "driving_licence_points": "驾驶证记分", "vehicle_status": "机动车状态", "subsidy_payments": "民政补贴发放记录",
    "low_income_status": "低保救助信息", "disability_certificate": "残疾人证信息", "health_checkup": "体检报告",
    "vaccination": "预防接种记录", "real_estate_rights": "不动产权利信息", "land_contract": "土地承包经营权信息",
    "agricultural_subsidies": "农业补贴发放记录", "student_aid": "学生资助记录", "utility_bills": "水电费账单",
    "electricity_usage": "用电量查询", "veteran_benefits": "退役军人优待抚恤", "legal_aid": "法律援助申请记录",
}


def record_kinds() -> list[str]:
    """Every kind the catalogue schema names, plus ours (the API accepts all of them)."""
    named = catalogue.schema()["$defs"]["query_block"]["properties"]["record_kind"]["enum"]
    return list(dict.fromkeys([*named, *GENERATORS]))


def records(kind: str, p: Persona, today: date, months: int = 12) -> list[Row]:
    """A kind the schema gained before this module did has no records yet (tests list such gaps)."""
    generator = GENERATORS.get(kind)
    return generator(p, today, months) if generator else []


def default_columns(rows: list[Row]) -> list[str]:
    return list(rows[0]) if rows else []
