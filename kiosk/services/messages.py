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
    # ---- A4 document printer (kiosk/devices/doc_printer.py, services/a4_documents.py) ----
    "docprinter.media_empty": QT_TRANSLATE_NOOP("messages", "A4 打印机缺纸，证明未能打印。请联系工作人员加纸后重试，或改为打印凭条。"),
    "docprinter.door_open": QT_TRANSLATE_NOOP("messages", "A4 打印机的机盖未合上，证明未能打印。请联系工作人员处理后重试，或改为打印凭条。"),
    "docprinter.media_jam": QT_TRANSLATE_NOOP("messages", "A4 打印机卡纸，证明未能打印完成。请联系工作人员处理后重试，或改为打印凭条。"),
    "docprinter.toner_empty": QT_TRANSLATE_NOOP("messages", "A4 打印机墨粉用完，证明未能打印。请联系工作人员更换后重试，或改为打印凭条。"),
    "docprinter.offline": QT_TRANSLATE_NOOP("messages", "A4 打印机未连接或未开机，证明未能打印。请联系工作人员检查，或改为打印凭条。"),
    "docprinter.stopped": QT_TRANSLATE_NOOP("messages", "A4 打印机已暂停工作，证明未能打印。请联系工作人员处理，或改为打印凭条。"),
    "docprinter.not_accepting": QT_TRANSLATE_NOOP("messages", "A4 打印机暂不接收打印任务，请联系工作人员处理，或改为打印凭条。"),
    "docprinter.server_unreachable": QT_TRANSLATE_NOOP("messages", "A4 打印服务暂不可用，证明未能打印。请联系工作人员，或改为打印凭条。"),
    "docprinter.not_configured": QT_TRANSLATE_NOOP("messages", "本终端未配置 A4 打印机，请改为打印凭条或到服务窗口办理。"),
    "docprinter.disabled": QT_TRANSLATE_NOOP("messages", "A4 打印机正在维护，暂停打印，请改为打印凭条或联系工作人员。"),
    "docprinter.job_failed": QT_TRANSLATE_NOOP("messages", "A4 证明打印失败，请重试；如多次失败，请改为打印凭条或联系工作人员。"),
    "docprinter.timeout": QT_TRANSLATE_NOOP("messages", "A4 打印机长时间没有完成打印，证明可能未打印完整。请联系工作人员检查后重试。"),
    "docprinter.toner_low": QT_TRANSLATE_NOOP("messages", "A4 打印机墨粉不足，请工作人员尽快更换。"),
    "docprinter.fallback_receipt": QT_TRANSLATE_NOOP("messages", "A4 打印机暂不可用，已改为打印凭条。凭条上的验证码同样可以核验。"),
    # ---- end of A4 document printer ----
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
