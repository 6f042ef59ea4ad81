"""The technician screen's self-tests against the real simulators, through the screen: the kiosk is
built as `kiosk` builds it (app.py), pointed at a hub with the scanner and camera and at the A4
printer simulator (real CUPS); the technician comes in by the corner and the PIN and taps each test.
Every device passes, then fails the way the simulator is told to (paper out, A4 paper empty, no
card, a cable pulled, noise on the scanner, no face), with the device's own message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.app import build_kiosk, start_kiosk
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.model import DeviceState
from kiosk.services import messages
from kiosk.ui import find
from kiosk.ui.technician.corner import ACCESSIBLE_NAME, TAPS
from simulators.personas import get_persona

pytestmark = pytest.mark.e2e

WAIT = 60_000  # ms: bounds a hang on a loaded machine; nothing waits for it when things work
WAIT_S = WAIT / 1000
PIN = "246810"
PERSON_WAIT_S = 3.0  # how long a test waits for a card or a code that does not come


def build(env: dict[str, str], qtbot):
    cfg = load_config(DEFAULT_CONFIG, env=env)
    from kiosk.logging_setup import setup_logging
    from kiosk.ui.fonts import load_ui_font

    setup_logging(cfg.log_dir, console=False)
    load_ui_font()
    k = build_kiosk(cfg)
    qtbot.addWidget(k.window)
    k.window.show_kiosk(windowed=True)
    k.window.resize(1920, 1080)
    start_kiosk(k)
    qtbot.waitUntil(lambda: k.window.current == "home" and bool(k.runner.home.tiles), timeout=WAIT)
    qtbot.waitUntil(lambda: all(d.status.state == DeviceState.ONLINE for d in k.devices.devices.values()),
                    timeout=WAIT)
    k.technician.tools.wait_s = PERSON_WAIT_S
    return k


def close(k) -> None:
    import logging

    from kiosk.ui.countdown import stop_all

    stop_all()
    k.technician.back_to_service()
    k.close()
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()


def kiosk_env(hub, tmp_path: Path) -> dict[str, str]:
    return {**hub.kiosk_env(), "KIOSK_FLEET__ENABLED": "false",
            "KIOSK_LOG_DIR": str(tmp_path / "log"), "KIOSK_STATE_DIR": str(tmp_path / "state"),
            "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
            "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3"),
            "KIOSK_DEVICES__IDCARD__POLL_INTERVAL_S": "0.1"}


@pytest.fixture
def kiosk(hub_with, docprinter_sim, qtbot, tmp_path: Path):
    hub = hub_with({"scanner", "camera"})
    hub.call("POST", "/reset")
    env = {**kiosk_env(hub, tmp_path), "KIOSK_DEVICES__DOCPRINTER__ENABLED": "true",
           "KIOSK_DEVICES__DOCPRINTER__URL": docprinter_sim.url}
    k = build(env, qtbot)
    k.hub = hub
    yield k
    close(k)
    hub.call("POST", "/reset")


def tap(k, text: str) -> None:
    find.tap_text(k.window, text, timeout_s=WAIT_S)


def enter_self_tests(k, qtbot):
    for _ in range(TAPS):
        tap(k, ACCESSIBLE_NAME)
    for digit in PIN:
        tap(k, digit)
    tap(k, "确定")
    qtbot.waitUntil(lambda: k.window.current == "technician", timeout=WAIT)
    tap(k, "设备自检")
    return k.technician.screen.selftest


def run_test(k, qtbot, page, device_id: str, caption: str, then=None):
    """Tap a test's button and wait for its outcome (`then` acts once the test is waiting)."""
    page.outcomes.pop(device_id, None)
    tap(k, caption)
    if then is not None:
        qtbot.waitUntil(lambda: "请在" in page.results[device_id].text(), timeout=WAIT)
        then()
    qtbot.waitUntil(lambda: device_id in page.outcomes, timeout=WAIT)
    outcome = page.outcomes[device_id]
    assert page.results[device_id].text().startswith("✓ 通过" if outcome.ok else "✗ 失败")
    return outcome


