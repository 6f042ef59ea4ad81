"""The walking skeleton, end to end, headless, against the real simulator processes on ephemeral ports:

home → tap 个人社保参保证明打印 → asked for the ID card → the hub places a persona's card → the driver
reads SAM frames over pyserial socket:// → the service layer calls the HTTPS backend → the document
shows → python-escpos Network prints → take card and receipt → home after the timeout, with the
session's personal data gone from the session, the screens and the log.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.app import build_kiosk, start_kiosk
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.model import DeviceState
from kiosk.ui.fonts import load_ui_font
from simulators.personas import get_persona

ITEM = "social-insurance-certificate-print"
WAIT = 60_000  # ms; generous, the machine may be loaded — correctness never depends on it


@pytest.fixture
def kiosk(hub, qtbot, tmp_path: Path):
    env = {**hub.kiosk_env(),
           "KIOSK_LOG_DIR": str(tmp_path / "log"),
           "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
           "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3"),
           "KIOSK_TIMEOUTS__TAKE_AWAY_S": "2",
           "KIOSK_DEVICES__IDCARD__POLL_INTERVAL_S": "0.1"}
    cfg = load_config(DEFAULT_CONFIG, env=env)
    from kiosk.logging_setup import setup_logging

    setup_logging(cfg.log_dir, console=False)
    load_ui_font()
    k = build_kiosk(cfg)
    qtbot.addWidget(k.window)
    k.window.show_kiosk(windowed=True)
    start_kiosk(k)
    yield k
    k.close()
    import logging

    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()


def visible_texts(window) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel))


@pytest.mark.e2e
def test_resident_prints_insurance_certificate(hub, kiosk, qtbot, tmp_path: Path) -> None:
    persona = get_persona("li_jianguo")
    journey, window = kiosk.journey, kiosk.window

    qtbot.waitUntil(lambda: ITEM in journey.home.tiles, timeout=WAIT)
    qtbot.waitUntil(lambda: kiosk.devices.get("idcard").status.state == DeviceState.ONLINE, timeout=WAIT)
    assert window.current == "home"

    qtbot.mouseClick(journey.home.tiles[ITEM], Qt.MouseButton.LeftButton)
    assert window.current == "identify"
    assert "个人社保参保证明打印" in journey.identify.item_name.text()

    hub.call("POST", "/idcard/place", {"persona": persona.id})
    qtbot.waitUntil(lambda: window.current == "document", timeout=WAIT)
    shown = dict(journey.doc.values())
    assert "参保证明" in journey.doc.title.text()
    assert shown["姓名"] == persona.name
    masked = next(v for k, v in shown.items() if "身份号码" in k)
    assert persona.id_number not in masked and masked.startswith(persona.id_number[:4])
    assert masked.endswith(persona.id_number[-4:])
    assert "累计缴费月数" in "".join(shown)

    receipts_before = len(hub.call("GET", "/receipts")["receipts"])
    qtbot.mouseClick(journey.doc.print, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current == "take_away", timeout=WAIT)
    assert "身份证" in journey.take_away.reminder.text()
    assert "证明" in journey.take_away.reminder.text()

    receipts = hub.call("GET", "/receipts")["receipts"]
    assert len(receipts) == receipts_before + 1
    text = receipts[-1]["text"]
    assert "广东省社会保险个人参保证明" in "".join(text.split())  # the big title may wrap
    assert persona.name in text
    assert persona.id_number not in text  # masked on paper too
    assert kiosk.journey.document is not None
    assert kiosk.journey.document["verification_code"] in text

    hub.call("POST", "/idcard/lift")
    # After the take-away countdown the kiosk goes home by itself and forgets the resident.
    qtbot.waitUntil(lambda: window.current == "home", timeout=WAIT)
    assert kiosk.session.identity is None and kiosk.session.item is None
    assert kiosk.journey.document is None
    texts = visible_texts(window)
    assert persona.name not in texts and persona.id_number[-4:] not in texts

    # The usage statistics (item.start, item.end) went through the outbox and were acknowledged.
    qtbot.waitUntil(lambda: kiosk.outbox.stats()["delivered_total"] >= 2 and kiosk.outbox.pending_count() == 0,
                    timeout=WAIT)

    log_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "log").glob("kiosk.log*"))
    assert "identified by idcard" in log_text  # the journey was logged …
    assert persona.name not in log_text and persona.id_number not in log_text  # … without personal data


@pytest.mark.e2e
def test_unreadable_card_says_what_to_do_and_the_next_placement_works(hub, kiosk, qtbot) -> None:
    """读卡失败 must never be a dead end: the screen says what to do, and re-placing the card works."""
    persona = get_persona("huang_xiaomei")
    journey, window = kiosk.journey, kiosk.window
    qtbot.waitUntil(lambda: ITEM in journey.home.tiles, timeout=WAIT)
    qtbot.waitUntil(lambda: kiosk.devices.get("idcard").status.state == DeviceState.ONLINE, timeout=WAIT)
    qtbot.mouseClick(journey.home.tiles[ITEM], Qt.MouseButton.LeftButton)

    hub.call("POST", "/idcard/fault", {"kind": "sw3", "code": "41", "once": True})  # read failed
    hub.call("POST", "/idcard/place", {"persona": persona.id})
    qtbot.waitUntil(lambda: journey.identify.error.text() != "", timeout=WAIT)
    assert window.current == "identify"
    assert "身份证" in journey.identify.error.text()  # says what happened …
    assert "请" in journey.identify.status.text()  # … and what to do next

    hub.call("POST", "/idcard/lift")
    hub.call("POST", "/idcard/place", {"persona": persona.id})
    qtbot.waitUntil(lambda: window.current == "document", timeout=WAIT)
    assert dict(journey.doc.values())["姓名"] == persona.name
    hub.call("POST", "/idcard/lift")
    qtbot.mouseClick(journey.doc.home, Qt.MouseButton.LeftButton)
    assert window.current == "home" and kiosk.session.identity is None


@pytest.mark.e2e
def test_platform_down_is_said_plainly_and_recovers(hub, kiosk, qtbot) -> None:
    """Backend down (hub fault proxy): the status line says so, the resident gets a clear message
    instead of a card request, and the kiosk finds the platform again when it is back."""
    from kiosk.ui.journey import STATUS_OFFLINE, STATUS_ONLINE

    persona = get_persona("he_shuifa")
    journey, window = kiosk.journey, kiosk.window
    qtbot.waitUntil(lambda: ITEM in journey.home.tiles, timeout=WAIT)
    qtbot.waitUntil(lambda: kiosk.devices.get("idcard").status.state == DeviceState.ONLINE, timeout=WAIT)
    qtbot.waitUntil(lambda: window.status_line.text() == STATUS_ONLINE, timeout=WAIT)
    try:
        hub.call("POST", "/backend/mode", {"mode": "down"})
        qtbot.mouseClick(journey.home.tiles[ITEM], Qt.MouseButton.LeftButton)
        hub.call("POST", "/idcard/place", {"persona": persona.id})
        qtbot.waitUntil(lambda: window.current == "message", timeout=WAIT)  # the call failed …
        assert "连不上政务服务平台" in journey.message.what.text()  # … and says so
        qtbot.waitUntil(lambda: window.status_line.text() == STATUS_OFFLINE, timeout=WAIT)
        hub.call("POST", "/idcard/lift")
        qtbot.mouseClick(journey.message.home, Qt.MouseButton.LeftButton)

        # Known to be offline: the next resident is told before being asked for a card.
        qtbot.mouseClick(journey.home.tiles[ITEM], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.current == "message", timeout=WAIT)
        assert "网络中断" in journey.message.what.text() and "窗口" in journey.message.next_step.text()
        qtbot.mouseClick(journey.message.home, Qt.MouseButton.LeftButton)
    finally:
        hub.call("POST", "/backend/mode", {"mode": "up"})
    qtbot.mouseClick(journey.home.tiles[ITEM], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current == "identify", timeout=WAIT)
    assert window.status_line.text() == STATUS_ONLINE
    qtbot.mouseClick(journey.identify.back, Qt.MouseButton.LeftButton)
    assert window.current == "home"
