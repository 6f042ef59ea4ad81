"""Personal data of every identity method lives in the Session and the screens showing it, and nowhere
after the visit: for each method (ID card, 社保卡, e-ID, face, 代办) and each way out (返回首页, the
inactivity timeout, the error screen via 好差评, the 社保卡 pulled out), no name, ID number, token or
frame is left in any widget (hidden screens, accessible names and tooltips included), in the device
queues, the camera, the Session, the log records or a new temp file."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from kiosk.devices.qr_scanner import ScannedCode
from kiosk.ui import find
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID, card_of, refusal, sscard_of

PRINT = BY_ID["social-insurance-certificate-print"]  # idcard, eid_qr, sscard
FACE = BY_ID["household-registration-certificate"]  # idcard + face
PROXY = BY_ID["health-checkup-report-print"]  # proxy_ok


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def screen(ui, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: ui.window.current == name, timeout=10_000)


def start(ui, qtbot, item) -> None:
    ui.runner.start_item(item)
    tap(ui, "开始办理")
    screen(ui, qtbot, "identify")


def by_idcard(ui, qtbot) -> list[str]:
    start(ui, qtbot, PRINT)
    ui.devices.get("idcard").events.put(card_of("li_jianguo"))
    screen(ui, qtbot, "document")
    return ["li_jianguo"]


def by_sscard(ui, qtbot) -> list[str]:
    start(ui, qtbot, PRINT)
    ui.devices.get("sscard")._set_status(card_present=True)
    ui.devices.get("sscard").events.put(sscard_of("chen_guiying"))
    screen(ui, qtbot, "document")
    return ["chen_guiying"]


def by_eid(ui, qtbot) -> list[str]:
    start(ui, qtbot, PRINT)
    ui.devices.get("scanner").events.put(ScannedCode(get_persona("he_shuifa").eid_token, "utf-8"))
    screen(ui, qtbot, "document")
    return ["he_shuifa"]


def by_face(ui, qtbot) -> list[str]:
    start(ui, qtbot, FACE)
    ui.devices.get("idcard").events.put(card_of("huang_xiaomei"))
    screen(ui, qtbot, "face")
    tap(ui, "同意，开始人脸识别")
    camera = ui.devices.get("camera")
    qtbot.waitUntil(lambda: camera.waiting, timeout=10_000)
    camera.show(np.full((480, 640, 3), 140, np.uint8))
    camera.finish()
    screen(ui, qtbot, "form")
    camera.captures.clear()
    return ["huang_xiaomei"]


def by_proxy(ui, qtbot) -> list[str]:
    start(ui, qtbot, PROXY)
    tap(ui, "帮他人办理")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    find.wait_for_text(ui.window, "代办人与办理人是什么关系")
    tap(ui, "子女")
    ui.devices.get("idcard").events.put(card_of("li_jianguo"))
    screen(ui, qtbot, "form")
    return ["chen_guiying", "li_jianguo"]


def out_by_home(ui, qtbot) -> None:
    tap(ui, "返回首页")
    screen(ui, qtbot, "home")


def out_by_inactivity(ui, qtbot) -> None:
    ui.runner.go_home("inactivity")  # what the InactivityWatcher's expiry calls (tests/ui: no watcher)
    screen(ui, qtbot, "home")


def out_by_error_and_rating(ui, qtbot) -> None:
    ui.runner.fail(refusal("server_error", "平台故障", 503))
    screen(ui, qtbot, "error")
    tap(ui, "返回首页")
    screen(ui, qtbot, "rate")
    tap(ui, "跳过")
    screen(ui, qtbot, "home")


METHODS: dict[str, Callable] = {"idcard": by_idcard, "sscard": by_sscard, "eid": by_eid, "face": by_face,
                                "proxy": by_proxy}
WAYS_OUT: dict[str, Callable] = {"home": out_by_home, "inactivity": out_by_inactivity,
                                 "error": out_by_error_and_rating}


def secrets_of(persona_ids: list[str]) -> list[str]:
    out = []
    for pid in persona_ids:
        p = get_persona(pid)
        out += [p.name, p.id_number, p.id_number[-6:], p.eid_token]
        if p.sscard is not None:
            out.append(p.sscard.card_number)
    return out


def every_text(root: QWidget) -> str:
    widgets = [root, *root.findChildren(QWidget)]
    return "\n".join(f"{find.widget_text(w)}\n{w.accessibleName()}\n{w.toolTip()}" for w in widgets)


def new_temp_files(since: float) -> list[Path]:
    found = []
    for path in Path(tempfile.gettempdir()).glob("*"):
        try:
            if path.is_file() and path.stat().st_mtime >= since and path.stat().st_size < 5_000_000:
                found.append(path)
        except OSError:
            continue
    return found


def assert_nothing_left(ui, secrets: list[str], caplog, since: float) -> None:
    s = ui.session
    assert not s.active and s.identity is None and s.proxy is None and s.platform_token is None and not s.results
    texts = every_text(ui.window)
    for secret in secrets:
        assert secret not in texts, f"{secret[:2]}… still on a widget"
        assert secret not in caplog.text, f"{secret[:2]}… in the log"
    for device_id in ("idcard", "sscard", "scanner"):
        device = ui.devices.get(device_id)
        assert len(device.events) == 0 and len(device.read_errors) == 0 and not device.enabled, device_id
    camera = ui.devices.get("camera")
    assert camera.latest_frame() is None and not camera.enabled
    face = ui.runner.steps["face"]
    assert face.preview.pixmap() is None or face.preview.pixmap().isNull()
    for path in new_temp_files(since):
        data = path.read_bytes()
        assert not data.startswith(b"\xff\xd8\xff"), f"a JPEG was written: {path}"
        for secret in secrets:
            assert secret.encode() not in data and secret.encode("gb18030") not in data, path


@pytest.mark.parametrize("way_out", sorted(WAYS_OUT))
@pytest.mark.parametrize("method", sorted(METHODS))
def test_no_personal_data_after_any_way_out(ui, qtbot, caplog, method, way_out) -> None:
    caplog.set_level(logging.DEBUG)
    since = time.time() - 1
    secrets = secrets_of(METHODS[method](ui, qtbot))
    if ui.window.current == "document":
        find.wait_for_text(ui.window, secrets[0])  # the name was on screen
    WAYS_OUT[way_out](ui, qtbot)
    assert_nothing_left(ui, secrets, caplog, since)


def test_no_personal_data_after_the_sscard_is_pulled_out(ui, qtbot, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    since = time.time() - 1
    secrets = secrets_of(by_sscard(ui, qtbot))
    ui.devices.get("sscard")._set_status(card_present=False)
    screen(ui, qtbot, "home")
    assert_nothing_left(ui, secrets, caplog, since)
