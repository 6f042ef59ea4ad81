"""Every identity method end to end against the simulator processes (real drivers, HTTPS backend):
the face step with the MJPEG camera (consent, the camera enabled only while capturing, the simulated
match, nothing left in the kiosk's files), the e-ID through the serial scanner, and the 社保卡 over
real PC/SC with a wrong card and a card pulled out mid-read."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import build_kiosk, start_kiosk
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.model import DeviceState
from kiosk.ui import find
from kiosk.ui.fonts import load_ui_font
from simulators.personas import get_persona

WAIT = 60_000
WAIT_S = WAIT / 1000
FACE_ITEM = "户籍证明打印"
PRINT_ITEM = "个人社保参保证明打印"


@pytest.fixture
def kiosk_for(qtbot, tmp_path: Path):
    """kiosk_for(hub, devices): a kiosk on that hub, waiting until those devices are online."""
    made = []

    def make(hub, devices: tuple[str, ...]):
        env = {**hub.kiosk_env(), "KIOSK_LOG_DIR": str(tmp_path / "log"),
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
        qtbot.waitUntil(lambda: bool(k.runner.home.tiles), timeout=WAIT)
        for device in devices:
            qtbot.waitUntil(lambda d=device: k.devices.get(d).status.state == DeviceState.ONLINE, timeout=WAIT)
        made.append(k)
        return k

    yield make
    import logging

    for k in made:
        k.close()
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()


def tap(kiosk, text: str) -> None:
    find.tap_text(kiosk.window, text, timeout_s=WAIT_S)


def wait_screen(kiosk, qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: kiosk.window.current == name, timeout=WAIT)


def start(kiosk, qtbot, name: str) -> None:
    item = next(i for i in kiosk.runner.home.items if i["name"] == name)
    kiosk.runner.start_item(item)
    tap(kiosk, "开始办理")
    wait_screen(kiosk, qtbot, "identify")


def files_hold(folder: Path, *secrets: str) -> list[str]:
    """Files under `folder` holding a secret (UTF-8 or GB18030) or a JPEG."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"\xff\xd8\xff") or any(s.encode() in data or s.encode("gb18030") in data for s in secrets):
            found.append(str(path))
    return found


@pytest.mark.e2e
def test_face_step_with_the_camera_simulator_keeps_nothing(hub_with, kiosk_for, qtbot, tmp_path: Path) -> None:
    hub = hub_with({"camera"})
    kiosk = kiosk_for(hub, ("idcard", "camera"))
    camera = kiosk.devices.get("camera")
    persona = get_persona("li_jianguo")
    hub.call("POST", "/camera/scene", {"scene": f"face:{persona.id}"})
    start(kiosk, qtbot, FACE_ITEM)
    hub.call("POST", "/idcard/place", {"persona": persona.id})
    wait_screen(kiosk, qtbot, "face")
    find.wait_for_text(kiosk.window, "人脸信息属于敏感个人信息")
    assert not camera.enabled  # nothing is captured before consent
    tap(kiosk, "同意，开始人脸识别")
    assert camera.enabled
    face = kiosk.runner.steps["face"]
    qtbot.waitUntil(lambda: face.preview.pixmap() is not None and not face.preview.pixmap().isNull(), timeout=WAIT)
    wait_screen(kiosk, qtbot, "form")  # live, blinked, matched at the platform
    assert not camera.enabled and camera.latest_frame() is None
    state = hub.call("GET", "/backend/state")["counts"]
    assert state["session"] >= 1
    hub.call("POST", "/idcard/lift")
    tap(kiosk, "返回首页")
    wait_screen(kiosk, qtbot, "home")
    assert files_hold(tmp_path, persona.name, persona.id_number) == []
    hub.call("POST", "/camera/scene", {"scene": "empty"})


@pytest.mark.e2e
def test_eid_through_the_scanner(hub_with, kiosk_for, qtbot, tmp_path: Path) -> None:
    hub = hub_with({"scanner"})
    kiosk = kiosk_for(hub, ("idcard", "scanner"))
    persona = get_persona("chen_guiying")
    start(kiosk, qtbot, PRINT_ITEM)
    qtbot.waitUntil(lambda: hub.call("GET", "/scanner/state")["connected"], timeout=WAIT)
    hub.call("POST", "/scanner/scan", {"code": "EID1.NOSUCHTOKEN"})
    find.wait_for_text(kiosk.window, "电子身份证二维码无效或已过期", timeout_s=WAIT_S)
    assert kiosk.window.current == "identify"
    hub.call("POST", "/scanner/scan", {"persona": persona.id})
    wait_screen(kiosk, qtbot, "document")
    document = kiosk.runner.steps["document"]
    qtbot.waitUntil(lambda: document.print.isEnabled(), timeout=WAIT)
    assert dict(document.values())["姓名"] == persona.name
    assert kiosk.session.identity.id_number == persona.id_number  # from the platform: no card was read
    tap(kiosk, "返回首页")
    wait_screen(kiosk, qtbot, "home")
    assert files_hold(tmp_path, persona.name, persona.id_number, persona.eid_token) == []


@pytest.mark.e2e
@pytest.mark.pcsc
def test_sscard_wrong_card_and_pulled_mid_read(hub_with, kiosk_for, qtbot, tmp_path: Path) -> None:
    hub = hub_with({"sscard"})
    kiosk = kiosk_for(hub, ("idcard", "sscard"))
    persona = get_persona("he_shuifa")
    start(kiosk, qtbot, PRINT_ITEM)
    try:
        hub.call("POST", "/sscard/fault", {"kind": "wrong_card"})
        hub.call("POST", "/sscard/insert", {"persona": persona.id, "wait": 5})
        find.wait_for_text(kiosk.window, "这张卡不是社会保障卡", timeout_s=WAIT_S)
        hub.call("POST", "/sscard/remove")
        hub.call("POST", "/sscard/fault", {"kind": "none"})
        hub.call("POST", "/sscard/fault", {"kind": "remove_mid_read", "after": 3})
        hub.call("POST", "/sscard/insert", {"persona": persona.id, "wait": 5})
        find.wait_for_text(kiosk.window, "读卡过程中社保卡被拔出", timeout_s=WAIT_S)
        assert kiosk.window.current == "identify"
        hub.call("POST", "/sscard/insert", {"persona": persona.id, "wait": 5})
        wait_screen(kiosk, qtbot, "document")
        assert kiosk.session.identity.method == "sscard"
    finally:
        hub.call("POST", "/sscard/fault", {"kind": "none"})
        hub.call("POST", "/sscard/remove")
    wait_screen(kiosk, qtbot, "home")  # pulled out before printing: the session ended
    assert not kiosk.session.active
    assert files_hold(tmp_path / "log", persona.name, persona.id_number) == []
