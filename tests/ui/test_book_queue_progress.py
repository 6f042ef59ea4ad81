"""Appointments, queue numbers and progress over the fake desk: full slots disabled, the booking and
its ticket, the slot_full and already_booked pages, a queue ticket taken once, and progress by the
resident's own list, by the receipt's QR and by number + the ID number's last 4."""

from __future__ import annotations

import pytest

from kiosk.devices.qr_scanner import ScannedCode
from kiosk.services import messages
from kiosk.services.backend_types import BackendError
from kiosk.services.flows import plan
from kiosk.ui import find
from kiosk.ui.steps.form import CheckPage
from tests.ui.fake_desk import BY_ID, FAKE_APPLICATIONS, card_of
from tests.ui.test_apply_forms import commit

BOOKING = BY_ID["hrss-window-appointment"]  # service (select) + phone, then slots
QUEUE = BY_ID["real-estate-hall-ticket"]
PROGRESS = BY_ID["hrss-progress"]  # identify, then the list (or by number)
ANONYMOUS_PROGRESS = BY_ID["id-card-progress"]  # no identity: by number or QR only


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def type_keys(ui, field: str, text: str) -> None:
    tap(ui, field)
    for ch in text:
        tap(ui, ch)


def identified(ui, qtbot, item, persona="chen_guiying") -> None:
    ui.runner.start_item(item)
    screen(ui, qtbot, "guide")
    tap(ui, "开始办理")
    if item["auth_methods"]:
        screen(ui, qtbot, "identify")
        ui.devices.get("idcard").events.put(card_of(persona))


def to_slots(ui, qtbot) -> None:
    identified(ui, qtbot, BOOKING)
    screen(ui, qtbot, "form")
    tap(ui, "信息无误，下一项")  # the phone comes pre-filled from the platform, shown for checking first
    tap(ui, "养老保险")
    tap(ui, "确定")
    screen(ui, qtbot, "slots")
    find.wait_for_text(ui.window, "11月24日 周二　可预约时段")  # the first day with a free place, chosen


def test_full_slots_are_disabled_and_a_booking_gives_a_ticket(ui, qtbot) -> None:
    to_slots(ui, qtbot)
    find.wait_for_text(ui.window, "08:30-09:00\n已约满")
    assert not find.tap_targets(ui.window, "08:30")  # full: shown, but not tappable
    tap(ui, "确认预约")  # nothing chosen
    find.wait_for_text(ui.window, messages.text("appointment.choose_slot"))
    tap(ui, "09:00")
    tap(ui, "确认预约")
    find.wait_for_text(ui.window, "预约成功")
    assert ui.desk.called("book")[0] == (BOOKING["id"], "2026-11-24T0900", {"service": "养老保险",
                                                                             "phone": "13827510261"}, "养老保险")
    find.wait_for_text(ui.window, "请携带：本人有效身份证件原件")
    find.wait_for_text(ui.window, BOOKING["appointment"]["place"])
    qtbot.waitUntil(lambda: [r.kind for r in ui.desk.printed] == ["booking"], timeout=10_000)
    assert "11月24日 周二" in ui.desk.printed[0].plain_text()
    assert not ui.window.back_button.isVisible()  # booked: no way back to book twice
    tap(ui, "完成")
    screen(ui, qtbot, "result")


# Their forms ask for text (体检卫生院, 安检地址, 要办的事项): bookable since the Chinese keyboard landed.
TEXT_BOOKINGS = ["elderly-health-checkup-appointment", "gas-safety-inspection-appointment",
                 "village-proxy-service-appointment"]


@pytest.mark.parametrize("item_id", TEXT_BOOKINGS)
def test_a_booking_whose_form_asks_for_text(ui, qtbot, item_id) -> None:
    item = BY_ID[item_id]
    assert plan(item).complete
    identified(ui, qtbot, item)
    screen(ui, qtbot, "form")
    form = ui.runner.steps["form"]
    typed = {}
    while ui.window.current == "form":
        page = form.current
        if not isinstance(page, CheckPage):  # pre-filled answers (phone, address) are only checked
            if page.group is not None:
                page.group.button(0).click()
            else:
                typed[page.spec["name"]] = "韶关市浈江区新韶镇卫生院"
                commit(page.field, typed[page.spec["name"]])  # as the on-screen keyboard commits it
        tap(ui, form.next.text())
    screen(ui, qtbot, "slots")
    tap(ui, "09:00")
    tap(ui, "确认预约")
    find.wait_for_text(ui.window, "预约成功")
    (item_arg, slot, sent, _service), = ui.desk.called("book")
    assert (item_arg, slot) == (item_id, "2026-11-24T0900")
    assert all(sent[k] == v for k, v in typed.items())
    texts = [f["name"] for f in item["form_fields"] if f["type"] == "text"]
    assert texts and all(sent[name] for name in texts)  # typed, or the registered address checked
    assert sent["phone"] == "13827510261"  # pre-filled from the platform, checked by the resident
    if "printer" in item["hardware"]:  # the gas company's kiosk item has no slip: SMS only
        qtbot.waitUntil(lambda: [r.kind for r in ui.desk.printed] == ["booking"], timeout=10_000)
    else:
        assert not ui.desk.printed


