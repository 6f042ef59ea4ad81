"""Query, print (with the A4 printer beside the receipt printer) and certify, the 好差评 at level 2:
every screen reached by taps, as a resident would (the certifications through the face step)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tools.shots.kit import Kit

QUERY_ITEM = "养老金发放记录查询"  # a year on the keypad, a printable list
LONG_ITEM = "社保缴费记录查询"  # hundreds of rows: the pager
PRINT_ITEM = "个人社保参保证明打印"
CERTIFY_ITEM = "pension-eligibility-certification"


def type_year(kit: Kit, year: str) -> None:
    for ch in year:
        kit.tap(ch)
    kit.tap("确定")


def copy_receipt(kit: Kit, name: str) -> None:
    png = kit.hub("GET", "/receipts")["receipts"][-1].get("png")
    if png and Path(png).exists():
        shutil.copy(png, kit.out / f"receipt-{kit.theme}-{name}.png")


def finish(kit: Kit) -> None:
    kit.screen("result")
    kit.card(None)
    kit.tap("完成")
    kit.screen("rate")
    kit.tap("跳过")
    kit.screen("home")


def query_shots(kit: Kit) -> None:
    pensioner = "chen_guiying"
    kit.start(QUERY_ITEM)
    kit.tap("开始办理")
    kit.card(pensioner)
    kit.screen("form")
    type_year(kit, "2020")
    kit.screen("query")
    query = kit.runner.steps["query"]
    kit.until(lambda: query.answer is not None, "the records")
    kit.shot("20-query-list")
    kit.tap("第 1 条记录")
    kit.shot("21-query-detail")
    kit.tap("返回列表")
    kit.tap("打印凭条")
    kit.screen("result")
    kit.shot("22-query-printed")
    copy_receipt(kit, "query")
    finish(kit)

    kit.start(QUERY_ITEM)
    kit.tap("开始办理")
    kit.card("li_jianguo")  # no pension: no rows
    kit.screen("form")
    type_year(kit, "2024")
    kit.screen("query")
    kit.until(lambda: query.answer is not None, "the answer")
    kit.shot("23-query-no-rows")
    kit.card(None)
    kit.home()

    kit.start(LONG_ITEM)
    kit.tap("开始办理")
    kit.card("li_jianguo")
    kit.screen("form")
    kit.tap("职工养老保险")
    kit.tap("下一项")
    kit.tap("确定")  # the year is optional: every year
    kit.screen("query")
    kit.until(lambda: query.answer is not None, "the records")
    kit.tap("下一页")
    kit.shot("24-query-pages")
    kit.card(None)
    kit.home()


def document_shots(kit: Kit) -> None:
    kit.start(PRINT_ITEM)
    kit.tap("开始办理")
    kit.card(kit.persona())
    kit.screen("document")
    document = kit.runner.steps["document"]
    kit.until(lambda: document.print.isEnabled(), "the certificate")
    kit.shot("25-document-a4-and-receipt" if document.print_a4.isVisible() else "25-document")
    if document.print_a4.isVisible():
        kit.hub("POST", "/docprinter/state", {"media": "empty"})  # out of paper: the receipt instead
        kit.tap("打印 A4 证明")
        kit.screen("result")
        kit.shot("26-a4-fell-back-to-receipt")
        kit.hub("POST", "/docprinter/reset")
        finish(kit)
    else:
        kit.card(None)
        kit.home()


def certify_by_taps(kit: Kit, persona_id: str, item_id: str) -> None:
    """Home → guide → the ID card → the face step (consent, the live face, a blink) → certify."""
    item = next(i for i in kit.runner.home.items if i["id"] == item_id)
    kit.start(item["name"])
    kit.tap("开始办理")
    kit.screen("identify")
    kit.card(persona_id)
    kit.screen("face")
    kit.hub("POST", "/camera/scene", {"scene": f"face:{persona_id}"})
    kit.tap("同意，开始人脸识别")
    kit.screen("certify")
    certify = kit.runner.steps["certify"]
    kit.until(lambda: certify.finish.isVisible(), "the certification")


def certify_shots(kit: Kit) -> None:
    certify = kit.runner.steps["certify"]
    certify_by_taps(kit, "chen_guiying", CERTIFY_ITEM)
    still_valid_shown = certify.result is None  # certified by an earlier variant: still valid
    if still_valid_shown:
        kit.shot("28-still-valid")
        kit.tap("重新认证")  # this item allows certifying again while valid
        kit.until(lambda: certify.result is not None, "the certification")
    kit.shot("27-certified")
    kit.tap("打印认证凭证")
    kit.screen("result")
    copy_receipt(kit, "certification")
    kit.shot("29-certified-result")
    kit.card(None)
    kit.tap("完成")
    kit.screen("rate")
    kit.tap("跳过")
    if not still_valid_shown:
        certify_by_taps(kit, "chen_guiying", CERTIFY_ITEM)
        kit.shot("28-still-valid")
    kit.home()
    certify_by_taps(kit, "li_jianguo", CERTIFY_ITEM)  # draws no pension
    kit.shot("30-not-eligible")
    kit.home()


def rate_shots(kit: Kit) -> None:
    kit.start(QUERY_ITEM)
    kit.tap("开始办理")
    kit.card(kit.persona())
    kit.screen("form")
    type_year(kit, "2024")
    kit.screen("query")
    kit.tap("完成")
    kit.screen("result")
    kit.card(None)
    kit.tap("完成")
    kit.screen("rate")
    kit.tap("不满意")
    kit.tap("服务效率")
    kit.shot("31-rate-two")
    kit.tap("跳过")
    kit.screen("home")


def shots(kit: Kit) -> None:
    query_shots(kit)
    document_shots(kit)
    certify_shots(kit)
    rate_shots(kit)