def test_printer_self_tests_print_and_fail_with_the_printers_messages(kiosk, docprinter_sim, qtbot) -> None:
    k, hub = kiosk, kiosk.hub
    page = enter_self_tests(k, qtbot)
    before = len(hub.call("GET", "/receipts")["receipts"])
    outcome = run_test(k, qtbot, page, "printer", "打印测试页")
    assert outcome.ok, outcome
    receipts = hub.call("GET", "/receipts")["receipts"]
    assert len(receipts) == before + 1 and "打印机自检页" in receipts[-1]["text"]

    hub.call("POST", "/printer/state", {"paper": "out"})
    outcome = run_test(k, qtbot, page, "printer", "打印测试页")
    assert not outcome.ok and outcome.code == "printer.paper_out"
    assert messages.text("printer.paper_out") in page.results["printer"].text()
    assert k.devices.get("printer").failed_jobs == []  # a test page is not kept for a retry
    hub.call("POST", "/printer/state", {"paper": "ok"})

    outcome = run_test(k, qtbot, page, "docprinter", "A4 测试页")
    assert outcome.ok, outcome
    [document] = docprinter_sim.documents()
    assert document["job_name"] == "kiosk-a4-document" and Path(document["pdf"]).exists()

    docprinter_sim.control("POST", "/state", {"media": "empty"})
    outcome = run_test(k, qtbot, page, "docprinter", "A4 测试页")
    assert not outcome.ok and outcome.code == "docprinter.media_empty"
    assert messages.text("docprinter.media_empty") in page.results["docprinter"].text()
    assert k.devices.get("docprinter").failed_jobs == []
    events = "\n".join(k.technician.tools.event_log.lines())
    assert "self-test printer: pass" in events and "self-test docprinter: fail (docprinter.media_empty)" in events


def test_card_and_code_self_tests_show_only_masked_data(kiosk, qtbot, tmp_path) -> None:
    k, hub = kiosk, kiosk.hub
    persona = get_persona("li_jianguo")
    page = enter_self_tests(k, qtbot)

    hub.call("POST", "/idcard/place", {"persona": persona.id})
    outcome = run_test(k, qtbot, page, "idcard", "读身份证")
    assert outcome.ok, outcome
    shown = page.results["idcard"].text()
    assert "居民身份证" in shown and persona.id_number[:4] in shown and persona.id_number[-4:] in shown
    assert persona.id_number not in shown and persona.name not in shown
    hub.call("POST", "/idcard/lift")
    outcome = run_test(k, qtbot, page, "idcard", "读身份证")  # nobody places a card
    assert not outcome.ok and outcome.code == "idcard.no_card"
    hub.call("POST", "/idcard/unplug")  # a reader not polled finds out at its next command: this test
    outcome = run_test(k, qtbot, page, "idcard", "读身份证")
    assert not outcome.ok and outcome.code == "device.disconnected"
    hub.call("POST", "/idcard/replug")

    outcome = run_test(k, qtbot, page, "scanner", "扫码测试",
                       then=lambda: hub.call("POST", "/scanner/scan", {"code": "TECH-测试-0042"}))
    assert outcome.ok and "TECH-测试-0042" in page.results["scanner"].text()
    outcome = run_test(k, qtbot, page, "scanner", "扫码测试",
                       then=lambda: hub.call("POST", "/scanner/scan", {"persona": persona.id}))
    assert outcome.ok and "***" in page.results["scanner"].text()  # an e-ID token is shown masked
    outcome = run_test(k, qtbot, page, "scanner", "扫码测试",
                       then=lambda: hub.call("POST", "/scanner/garbage", {"bytes": 24}))
    assert not outcome.ok and outcome.code == "scanner.unreadable"
    outcome = run_test(k, qtbot, page, "scanner", "扫码测试")  # nothing scanned in time
    assert not outcome.ok and outcome.code == "technician.scan_timeout"

    tap(k, "事件日志")  # leaving the page drops the results on screen
    assert all(label.text() == "" for label in page.results.values())
    logged = "\n".join(k.technician.tools.event_log.lines()) + (tmp_path / "log" / "kiosk.log").read_text()
    assert persona.id_number not in logged and persona.name not in logged
    assert not re.search(r"EID1\.[A-Z0-9]{8,}", logged)


