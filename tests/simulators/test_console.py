"""The tester console (`kiosk-sim console`) against a real hub: each control reaches its simulator —
seen where it matters, from the kiosk's side (the ID-card reader reads the placed card, the scanner
driver receives the code, the printer driver reports the paper out, the backend client sees the
platform down) — receipts and the camera stream show as images, wire traffic shows live, the
recorded fragment replays through `kiosk-sim run`, and the console survives a hub that is not there,
that hangs, and that goes away. Every control-API call refuses the GUI thread (hub_link.py), so these
tests passing also show none was made there."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.id_card_reader import IdCardReader
from kiosk.devices.qr_scanner import QrScanner
from kiosk.devices.receipt_printer import ReceiptPrinter
from kiosk.services.backend_client import BackendClient
from kiosk.services.backend_types import BackendError
from kiosk.services.receipts import examples
from kiosk.services.signing import load_key
from kiosk.ui import find
from simulators.console.window import ConsoleWindow, explain
from simulators.personas import get_persona
from simulators.process import start_simulator

pytestmark = pytest.mark.e2e
WAIT = 30_000  # ms; only bounds a hang
WAIT_S = WAIT / 1000


def open_console(qtbot, url: str, **kw) -> ConsoleWindow:
    w = ConsoleWindow(url, interval_s=0.2, retry_s=0.2, **kw)
    qtbot.addWidget(w)
    w.show()
    w.start()
    return w


@pytest.fixture
def console(hub, qtbot) -> Iterator[ConsoleWindow]:
    hub.call("POST", "/reset", {})
    w = open_console(qtbot, hub.url)
    qtbot.waitUntil(lambda: w.state == "connected", timeout=WAIT)
    yield w
    w.close()


def click(w: ConsoleWindow, qtbot, do: Callable[[], object]) -> None:
    """Do one thing in the console and wait until its action has run on the worker; it must succeed."""
    with qtbot.waitSignal(w.action_done, timeout=WAIT) as done:
        do()
    action, exc = done.args
    assert exc is None, f"{action.label}: {explain(exc)}"


def fails(w: ConsoleWindow, qtbot, do: Callable[[], object]) -> str:
    with qtbot.waitSignal(w.action_done, timeout=WAIT) as done:
        do()
    assert done.args[1] is not None, f"{done.args[0].label} should have failed"
    return w.log.toPlainText().splitlines()[-1]


def tap(panel, text: str) -> Callable[[], None]:
    return lambda: find.tap_text(panel, text, timeout_s=WAIT_S)


def show_tab(w: ConsoleWindow, panel) -> None:
    w.tabs.setCurrentWidget(panel)


def test_placing_a_card_makes_the_kiosk_reader_read_it_and_its_frames_show_live(hub, console, qtbot) -> None:
    w = console
    w.persona.select("li_jianguo")
    click(w, qtbot, tap(w.persona, "放置身份证"))
    reader = IdCardReader("idcard", f"socket://127.0.0.1:{hub.ports['idcard']['listen']}", poll_interval=0.05)
    reader.open()
    try:
        assert reader.read_once(timeout=WAIT_S).id_number == get_persona("li_jianguo").id_number
        qtbot.waitUntil(lambda: "李建国的证件，已被终端读取；终端已连接" in w.persona.card_state.text(), timeout=WAIT)
        show_tab(w, w.traffic)
        w.traffic.device.setCurrentIndex(w.traffic.device.findData("idcard"))
        # the SAM frames of the read: preamble AA AA AA 96 69, both ways, with the persona's text bytes
        qtbot.waitUntil(lambda: "终端→设备" in w.traffic.view.toPlainText()
                        and "设备→终端" in w.traffic.view.toPlainText()
                        and "AA AA AA 96 69" in w.traffic.view.toPlainText(), timeout=WAIT)
    finally:
        reader.close()
    click(w, qtbot, tap(w.persona, "拿走身份证"))
    assert hub.call("GET", "/idcard/state")["card"] is None
    assert w.recording.lines == ["- place_card: li_jianguo", "- lift_card"]


def test_printer_states_reach_the_printer_and_receipts_show_as_images(hub, console, qtbot) -> None:
    w = console
    show_tab(w, w.printer)
    printer = ReceiptPrinter("printer", f"tcp://127.0.0.1:{hub.ports['printer']['listen']}", command_timeout=20,
                             status_timeout_s=5.0)
    printer.open()
    printer.enable()
    try:
        click(w, qtbot, tap(w.printer, "缺纸"))
        assert printer.query_status().wait().paper == "out"
        qtbot.waitUntil(lambda: "纸张：缺纸" in w.printer.state.text(), timeout=WAIT)
        click(w, qtbot, tap(w.printer, "开盖"))
        assert printer.query_status().wait().cover_open
        click(w, qtbot, tap(w.printer, "正常（加纸、合盖、联机）"))
        status = printer.query_status().wait()
        assert status.ready and status.paper == "ok"
        job = printer.print_receipt(examples(datetime(2024, 5, 1, 9, 30))["certificate"]).wait()
        assert job.state == "printed"
    finally:
        printer.close()
    newest = hub.call("GET", "/receipts")["receipts"][-1]["index"]
    qtbot.waitUntil(lambda: any(find.widget_text(x) == f"凭条 #{newest}" or x.accessibleName() == f"凭条 #{newest}"
                                for x in find.visible_widgets(w.printer)), timeout=WAIT)
    (paper,) = [x for x in find.visible_widgets(w.printer) if x.accessibleName() == f"凭条 #{newest}"]
    assert paper.pixmap().width() == 260 and paper.pixmap().height() > 260  # the rendered PNG, a tall slip
    assert "个人社保参保证明" in paper.toolTip()
    w.printer.lines.setValue(4)
    click(w, qtbot, tap(w.printer, "打印中途缺纸"))
    assert hub.call("GET", "/printer/state")["fault"]["kind"] == "paper_out_after_lines"
    assert w.recording.lines == ["- printer: out", "- printer: cover_open", "- printer: ok",
                                 "- printer: {paper_out_after_lines: 4}"]


def _backend_client(hub) -> BackendClient:
    cfg = load_config(DEFAULT_CONFIG, env=hub.kiosk_env())
    return BackendClient(cfg.backend, cfg.kiosk_id, load_key(cfg.backend.key_file), retries=1, backoff_s=0.01)


def test_the_platform_goes_down_and_fails_and_the_newest_order_is_paid(hub, console, qtbot) -> None:
    from simulators.backend.catalogue import load_items

    w = console
    show_tab(w, w.devices)
    client = _backend_client(hub)
    try:
        item = next(i for i in load_items() if i["flow"] == "pay" and not i["auth_methods"]
                    and i["pay"]["amount_rule"] == "bill")
        utility = {"用电户号": "electricity", "用水户号": "water", "燃气用户号": "gas"}[item["pay"]["account_label"]]
        account = hub.call("GET", "/backend/accounts")["chen_guiying"][utility]
        dues = client.get_json("/payments/dues", params={"item_id": item["id"], "account": account})
        order = client.post_json("/payments/orders", {"item_id": item["id"], "method": "wechat", "account": account,
                                                             "due_id": dues["dues"][0]["due_id"]},
                                 idempotency_key=str(uuid.uuid4()))
        click(w, qtbot, tap(w.devices, "最新订单已支付"))
        assert client.get_json(f"/payments/orders/{order['order_no']}")["status"] == "paid"
        assert "没有等待支付的订单" in fails(w, qtbot, tap(w.devices, "最新订单已支付"))

        click(w, qtbot, tap(w.devices, "断开"))
        with pytest.raises(BackendError) as down:
            client.get_json("/time")
        assert down.value.code == "offline"
        qtbot.waitUntil(lambda: "平台当前：断开 down" in w.devices.mode.text(), timeout=WAIT)
        w.devices.status.setValue(502)
        click(w, qtbot, tap(w.devices, "服务器错误"))
        with pytest.raises(BackendError) as failing:
            client.get_json("/time")
        assert failing.value.status == 502
        w.devices.seconds.setValue(0.5)
        click(w, qtbot, tap(w.devices, "缓慢"))
        assert hub.call("GET", "/backend/mode")["mode"] == "slow" and hub.call("GET", "/backend/mode")["seconds"] == 0.5
        click(w, qtbot, tap(w.devices, "正常"))
        assert "timezone" in client.get_json("/time")
    finally:
        client.close()
    assert w.recording.lines == ["- pay: paid", "- backend: down", "- backend: {mode: error, status: 502}",
                                 "- backend: {mode: slow, seconds: 0.5}", "- backend: up"]


def test_every_cable_unplugs_and_replugs(hub, console, qtbot) -> None:
    w = console
    show_tab(w, w.devices)
    cabled = sorted(w.devices.rows)
    assert cabled == ["idcard", "printer"]  # the shared hub's devices
    for device in cabled:
        row = w.devices.rows[device]
        click(w, qtbot, w.devices.table.cellWidget(row, 3).click)
        assert hub.call("GET", f"/{device}/state")["plugged"] is False
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", hub.ports[device]["listen"]), timeout=5).close()
        qtbot.waitUntil(lambda r=row: w.devices.table.item(r, 1).text() == "拔出", timeout=WAIT)
        click(w, qtbot, w.devices.table.cellWidget(row, 4).click)
        assert hub.call("GET", f"/{device}/state")["plugged"] is True
        socket.create_connection(("127.0.0.1", hub.ports[device]["listen"]), timeout=5).close()
    assert w.recording.lines == [f"- {verb}: {d}" for d in cabled for verb in ("unplug", "replug")]


def test_scans_reach_the_kiosk_scanner_and_the_camera_thumbnail_follows_the_scene(hub_with, qtbot) -> None:
    hub = hub_with({"scanner", "camera"})
    hub.call("POST", "/reset", {})
    w = open_console(qtbot, hub.url)
    qtbot.waitUntil(lambda: w.state == "connected", timeout=WAIT)
    scanner = QrScanner("scanner", f"socket://127.0.0.1:{hub.ports['scanner']['listen']}", duplicate_window_s=0)
    scanner.open()
    scanner.enable()
    try:
        qtbot.waitUntil(lambda: "扫码枪：终端已连接" in w.persona.scanner_state.text(), timeout=WAIT)
        w.persona.code.setText("GD-QR 测试 0015")
        click(w, qtbot, tap(w.persona, "扫码"))
        assert scanner.events.get(timeout=WAIT_S).code == "GD-QR 测试 0015"
        w.persona.select("chen_guiying")
        click(w, qtbot, tap(w.persona, "扫描粤省事码"))
        assert scanner.events.get(timeout=WAIT_S).code == get_persona("chen_guiying").eid_token
        w.persona.account_kind.setCurrentIndex(w.persona.account_kind.findData("water"))
        click(w, qtbot, tap(w.persona, "扫描户号"))
        assert scanner.events.get(timeout=WAIT_S).code == hub.call("GET", "/backend/accounts")["chen_guiying"]["water"]
    finally:
        scanner.close()
    qtbot.waitUntil(lambda: "终端未连接（扫码会丢失）" in w.persona.scanner_state.text(), timeout=WAIT)
    assert "没有终端连接着扫码枪" in fails(w, qtbot, tap(w.persona, "扫码"))

    show_tab(w, w.camera)
    brightness = {}
    for scene in ("dark", "empty"):
        w.camera.kind.setCurrentIndex(w.camera.kind.findData(scene))
        click(w, qtbot, tap(w.camera, "切换场景"))
        shown = w.camera.frames
        qtbot.waitUntil(lambda s=shown: w.camera.frames >= s + 2, timeout=WAIT)  # a frame fetched after the switch
        brightness[scene] = _mean_lightness(w.camera.thumb.pixmap().toImage())
        assert f"当前场景：{scene}" in w.camera.scene.text()
    assert brightness["dark"] < 0.5 * brightness["empty"], brightness
    w.camera.kind.setCurrentIndex(w.camera.kind.findData("face"))
    w.camera.persona.setCurrentIndex(w.camera.persona.findData("he_shuifa"))
    w.camera.variant.setCurrentIndex(w.camera.variant.findData("far"))
    click(w, qtbot, tap(w.camera, "切换场景"))
    assert hub.call("GET", "/camera/scene") == {"scene": "face:he_shuifa", "variant": "far"}
    assert w.recording.lines == ["- scan: GD-QR 测试 0015", "- scan: {persona: chen_guiying}",
                                 "- scan: {account: water, persona: chen_guiying}", "- camera: dark",
                                 "- camera: empty", "- camera: {scene: 'face:he_shuifa', variant: far}"]
    w.close()


def _mean_lightness(image) -> float:
    points = [(x, y) for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)]
    return sum(image.pixelColor(x, y).lightness() for x, y in points) / len(points)


@pytest.fixture
def app_font_kept(qapp) -> Iterator[None]:
    """`kiosk-sim run` sets the application's font and the kiosk its style sheet; later tests get
    theirs back."""
    font, sheet = qapp.font(), qapp.styleSheet()
    yield
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)


def test_the_recorded_fragment_replays_through_kiosk_sim_run(hub, console, qtbot, tmp_path: Path,
                                                             app_font_kept) -> None:
    """A tester reproduces "paper runs out mid-print": taps on the kiosk are added by hand, the
    devices come from the console's buttons; the saved file passes `kiosk-sim run` against the hub."""
    from simulators.scenario.cli import main as kiosk_sim_run

    w = console
    rec = w.record

    def manual(kind: str, text: str) -> None:
        rec.manual_kind.setCurrentIndex(rec.manual_kind.findData(kind))
        rec.manual_text.setText(text)
        find.tap_text(rec, "添加步骤")

    manual("tap", "个人社保参保证明打印")
    manual("tap", "开始办理")
    manual("expect_screen", "identify")
    w.persona.select("li_jianguo")
    click(w, qtbot, tap(w.persona, "放置身份证"))
    manual("expect_screen", "document")
    manual("expect_text", "李建国")
    show_tab(w, w.printer)
    w.printer.lines.setValue(3)
    click(w, qtbot, tap(w.printer, "打印中途缺纸"))
    manual("tap", "打印证明")
    manual("expect_text", "打印过程中纸张用完")
    click(w, qtbot, tap(w.printer, "正常（加纸、合盖、联机）"))
    manual("tap", "重试")
    manual("expect_receipt", "李建国")
    click(w, qtbot, tap(w.persona, "拿走身份证"))
    manual("expect_screen", "nowhere")  # refused by the scenario reader: not added
    assert "unknown screen 'nowhere'" in w.log.toPlainText().splitlines()[-1]
    rec.name.setText("打印中途缺纸（控制台录制）")
    path = tmp_path / "paper_out.yaml"
    assert w.save_recording(path)
    assert path.read_text(encoding="utf-8").endswith(
        "name: 打印中途缺纸（控制台录制）\nsteps:\n"
        "  - tap: 个人社保参保证明打印\n  - tap: 开始办理\n  - expect_screen: identify\n  - place_card: li_jianguo\n"
        "  - expect_screen: document\n  - expect_text: 李建国\n  - printer: {paper_out_after_lines: 3}\n"
        "  - tap: 打印证明\n  - expect_text: 打印过程中纸张用完\n  - printer: ok\n  - tap: 重试\n"
        "  - expect_receipt: 李建国\n  - lift_card\n")
    assert f"kiosk-sim run {path}" in rec.saved.text()
    assert kiosk_sim_run([str(path), "--hub", hub.url, "--screenshots", str(tmp_path / "shots"),
                          "--junit", str(tmp_path / "junit.xml")]) == 0
    assert 'failures="0"' in (tmp_path / "junit.xml").read_text()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _small_hub(port: int, tmp: Path):
    return start_simulator("all", "--ephemeral", "--only", "idcard", "--state", str(tmp / "state.json"),
                           listen="", control=f"127.0.0.1:{port}", ready_timeout=120)


