"""The flow runner over a fake service desk: a whole print journey, back, home, the one error screen,
late results dropped by session, 暂未开通, and the wipe. Taps go through kiosk/ui/find.py by text."""

from __future__ import annotations

from kiosk.services.messages import CodedError
from kiosk.ui import find
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID, card_of

PRINT = BY_ID["social-insurance-certificate-print"]  # no form step, ID card only
FACE_ITEM = BY_ID["household-registration-certificate"]  # needs a face check


class PlatformRefusal(Exception):
    """What the client raises for a refused request: the platform's code, field and sentence."""

    def __init__(self, code: str, field: str, platform_message: str) -> None:
        super().__init__(code)
        self.code, self.field, self.platform_message = code, field, platform_message


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def all_widget_texts(window) -> str:
    from PySide6.QtWidgets import QWidget

    return "\n".join(find.widget_text(w) for w in window.findChildren(QWidget))


def start_print(ui, qtbot, persona_id: str = "chen_guiying") -> None:
    ui.runner.start_item(PRINT)
    screen(ui, qtbot, "guide")
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")
    ui.devices.get("idcard").events.put(card_of(persona_id))
    screen(ui, qtbot, "document")
    qtbot.waitUntil(lambda: ui.runner.steps["document"].print.isEnabled(), timeout=10_000)


def test_a_whole_print_journey_walks_the_plan(ui, qtbot) -> None:
    assert ui.runner.plan is None and ui.window.current == "home"
    start_print(ui, qtbot)
    assert ui.runner.plan.kinds == ("guide", "identify", "document", "result", "rate")
    find.wait_for_text(ui.window, "第 3 步，共 5 步")
    tap(ui, "打印证明")
    screen(ui, qtbot, "result")
    assert [r.kind for r in ui.desk.printed] == ["certificate"]
    assert not ui.window.back_button.isVisible()  # committed: no way back to print twice
    tap(ui, "完成")
    screen(ui, qtbot, "rate")
    assert not ui.runner.steps["rate"].submit.isEnabled()  # nothing pre-selected
    tap(ui, "基本满意")
    tap(ui, "提交评价")
    screen(ui, qtbot, "home")
    qtbot.waitUntil(lambda: bool(ui.desk.ratings), timeout=10_000)
    assert ui.desk.ratings[0]["level"] == 3 and ui.desk.ratings[0]["reference"] == "ZM0001"
    qtbot.waitUntil(lambda: ("item.end", "success") in ui.desk.events, timeout=10_000)
    assert not ui.session.active and ui.session.platform_token is None


def test_back_walks_back_and_from_the_first_step_goes_home(ui, qtbot) -> None:
    ui.runner.start_item(PRINT)
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")
    tap(ui, "上一步")
    screen(ui, qtbot, "guide")
    tap(ui, "上一步")
    screen(ui, qtbot, "home")
    assert not ui.session.active
    qtbot.waitUntil(lambda: ("item.end", "cancel") in ui.desk.events, timeout=10_000)


def test_home_from_any_step_wipes_and_leaves_nothing_on_screen(ui, qtbot) -> None:
    persona = get_persona("chen_guiying")
    start_print(ui, qtbot)
    assert persona.name in all_widget_texts(ui.window)
    tap(ui, "返回首页")
    screen(ui, qtbot, "home")
    assert not ui.session.active and ui.session.identity is None
    texts = all_widget_texts(ui.window)  # hidden step screens included
    assert persona.name not in texts and persona.id_number[-4:] not in texts
    assert not ui.devices.get("idcard").enabled  # the reader stops asking for cards


def test_failures_go_to_the_one_error_screen_and_retry_goes_on(ui, qtbot) -> None:
    ui.desk.fail_next("issue_certificate", CodedError("backend.server", "platform 502"))
    ui.runner.start_item(PRINT)
    tap(ui, "开始办理")
    ui.devices.get("idcard").events.put(card_of("li_jianguo"))
    screen(ui, qtbot, "error")
    find.wait_for_text(ui.window, "重试")
    assert not ui.window.journey_bar.isVisible()  # the error screen carries its own ways on
    assert find.tap_targets(ui.window, "请联系工作人员") and find.tap_targets(ui.window, "返回首页")
    tap(ui, "重试")
    screen(ui, qtbot, "document")
    qtbot.waitUntil(lambda: ui.runner.steps["document"].print.isEnabled(), timeout=10_000)
    assert len(ui.desk.called("issue_certificate")) == 2


