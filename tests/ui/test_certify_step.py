"""The certify step for every certify item, against the fake desk: the result and its validity with a
printable 认证凭证; a still-valid certification shown first, with 重新认证 only where the item allows
it; a resident who is not eligible gets the platform's reason and the window to ask at."""

from __future__ import annotations

import pytest

from kiosk.ui import find
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID, ITEMS
from tests.ui.journeys import enter_at, finish_to_home, screen, tap

CERTIFY_ITEMS = [i for i in ITEMS if i["flow"] == "certify"]


def test_there_are_3_certify_items():
    assert len(CERTIFY_ITEMS) == 3


@pytest.mark.parametrize("item", CERTIFY_ITEMS, ids=[i["id"] for i in CERTIFY_ITEMS])
def test_every_certify_item_certifies_and_prints_its_proof(ui, qtbot, monkeypatch, item) -> None:
    enter_at(ui, monkeypatch, item, "certify", "chen_guiying")
    screen(ui, qtbot, "certify")
    find.wait_for_text(ui.window, "认证成功，有效期至 2027 年 12 月")
    assert ui.desk.called("certification_status") == [item["id"]]  # asked first
    assert ui.desk.called("certify") == [item["id"]]
    find.wait_for_text(ui.window, item["certify"]["consequence"])
    tap(ui, "打印认证凭证")
    screen(ui, qtbot, "result")
    proof = ui.desk.printed[-1]
    assert proof.kind == "certification" and "RZ0001" in proof.plain_text()
    find.wait_for_text(ui.window, "认证成功")
    assert not ui.window.back_button.isVisible()  # certified: no going back
    screen(ui, qtbot, "result")
    tap(ui, "完成")
    screen(ui, qtbot, "rate")
    tap(ui, "满意")
    tap(ui, "提交评价")
    screen(ui, qtbot, "home")
    qtbot.waitUntil(lambda: bool(ui.desk.ratings), timeout=10_000)
    assert ui.desk.ratings[0]["reference"] == "RZ0001"  # the rating carries the certification number


@pytest.mark.parametrize("item", CERTIFY_ITEMS, ids=[i["id"] for i in CERTIFY_ITEMS])
def test_a_still_valid_certification_is_shown_first(ui, qtbot, monkeypatch, item) -> None:
    token = "token-" + get_persona("chen_guiying").id_number[-4:]  # what enter_at's session is given
    ui.desk.certifications[(token, item["id"])] = {
        "certification_no": "RZ0009", "certified_at": "2026-06-01T09:00:00+08:00", "valid_until": "2027-06-30"}
    enter_at(ui, monkeypatch, item, "certify", "chen_guiying")
    certify = ui.runner.steps["certify"]
    qtbot.waitUntil(lambda: certify.status is not None, timeout=10_000)
    find.wait_for_text(ui.window, "您已完成认证，有效期至 2027 年 6 月，无需重复认证。")
    assert ui.desk.called("certify") == []  # nothing certified by itself
    renewable = bool(item["certify"].get("recertify_while_valid"))
    assert certify.renew.isVisible() == renewable
    if renewable:
        tap(ui, "重新认证")
        find.wait_for_text(ui.window, "认证成功，有效期至 2027 年 12 月")
        assert ui.desk.called("certify") == [item["id"]]
    tap(ui, "完成")
    finish_to_home(ui, qtbot)


def test_not_eligible_gets_the_reason_and_where_to_go(ui, qtbot, monkeypatch) -> None:
    item = BY_ID["pension-eligibility-certification"]
    ui.desk.not_eligible = True
    enter_at(ui, monkeypatch, item, "certify", "li_jianguo")
    screen(ui, qtbot, "certify")
    find.wait_for_text(ui.window, "系统显示您目前没有领取相关待遇")  # the platform's reason
    find.wait_for_text(ui.window, item["implementing_body"]["address"])  # and where to go
    find.wait_for_text(ui.window, item["implementing_body"]["phone"])
    assert ui.window.current == "certify"  # said here, not as a failure
    tap(ui, "完成")
    screen(ui, qtbot, "result")
    find.wait_for_text(ui.window, "暂无需认证")
    finish_to_home(ui, qtbot)


def test_the_platform_refusing_a_renewal_is_said_as_still_valid(ui, qtbot, monkeypatch) -> None:
    """A race: the status said "not certified", the platform then answers already_certified."""
    from tests.ui.fake_desk import refusal

    item = BY_ID["veteran-subsidy-certification"]
    ui.desk.fail_next("certify", refusal("already_certified", "您已完成认证，有效期至 2027 年 12 月，无需重复认证。", 409))
    enter_at(ui, monkeypatch, item, "certify", "he_shuifa")
    find.wait_for_text(ui.window, "您已完成认证，有效期至 2027 年 12 月")
    assert ui.window.current == "certify" and not ui.runner.steps["certify"].renew.isVisible()
