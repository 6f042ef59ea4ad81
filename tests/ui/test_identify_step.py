"""The identify step over the fake desk: every method the plan offers listens at once, offline devices
are not offered, an expired card leads to the other methods and the window, unreadable cards and
stale codes keep the step waiting, and the 社保卡 pulled out later ends the session."""

from __future__ import annotations

from kiosk.devices.model import Completion, DeviceState
from kiosk.devices.qr_scanner import ScannedCode, ScanRejected
from kiosk.devices.sscard_apdu import SocialSecurityCardError
from kiosk.devices.sscard_reader import CardReadFailed
from kiosk.ui import find
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID, card_of, refusal, sscard_of

PRINT = BY_ID["social-insurance-certificate-print"]  # idcard, eid_qr, sscard; no face, no form
MEDICAL = BY_ID["medical-insurance-certificate-print"]  # idcard, eid_qr (and a form)
EXPIRED = "您的身份证已过有效期，请改用社保卡或“粤省事”电子身份证，并尽快到派出所换领新证。"


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def to_identify(ui, qtbot, item=PRINT) -> None:
    ui.runner.start_item(item)
    screen(ui, qtbot, "guide")
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")


def visible_methods(ui) -> list[str]:
    identify = ui.runner.steps["identify"]
    return [m for m in identify.offered if identify.cards[m].isVisible()]  # in their on-screen order


def test_every_method_of_the_plan_listens_at_once_in_the_items_order(ui, qtbot) -> None:
    to_identify(ui, qtbot)
    assert visible_methods(ui) == ["idcard", "eid_qr", "sscard"]  # the item's own order
    assert all(ui.devices.get(d).enabled for d in ("idcard", "scanner", "sscard"))
    find.wait_for_text(ui.window, "身份证读卡区")
    find.wait_for_text(ui.window, "扫码口")
    find.wait_for_text(ui.window, "社保卡插卡口")
    assert "或" in ui.runner.steps["identify"].prompt()
    tap(ui, "上一步")
    screen(ui, qtbot, "guide")
    assert not any(ui.devices.get(d).enabled for d in ("idcard", "scanner", "sscard"))


def test_a_method_the_item_does_not_allow_is_never_offered(ui, qtbot) -> None:
    to_identify(ui, qtbot, MEDICAL)
    assert visible_methods(ui) == ["idcard", "eid_qr"]
    assert not ui.devices.get("sscard").enabled


def test_offline_devices_are_not_offered_and_come_back(ui, qtbot) -> None:
    scanner = ui.devices.get("scanner")
    scanner._set_status(DeviceState.OFFLINE, "unplugged")
    to_identify(ui, qtbot)
    assert visible_methods(ui) == ["idcard", "sscard"]
    scanner._set_status(DeviceState.ONLINE, "")
    qtbot.waitUntil(lambda: visible_methods(ui) == ["idcard", "eid_qr", "sscard"], timeout=10_000)


def test_a_card_already_in_the_reader_goes_first(ui, qtbot) -> None:
    ui.devices.get("sscard")._set_status(card_present=True)
    to_identify(ui, qtbot)
    assert visible_methods(ui) == ["sscard", "idcard", "eid_qr"]


def test_sscard_identifies_and_the_sscard_is_sent(ui, qtbot) -> None:
    to_identify(ui, qtbot)
    ui.devices.get("sscard").events.put(sscard_of("chen_guiying"))
    screen(ui, qtbot, "document")
    assert ui.desk.called("open_session") == ["sscard"]
    identity = ui.session.identity
    assert identity.method == "sscard" and identity.extras["card_number"] == get_persona("chen_guiying").sscard.card_number
    assert not ui.devices.get("idcard").enabled and not ui.devices.get("scanner").enabled


def test_eid_code_identifies_with_the_platforms_identity(ui, qtbot) -> None:
    p = get_persona("he_shuifa")
    to_identify(ui, qtbot)
    ui.devices.get("scanner").events.put(ScannedCode(p.eid_token, "utf-8"))
    screen(ui, qtbot, "document")
    assert ui.session.identity.method == "eid_qr" and ui.session.identity.name == p.name
    assert ui.session.identity.id_number == p.id_number