def test_error_then_home_offers_the_rating_first(ui, qtbot) -> None:
    ui.desk.fail_next("issue_certificate", CodedError("backend.server", "platform 502"))
    ui.runner.start_item(PRINT)
    tap(ui, "开始办理")
    ui.devices.get("idcard").events.put(card_of("li_jianguo"))
    screen(ui, qtbot, "error")
    tap(ui, "返回首页")
    screen(ui, qtbot, "rate")
    tap(ui, "跳过")
    screen(ui, qtbot, "home")
    qtbot.waitUntil(lambda: ("item.end", "error") in ui.desk.events, timeout=10_000)
    assert not ui.desk.ratings


def test_a_result_after_the_session_ended_is_dropped(ui, qtbot) -> None:
    gate = ui.desk.hold("issue_certificate")
    ui.runner.start_item(PRINT)
    tap(ui, "开始办理")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    qtbot.waitUntil(lambda: bool(ui.desk.called("issue_certificate")), timeout=10_000)
    screen(ui, qtbot, "busy")
    tap(ui, "返回首页")  # the resident leaves while the platform is still answering
    screen(ui, qtbot, "home")
    gate.set()
    qtbot.wait(300)  # let the late answer arrive (and be dropped); nothing to wait for otherwise
    assert ui.window.current == "home"
    assert "certificate" not in ui.session.results and not ui.session.active


def test_a_step_not_built_says_so_before_any_card(ui, qtbot, monkeypatch) -> None:
    from kiosk.services.flows import BUILT, Built, plan
    from kiosk.ui import flow_runner

    without_face = Built(BUILT.steps - {"face"}, BUILT.methods, BUILT.field_types)  # as before issue 17
    monkeypatch.setattr(flow_runner, "plan", lambda item, mode="standard": plan(item, without_face, mode=mode))
    ui.runner.start_item(FACE_ITEM)
    assert ui.runner.plan.kinds == ("guide", "not_built")
    screen(ui, qtbot, "guide")
    find.wait_for_text(ui.window, "本终端暂未开通本事项的自助办理")
    tap(ui, "开始办理")
    screen(ui, qtbot, "not_built")
    find.wait_for_text(ui.window, FACE_ITEM["implementing_body"]["name"])
    assert not ui.devices.get("idcard").enabled  # never asked for a card
    tap(ui, "返回首页")
    screen(ui, qtbot, "home")


def test_offline_platform_is_said_before_the_card(ui, qtbot) -> None:
    ui.desk.offline = True
    ui.runner.start_item(PRINT)
    tap(ui, "开始办理")
    screen(ui, qtbot, "error")
    find.wait_for_text(ui.window, "网络中断")
    assert not ui.devices.get("idcard").enabled
    ui.desk.offline = False
    tap(ui, "重试")
    screen(ui, qtbot, "identify")


def test_help_calls_staff_with_the_screen_name(ui, qtbot) -> None:
    ui.runner.start_item(PRINT)
    tap(ui, "帮办")
    qtbot.waitUntil(lambda: ui.desk.called("request_assistance") == ["guide"], timeout=10_000)
    find.wait_for_text(ui.window, "工作人员马上到")


def test_platform_form_invalid_returns_to_the_field(ui, qtbot) -> None:
    item = BY_ID["medical-insurance-certificate-print"]  # two required month fields
    exc = PlatformRefusal("form_invalid", "end_month", "“截止年月”不能晚于当前月份，请修改后重新提交。")
    ui.desk.fail_next("issue_certificate", exc)
    ui.runner.start_item(item)
    tap(ui, "开始办理")
    ui.devices.get("idcard").events.put(card_of("li_jianguo"))
    screen(ui, qtbot, "form")
    for _ in range(2):  # the two month pages: pick March, then go on
        tap(ui, "3月")
        tap(ui, "下一项" if ui.runner.steps["form"].page == 0 else "确定")
    screen(ui, qtbot, "form")  # refused by the platform: back on the end_month page
    qtbot.waitUntil(lambda: ui.runner.steps["form"].page == 1, timeout=10_000)
    find.wait_for_text(ui.window, "不能晚于当前月份")


def test_every_screen_has_a_prompt_and_every_button_a_name(ui, qtbot) -> None:
    from PySide6.QtWidgets import QAbstractButton

    for name, screen_widget in ui.window.screens.items():
        for b in screen_widget.findChildren(QAbstractButton):
            assert find.widget_text(b).strip() or b.accessibleName().strip(), f"{name}: a nameless button"
    prompts = {}
    ui.runner.screen_changed.connect(lambda name: prompts.setdefault(name, ui.window.screens[name].prompt()))
    start_print(ui, qtbot)
    tap(ui, "打印证明")
    screen(ui, qtbot, "result")
    tap(ui, "完成")
    screen(ui, qtbot, "rate")
    for kind in ("guide", "identify", "document", "result", "rate"):
        assert prompts[kind].strip(), kind
