"""The result step's reminders (请取走身份证 / 社保卡 / 凭条; the 社保卡 one repeats until the reader says
the card is out), the reprint of the last slip in full, paper running out mid-slip, and 好差评
(five levels, nothing pre-selected, indicators at ≤ 2, 跳过, through the desk's outbox call)."""

from __future__ import annotations

import pytest

from kiosk.devices.model import Completion, DeviceError
from kiosk.services.session import Identity
from kiosk.ui import find
from kiosk.ui.countdown import advance_all
from kiosk.ui.steps.result import REMIND_EVERY_S
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID
from tests.ui.journeys import enter_at, finish_to_home, screen, tap

PRINT = BY_ID["social-insurance-certificate-print"]
CERTIFY = BY_ID["pension-eligibility-certification"]


@pytest.fixture
def sscard(ui):
    """A real 社保卡 reader driver, never opened: the test sets its `card_present` extra."""
    from kiosk.devices.sscard_reader import SocialSecurityCardReader

    reader = SocialSecurityCardReader("sscard", "pcsc:Virtual PCD")
    ui.devices.devices["sscard"] = reader
    return reader


def test_the_sscard_reminder_repeats_until_the_card_is_out(ui, qtbot, monkeypatch, sscard) -> None:
    p = get_persona("he_shuifa")
    enter_at(ui, monkeypatch, CERTIFY, "certify", "he_shuifa")
    ui.session.identity = Identity("sscard", p.name, p.id_number)  # identified by the 社保卡
    sscard._set_status(card_present=True)
    find.wait_for_text(ui.window, "认证成功")
    tap(ui, "完成")
    screen(ui, qtbot, "result")
    result = ui.runner.steps["result"]
    find.wait_for_text(ui.window, "您的社保卡还插在读卡口里")
    find.wait_for_text(ui.window, "请取走您的社保卡")
    assert sscard.enabled  # watched while the screen shows
    said: list[str] = []
    result.reminded.connect(said.append)
    advance_all(REMIND_EVERY_S * 3 + 30)  # the card stays in: no moving on, the reminder comes again
    assert ui.window.current == "result" and len(said) == 3 + 30 // REMIND_EVERY_S
    assert said[0] == result.card_reminder.text()
    sscard._set_status(card_present=False)  # taken out
    qtbot.waitUntil(lambda: not result.card_reminder.isVisible(), timeout=10_000)
    advance_all(5)  # then the take-away countdown runs as usual
    screen(ui, qtbot, "rate")
    assert not sscard.enabled
    tap(ui, "跳过")
    screen(ui, qtbot, "home")


def test_no_sscard_reminder_when_the_card_is_not_in(ui, qtbot, monkeypatch, sscard) -> None:
    enter_at(ui, monkeypatch, CERTIFY, "certify", "chen_guiying")
    find.wait_for_text(ui.window, "认证成功")
    tap(ui, "完成")
    screen(ui, qtbot, "result")
    find.wait_for_text(ui.window, "请取走您的身份证，谢谢您的使用。")
    assert not ui.runner.steps["result"].card_reminder.isVisible()
    advance_all(5)
    screen(ui, qtbot, "rate")


def test_paper_out_mid_slip_gives_a_clear_screen_and_prints_again_in_full(ui, qtbot, monkeypatch) -> None:
    persona = "li_jianguo"
    enter_at(ui, monkeypatch, PRINT, "document", persona, {"insurance_type": "全部险种"})
    qtbot.waitUntil(lambda: ui.runner.steps["document"].print.isEnabled(), timeout=10_000)
    ui.desk.fail_next("print_receipt", DeviceError(Completion.USER_ERROR, "paper ran out during the job",
                                                   "printer.paper_ran_out"))
    tap(ui, "打印证明")
    screen(ui, qtbot, "error")
    find.wait_for_text(ui.window, "打印过程中纸张用完，凭条可能不完整")
    assert not ui.desk.printed
    tap(ui, "重试")  # after the paper is refilled
    screen(ui, qtbot, "result")
    assert len(ui.desk.printed) == 1 and ui.desk.printed[0].kind == "certificate"
    full = ui.desk.printed[0]
    tap(ui, "再打印一次")  # the same slip again, whole
    qtbot.waitUntil(lambda: len(ui.desk.printed) == 2, timeout=10_000)
    assert ui.desk.printed[1].plain_text() == full.plain_text()
    finish_to_home(ui, qtbot)