def test_camera_preview_finds_the_face_and_fails_without_one(kiosk, qtbot) -> None:
    k, hub = kiosk, kiosk.hub
    page = enter_self_tests(k, qtbot)
    hub.call("POST", "/camera/scene", {"scene": "face:li_jianguo"})
    tap(k, "摄像头预览")
    qtbot.waitUntil(lambda: "camera" in page.outcomes, timeout=WAIT)
    qtbot.waitUntil(lambda: page.outcomes["camera"].ok, timeout=WAIT)
    assert "640×480" in page.results["camera"].text()
    assert page.preview.isVisible() and not page.preview.pixmap().isNull()
    tap(k, "停止预览")
    assert page.preview.pixmap().isNull() and not page.preview.isVisible()  # no face stays on screen
    assert not k.devices.get("camera").enabled

    hub.call("POST", "/camera/scene", {"scene": "empty"})
    page.outcomes.pop("camera")
    tap(k, "摄像头预览")
    qtbot.waitUntil(lambda: "camera" in page.outcomes, timeout=WAIT)
    assert not page.outcomes["camera"].ok and page.outcomes["camera"].code == "camera.guidance.no_face"
    tap(k, "停止预览")

    hub.call("POST", "/camera/unplug")
    page.outcomes.pop("camera")
    tap(k, "摄像头预览")
    qtbot.waitUntil(lambda: "camera" in page.outcomes, timeout=WAIT)
    assert not page.outcomes["camera"].ok
    assert page.outcomes["camera"].code in ("device.disconnected", "camera.unavailable")
    assert not page.preview.isVisible()
    hub.call("POST", "/camera/replug")


def test_the_status_page_shows_paper_near_end_and_the_a4_fault(kiosk, docprinter_sim, qtbot) -> None:
    k, hub = kiosk, kiosk.hub
    enter_self_tests(k, qtbot)
    tap(k, "设备状态")
    status = k.technician.screen.status
    qtbot.waitUntil(lambda: status.health is not None, timeout=WAIT)
    assert status.health.devices["idcard"].data["extras"]["sam_id"].startswith("05.01-")
    assert status.health.devices["camera"].data["extras"]["fps"] > 0
    hub.call("POST", "/printer/state", {"paper": "near_end"})
    docprinter_sim.control("POST", "/state", {"door_open": True})
    checked = status.health
    tap(k, "刷新")
    qtbot.waitUntil(lambda: status.health is not checked, timeout=WAIT)
    health = status.health
    assert health.devices["printer"].verdict == "degraded" and health.devices["docprinter"].verdict == "offline"
    find.wait_for_text(k.window, "纸张：将尽")
    find.wait_for_text(k.window, messages.text("docprinter.door_open"))
    assert "✗ 故障" in k.technician.screen.title.text()  # the worst part's verdict
    assert health.services["backend"].verdict == "online"  # the same checks as kiosk-diag backend check


@pytest.mark.pcsc
def test_the_sscard_self_test_reads_a_card_and_says_when_there_is_none(hub_with, qtbot, tmp_path) -> None:
    hub = hub_with({"sscard"})
    hub.call("POST", "/reset")
    k = build({**kiosk_env(hub, tmp_path), "KIOSK_DEVICES__SSCARD__ENABLED": "true"}, qtbot)
    try:
        page = enter_self_tests(k, qtbot)
        outcome = run_test(k, qtbot, page, "sscard", "读社保卡")  # nothing inserted (the hub was reset)
        assert not outcome.ok and outcome.code == "sscard.no_card"
        persona = get_persona("chen_guiying")
        assert hub.call("POST", "/sscard/insert", {"persona": persona.id, "wait": 5})["seen_by_vpcd"]
        outcome = run_test(k, qtbot, page, "sscard", "读社保卡")
        assert outcome.ok, outcome
        shown = page.results["sscard"].text()
        assert persona.id_number[-4:] in shown and persona.id_number not in shown and persona.name not in shown
        assert "Virtual PCD" in shown  # the reader's name
        hub.call("POST", "/sscard/fault", {"kind": "wrong_card"})
        assert hub.call("POST", "/sscard/insert", {"persona": persona.id, "wait": 5})["seen_by_vpcd"]
        outcome = run_test(k, qtbot, page, "sscard", "读社保卡")
        assert not outcome.ok and outcome.code == "sscard.wrong_card"
    finally:
        close(k)
        hub.call("POST", "/reset")
