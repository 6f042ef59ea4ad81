"""代办 over the fake desk: 帮他人办理 only on proxy_ok items and never an extra step for anyone else;
the principal first (and their face where the plan has one), then the agent by ID card; both
labelled 办理人 / 代办人 on the later screens and on the receipt."""

from __future__ import annotations

from kiosk.ui import find
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID, card_of, refusal

PROXY_ITEM = BY_ID["health-checkup-report-print"]  # proxy_ok, no face, a year to type
PRINT = BY_ID["social-insurance-certificate-print"]  # not proxy_ok
FACE_PROXY = dict(BY_ID["household-registration-certificate"], tags=["instant", "proxy_ok"])  # face + 代办


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def to_identify(ui, qtbot, item) -> None:
    ui.runner.start_item(item)
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")


def agent_by_card(ui, qtbot, relation: str = "子女", agent: str = "li_jianguo") -> None:
    find.wait_for_text(ui.window, "代办人与办理人是什么关系")
    tap(ui, relation)
    ui.devices.get("idcard").events.put(card_of(agent))


def answer_year(ui) -> None:
    for key in "2025":
        tap(ui, key)
    tap(ui, "确定")


def test_only_proxy_ok_items_offer_it(ui, qtbot) -> None:
    to_identify(ui, qtbot, PRINT)
    assert not find.tap_targets(ui.window, "帮他人办理")
    tap(ui, "返回首页")
    to_identify(ui, qtbot, PROXY_ITEM)
    assert find.tap_targets(ui.window, "帮他人办理")


def test_without_the_button_nobody_sees_an_agent_step(ui, qtbot) -> None:
    to_identify(ui, qtbot, PROXY_ITEM)
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    screen(ui, qtbot, "form")
    assert not ui.desk.called("add_proxy") and ui.session.proxy is None
    assert "办理人" not in ui.window.progress.text()


def test_principal_then_agent_both_on_every_later_screen_and_the_receipt(ui, qtbot) -> None:
    chen, li = get_persona("chen_guiying"), get_persona("li_jianguo")
    to_identify(ui, qtbot, PROXY_ITEM)
    tap(ui, "帮他人办理")
    find.wait_for_text(ui.window, "先由办理人")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))  # the principal first
    agent_by_card(ui, qtbot)
    screen(ui, qtbot, "form")  # no extra step: the agent was part of identify
    assert ui.runner.plan.kinds == ("guide", "identify", "form", "document", "result", "rate")
    item_id, proxy = ui.desk.proxies[0]
    assert item_id == PROXY_ITEM["id"] and (proxy.name, proxy.id_number, proxy.relation) == (li.name, li.id_number, "子女")
    assert ui.session.identity.name == chen.name and ui.session.proxy.name == li.name
    label = "办理人：陈*英　代办人：李*国（子女）"
    assert label in ui.window.progress.text()
    answer_year(ui)
    screen(ui, qtbot, "document")
    assert label in ui.window.progress.text()
    qtbot.waitUntil(lambda: ui.runner.steps["document"].print.isEnabled(), timeout=10_000)
    tap(ui, "打印证明")
    screen(ui, qtbot, "result")
    assert label in ui.window.progress.text()
    find.wait_for_text(ui.window, "代办人的身份证")
    slip = ui.desk.printed[-1].plain_text()
    assert f"办理人：{chen.name}" in slip and f"代办人：{li.name}（子女）" in slip
    assert li.id_number not in slip and li.id_number[-4:] in slip  # masked, as every number on a slip
    tap(ui, "完成")
    screen(ui, qtbot, "rate")
    assert label in ui.window.progress.text()
    tap(ui, "跳过")
    screen(ui, qtbot, "home")
    assert ui.session.proxy is None and not ui.session.active


def test_the_agent_after_the_principals_face(ui, qtbot) -> None:
    to_identify(ui, qtbot, FACE_PROXY)
    tap(ui, "帮他人办理")
    find.wait_for_text(ui.window, "并进行人脸识别")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    screen(ui, qtbot, "face")  # the principal's face before any agent
    assert not ui.desk.called("add_proxy")
    find.wait_for_text(ui.window, "请办理人本人正对摄像头")
    tap(ui, "同意，开始人脸识别")
    camera = ui.devices.get("camera")
    qtbot.waitUntil(lambda: camera.waiting, timeout=10_000)
    camera.finish()
    agent_by_card(ui, qtbot, "配偶", "he_shuifa")
    screen(ui, qtbot, "form")
    assert [p.relation for _, p in ui.desk.proxies] == ["配偶"]
    assert ui.session.results["face"] == {"matched": True, "proxy": True}
    assert "代办人：何*发（配偶）" in ui.window.progress.text()


def test_a_refused_agent_is_said_and_the_next_card_is_read(ui, qtbot) -> None:
    ui.desk.fail_next("add_proxy", refusal("proxy_same_person", "代办人不能是办理人本人，请由代办人放置自己的身份证。", 422))
    to_identify(ui, qtbot, PROXY_ITEM)
    tap(ui, "帮他人办理")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    agent_by_card(ui, qtbot, agent="chen_guiying")
    find.wait_for_text(ui.window, "代办人不能是办理人本人")
    assert ui.window.current == "identify" and ui.devices.get("idcard").enabled
    ui.devices.get("idcard").events.put(card_of("li_jianguo"))
    screen(ui, qtbot, "form")
    assert len(ui.desk.called("add_proxy")) == 2


def test_no_card_is_read_for_the_agent_before_the_relation(ui, qtbot) -> None:
    to_identify(ui, qtbot, PROXY_ITEM)
    tap(ui, "帮他人办理")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    find.wait_for_text(ui.window, "代办人与办理人是什么关系")
    assert not ui.devices.get("idcard").enabled
    find.wait_for_text(ui.window, "请先选择代办人与办理人的关系")
    tap(ui, "其他亲属")
    assert ui.devices.get("idcard").enabled
