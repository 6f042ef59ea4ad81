"""The print flow on the flow runner, end to end, headless, against the real simulator processes:

home → tile → guide (开始办理) → identify (the hub places a persona's card; SAM frames over
socket://) → HTTPS backend → document (ID number masked) → 打印证明 (python-escpos Network) → result
(请取走…) → 好差评 → home, with the session's personal data gone from the session, the screens and
the log. Every tap goes through kiosk/ui/find.py, by visible text, as a resident would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import build_kiosk, start_kiosk
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.model import DeviceState
from kiosk.ui import find
from kiosk.ui.countdown import advance_all
from kiosk.ui.fonts import load_ui_font
from kiosk.ui.main_window import STATUS_OFFLINE, STATUS_ONLINE
from simulators.backend.form_examples import PRINT_CASES
from simulators.personas import get_persona

ITEM = "social-insurance-certificate-print"
ITEM_NAME = "个人社保参保证明打印"
WAIT = 60_000  # ms; generous, the machine may be loaded — correctness never depends on it
WAIT_S = WAIT / 1000


@pytest.fixture
def kiosk(hub, qtbot, tmp_path: Path):
    env = {**hub.kiosk_env(),
           "KIOSK_LOG_DIR": str(tmp_path / "log"),
           "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
           "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3"),
           "KIOSK_DEVICES__IDCARD__POLL_INTERVAL_S": "0.1"}
    cfg = load_config(DEFAULT_CONFIG, env=env)
    from kiosk.logging_setup import setup_logging

    setup_logging(cfg.log_dir, console=False)
    load_ui_font()
    k = build_kiosk(cfg)
    qtbot.addWidget(k.window)
    k.window.show_kiosk(windowed=True)
    start_kiosk(k)
    qtbot.waitUntil(lambda: ITEM in k.runner.home.tiles, timeout=WAIT)
    qtbot.waitUntil(lambda: k.devices.get("idcard").status.state == DeviceState.ONLINE, timeout=WAIT)
    yield k
    k.close()
    import logging

    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()


def tap(kiosk, text: str) -> None:
    find.tap_text(kiosk.window, text, timeout_s=WAIT_S)


def wait_screen(kiosk, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: kiosk.window.current == name, timeout=WAIT)


@pytest.mark.e2e
def test_resident_prints_insurance_certificate(hub, kiosk, qtbot, tmp_path: Path) -> None:
    persona = get_persona("li_jianguo")
    runner, window = kiosk.runner, kiosk.window
    assert window.current == "home"

    tap(kiosk, ITEM_NAME)
    assert window.current == "guide"
    find.wait_for_text(window, "申请材料")  # the 一次性告知 guide …
    find.wait_for_text(window, "第 1 步，共 5 步")  # guide, identify, document, result, rate
    tap(kiosk, "开始办理")
    wait_screen(kiosk, qtbot, "identify")
    find.wait_for_text(window, f"您正在办理：{ITEM_NAME}")

    hub.call("POST", "/idcard/place", {"persona": persona.id})
    wait_screen(kiosk, qtbot, "document")
    document = runner.steps["document"]
    qtbot.waitUntil(lambda: document.print.isEnabled(), timeout=WAIT)
    shown = dict(document.values())
    assert "参保证明" in document.title.text()
    assert shown["姓名"] == persona.name
    masked = shown["公民身份号码"]
    assert persona.id_number not in masked and masked.startswith(persona.id_number[:4])
    assert masked.endswith(persona.id_number[-4:])
    assert "累计缴费月数" in shown

    receipts_before = len(hub.call("GET", "/receipts")["receipts"])
    tap(kiosk, "打印证明")
    wait_screen(kiosk, qtbot, "result")
    find.wait_for_text(window, "请取走您的身份证和打印的凭条")
    assert not window.back_button.isVisible()  # printed: no going back

    receipts = hub.call("GET", "/receipts")["receipts"]
    assert len(receipts) == receipts_before + 1
    text = receipts[-1]["text"]
    assert "广东省社会保险个人参保证明" in "".join(text.split())  # the big title may wrap
    assert persona.name in text
    assert persona.id_number not in text  # masked on paper too
    assert kiosk.session.results["certificate"]["verification_code"] in text

    hub.call("POST", "/idcard/lift")
    advance_all(kiosk.config.timeouts.take_away_s)  # the result screen moves on by itself
    wait_screen(kiosk, qtbot, "rate")
    tap(kiosk, "满意")
    tap(kiosk, "提交评价")
    wait_screen(kiosk, qtbot, "home")
    assert kiosk.session.identity is None and kiosk.session.item is None
    assert kiosk.session.platform_token is None and not kiosk.session.results
    texts = "\n".join(find.visible_texts(window))
    assert persona.name not in texts and persona.id_number[-4:] not in texts

    # usage events and the rating went through the outbox and were acknowledged
    qtbot.waitUntil(lambda: kiosk.outbox.stats()["delivered_total"] >= 3 and kiosk.outbox.pending_count() == 0,
                    timeout=WAIT)
    assert hub.call("GET", "/backend/state")["counts"].get("rating", 0) >= 1

    log_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "log").glob("kiosk.log*"))
    assert "identified by idcard" in log_text  # the journey was logged …
    assert persona.name not in log_text and persona.id_number not in log_text  # … without personal data


@pytest.mark.e2e
def test_unreadable_card_says_what_to_do_and_the_next_placement_works(hub, kiosk, qtbot) -> None:
    """读卡失败 must never be a dead end: the screen says what to do, and re-placing the card works."""
    persona = get_persona("huang_xiaomei")
    tap(kiosk, ITEM_NAME)
    tap(kiosk, "开始办理")
    wait_screen(kiosk, qtbot, "identify")
    identify = kiosk.runner.steps["identify"]

    hub.call("POST", "/idcard/fault", {"kind": "sw3", "code": "41", "once": True})  # read failed
    hub.call("POST", "/idcard/place", {"persona": persona.id})
    qtbot.waitUntil(lambda: identify.error.text() != "", timeout=WAIT)
    assert kiosk.window.current == "identify"
    assert "身份证" in identify.error.text()  # says what happened …
    assert "请" in identify.status.text()  # … and what to do next

    hub.call("POST", "/idcard/lift")
    hub.call("POST", "/idcard/place", {"persona": persona.id})
    wait_screen(kiosk, qtbot, "document")
    document = kiosk.runner.steps["document"]
    qtbot.waitUntil(lambda: document.print.isEnabled(), timeout=WAIT)
    assert dict(document.values())["姓名"] == persona.name
    hub.call("POST", "/idcard/lift")
    tap(kiosk, "返回首页")
    assert kiosk.window.current == "home" and kiosk.session.identity is None


@pytest.mark.e2e
def test_platform_down_is_said_plainly_and_recovers(hub, kiosk, qtbot) -> None:
    """Backend down (hub fault proxy): the status line says so, the resident gets the one error screen
    instead of a card request, and the kiosk finds the platform again when it is back."""
    persona = get_persona("he_shuifa")
    window = kiosk.window
    qtbot.waitUntil(lambda: window.status_line.text() == STATUS_ONLINE, timeout=WAIT)
    try:
        hub.call("POST", "/backend/mode", {"mode": "down"})
        tap(kiosk, ITEM_NAME)
        tap(kiosk, "开始办理")
        wait_screen(kiosk, qtbot, "identify")
        hub.call("POST", "/idcard/place", {"persona": persona.id})
        wait_screen(kiosk, qtbot, "error")  # the call failed …
        find.wait_for_text(window, "连不上政务服务平台")  # … and says so
        assert find.tap_targets(window, "重试") and find.tap_targets(window, "请联系工作人员")
        qtbot.waitUntil(lambda: window.status_line.text() == STATUS_OFFLINE, timeout=WAIT)
        hub.call("POST", "/idcard/lift")
        tap(kiosk, "返回首页")  # from the error screen: the voluntary rating first
        wait_screen(kiosk, qtbot, "rate")
        tap(kiosk, "跳过")
        wait_screen(kiosk, qtbot, "home")

        # Known to be offline: the next resident reads the guide, and is told before any card.
        tap(kiosk, ITEM_NAME)
        tap(kiosk, "开始办理")
        wait_screen(kiosk, qtbot, "error")
        find.wait_for_text(window, "网络中断")
        find.wait_for_text(window, "窗口")
        tap(kiosk, "返回首页")
        wait_screen(kiosk, qtbot, "rate")  # failed items are rated too, if the resident wants
        tap(kiosk, "跳过")
        wait_screen(kiosk, qtbot, "home")
    finally:
        hub.call("POST", "/backend/mode", {"mode": "up"})
    tap(kiosk, ITEM_NAME)
    tap(kiosk, "开始办理")
    wait_screen(kiosk, qtbot, "identify")
    # The probe that let the resident through marked the platform online on its worker thread;
    # the status line follows through a queued signal.
    qtbot.waitUntil(lambda: window.status_line.text() == STATUS_ONLINE, timeout=WAIT)
    tap(kiosk, "上一步")
    assert window.current == "guide"
    tap(kiosk, "上一步")
    assert window.current == "home" and not kiosk.session.active


def answer_form(kiosk, qtbot) -> None:
    """Answer every page of the form the way a resident would: a year typed, January picked."""
    from datetime import date

    form = kiosk.runner.steps["form"]
    for page in list(form.pages):
        if page.kind == "number":
            for ch in str(date.today().year - 1):
                tap(kiosk, ch)
        elif page.kind == "date":
            tap(kiosk, "1月")
        elif page.kind == "select":
            tap(kiosk, page.spec["options"][0])
        last = page is form.pages[-1]
        tap(kiosk, "确定" if last else "下一项")


NO_FACE_PRINT_ITEMS = ["social-insurance-certificate-print", "health-checkup-report-print",
                       "medical-insurance-certificate-print"]


@pytest.mark.e2e
@pytest.mark.parametrize("item_id", NO_FACE_PRINT_ITEMS)
def test_every_print_item_without_a_face_step_prints(hub, kiosk, qtbot, item_id) -> None:
    """The three print items the ID card alone identifies, end to end (the other five need the face
    step, issue 17)."""
    item = next(i for i in kiosk.runner.home.items if i["id"] == item_id)
    kiosk.runner.start_item(item)
    assert kiosk.runner.plan.complete
    tap(kiosk, "开始办理")
    persona = PRINT_CASES[item_id][0]  # someone the platform has a record for (a 体检 needs 65+)
    hub.call("POST", "/idcard/place", {"persona": persona})
    if "form" in kiosk.runner.plan.kinds:
        wait_screen(kiosk, qtbot, "form")
        answer_form(kiosk, qtbot)
    wait_screen(kiosk, qtbot, "document")
    document = kiosk.runner.steps["document"]
    qtbot.waitUntil(lambda: document.print.isEnabled(), timeout=WAIT)
    certificate = kiosk.session.results["certificate"]
    before = len(hub.call("GET", "/receipts")["receipts"])
    tap(kiosk, "打印证明")
    wait_screen(kiosk, qtbot, "result")
    receipts = hub.call("GET", "/receipts")["receipts"]
    assert len(receipts) == before + 1
    assert certificate["verification_code"] in receipts[-1]["text"]
    assert certificate["qr"] in receipts[-1]["qr"]  # the printed QR decodes to the verification URL
    hub.call("POST", "/idcard/lift")
    tap(kiosk, "完成")
    wait_screen(kiosk, qtbot, "rate")
    tap(kiosk, "跳过")
    wait_screen(kiosk, qtbot, "home")
