"""The technician screen over the fake desk: the hidden entry (5 taps in the corner, then the PIN
on the keypad), the lockout that outlives the window, the session wiped on the way in, the five
idle minutes, the pages and actions. Taps go through kiosk/ui/find.py, by text or accessible name.
The self-tests against the real simulators are in tests/e2e/test_technician_self_tests.py."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.model import DeviceState
from kiosk.services import messages
from kiosk.services.pin_lockout import PinLockout
from kiosk.services.session import Session
from kiosk.ui import find
from kiosk.ui.countdown import advance_all
from kiosk.ui.flow_runner import FlowRunner
from kiosk.ui.main_window import MainWindow
from kiosk.ui.technician.controller import Technician
from kiosk.ui.technician.corner import ACCESSIBLE_NAME
from kiosk.ui.technician.event_log import EventLog
from kiosk.ui.technician.tools import TechnicianTools
from tests.ui.fake_desk import BY_ID, FakeDesk, FakeDevices

PIN = "246810"  # the development PIN of config/kiosk.toml (docs/configuration.md)
WRONG = "135797"
PRINT = BY_ID["social-insurance-certificate-print"]
WAIT = 20_000


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def config(tmp_path: Path):
    return load_config(DEFAULT_CONFIG, env={
        "KIOSK_STATE_DIR": str(tmp_path / "state"), "KIOSK_LOG_DIR": str(tmp_path / "log"),
        "KIOSK_BACKEND__URL": "https://127.0.0.1:9",  # nothing listens: the platform checks fail fast
        "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3"),
        "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
        "KIOSK_TECHNICIAN__EXPORT_DIR": str(tmp_path / "export")})


class Rig:
    def __init__(self, ui, tmp_path: Path, window=None, runner=None, devices=None) -> None:
        self.cfg = config(tmp_path)
        self.window, self.runner = window or ui.window, runner or ui.runner
        self.devices = devices or ui.devices
        self.events = EventLog()
        for device in self.devices.devices.values():
            device.add_status_listener(self.events.device_status)
        self.restarts: list[int] = []
        self.tools = TechnicianTools(self.cfg, self.devices, PinLockout.for_config(self.cfg), self.events,
                                     refresh=lambda: "2026.11-test", media_roots=(tmp_path / "media",),
                                     wait_s=1.0)
        self.tech = Technician(self.window, self.runner, self.tools, restart=lambda: self.restarts.append(75))
        self.clock = Clock()
        self.window.corner.clock = self.clock


@pytest.fixture
def rig(ui, tmp_path: Path) -> Iterator[Rig]:
    (tmp_path / "export").mkdir()
    rig = Rig(ui, tmp_path)
    yield rig
    rig.tech.back_to_service()
    QThreadPool.globalInstance().waitForDone(30_000)  # no check of this test reports to the next one's window
    QApplication.processEvents()


def tap(window, text: str) -> None:
    find.tap_text(window, text, timeout_s=10)


def corner_taps(rig: Rig, n: int = 5, every_s: float = 0.5) -> None:
    for _ in range(n):
        tap(rig.window, ACCESSIBLE_NAME)
        rig.clock.now += every_s


def type_pin(rig: Rig, qtbot, pin: str) -> None:
    for digit in pin:
        tap(rig.window, digit)
    assert rig.tech.pin.field.text() == pin and rig.tech.pin.field.echoMode().name == "Password"
    tap(rig.window, "确定")
    qtbot.waitUntil(lambda: rig.tech.pin.ok.isEnabled() or rig.window.current != "technician_pin"
                    or "锁定" in rig.tech.pin.message.text(), timeout=WAIT)


def enter(rig: Rig, qtbot) -> None:
    corner_taps(rig)
    assert rig.window.current == "technician_pin"
    type_pin(rig, qtbot, PIN)
    qtbot.waitUntil(lambda: rig.window.current == "technician", timeout=WAIT)


def test_five_taps_and_the_pin_open_the_screen_and_end_the_resident_session(rig, ui, qtbot) -> None:
    ui.runner.start_item(PRINT)
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=WAIT)
    assert ui.session.active
    wiped: list[bool] = []
    ui.runner.session_wiped.connect(lambda: wiped.append(True))
    enter(rig, qtbot)
    assert wiped == [True] and not ui.session.active and ui.runner.plan is None
    assert not ui.window.journey_bar.isVisible()
    assert rig.tech.pin.field.text() == ""  # the PIN did not stay in the field
    find.wait_for_text(ui.window, "身份证阅读器", timeout_s=WAIT / 1000)  # the status page filled in
    find.wait_for_text(ui.window, "政务服务平台")
    find.wait_for_text(ui.window, "检查于")
    assert "technician screen entered" in "\n".join(rig.events.lines())


def test_four_taps_or_slow_taps_do_nothing(rig, ui) -> None:
    corner_taps(rig, 4)
    assert ui.window.current == "home"
    rig.clock.now += 5
    corner_taps(rig, 5, every_s=0.8)  # five taps, but over 3.2 s: the first has expired
    assert ui.window.current == "home"
    rig.clock.now -= 0.7  # one more tap 0.1 s after the last: taps 2-5 and this one span 2.5 s
    tap(ui.window, ACCESSIBLE_NAME)
    assert ui.window.current == "technician_pin"


def test_cancel_gives_the_resident_back_their_screen(rig, ui, qtbot) -> None:
    ui.runner.start_item(PRINT)
    qtbot.waitUntil(lambda: ui.window.current == "guide", timeout=WAIT)
    corner_taps(rig)
    assert ui.window.current == "technician_pin" and not ui.window.journey_bar.isVisible()
    tap(ui.window, "1")
    tap(ui.window, "取消")
    assert ui.window.current == "guide" and ui.session.active and ui.window.journey_bar.isVisible()
    corner_taps(rig)
    assert rig.tech.pin.field.text() == ""  # a fresh field each time
    advance_all(60)  # a minute without a touch on the PIN screen: back as well
    assert ui.window.current == "guide" and ui.session.active


def test_wrong_pins_lock_entry_and_the_lock_outlives_the_window(rig, ui, qtbot, tmp_path) -> None:
    corner_taps(rig)
    for left in (4, 3, 2, 1):
        type_pin(rig, qtbot, WRONG)
        assert f"还可以再试 {left} 次" in rig.tech.pin.message.text()
    type_pin(rig, qtbot, WRONG)
    assert "锁定" in rig.tech.pin.message.text() and "5 分钟" in rig.tech.pin.message.text()
    assert not rig.tech.pin.ok.isEnabled() and ui.window.current == "technician_pin"
    tap(ui.window, "取消")

    # A new kiosk window (as after a restart) reads the same state directory: still locked.
    window = MainWindow("TEST-0002")
    qtbot.addWidget(window)
    runner = FlowRunner(window, FakeDesk(), FakeDevices(), Session())
    window.resize(1920, 1080)
    window.show()
    runner.load_home()
    again = Rig(ui, tmp_path, window=window, runner=runner, devices=FakeDevices())
    corner_taps(again)
    qtbot.waitUntil(lambda: "锁定" in again.tech.pin.message.text(), timeout=WAIT)
    assert not again.tech.pin.ok.isEnabled()
    assert again.tools.lockout.try_pin(PIN, again.cfg.technician.pin_hash).locked  # even the right PIN


def test_the_pin_is_never_logged(rig, ui, qtbot, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    corner_taps(rig)
    type_pin(rig, qtbot, WRONG)
    type_pin(rig, qtbot, PIN)
    qtbot.waitUntil(lambda: ui.window.current == "technician", timeout=WAIT)
    assert "technician PIN wrong" in caplog.text and "technician PIN accepted" in caplog.text
    assert PIN not in caplog.text and WRONG not in caplog.text
    assert PIN not in "\n".join(rig.events.lines())


def test_five_idle_minutes_go_back_to_service(rig, ui, qtbot) -> None:
    enter(rig, qtbot)
    advance_all(269)
    assert not rig.tech.screen.idle_note.isVisible()
    advance_all(1)
    assert rig.tech.screen.idle_note.isVisible() and "30 秒后返回服务" in rig.tech.screen.idle_note.text()
    advance_all(29)
    assert ui.window.current == "technician"
    advance_all(1)
    assert ui.window.current == "home" and not rig.tech.active
    assert not rig.tech.screen.watcher.armed


def test_a_touch_restarts_the_idle_time(rig, ui, qtbot) -> None:
    enter(rig, qtbot)
    advance_all(280)
    assert rig.tech.screen.idle_note.isVisible()
    tap(ui.window, "事件日志")
    assert not rig.tech.screen.idle_note.isVisible()
    advance_all(299)
    assert ui.window.current == "technician"


def test_return_to_service_goes_home_with_the_items(rig, ui, qtbot) -> None:
    enter(rig, qtbot)
    tap(ui.window, "返回服务")
    qtbot.waitUntil(lambda: ui.window.current == "home" and bool(ui.runner.home.tiles), timeout=WAIT)
    assert not rig.tech.active


def test_the_screen_lets_go_when_the_runner_shows_another_screen(rig, ui, qtbot) -> None:
    enter(rig, qtbot)
    ui.runner.go_home("maintenance")  # e.g. the fleet's maintenance mode, or a screenshot tool
    assert not rig.tech.active and not rig.tech.screen.watcher.armed


def test_unconfigured_devices_are_said_and_a_reader_that_cannot_answer_fails_with_its_message(rig, ui, qtbot) -> None:
    enter(rig, qtbot)
    tap(ui.window, "设备自检")
    page = rig.tech.screen.selftest
    assert not page.buttons["printer"].isEnabled() and "本终端未配置此设备" in page.results["printer"].text()
    tap(ui.window, "读身份证")  # the fake kiosk's reader is a real driver that was never opened
    qtbot.waitUntil(lambda: "idcard" in page.outcomes, timeout=WAIT)
    outcome = page.outcomes["idcard"]
    assert not outcome.ok and outcome.code == "device.unavailable"
    assert page.results["idcard"].text() == "✗ 失败　" + messages.text("device.unavailable")
    assert "self-test idcard: fail (device.unavailable)" in "\n".join(rig.events.lines())
    tap(ui.window, "设备状态")
    assert page.outcomes == {} and page.results["idcard"].text() == ""  # results go with the page


def test_the_event_log_is_live_and_masks_what_a_detail_carries(rig, ui, qtbot) -> None:
    enter(rig, qtbot)
    tap(ui.window, "事件日志")
    view = rig.tech.screen.log_page.view
    assert "technician screen entered" in view.toPlainText()
    reader = ui.devices.get("idcard")
    reader._set_status(DeviceState.OFFLINE, "peer closed while reading 440102199001011234 for 13800138000")
    qtbot.waitUntil(lambda: "start -> offline" in view.toPlainText(), timeout=WAIT)
    assert "440102199001011234" not in view.toPlainText() and "13800138000" not in view.toPlainText()
    assert "***" in view.toPlainText()


def test_export_writes_the_bundle_to_the_configured_directory(rig, ui, qtbot, tmp_path) -> None:
    enter(rig, qtbot)
    tap(ui.window, "导出与操作")
    find.wait_for_text(ui.window, "/media 或 /run/media")  # says where sticks are looked for
    target = f"导出到配置目录 {tmp_path / 'export'}"
    tap(ui.window, target)
    find.wait_for_text(ui.window, "诊断包已写入", timeout_s=WAIT / 1000)
    [bundle] = (tmp_path / "export").glob("kiosk-diag-*.zip")
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        config_text = z.read("config.json").decode()
    assert {"manifest.json", "status.json", "config.json"} <= set(names)
    assert "scrypt$" not in config_text  # the PIN hash is a secret: removed
    assert f"diagnostics bundle exported to {bundle}" in "\n".join(rig.events.lines())


def test_refresh_catalogue_and_restart(rig, ui, qtbot) -> None:
    enter(rig, qtbot)
    tap(ui.window, "导出与操作")
    tap(ui.window, "刷新业务目录")
    find.wait_for_text(ui.window, "业务目录已更新：版本 2026.11-test", timeout_s=WAIT / 1000)
    tap(ui.window, "重启应用")
    assert rig.restarts == []  # asks once more first
    tap(ui.window, "不重启")
    tap(ui.window, "重启应用")
    tap(ui.window, "确认重启")
    assert rig.restarts == [75]
