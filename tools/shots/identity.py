"""The identity screens: the identify step with every method, a stale e-ID code, a wrong 社保卡, the
expired ID card and its other way, 帮他人办理 and the agent's panel, the 办理人/代办人 journey bar, the
face step (consent, live guidance, a miss with the tries left, a failed liveness check, refusal) and
the notice after the 社保卡 is pulled out. 社保卡 screens need the sscard simulator (pcscd)."""

from __future__ import annotations

from kiosk.ui import find
from tools.shots.kit import WAIT_S, Kit

PRINT_ITEM = "个人社保参保证明打印"  # ID card, e-ID, 社保卡
PROXY_ITEM = "老年人健康体检报告打印"  # proxy_ok
FACE_ITEM = "户籍证明打印"  # ID card + face
OTHER_FACE = {"li_jianguo": "chen_guiying", "chen_guiying": "li_jianguo"}  # personas with the other photo


def text(kit: Kit, what: str) -> None:
    find.wait_for_text(kit.window, what, timeout_s=WAIT_S)


def to_identify(kit: Kit, item: str) -> None:
    kit.start(item)
    kit.screen("guide")
    kit.tap("开始办理")
    kit.screen("identify")


def camera(kit: Kit, scene: str, variant: str | None = None) -> None:
    kit.hub("POST", "/camera/scene", {"scene": scene, **({"variant": variant} if variant else {})})


def shots(kit: Kit) -> None:
    persona = kit.persona()
    sscard = kit.kiosk.devices.get("sscard") is not None

    to_identify(kit, PRINT_ITEM)
    kit.shot("identity-01-methods")
    kit.hub("POST", "/scanner/scan", {"code": "EID1.EXPIREDTOKENFROMYESTERDAY"})
    text(kit, "电子身份证二维码无效或已过期")
    kit.shot("identity-02-eid-invalid")
    if sscard:
        kit.hub("POST", "/sscard/fault", {"kind": "wrong_card"})
        kit.hub("POST", "/sscard/insert", {"persona": persona, "wait": 5})
        text(kit, "这张卡不是社会保障卡")
        kit.shot("identity-03-sscard-wrong-card")
        kit.hub("POST", "/sscard/remove")
        kit.hub("POST", "/sscard/fault", {"kind": "none"})
    else:
        print("screenshots: no sscard simulator (pcscd): the 社保卡 screens are left out")
    kit.home()

    to_identify(kit, PRINT_ITEM)
    kit.card("zhou_zhiqiang")  # an expired ID card
    kit.screen("error")
    kit.shot("identity-04-expired-card")
    kit.tap("换一种方式")
    kit.screen("identify")
    text(kit, "也可以到")
    kit.shot("identity-05-other-way")
    kit.card(None)
    kit.home()

    to_identify(kit, PROXY_ITEM)
    kit.tap("帮他人办理")
    kit.shot("identity-06-proxy-chosen")
    kit.card("chen_guiying")
    text(kit, "代办人与办理人是什么关系")
    kit.card(None)
    kit.tap("子女")
    kit.shot("identity-07-agent-card")
    kit.card("huang_xiaomei")
    kit.screen("form")
    kit.shot("identity-08-proxy-journey-bar")
    kit.card(None)
    kit.home()

    to_identify(kit, FACE_ITEM)
    kit.card(persona)
    kit.screen("face")
    kit.shot("face-01-consent")
    kit.tap("不同意")
    text(kit, "您没有同意人脸识别")
    kit.shot("face-02-declined")
    camera(kit, f"face:{persona}", "far")
    kit.tap("我同意，开始人脸识别")
    text(kit, "请靠近一点。")
    kit.until(lambda: not kit.runner.steps["face"].preview.pixmap().isNull(), "the camera preview")
    kit.shot("face-03-guidance")
    camera(kit, f"face:{OTHER_FACE[persona]}")  # someone else steps in front of the camera
    text(kit, "还可以再试 2 次")
    kit.shot("face-04-mismatch")
    camera(kit, f"photo:{persona}")
    kit.tap("再试一次")
    text(kit, "未通过活体检测")
    kit.shot("face-05-liveness-failed")
    camera(kit, "empty")
    kit.card(None)
    kit.home()

    if sscard:
        to_identify(kit, PRINT_ITEM)
        kit.hub("POST", "/sscard/insert", {"persona": persona, "wait": 5})
        kit.screen("document")
        kit.hub("POST", "/sscard/remove")
        kit.screen("home")
        text(kit, "社保卡已拔出")
        kit.shot("identity-09-sscard-pulled-out")
        kit.window.notice.hide()  # the next variant starts without the last visit's notice