def test_a_stale_eid_code_is_said_and_the_step_keeps_waiting(ui, qtbot) -> None:
    to_identify(ui, qtbot)
    ui.devices.get("scanner").events.put(ScannedCode("EID1.STALE", "utf-8"))
    find.wait_for_text(ui.window, "电子身份证二维码无效或已过期")
    assert ui.window.current == "identify" and ui.devices.get("scanner").enabled
    ui.devices.get("scanner").read_errors.put(ScanRejected("garbage", "scanner.unreadable"))
    find.wait_for_text(ui.window, "没能识别这个码")
    ui.devices.get("scanner").events.put(ScannedCode(get_persona("li_jianguo").eid_token, "utf-8"))
    screen(ui, qtbot, "document")


def test_wrong_card_and_card_pulled_mid_read_are_said_and_waiting_goes_on(ui, qtbot) -> None:
    reader = ui.devices.get("sscard")
    to_identify(ui, qtbot)
    reader.read_errors.put(CardReadFailed(SocialSecurityCardError(
        "wrong_card", Completion.USER_ERROR, "SELECT SSSE 6A82", "sscard.wrong_card")))
    find.wait_for_text(ui.window, "这张卡不是社会保障卡")
    reader.read_errors.put(CardReadFailed(SocialSecurityCardError(
        "card_removed", Completion.USER_ERROR, "removed", "sscard.removed")))
    find.wait_for_text(ui.window, "读卡过程中社保卡被拔出")
    assert ui.window.current == "identify" and reader.enabled
    reader.events.put(sscard_of("li_jianguo"))
    screen(ui, qtbot, "document")


def test_an_expired_id_card_offers_the_other_methods_and_the_window(ui, qtbot) -> None:
    ui.desk.fail_next("open_session", refusal("id_card_expired", EXPIRED))
    to_identify(ui, qtbot)
    ui.devices.get("idcard").events.put(card_of("zhou_zhiqiang"))
    screen(ui, qtbot, "error")
    find.wait_for_text(ui.window, "您的身份证已过有效期")
    assert not find.tap_targets(ui.window, "重试")  # the same card cannot work
    assert not ui.session.identity
    tap(ui, "换一种方式")
    screen(ui, qtbot, "identify")
    assert visible_methods(ui) == ["eid_qr", "sscard"]
    find.wait_for_text(ui.window, PRINT["implementing_body"]["name"])  # … or the window
    assert not ui.devices.get("idcard").enabled and ui.devices.get("sscard").enabled
    ui.devices.get("sscard").events.put(sscard_of("zhou_zhiqiang"))
    screen(ui, qtbot, "document")


def test_an_expired_card_on_an_idcard_only_item_still_names_the_window(ui, qtbot) -> None:
    item = dict(PRINT, auth_methods=["idcard"])
    ui.desk.fail_next("open_session", refusal("id_card_expired", EXPIRED))
    to_identify(ui, qtbot, item)
    ui.devices.get("idcard").events.put(card_of("zhou_zhiqiang"))
    screen(ui, qtbot, "error")
    tap(ui, "换一种方式")
    screen(ui, qtbot, "identify")
    assert visible_methods(ui) == []
    find.wait_for_text(ui.window, "没有其他可用的核验方式")
    find.wait_for_text(ui.window, item["implementing_body"]["phone"])


def test_pulling_the_sscard_before_printing_ends_the_session(ui, qtbot) -> None:
    reader = ui.devices.get("sscard")
    reader._set_status(card_present=False)
    to_identify(ui, qtbot)
    reader._set_status(card_present=True)
    reader.events.put(sscard_of("chen_guiying"))
    screen(ui, qtbot, "document")
    qtbot.waitUntil(lambda: ui.runner.steps["document"].print.isEnabled(), timeout=10_000)
    assert reader.enabled  # still watching the slot
    reader._set_status(card_present=False)
    screen(ui, qtbot, "home")
    assert not ui.session.active and not reader.enabled
    find.wait_for_text(ui.window, "社保卡已拔出")


def test_pulling_the_sscard_after_printing_is_what_the_resident_was_asked(ui, qtbot) -> None:
    reader = ui.devices.get("sscard")
    to_identify(ui, qtbot)
    reader._set_status(card_present=True)
    reader.events.put(sscard_of("chen_guiying"))
    screen(ui, qtbot, "document")
    qtbot.waitUntil(lambda: ui.runner.steps["document"].print.isEnabled(), timeout=10_000)
    tap(ui, "打印证明")
    screen(ui, qtbot, "result")
    find.wait_for_text(ui.window, "请取走您的社保卡")
    reader._set_status(card_present=False)  # status slots run at once on this (the GUI) thread
    assert ui.window.current == "result" and ui.session.active
