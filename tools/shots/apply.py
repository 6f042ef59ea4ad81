"""Applications: the pre-filled check page, a text question with the on-screen Chinese keyboard open,
a long text (textarea), and the materials step's ways (e-licence, 容缺, 告知承诺 text, the signature
pad, the document camera's preview), then the honest 暂未开通 of the not yet built submission."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.ui import find
from tools.shots.kit import Kit

RESIDENCE = "村（居）民居住情况证明"  # address and phone pre-filled, a text question, capture
DEATH_BENEFIT = "城乡居民养老保险丧葬补助金及个人账户余额领取"  # 容缺, e-licence, 告知承诺
MEDIATION = "人民调解申请"  # a textarea (调解请求)


def _identify(kit: Kit, item: str) -> None:
    kit.start(item)
    kit.screen("guide")
    kit.tap("开始办理")
    kit.screen("identify")
    kit.card("li_jianguo")
    kit.screen("form")
    kit.until(lambda: kit.runner.steps["form"].current is not None, "the form")


def _keyboard_open(kit: Kit) -> None:
    kit.until(lambda: kit.window.keyboard.isVisible() or not kit.window.keyboard.usable, "the keyboard")


def shots(kit: Kit) -> None:
    _identify(kit, RESIDENCE)
    kit.shot("apply-01-check-prefilled")
    kit.tap("修改居住地址")
    _keyboard_open(kit)
    kit.shot("apply-02-edit-address-keyboard")
    kit.tap("确定")
    kit.tap("信息无误，下一项")
    kit.tap("3月")
    kit.tap("5日")
    kit.tap("下一项")
    _keyboard_open(kit)
    page = kit.runner.steps["form"].current
    keyboard = kit.window.keyboard
    if keyboard.usable:
        for key in "zinv":  # a pinyin composition on screen, its candidates above the keys
            QTest.mouseClick(keyboard.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             keyboard.keys()[key])
        kit.until(lambda: "子女" in keyboard.candidates(), "the candidates")
        kit.shot("apply-03-text-keyboard-pinyin")
        keyboard.choose(keyboard.candidates().index("子女"))
    page.field.insert("入学")
    kit.tap("确定")
    kit.screen("materials")
    kit.shot("apply-04-materials-elicence")
    kit.tap("使用电子证照：居民身份证电子证照（A级，免提交）")
    kit.tap("下一份")
    kit.hub("POST", "/camera/scene", {"scene": "document"})
    kit.tap("用高拍仪拍照上传")
    kit.until(lambda: kit.runner.steps["materials"].use_photo.isEnabled(), "the captured page")
    kit.shot("apply-05-capture-preview")
    kit.tap("使用这张照片")
    kit.shot("apply-06-materials-chosen")
    kit.tap("确定")
    kit.screen("not_built")
    kit.shot("apply-07-not-sent")
    kit.card(None)
    kit.home()

    _identify(kit, DEATH_BENEFIT)
    kit.tap("信息无误，下一项")
    for char in "440204194203080028":
        kit.tap(char)
    kit.tap("下一项")
    kit.tap("3月")
    kit.tap("5日")
    kit.tap("下一项")
    kit.tap("子女")
    kit.tap("下一项")
    for char in "6222021234567890":
        kit.tap(char)
    kit.tap("确定")
    kit.screen("materials")
    kit.shot("apply-08-materials-missing")
    find.tap(find.find(kit.window, "容缺受理：先办理，10 个工作日内到窗口补交"))
    kit.tap("下一份")
    kit.tap("使用电子证照：居民身份证电子证照（A级，免提交）")
    kit.tap("下一份")
    kit.tap("签署告知承诺书代替")
    kit.shot("apply-09-commitment-text")
    kit.tap("我已阅读，同意并签名")
    pad = kit.runner.steps["materials"].pad
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(60, 120))
    for x in range(60, 500, 12):
        QTest.mouseMove(pad, QPoint(x, 120 + (x // 12 % 5) * 14))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(500, 130))
    kit.shot("apply-10-signature")
    kit.card(None)
    kit.home()

    _identify(kit, MEDIATION)
    form = kit.runner.steps["form"]
    for _ in range(8):
        page = form.current
        if getattr(page, "area", None) is not None:
            _keyboard_open(kit)
            page.area.insertPlainText("请求对方按约定归还借款两万元，并协商还款时间。")
            kit.shot("apply-11-textarea-keyboard")
            break
        if getattr(page, "group", None) is not None:
            page.group.button(0).click()
        elif getattr(page, "edit", None) is not None and page.needs_keyboard:
            page.edit.insert("王大明")
        form.next.click()
    kit.card(None)
    kit.home()