def reach_rate(ui, qtbot, monkeypatch) -> None:
    enter_at(ui, monkeypatch, PRINT, "document", "li_jianguo", {"insurance_type": "全部险种"})
    qtbot.waitUntil(lambda: ui.runner.steps["document"].print.isEnabled(), timeout=10_000)
    tap(ui, "打印证明")
    screen(ui, qtbot, "result")
    tap(ui, "完成")
    screen(ui, qtbot, "rate")


def test_a_rating_of_2_offers_the_indicators(ui, qtbot, monkeypatch) -> None:
    reach_rate(ui, qtbot, monkeypatch)
    rate = ui.runner.steps["rate"]
    assert rate.level_group.checkedId() == -1 and not rate.submit.isEnabled()  # nothing pre-selected
    assert not rate.indicator_box.isVisible()
    assert find.tap_targets(ui.window, "跳过")
    tap(ui, "不满意")
    assert rate.indicator_box.isVisible()
    find.wait_for_text(ui.window, "文字意见暂不能在本机输入")  # honest: no Chinese input yet
    tap(ui, "服务效率")
    tap(ui, "服务态度")
    tap(ui, "提交评价")
    screen(ui, qtbot, "home")  # never waits for the platform
    qtbot.waitUntil(lambda: bool(ui.desk.ratings), timeout=10_000)
    assert ui.desk.ratings == [{"item_id": PRINT["id"], "level": 2, "indicators": {"服务效率": 2, "服务态度": 2},
                                "reference": "ZM0001"}]


def test_a_rating_above_2_has_no_indicators_and_skipping_sends_nothing(ui, qtbot, monkeypatch) -> None:
    reach_rate(ui, qtbot, monkeypatch)
    rate = ui.runner.steps["rate"]
    tap(ui, "非常不满意")
    tap(ui, "满意")  # changed their mind
    assert not rate.indicator_box.isVisible()
    tap(ui, "跳过")
    screen(ui, qtbot, "home")
    assert ui.desk.called("rate") == []


def test_a_slow_platform_never_holds_the_resident_at_the_rating(ui, qtbot, monkeypatch) -> None:
    gate = ui.desk.hold("rate")
    reach_rate(ui, qtbot, monkeypatch)
    tap(ui, "非常满意")
    tap(ui, "提交评价")
    screen(ui, qtbot, "home")
    gate.set()
    qtbot.waitUntil(lambda: bool(ui.desk.ratings), timeout=10_000)


def test_a_sscard_taken_out_after_a_query_leads_to_the_rating(ui, qtbot) -> None:
    """The whole journey by 社保卡: taking it out on the result screen is what the screen asked for,
    not a walk-away (the identify step's watch ends only journeys not yet committed)."""
    from tests.ui.fake_desk import sscard_of

    reader = ui.devices.get("sscard")
    ui.runner.start_item(BY_ID["pension-payment-records"])
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")
    reader._set_status(card_present=True)
    reader.events.put(sscard_of("chen_guiying"))
    screen(ui, qtbot, "form")
    for ch in "2024":
        tap(ui, ch)
    tap(ui, "确定")
    query = ui.runner.steps["query"]
    qtbot.waitUntil(lambda: query.answer is not None, timeout=10_000)
    tap(ui, "完成")
    screen(ui, qtbot, "result")
    assert ui.runner.committed and not ui.window.back_button.isVisible()
    find.wait_for_text(ui.window, "您的社保卡还插在读卡口里")
    reader._set_status(card_present=False)
    qtbot.waitUntil(lambda: not ui.runner.steps["result"].card_reminder.isVisible(), timeout=10_000)
    assert ui.window.current == "result" and ui.session.active  # the session goes on to the rating
    advance_all(5)
    screen(ui, qtbot, "rate")