def test_a_slot_taken_meanwhile_gets_its_own_page_and_the_way_on(ui, qtbot) -> None:
    to_slots(ui, qtbot)
    tap(ui, "09:30")
    ui.desk.full_slots.add("2026-11-24T0930")  # someone else took the last place
    tap(ui, "确认预约")
    find.wait_for_text(ui.window, messages.text("appointment.slot_full"))
    assert ui.window.current == "slots"
    tap(ui, "重新选择时段")
    find.wait_for_text(ui.window, "09:30-10:00\n已约满")  # the same day, the slot now full
    tap(ui, "09:00")
    tap(ui, "确认预约")
    find.wait_for_text(ui.window, "预约成功")


def test_a_second_booking_the_same_day_is_refused_clearly(ui, qtbot) -> None:
    to_slots(ui, qtbot)
    tap(ui, "09:00")
    ui.desk.bookings["someone-else"] = {"date": "2026-11-24"}  # this resident booked that day before
    tap(ui, "确认预约")
    find.wait_for_text(ui.window, messages.text("appointment.already_booked"))
    tap(ui, "选择其他日期")
    find.wait_for_text(ui.window, "11月25日 周三　可预约时段")  # the other day, offered
    assert ui.window.current == "slots" and ui.runner.steps["slots"].page == "choose"
    tap(ui, "11月24日")  # the resident may still look at the first day
    find.wait_for_text(ui.window, "11月24日 周二　可预约时段")


def test_a_queue_number_is_taken_once_and_printed(ui, qtbot) -> None:
    ui.desk.fail_next("take_ticket", BackendError("timeout", "no answer"))
    identified(ui, qtbot, QUEUE)
    screen(ui, qtbot, "ticket")
    tap(ui, "取号")
    find.wait_for_text(ui.window, messages.text("form.choose", label="业务分类"))
    tap(ui, "缴费")
    tap(ui, "取号")
    screen(ui, qtbot, "error")
    tap(ui, "重试")
    find.wait_for_text(ui.window, "取号成功")
    assert ui.runner.steps["ticket"].number.text() == "B001"
    find.wait_for_text(ui.window, "前面还有 4 人等候")
    find.wait_for_text(ui.window, "办理窗口：综合受理区、缴费窗口、发证窗口")
    assert len(ui.desk.tickets) == 1  # the retry carried the same key
    qtbot.waitUntil(lambda: [r.kind for r in ui.desk.printed] == ["queue_ticket"], timeout=10_000)
    text = ui.desk.printed[0].plain_text()
    assert "B001" in text and "办理业务：缴费" in text and "陈" not in text  # no personal data on a ticket
    tap(ui, "完成")
    screen(ui, qtbot, "result")


def test_progress_of_ones_own_applications(ui, qtbot) -> None:
    identified(ui, qtbot, PROGRESS)
    screen(ui, qtbot, "progress")
    find.wait_for_text(ui.window, "社会保障卡申领")
    tap(ui, FAKE_APPLICATIONS[0]["acceptance_no"])
    find.wait_for_text(ui.window, "材料待上传")
    find.wait_for_text(ui.window, "● 受理（进行中）")
    find.wait_for_text(ui.window, "○ 办结（未开始）")
    find.wait_for_text(ui.window, "还需补充的材料：近期免冠白底彩色照片（电子版）")
    tap(ui, "返回我的办件")
    tap(ui, FAKE_APPLICATIONS[1]["acceptance_no"])
    find.wait_for_text(ui.window, "✓ 办结（已完成）")
    tap(ui, "完成")
    screen(ui, qtbot, "result")


def test_progress_by_the_receipts_qr_without_identity(ui, qtbot) -> None:
    identified(ui, qtbot, ANONYMOUS_PROGRESS)
    screen(ui, qtbot, "progress")
    scanner = ui.devices.get("scanner")
    qtbot.waitUntil(lambda: scanner.enabled, timeout=10_000)
    scanner.events.put(ScannedCode("hello", "utf-8"))
    find.wait_for_text(ui.window, "不是受理回执上的二维码")
    scanner.events.put(ScannedCode(FAKE_APPLICATIONS[0]["progress_qr"], "utf-8"))
    find.wait_for_text(ui.window, "还需补充的材料")
    assert ui.desk.called("lookup_application") == [(FAKE_APPLICATIONS[0]["acceptance_no"], "0028")]
    assert not scanner.enabled  # the detail page wants no code


def test_progress_by_number_and_id_ending_typed(ui, qtbot) -> None:
    identified(ui, qtbot, ANONYMOUS_PROGRESS)
    screen(ui, qtbot, "progress")
    number = FAKE_APPLICATIONS[1]["acceptance_no"]
    type_keys(ui, "受理编号", number)
    tap(ui, "查询")
    find.wait_for_text(ui.window, messages.text("progress.number_format"))
    type_keys(ui, "身份证号码后4位", "1234")
    tap(ui, "查询")
    find.wait_for_text(ui.window, "（平台）application_not_found")
    tap(ui, "身份证号码后4位")
    tap(ui, "删除")
    tap(ui, "删除")
    tap(ui, "删除")
    tap(ui, "删除")
    type_keys(ui, "身份证号码后4位", "0028")
    tap(ui, "查询")
    find.wait_for_text(ui.window, "核定领取失业保险金6个月")
    tap(ui, "完成")
    screen(ui, qtbot, "result")
    tap(ui, "完成")
    screen(ui, qtbot, "rate")
    tap(ui, "基本满意")
    tap(ui, "提交评价")
    qtbot.waitUntil(lambda: bool(ui.desk.ratings), timeout=10_000)
    assert ui.desk.ratings[0]["reference"] == number
