"""Example fillings of every query and print item's form, each with a persona whose records answer it:
two per item, whose answers differ (so tests can show that the form changes the answer). The backend
tests, the UI tests, the end-to-end tests, screenshots and tools/a4_pages.py use them.
`account_no` is written PERSONA:UTILITY and resolved through the backend's control route GET /accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

Y = date.today().year  # the platform's records are dated relative to today

# item → (persona, login method, fields A, fields B): two answers that must differ
QUERY_CASES: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    "cultivated-land-subsidy-query": ("chen_guiying", "idcard", {"year": Y - 1}, {"year": 2016}),
    "student-aid-query": ("lan_yan", "idcard", {"student_id_number": "440232201304020014"},
                          {"student_id_number": "44023220130402001X"}),
    "exit-entry-records-query": ("wong_kaming", "idcard", {"date_from": f"{Y - 10}-01", "date_to": f"{Y}-12"},
                                 {"date_from": "1990-01", "date_to": "1990-12"}),
    "vaccination-record-query": ("lan_yan", "idcard", {"child_name": "梁子豪", "child_birth_date": "2013-04-02"},
                                 {"child_name": "梁子豪", "child_birth_date": "2013-04-03"}),
    "social-insurance-payment-records": ("li_jianguo", "idcard", {"insurance_type": "职工养老保险", "year": 2020},
                                         {"insurance_type": "失业保险", "year": 2020}),
    "pension-payment-records": ("chen_guiying", "idcard", {"year": 2020}, {"year": 2024}),
    "medical-insurance-payment-records": ("li_jianguo", "idcard", {}, {"year": 2015}),
    "medical-claim-records": ("he_shuifa", "sscard", {"date_from": f"{Y - 3}-01-01", "date_to": f"{Y}-12-31"},
                              {"date_from": "1990-01-01", "date_to": "1990-12-31"}),
    "iit-income-query": ("li_jianguo", "idcard", {"year": 2024, "income_type": "工资薪金"},
                         {"year": 2024, "income_type": "劳务报酬"}),
    "iit-refund-status": ("li_jianguo", "idcard", {"year": Y - 1}, {"year": 2019}),
    "traffic-violation-query": ("li_jianguo", "idcard", {}, {"plate": "粤B12345"}),
    "electricity-usage-query": ("", "", {"account_no": "chen_guiying:electricity"},
                                {"account_no": "he_shuifa:electricity"}),
    "water-bill-query": ("", "", {"account_no": "chen_guiying:water"}, {"account_no": "li_jianguo:water"}),
}


PRINT_CASES: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    "health-checkup-report-print": ("chen_guiying", "idcard", {"year": Y - 1}, {"year": Y - 2}),
    "housing-fund-deposit-certificate": ("li_jianguo", "idcard", {"cert_type": "缴存证明"}, {"cert_type": "缴存明细"}),
    "social-insurance-certificate-print": ("li_jianguo", "idcard", {"insurance_type": "全部险种"},
                                           {"insurance_type": "失业保险", "start_month": "2010-01",
                                            "end_month": "2015-12"}),
    "medical-insurance-certificate-print": ("li_jianguo", "idcard", {"start_month": "2020-01", "end_month": "2020-12"},
                                            {"start_month": "2021-01", "end_month": "2023-12"}),
    "household-registration-certificate": ("chen_guiying", "idcard", {"purpose": "入学"}, {"purpose": "就业"}),
    "real-estate-query-certificate": ("chen_guiying", "idcard", {"purpose": "入学"}, {"purpose": "购房"}),
    "individual-income-tax-record-print": ("li_jianguo", "idcard", {"start_month": "2023-01", "end_month": "2023-06"},
                                           {"start_month": "2024-01", "end_month": "2024-12"}),
    "tax-payment-certificate-print": ("li_jianguo", "idcard",
                                      {"tax_kind": "个人所得税", "date_from": "2024-01-01", "date_to": "2024-06-30"},
                                      {"tax_kind": "个人所得税", "date_from": "2024-07-01", "date_to": "2024-12-31"}),
}