def test_no_hub_then_a_hub_then_it_goes_away_and_comes_back(qtbot, tmp_path: Path) -> None:
    port = _free_port()
    w = open_console(qtbot, f"http://127.0.0.1:{port}")
    qtbot.waitUntil(lambda: w.state == "unreachable", timeout=WAIT)
    assert f"没有连接到模拟器中心：http://127.0.0.1:{port} 没有应答" in w.banner.text()
    assert "请先运行 kiosk-sim all（或 make run）" in w.banner.text()
    assert w.retry.isVisible() and not w.persona.isEnabled() and not w.tabs.isEnabled()
    w.retry_timer.setInterval(3_600_000)  # from here on only the button retries
    hub = _small_hub(port, tmp_path)
    try:
        with qtbot.waitSignal(w.connection_changed, check_params_cb=lambda s: s == "connected", timeout=WAIT):
            find.tap_text(w, "重试连接", timeout_s=WAIT_S)  # found once enabled: no attempt under way
        assert w.persona.place.isEnabled() and not w.persona.insert.isEnabled()  # this hub: the reader only
        qtbot.waitUntil(lambda: w.persona.scanner_state.text() == "扫码枪：此模拟器中心未运行", timeout=WAIT)
        assert "此模拟器中心未运行参考后端" in w.devices.mode.text()
        w.retry_timer.setInterval(200)
    finally:
        hub.stop()
    qtbot.waitUntil(lambda: w.state == "lost", timeout=WAIT)
    assert "的连接断开了，正在重新连接" in w.banner.text() and not w.persona.isEnabled()
    hub = _small_hub(port, tmp_path)
    try:
        qtbot.waitUntil(lambda: w.state == "connected", timeout=WAIT)  # by itself
        assert "重新连接上模拟器中心" in w.log.toPlainText()
        w.persona.select("zhou_zhiqiang")
        click(w, qtbot, tap(w.persona, "放置身份证"))
        assert hub.control("GET", "/idcard/state")[1]["card"] == "zhou_zhiqiang"
    finally:
        hub.stop()
    w.close()


