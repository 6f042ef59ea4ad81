"""长者模式 (issue 22): the 4-tap 养老待遇资格认证 screen by screen, the full-screen inactivity warning, 帮办
with the remote-help QR, 帮家人办理; in the standard theme, the offer of 长者模式 to a 60+ card holder."""

from __future__ import annotations

from tools.shots.kit import Kit

PENSION = "养老待遇资格认证"


def shots(kit: Kit) -> None:
    if kit.theme != "elderly":  # standard mode: the polite offer after a 60+ card, on the next screen
        kit.start(PENSION)
        kit.tap("开始办理")
        kit.screen("identify")
        kit.card("chen_guiying")
        kit.screen("face")
        kit.until(kit.window.elderly_offer.isVisible, "the 长者模式 offer")
        kit.shot("elderly-00-offer")
        kit.home()
        return
    kit.shot("elderly-01-home")
    kit.start(PENSION)
    kit.screen("guide")
    kit.shot("elderly-02-guide-essentials")
    kit.tap("开始办理")
    kit.screen("identify")
    kit.shot("elderly-03-identify")
    kit.card("chen_guiying")
    kit.screen("face")
    kit.shot("elderly-04-face-consent")
    kit.tap("帮办")
    kit.until(kit.window.remote_help.isVisible, "the remote-help QR")
    kit.shot("elderly-05-help-qr")
    kit.tap("关闭远程帮办")
    kit.window.idle_warning.show_seconds(40)  # what the doubled idle time ends in
    kit.shot("elderly-06-idle-warning")
    kit.window.idle_warning.hide()
    kit.hub("POST", "/camera/scene", {"scene": "face:chen_guiying"})
    kit.tap("同意，开始人脸识别")
    # certified, and the 认证凭证 printed by itself; a later variant finds her certified already
    kit.until(lambda: kit.window.current == "result" or (kit.window.current == "certify"
              and kit.runner.steps["certify"].finish.isVisible()), "the certification's outcome")
    if kit.window.current == "certify":
        kit.shot("elderly-07-certify-still-valid")
        kit.tap("完成")
        kit.screen("result")
    kit.shot("elderly-07-result")
    kit.card(None)
    kit.tap("完成")
    kit.screen("rate")
    kit.shot("elderly-08-rate")
    kit.home()
    kit.start("老年人健康体检报告打印")
    kit.tap("开始办理")
    kit.screen("identify")
    kit.tap("帮家人办理")
    kit.shot("elderly-09-proxy-family")
    kit.home()
