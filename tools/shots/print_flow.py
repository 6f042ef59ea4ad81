"""The print flow (guide, identify, form, document, result, rate) and the runner's own screens."""

from __future__ import annotations

import shutil
from pathlib import Path

from tools.shots.kit import Kit

PRINT_ITEM = "个人社保参保证明打印"
FORM_ITEM = "老年人健康体检报告打印"  # a year to type on the keypad
NOT_BUILT_ITEM = "社会保障卡申领"  # apply: materials and submit are not built yet


def shots(kit: Kit) -> None:
    kit.shot("01-home")
    kit.start(PRINT_ITEM)
    kit.screen("guide")
    kit.shot("02-guide")
    kit.tap("开始办理")
    kit.screen("identify")
    kit.shot("03-identify")
    kit.card(kit.persona())
    kit.screen("document")
    kit.until(lambda: kit.runner.steps["document"].print.isEnabled(), "the certificate")
    kit.shot("04-document")
    kit.tap("打印凭条" if kit.kiosk.desk.has_a4_printer else "打印证明")  # the slip; A4 is in results.py
    kit.screen("result")
    kit.shot("05-result")
    png = kit.hub("GET", "/receipts")["receipts"][-1].get("png")
    if png and Path(png).exists():
        shutil.copy(png, kit.out / f"receipt-{kit.theme}-certificate.png")
    kit.card(None)
    kit.tap("完成")
    kit.screen("rate")
    kit.tap("不满意")
    kit.shot("06-rate")
    kit.tap("跳过")
    kit.screen("home")

    kit.start(FORM_ITEM)
    kit.tap("开始办理")
    kit.screen("identify")
    kit.card(kit.persona())
    kit.screen("form")
    kit.tap("确定")  # nothing typed yet: the page says what to do
    kit.shot("07-form-keypad")
    kit.home()

    kit.runner.busy.prepare(f"正在为您办理「{PRINT_ITEM}」，请稍候……")
    kit.window.show_screen("busy")
    kit.shot("08-busy")
    kit.home()
    kit.start(NOT_BUILT_ITEM)
    kit.tap("开始办理")
    kit.screen("not_built")
    kit.shot("09-not-built")
    kit.home()
    kit.start(PRINT_ITEM)
    kit.window.idle_warning.show_seconds(20)
    kit.shot("10-idle-warning")
    kit.home()