def test_a_hung_hub_never_freezes_the_window(qtbot) -> None:
    """Something accepts connections on the port and never answers: the connect attempt waits on
    the worker while the GUI thread keeps running; after the link's timeout the console says so."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        w = ConsoleWindow(f"http://127.0.0.1:{hung.getsockname()[1]}", interval_s=0.2, retry_s=60)
        w.link.timeout_s = 2.0
        qtbot.addWidget(w)
        w.show()
        ticks = []
        from PySide6.QtCore import QTimer

        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(w.state))
        timer.start(20)
        w.start()
        qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=WAIT)  # the GUI thread runs while the call hangs
        assert set(ticks) == {"connecting"}
        qtbot.waitUntil(lambda: w.state == "unreachable", timeout=WAIT)
        assert "timed out" in w.banner.text()
        timer.stop()
        w.close()


@pytest.mark.pcsc
def test_the_sscard_goes_in_and_the_kiosk_reader_reads_it(hub_with, qtbot) -> None:
    from kiosk.devices.registry import driver_class

    hub = hub_with({"sscard"})
    hub.call("POST", "/reset", {})
    w = open_console(qtbot, hub.url)
    qtbot.waitUntil(lambda: w.state == "connected", timeout=WAIT)
    w.persona.select("lan_yan")  # 䶮 is not in GBK: no 社保卡
    assert not w.persona.insert.isEnabled() and "蓝䶮没有社保卡" in w.persona.insert.toolTip()
    w.persona.select("he_shuifa")
    click(w, qtbot, tap(w.persona, "插入社保卡"))
    reader = driver_class("pcsc_sscard")("sscard", "pcsc:Virtual PCD 00 00", poll_interval=0.1, command_timeout=20.0)
    reader.open()
    try:
        card = reader.read_card(timeout=WAIT_S).wait()
        assert card.card_number == get_persona("he_shuifa").sscard.card_number
    finally:
        reader.close()
    qtbot.waitUntil(lambda: "何水发的社保卡，读卡器已识别" in w.persona.sscard_state.text(), timeout=WAIT)
    click(w, qtbot, tap(w.persona, "拔出社保卡"))
    assert hub.call("GET", "/sscard/state")["persona"] is None
    assert w.recording.lines == ["- insert_sscard: he_shuifa", "- remove_sscard"]
    w.close()
