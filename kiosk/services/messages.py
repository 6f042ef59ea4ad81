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
    return text(code_of(exc), **(getattr(exc, "params", None) or {}))
