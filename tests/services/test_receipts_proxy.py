"""代办 on the slips: every receipt with a person on it names both, 办理人 and 代办人, with both numbers
masked; without an agent the slip is as before."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.services import receipts
from kiosk.services.session import Proxy

AT = datetime(2026, 12, 1, 10, 0)
AGENT = Proxy(name="黄晓梅", id_number="440205199112240027", relation="子女")
NAME, ID_NO = "陈桂英", "440183195203150026"

BUILDERS = {
    "query_result": lambda proxy: receipts.query_result("社保缴费记录查询", NAME, ID_NO, ["月份", "金额"], [("2024-01", "¥1")],
                                                        printed_at=AT, proxy=proxy),
    "certificate": lambda proxy: receipts.certificate("参保证明", NAME, ID_NO, [("险种", "养老")], issuer="社保局",
                                                      verify_code="A-B-C", verify_url="https://x.invalid/v",
                                                      printed_at=AT, proxy=proxy),
    "acceptance": lambda proxy: receipts.acceptance_receipt("失业登记", "YS1", NAME, ID_NO, ["身份证"], promised_days=5,
                                                            department="人社局", progress_url="https://x.invalid/p",
                                                            accepted_at=AT, proxy=proxy),
    "payment": lambda proxy: receipts.payment_receipt("养老保险缴费", "DD1", NAME, ID_NO, 18000, "wechat",
                                                      transaction_no="T1", paid_at=AT, proxy=proxy),
}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_both_people_on_every_slip_with_a_person(kind) -> None:
    text = BUILDERS[kind](AGENT).plain_text()
    assert f"办理人：{NAME}" in text and "代办人：黄晓梅（子女）" in text
    assert ID_NO not in text and AGENT.id_number not in text  # both masked
    assert "4402**********0027" in text and "4401**********0026" in text
    assert "代办人" not in BUILDERS[kind](None).plain_text() and f"姓名：{NAME}" in BUILDERS[kind](None).plain_text()


def test_the_agent_never_shows_in_a_repr() -> None:
    assert AGENT.name not in repr(AGENT) and AGENT.id_number not in repr(AGENT)
