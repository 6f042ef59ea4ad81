"""Screenshots of the tester console under Xvfb (marker `xserver`: `make test` runs it in its X
server phase), in the states a tester sees: no hub yet, then connected with a card read (wire
traffic), a receipt printed, the camera on a face and the platform down. The PNGs go to the test's
tmp_path (`pytest --basetemp DIR` keeps them to look at)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from kiosk.devices.id_card_reader import IdCardReader
from kiosk.devices.receipt_printer import ReceiptPrinter
from kiosk.services.receipts import examples
from kiosk.ui import find
from kiosk.ui.fonts import UI_FAMILY, load_ui_font, ui_font
from simulators.console.window import ConsoleWindow
from tests.simulators.test_console import WAIT, WAIT_S, _free_port, click, show_tab, tap

pytestmark = [pytest.mark.xserver, pytest.mark.e2e]


def shot(w: ConsoleWindow, out: Path, name: str) -> Path:
    for _ in range(5):  # let posted layout requests settle
        QCoreApplication.processEvents()
    path = out / f"console-{name}.png"
    image = w.grab().toImage()
    assert not image.isNull() and image.width() == w.width() and image.height() == w.height()
    assert image.save(str(path))
    print(path)
    return path


def test_console_screenshots(hub_with, qtbot, tmp_path: Path) -> None:
    load_ui_font()
    app = QApplication.instance()
    font = app.font()
    app.setFont(ui_font(10))  # as `kiosk-sim console` does
    try:
        _screenshots(hub_with, qtbot, tmp_path)
    finally:
        app.setFont(font)


def _screenshots(hub_with, qtbot, tmp_path: Path) -> None:
    nobody = ConsoleWindow(f"http://127.0.0.1:{_free_port()}", interval_s=0.3, retry_s=60)
    qtbot.addWidget(nobody)
    nobody.show()
    qtbot.waitExposed(nobody)
    nobody.start()
    qtbot.waitUntil(lambda: nobody.state == "unreachable", timeout=WAIT)
    assert QFontInfo(nobody.banner.font()).family() == UI_FAMILY  # CJK glyphs, not boxes
    shot(nobody, tmp_path, "no-hub")
    nobody.close()

    hub = hub_with({"scanner", "camera"})
    hub.call("POST", "/reset", {})
    w = ConsoleWindow(hub.url, interval_s=0.3)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.start()
    qtbot.waitUntil(lambda: w.state == "connected", timeout=WAIT)
    w.persona.select("chen_guiying")
    click(w, qtbot, tap(w.persona, "放置身份证"))
    reader = IdCardReader("idcard", f"socket://127.0.0.1:{hub.ports['idcard']['listen']}", poll_interval=0.05)
    reader.open()
    printer = ReceiptPrinter("printer", f"tcp://127.0.0.1:{hub.ports['printer']['listen']}", command_timeout=20)
    printer.open()
    printer.enable()
    try:
        reader.read_once(timeout=WAIT_S)
        show_tab(w, w.traffic)
        w.traffic.device.setCurrentIndex(w.traffic.device.findData("idcard"))
        qtbot.waitUntil(lambda: "AA AA AA 96 69" in w.traffic.view.toPlainText(), timeout=WAIT)
        shot(w, tmp_path, "traffic")

        show_tab(w, w.printer)
        printer.print_receipt(examples(datetime(2024, 5, 1, 9, 30))["certificate"]).wait()
        click(w, qtbot, tap(w.printer, "纸将尽"))
        qtbot.waitUntil(lambda: "纸张：纸将尽" in w.printer.state.text() and bool(w.printer.receipt_labels), timeout=WAIT)
        shot(w, tmp_path, "printer")
    finally:
        reader.close()
        printer.close()

    show_tab(w, w.camera)
    w.camera.persona.setCurrentIndex(w.camera.persona.findData("chen_guiying"))
    click(w, qtbot, tap(w.camera, "切换场景"))
    frames = w.camera.frames
    qtbot.waitUntil(lambda: w.camera.frames >= frames + 2, timeout=WAIT)
    assert not w.camera.thumb.pixmap().isNull()
    shot(w, tmp_path, "camera")

    show_tab(w, w.devices)
    click(w, qtbot, tap(w.devices, "断开"))
    click(w, qtbot, w.devices.table.cellWidget(w.devices.rows["scanner"], 3).click)
    qtbot.waitUntil(lambda: "平台当前：断开" in w.devices.mode.text()
                    and w.devices.table.item(w.devices.rows["scanner"], 1).text() == "拔出", timeout=WAIT)
    w.record.manual_text.setText("个人社保参保证明打印")
    find.tap_text(w.record, "添加步骤")
    shot(w, tmp_path, "devices")
    click(w, qtbot, tap(w.devices, "正常"))
    w.close()
