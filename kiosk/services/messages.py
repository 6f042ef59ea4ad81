"""Message codes → the zh_CN text a resident sees. The one table of user-facing sentences.

Devices and services never write sentences for residents: they raise errors and return results
carrying a code (`printer.paper_out`, `backend.offline`, `identity.card_expired`, …). The UI turns a
code into text here, then through Qt's translator (context "messages") for other languages.

`QT_TRANSLATE_NOOP` is a local no-op: pyside6-lupdate finds the strings by that name without this
module importing Qt (services stay Qt-free).
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    return text


GENERIC = "system.busy"

MESSAGES: dict[str, str] = {
    GENERIC: QT_TRANSLATE_NOOP("messages", "系统繁忙，请稍后再试；如多次失败，请联系工作人员。"),
    # technician entry and diagnostics (pin_lockout.py, diag_bundle.py)
    "technician.pin_wrong": QT_TRANSLATE_NOOP("messages", "密码不正确，还可以再试 {tries_left} 次。"),
    "technician.locked": QT_TRANSLATE_NOOP("messages", "密码错误次数过多，维护入口已锁定，请 {minutes} 分钟后再试。"),
    "technician.state_unwritable": QT_TRANSLATE_NOOP(
        "messages", "无法记录密码尝试次数，维护入口暂不可用，请检查终端存储或联系运维中心。"),
    "bundle.no_target": QT_TRANSLATE_NOOP("messages", "没有找到 U 盘或导出目录，请插好 U 盘后再试。"),
    "bundle.write_failed": QT_TRANSLATE_NOOP("messages", "诊断包写入失败，请换一个 U 盘或检查剩余空间后再试。"),
    # fleet remote commands (fleet_client.py)
    "kiosk.maintenance": QT_TRANSLATE_NOOP("messages", "设备维护中，暂停办理业务。请到服务窗口办理，或稍后再来。"),
    # ---- the resident UI's own codes (flow runner, steps, forms) ----
    "backend.offline_item": QT_TRANSLATE_NOOP(
        "messages", "网络中断，暂时连不上政务服务平台，「{name}」需要联网才能办理。您可以稍后再试，或到村（社区）便民服务站窗口办理。"),
    "flow.not_built": QT_TRANSLATE_NOOP("messages", "本终端暂未开通「{name}」的自助办理，您的信息没有被读取或保存。"),
    "flow.go_to_window": QT_TRANSLATE_NOOP("messages", "请到「{window}」办理，或返回首页选择其他业务。"),
    "error.next.retry": QT_TRANSLATE_NOOP("messages", "您可以点「重试」再试一次；多次失败请点「请联系工作人员」。"),
    "error.next.other": QT_TRANSLATE_NOOP("messages", "您可以点「换一种方式」继续办理，或点「请联系工作人员」。"),
    "error.next.retry_or_other": QT_TRANSLATE_NOOP(
        "messages", "您可以点「重试」，或「换一种方式」继续办理；多次失败请点「请联系工作人员」。"),
    "error.next.home": QT_TRANSLATE_NOOP("messages", "请点「返回首页」，或点「请联系工作人员」请工作人员协助。"),
    "assistance.called": QT_TRANSLATE_NOOP("messages", "已通知工作人员，工作人员马上到，请在终端旁稍候。"),
    "assistance.failed": QT_TRANSLATE_NOOP("messages", "暂时没能通知到工作人员，请到服务窗口或大厅找工作人员帮忙。"),
    "form.required": QT_TRANSLATE_NOOP("messages", "请填写「{label}」，这一项必须填写。"),
    "form.choose": QT_TRANSLATE_NOOP("messages", "请在「{label}」下面的选项中点选一项。"),
    "form.number": QT_TRANSLATE_NOOP("messages", "「{label}」应填写整数，请用下方数字键重新输入。"),
    "form.money": QT_TRANSLATE_NOOP("messages", "「{label}」应为金额（元），最多两位小数，请重新输入。"),
    "form.range": QT_TRANSLATE_NOOP("messages", "「{label}」应在 {min} 至 {max} 之间，请重新输入。"),
    "form.phone": QT_TRANSLATE_NOOP("messages", "手机号码应为 11 位数字，以 1 开头，请重新输入。"),
    "form.id_number": QT_TRANSLATE_NOOP("messages", "身份证号码应为 18 位，最后一位可以是 X，请核对后重新输入。"),
    "form.date": QT_TRANSLATE_NOOP("messages", "「{label}」不是有效日期，请重新选择。"),
    "form.too_long": QT_TRANSLATE_NOOP("messages", "「{label}」最多 {max} 个字，请删减后再继续。"),
    "form.too_short": QT_TRANSLATE_NOOP("messages", "「{label}」至少需要 {min} 个字，请补充后再继续。"),
    "form.pattern": QT_TRANSLATE_NOOP("messages", "「{label}」的格式不正确，请核对后重新输入。"),
    "form.not_built": QT_TRANSLATE_NOOP("messages", "「{label}」需要输入汉字，本终端暂未开通汉字输入，请到窗口办理。"),
    "idcard.reader_missing": QT_TRANSLATE_NOOP(
        "messages", "本终端的身份证读卡器暂不可用，请联系工作人员，或到服务窗口办理。"),
    "idcard.reconnecting": QT_TRANSLATE_NOOP(
        "messages", "读卡器连接中断，正在自动重连。如长时间无法读卡，请联系工作人员。"),
    "printer.missing": QT_TRANSLATE_NOOP("messages", "本终端的打印机暂不可用，无法打印。请联系工作人员，或到服务窗口办理。"),
}

_warned: set[str] = set()


class CodedError(Exception):
    """A failure that is nothing but a message code (+ its placeholders), e.g. raised by the UI
    when it refuses to go on by itself: `CodedError("backend.offline_item", "why", name=…)`."""

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail or code
        self.params = params


def text(code: str, **params: Any) -> str:
    """The zh_CN text of a code, with its {placeholders} filled. Unknown codes give the generic text."""
    template = MESSAGES.get(code)
    if template is None:
        if code not in _warned:
            _warned.add(code)
            log.warning("no message text for code %r", code)
        template = MESSAGES[GENERIC]
    try:
        return template.format(**params) if params else template
    except (KeyError, IndexError, ValueError):
        log.warning("message %r: parameters %s do not fit", code, sorted(params))
        return template


def code_of(exc: BaseException | Any) -> str:
    """The message code an error (or a failure event) carries; the generic code otherwise."""
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) and code in MESSAGES else GENERIC


def for_error(exc: BaseException | Any) -> str:
    """What to tell the resident about a failure: the platform's own sentence when it sent one
    (BackendError.platform_message), else the text of the error's code."""
    platform = getattr(exc, "platform_message", None)
    if isinstance(platform, str) and platform.strip():
        return platform
    legacy = getattr(exc, "user_message", None)  # TODO(codes): gone once every error carries a code
    if isinstance(legacy, str) and legacy and code_of(exc) == GENERIC:
        return legacy
    return text(code_of(exc), **(getattr(exc, "params", None) or {}))
