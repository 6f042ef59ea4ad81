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
