"""Slips in the session's language. kiosk/services/receipts.py keeps its templates in zh_CN and passes
every text of a slip through the function installed here when it prints (receipts.set_translator):
- zh_HK: the whole text by OpenCC s2hk (labels, the platform's values, the item's name);
- en: a template's own words from the .ts files (context "receipts", listed below for lupdate),
  "标签：值" lines label by label, dates as month/year, and the item's name from `name_en`. What the
  platform itself wrote (record values, the issuing office) stays as the platform sent it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from kiosk.services import catalogue_text, receipts


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    return text


WORDS = (
    QT_TRANSLATE_NOOP("receipts", "姓名"), QT_TRANSLATE_NOOP("receipts", "证件号码"),
    QT_TRANSLATE_NOOP("receipts", "办理人"), QT_TRANSLATE_NOOP("receipts", "代办人"),
    QT_TRANSLATE_NOOP("receipts", "打印时间"), QT_TRANSLATE_NOOP("receipts", "终端编号"),
    QT_TRANSLATE_NOOP("receipts", "查询结果"), QT_TRANSLATE_NOOP("receipts", "未查询到记录。"),
    QT_TRANSLATE_NOOP("receipts", "本凭条仅供参考，以业务系统记录为准。"),
    QT_TRANSLATE_NOOP("receipts", "认证事项"), QT_TRANSLATE_NOOP("receipts", "认证结果"),
    QT_TRANSLATE_NOOP("receipts", "认证成功"), QT_TRANSLATE_NOOP("receipts", "认证编号"),
    QT_TRANSLATE_NOOP("receipts", "认证时间"), QT_TRANSLATE_NOOP("receipts", "有效期至"),
    QT_TRANSLATE_NOOP("receipts", "温馨提示"), QT_TRANSLATE_NOOP("receipts", "认证凭证"),
    QT_TRANSLATE_NOOP("receipts", "本凭证仅供留存，认证结果以业务系统记录为准。"),
    QT_TRANSLATE_NOOP("receipts", "出具单位"), QT_TRANSLATE_NOOP("receipts", "核验码"),
    QT_TRANSLATE_NOOP("receipts", "扫码核验本证明真伪"),
    QT_TRANSLATE_NOOP("receipts", "广东政务服务 · 村级自助服务终端"),
    QT_TRANSLATE_NOOP("receipts", "事项名称"), QT_TRANSLATE_NOOP("receipts", "受理编号"),
    QT_TRANSLATE_NOOP("receipts", "受理时间"), QT_TRANSLATE_NOOP("receipts", "受理部门"),
    QT_TRANSLATE_NOOP("receipts", "承诺时限"), QT_TRANSLATE_NOOP("receipts", "已收材料"),
    QT_TRANSLATE_NOOP("receipts", "待补正材料（容缺受理）"), QT_TRANSLATE_NOOP("receipts", "受理凭证"),
    QT_TRANSLATE_NOOP("receipts", "扫码查询办理进度"),
    QT_TRANSLATE_NOOP("receipts", "请妥善保管本凭证，凭受理编号查询进度。"),
    QT_TRANSLATE_NOOP("receipts", "办理事项"), QT_TRANSLATE_NOOP("receipts", "办理地点"),
    QT_TRANSLATE_NOOP("receipts", "办理窗口"), QT_TRANSLATE_NOOP("receipts", "取号时间"),
    QT_TRANSLATE_NOOP("receipts", "排队取号"), QT_TRANSLATE_NOOP("receipts", "缴费项目"),
    QT_TRANSLATE_NOOP("receipts", "缴费期间"), QT_TRANSLATE_NOOP("receipts", "实缴金额"),
    QT_TRANSLATE_NOOP("receipts", "支付方式"), QT_TRANSLATE_NOOP("receipts", "订单号"),
    QT_TRANSLATE_NOOP("receipts", "交易流水号"), QT_TRANSLATE_NOOP("receipts", "支付时间"),
    QT_TRANSLATE_NOOP("receipts", "缴费凭证"), QT_TRANSLATE_NOOP("receipts", "一次性告知单"),
    QT_TRANSLATE_NOOP("receipts", "办理条件"), QT_TRANSLATE_NOOP("receipts", "所需材料"),
    QT_TRANSLATE_NOOP("receipts", "无需提交材料。"), QT_TRANSLATE_NOOP("receipts", "办理时间"),
    QT_TRANSLATE_NOOP("receipts", "办理时限"), QT_TRANSLATE_NOOP("receipts", "咨询电话"),
    QT_TRANSLATE_NOOP("receipts", "扫码查看办事指南"), QT_TRANSLATE_NOOP("receipts", "材料齐全可一次办结。"),
    QT_TRANSLATE_NOOP("receipts", "法定办结时限"), QT_TRANSLATE_NOOP("receipts", "承诺办结时限"),
    QT_TRANSLATE_NOOP("receipts", "收费标准"), QT_TRANSLATE_NOOP("receipts", "办理结果"),
    QT_TRANSLATE_NOOP("receipts", "办理流程"), QT_TRANSLATE_NOOP("receipts", "投诉电话"),
    QT_TRANSLATE_NOOP("receipts", "不收费"), QT_TRANSLATE_NOOP("receipts", "即办"),
    QT_TRANSLATE_NOOP("receipts", "法律法规未作规定"),
)
MONTH = re.compile(r"(\d{4}) ?年 ?(\d{1,2}) ?月")


def _en(text: str, item: dict[str, Any] | None) -> str:
    def word(s: str) -> str:
        return QCoreApplication.translate("receipts", s)
    if item is not None and text == item.get("name"):
        return catalogue_text.item_text(item, "name", "en")
    if word(text) != text:
        return word(text)
    if "：" in text:
        label, value = text.split("：", 1)
        if item is not None and value == item.get("name"):
            value = catalogue_text.item_text(item, "name", "en")
        if word(label) == label:
            return text
        return word(label) + ": " + MONTH.sub(r"\2/\1", word(value))
    return text


def translator(language: str, current_item: Callable[[], dict[str, Any] | None]) -> Callable[[str], str] | None:
    """The function receipts.set_translator takes for `language` (None: zh_CN, the templates as they are)."""
    if language == "zh_HK":
        return catalogue_text.to_hk
    if language == "en":
        return lambda text: _en(text, current_item())
    return None


def install(language: str, current_item: Callable[[], dict[str, Any] | None]) -> None:
    receipts.set_translator(translator(language, current_item))
