"""The technician screen (issue 25): the PIN, each page, self-tests run against the simulators."""

from __future__ import annotations

from kiosk.ui.technician.corner import ACCESSIBLE_NAME, TAPS
from tools.shots.kit import Kit

PIN = "246810"  # the development PIN (docs/configuration.md)


def shots(kit: Kit) -> None:
    tech = kit.kiosk.technician
    for _ in range(TAPS):
        kit.tap(ACCESSIBLE_NAME)
    kit.screen("technician_pin")
    for digit in PIN[:3]:
        kit.tap(digit)
    kit.shot("technician-01-pin")
    for digit in PIN[3:]:
        kit.tap(digit)
    kit.tap("确定")
    kit.screen("technician")
    status = tech.screen.status
    kit.until(lambda: status.health is not None and status.refresh_button.isEnabled(), "the status check")
    kit.shot("technician-02-status")

    kit.tap("设备自检")
    page = tech.screen.selftest
    kit.tap("打印测试页")
    kit.until(lambda: "printer" in page.outcomes, "the test page")
    if kit.kiosk.devices.get("docprinter") is not None:
        kit.tap("A4 测试页")
        kit.until(lambda: "docprinter" in page.outcomes, "the A4 test page")
    kit.tap("读身份证")
    kit.card(kit.persona())
    kit.until(lambda: "idcard" in page.outcomes, "the card read")
    kit.card(None)
    kit.tap("扫码测试")
    kit.until(lambda: "正在" in page.results["scanner"].text() or "请在" in page.results["scanner"].text(),
              "the scan test waiting")
    kit.hub("POST", "/scanner/scan", {"code": "TEST-扫码-0123"})
    kit.until(lambda: "scanner" in page.outcomes, "the scan")
    kit.hub("POST", "/camera/scene", {"scene": f"face:{kit.persona()}"})
    kit.tap("摄像头预览")
    kit.until(lambda: page.outcomes.get("camera") is not None and page.outcomes["camera"].ok, "a face in the preview")
    kit.shot("technician-03-selftest")
    kit.tap("停止预览")

    kit.tap("事件日志")
    kit.shot("technician-04-log")
    kit.tap("导出与操作")
    kit.until(lambda: tech.screen.actions.find_button.isEnabled(), "the export targets")
    kit.shot("technician-05-actions")
    kit.tap("返回服务")
    kit.screen("home")
