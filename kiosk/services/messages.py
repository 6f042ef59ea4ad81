"""Message codes → the zh_CN text a resident sees. The one table of user-facing sentences.

Devices and services never write sentences for residents: they raise errors and return results
carrying a code (`printer.paper_out`, `backend.offline`, `camera.guidance.too_far`, …). The UI turns
a code into text here:

    messages.text("sscard.unknown_status", sw="6999")   # one code, its {placeholders} filled
    messages.for_error(exc)                              # any DeviceError, BackendError or failure event
    messages.code_of(exc)                                # the code for_error would show

Codes are `<area>.<what>` (lower case, dots between parts, `_` inside one): the area names the device
(`device` for any device, `printer`, `idcard`, `scanner`, `sscard`, `camera`) or the service
(`backend`, `catalogue`, `system`). One code is one situation as the resident sees it, so several
driver conditions share a code when the resident should hear the same thing (e.g. a SAM answering
0x10, 0x11 or a malformed frame is `idcard.read_incomplete`); the precise cause stays in the error's
English `detail` for the log. Every entry says what happened and what to do next, and ends with 。.

Who carries what:
- `DeviceError.code` (+ `.params`): every driver error; failure events (`ReadFailure` of the ID-card
  reader, `ScanRejected` of the scanner, `CardReadFailed` of the 社保卡 reader) carry the same.
- Camera progress: `Guidance.code`, `FaceAssessment.code`, `FaceCheckProgress.code` (the prompt to
  show now), and `Camera.scan_document(on_progress=…)` is called with a code.
- `BackendError.code` is the platform's own error code (`form_invalid`, `slot_full`, …; flows branch
  on it) or a transport code the client sets (`offline`, `timeout`, `tls`, …), never a dotted
  message code. Its message code is `backend.<code>` when the table has one (`backend.offline`,
  `backend.no_catalogue`, …), or the shared entry in `PLATFORM_CODES` (`signature_invalid` →
  `backend.signature`), else by HTTP status: `backend.server` (5xx) or `backend.rejected` (4xx).
  The platform usually words its refusals itself (`BackendError.platform_message`, the `message` of
  its error body); `for_error` shows that sentence first.

A parameter whose value is itself a message code is replaced by that code's text (so
`camera.face_timeout_hint` can quote the last guidance). Unknown codes give the generic text and
one warning in the log.

Translation: every text is wrapped in `QT_TRANSLATE_NOOP("messages", …)`, a local no-op by the name
pyside6-lupdate looks for, so the strings are extracted into the .ts files without this module
importing Qt (services stay Qt-free). The UI installs the lookup once with
`set_translator(lambda s: QCoreApplication.translate("messages", s))`; `text()` then returns the
current language.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from kiosk.services.backend_types import BackendError

log = logging.getLogger(__name__)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    return text


CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
GENERIC = "system.busy"

MESSAGES: dict[str, str] = {
    GENERIC: QT_TRANSLATE_NOOP("messages", "系统繁忙，请稍后再试；如多次失败，请联系工作人员。"),
    # technician entry and diagnostics (pin_lockout.py, diag_bundle.py)
    "technician.pin_wrong": QT_TRANSLATE_NOOP("messages", "密码不正确，还可以再试 {tries_left} 次。"),
    "technician.locked": QT_TRANSLATE_NOOP("messages", "密码错误次数过多，维护入口已锁定，请 {minutes} 分钟后再试。"),
    "technician.state_unwritable": QT_TRANSLATE_NOOP(
        "messages", "无法记录密码尝试次数，维护入口暂不可用，请检查终端存储或联系运维中心。"),
    # the technician screen (kiosk/ui/technician/)
    "technician.no_pin": QT_TRANSLATE_NOOP(
        "messages", "本终端没有可用的维护密码（technician.pin_hash 未设置或有误），请运维人员用 kiosk-diag pin set 设置后再试。"),
    "technician.scan_timeout": QT_TRANSLATE_NOOP("messages", "规定时间内没有扫到码，请把二维码对准扫码口后重试。"),
    "bundle.no_target": QT_TRANSLATE_NOOP("messages", "没有找到 U 盘或导出目录，请插好 U 盘后再试。"),
    "bundle.write_failed": QT_TRANSLATE_NOOP("messages", "诊断包写入失败，请换一个 U 盘或检查剩余空间后再试。"),
    # fleet remote commands (fleet_client.py)
    "fleet.maintenance": QT_TRANSLATE_NOOP("messages", "设备维护中，暂停办理业务。请到服务窗口办理，或稍后再来。"),

    # ---- any device (kiosk/devices/model.py) ----
    "device.unavailable": QT_TRANSLATE_NOOP("messages", "设备暂时无法使用，请稍后再试或联系工作人员。"),
    "device.disconnected": QT_TRANSLATE_NOOP(
        "messages", "设备连接已断开，正在自动重连，请稍候再试或联系工作人员。"),
    "device.timeout": QT_TRANSLATE_NOOP("messages", "设备响应超时，请重试。"),
    "device.cancelled": QT_TRANSLATE_NOOP("messages", "操作已取消，如需继续办理，请重新开始。"),

    # ---- receipt printer ----
    "printer.paper_out": QT_TRANSLATE_NOOP("messages", "打印机缺纸，请联系工作人员加纸后重试。"),
    "printer.cover_open": QT_TRANSLATE_NOOP("messages", "打印机盖未合上，请联系工作人员合上后重试。"),
    "printer.unavailable": QT_TRANSLATE_NOOP(
        "messages", "本终端的打印机暂不可用，无法打印。请联系工作人员，或到服务窗口办理。"),
    "printer.paused": QT_TRANSLATE_NOOP("messages", "打印机正在维护，暂停打印。请稍后再试，或联系工作人员。"),
    "printer.paper_ran_out": QT_TRANSLATE_NOOP(
        "messages", "打印过程中纸张用完，凭条可能不完整。请联系工作人员加纸后重新打印。"),
    "printer.cover_opened": QT_TRANSLATE_NOOP(
        "messages", "打印过程中打印机盖被打开，凭条可能不完整。请联系工作人员处理后重新打印。"),
    "printer.not_finished": QT_TRANSLATE_NOOP(
        "messages", "打印机没有响应，凭条未能打印完成。请稍后重试，或联系工作人员。"),

    # ---- resident ID-card reader ----
    "idcard.no_card": QT_TRANSLATE_NOOP("messages", "没有检测到身份证，请将身份证平放在读卡区，保持不动。"),
    "idcard.read_failed": QT_TRANSLATE_NOOP(
        "messages", "身份证没有读取成功。请重新将身份证平放在读卡区，保持不动，直到提示读卡成功。"),
    "idcard.card_moved": QT_TRANSLATE_NOOP(
        "messages", "读卡时身份证被移动或拿开了。请重新将身份证平放在读卡区，保持不动，直到提示读卡成功。"),
    "idcard.read_incomplete": QT_TRANSLATE_NOOP(
        "messages", "身份证信息没有读完整，请重新放置身份证；如一直出现，请联系工作人员。"),
    "idcard.card_unreadable": QT_TRANSLATE_NOOP(
        "messages", "这张证件无法读取，请确认是有效的居民身份证或居住证；仍不行，请联系工作人员。"),
    "idcard.reader_unavailable": QT_TRANSLATE_NOOP(
        "messages", "身份证阅读器暂时无法使用，请使用其他方式办理，或联系工作人员。"),

    # ---- QR scanner ----
    "scanner.unreadable": QT_TRANSLATE_NOOP(
        "messages", "没能识别这个码，请把二维码对准扫码口重新扫描；仍不行，请联系工作人员。"),

    # ---- 社保卡 reader ----
    "sscard.no_card": QT_TRANSLATE_NOOP("messages", "未检测到社保卡，请将社保卡芯片朝内插入读卡口。"),
    "sscard.removed": QT_TRANSLATE_NOOP(
        "messages", "读卡过程中社保卡被拔出，请重新插入社保卡，读取完成前请不要拔卡。"),
    "sscard.wrong_card": QT_TRANSLATE_NOOP(
        "messages", "这张卡不是社会保障卡，请取出后插入您的社保卡（卡面印有“社会保障卡”字样）。"),
    "sscard.read_failed": QT_TRANSLATE_NOOP(
        "messages", "社保卡读取失败，请取出后重新插卡；仍不行，请联系工作人员。"),
    "sscard.unknown_status": QT_TRANSLATE_NOOP(
        "messages", "社保卡读取失败（错误码 {sw}），请取出后重新插卡；仍不行，请联系工作人员。"),
    "sscard.mute": QT_TRANSLATE_NOOP(
        "messages", "社保卡无响应，请取出后检查插卡方向，芯片朝内重新插入；仍不行，请到社保窗口检测卡片。"),
    "sscard.card_fault": QT_TRANSLATE_NOOP(
        "messages", "社保卡读取异常，请取出后重新插卡；仍不行，请到社保窗口检测卡片。"),
    "sscard.chip_fault": QT_TRANSLATE_NOOP("messages", "社保卡芯片故障，无法读取，请到社保窗口检测或补换卡。"),
    "sscard.bad_data": QT_TRANSLATE_NOOP(
        "messages", "社保卡数据不完整或格式异常，无法识别，请到社保窗口检测卡片。"),
    "sscard.app_blocked": QT_TRANSLATE_NOOP(
        "messages", "这张社保卡的社保应用已停用（可能已挂失或注销），请携带身份证到社保窗口办理。"),
    "sscard.pin_required": QT_TRANSLATE_NOOP(
        "messages", "这张社保卡需要验证密码后才能读取，本机暂不支持，请到人工窗口办理。"),
    "sscard.pin_locked": QT_TRANSLATE_NOOP("messages", "社保卡密码已锁定，请携带身份证到社保窗口解锁。"),
    "sscard.not_usable": QT_TRANSLATE_NOOP("messages", "社保卡当前不可用（可能未启用），请到社保窗口咨询。"),
    "sscard.reader_unavailable": QT_TRANSLATE_NOOP(
        "messages", "社保卡读卡器暂不可用，暂时不能读社保卡。请使用其他方式办理，或联系工作人员。"),

    # ---- camera: face check and 高拍仪 ----
    "camera.unavailable": QT_TRANSLATE_NOOP("messages", "摄像头暂时无法使用，请联系工作人员，或到服务窗口办理。"),
    "camera.liveness_failed": QT_TRANSLATE_NOOP(
        "messages", "未通过活体检测，请本人正对屏幕并眨眨眼，不要使用照片。"),
    "camera.face_timeout": QT_TRANSLATE_NOOP(
        "messages", "未能完成人脸采集，请按屏幕提示调整后重新开始，或联系工作人员。"),
    "camera.face_timeout_hint": QT_TRANSLATE_NOOP(
        "messages", "未能完成人脸采集。最后的提示是：{hint}请按提示调整后重新开始，或联系工作人员。"),
    "camera.guidance.ok": QT_TRANSLATE_NOOP("messages", "很好，请保持不动。"),
    "camera.guidance.no_face": QT_TRANSLATE_NOOP("messages", "未检测到人脸，请正对屏幕。"),
    "camera.guidance.multiple_faces": QT_TRANSLATE_NOOP("messages", "检测到多张人脸，请一人办理。"),
    "camera.guidance.too_far": QT_TRANSLATE_NOOP("messages", "请靠近一点。"),
    "camera.guidance.too_close": QT_TRANSLATE_NOOP("messages", "请后退一点。"),
    "camera.guidance.off_centre": QT_TRANSLATE_NOOP("messages", "请把脸移到框中间。"),
    "camera.guidance.blurry": QT_TRANSLATE_NOOP("messages", "画面模糊，请保持不动。"),
    "camera.guidance.too_dark": QT_TRANSLATE_NOOP("messages", "光线太暗，请靠近灯光。"),
    "camera.guidance.too_bright": QT_TRANSLATE_NOOP("messages", "光线太强，请避开强光。"),
    "camera.guidance.blink": QT_TRANSLATE_NOOP("messages", "请眨眨眼。"),
    "camera.guidance.done": QT_TRANSLATE_NOOP("messages", "人脸采集完成。"),
    "camera.document.no_page": QT_TRANSLATE_NOOP(
        "messages", "未找到材料边缘，请把材料平放在拍摄区域中间，四个角都露出来。"),
    "camera.document.hold_still": QT_TRANSLATE_NOOP("messages", "请保持材料不动。"),

    # ---- the platform (BackendError; see code_of) ----
    "backend.offline": QT_TRANSLATE_NOOP(
        "messages", "暂时连不上政务服务平台，请稍后再试；如急需办理，请到服务窗口或联系工作人员。"),
    "backend.timeout": QT_TRANSLATE_NOOP(
        "messages", "政务服务平台响应超时，请稍后再试；如急需办理，请到服务窗口或联系工作人员。"),
    "backend.broken": QT_TRANSLATE_NOOP(
        "messages", "与政务服务平台的连接中断，请稍后再试；如急需办理，请到服务窗口或联系工作人员。"),
    "backend.server": QT_TRANSLATE_NOOP(
        "messages", "政务服务平台暂时出现故障，请稍后再试；如急需办理，请到服务窗口或联系工作人员。"),
    "backend.tls": QT_TRANSLATE_NOOP(
        "messages", "与政务服务平台的安全连接校验失败，为保护您的信息已停止办理，请联系工作人员。"),
    "backend.tls_config": QT_TRANSLATE_NOOP(
        "messages", "本终端的安全证书配置缺失，暂时无法连接政务服务平台，请联系工作人员。"),
    "backend.config": QT_TRANSLATE_NOOP(
        "messages", "本终端的联网配置有误，暂时无法连接政务服务平台，请联系工作人员。"),
    "backend.rejected": QT_TRANSLATE_NOOP("messages", "平台未能受理本次请求，请核对后重试或联系工作人员。"),
    "backend.bad_answer": QT_TRANSLATE_NOOP(
        "messages", "政务服务平台返回的内容无法识别，请稍后再试或联系工作人员。"),
    "backend.signature": QT_TRANSLATE_NOOP("messages", "终端请求签名无效，请联系工作人员检查终端密钥。"),
    "backend.clock": QT_TRANSLATE_NOOP(
        "messages", "终端时间与服务器不一致，请稍后重试；如仍失败，请联系工作人员校准时间。"),
    "backend.no_catalogue": QT_TRANSLATE_NOOP(
        "messages", "暂时无法获取办事事项目录，本终端也没有保存的目录。请稍后再试，或到服务窗口办理。"),
    "backend.auth_method_not_built": QT_TRANSLATE_NOOP(
        "messages", "本终端暂未开通这种身份核验方式，请使用身份证，或到服务窗口办理。"),

    # ---- the offline catalogue ----
    "catalogue.offline_queue": QT_TRANSLATE_NOOP(
        "messages", "当前网络中断：可查看办事指南，提交的申请将先保存在本机，联网后自动发送。"),
    "catalogue.offline_guide": QT_TRANSLATE_NOOP(
        "messages", "当前网络中断：可查看办事指南，暂不能在本机办理，请联网后再试或到服务窗口办理。"),

    # ---- the resident UI's own codes (flow runner, steps, forms) ----
    "backend.offline_item": QT_TRANSLATE_NOOP(
        "messages", "网络中断，暂时连不上政务服务平台，「{name}」需要联网才能办理。您可以稍后再试，或到村（社区）便民服务站窗口办理。"),
    "flow.not_built": QT_TRANSLATE_NOOP("messages", "本终端暂未开通「{name}」的自助办理，您的信息没有被读取或保存。"),
    "flow.not_sent": QT_TRANSLATE_NOOP(
        "messages", "本终端暂未开通「{name}」的网上提交，您填写和提供的内容没有发送，返回首页时会全部清除。"),
    "flow.go_to_window": QT_TRANSLATE_NOOP("messages", "请到「{window}」办理，或返回首页选择其他业务。"),
    "error.next.retry": QT_TRANSLATE_NOOP("messages", "您可以点「重试」再试一次；多次失败请点「请联系工作人员」。"),
    "error.next.other": QT_TRANSLATE_NOOP("messages", "您可以点「换一种方式」继续办理，或点「请联系工作人员」。"),
    "error.next.retry_or_other": QT_TRANSLATE_NOOP(
        "messages", "您可以点「重试」，或「换一种方式」继续办理；多次失败请点「请联系工作人员」。"),
    "error.next.home": QT_TRANSLATE_NOOP("messages", "请点「返回首页」，或点「请联系工作人员」请工作人员协助。"),
    "assistance.called": QT_TRANSLATE_NOOP("messages", "已通知工作人员，工作人员马上到，请在终端旁稍候。"),
    "assistance.failed": QT_TRANSLATE_NOOP("messages", "暂时没能通知到工作人员，请到服务窗口或大厅找工作人员帮忙。"),
    "form.required": QT_TRANSLATE_NOOP("messages", "请填写「{label}」，这一项必须填写。"),
    "form.choose": QT_TRANSLATE_NOOP("messages", "请选择「{label}」：在下面的选项中点选一项。"),
    "form.number": QT_TRANSLATE_NOOP("messages", "「{label}」应填写数字，请用下方数字键重新输入。"),
    "form.money": QT_TRANSLATE_NOOP("messages", "「{label}」应为金额（元），最多两位小数，请重新输入。"),
    "form.range": QT_TRANSLATE_NOOP("messages", "「{label}」应在 {min} 至 {max} 之间，请重新输入。"),
    "form.phone": QT_TRANSLATE_NOOP("messages", "手机号码应为 11 位数字，以 1 开头，请重新输入。"),
    "form.id_number": QT_TRANSLATE_NOOP("messages", "身份证号码应为 18 位，最后一位可以是 X，请核对后重新输入。"),
    "form.date": QT_TRANSLATE_NOOP("messages", "「{label}」不是有效日期，请重新选择。"),
    "form.too_long": QT_TRANSLATE_NOOP("messages", "「{label}」最多 {max} 个字，请删减后再继续。"),
    "form.too_short": QT_TRANSLATE_NOOP("messages", "「{label}」至少需要 {min} 个字，请补充后再继续。"),
    "form.pattern": QT_TRANSLATE_NOOP("messages", "「{label}」的格式不正确，请核对后重新输入。"),
    # ---- applications: typing, the form's checks, materials (issue 19) ----
    "keyboard.unavailable": QT_TRANSLATE_NOOP(
        "messages", "屏幕键盘暂时无法使用，这一项不能在本机填写，请点「帮办」请工作人员协助。"),
    "form.check_prefilled": QT_TRANSLATE_NOOP(
        "messages", "以下信息已根据您的证件和登记资料自动填写，请核对；有误请点「修改」。"),
    "materials.choose": QT_TRANSLATE_NOOP("messages", "请为「{name}」选择一种提供方式，再点「下一份」。"),
    "materials.no_licence": QT_TRANSLATE_NOOP(
        "messages", "没有查到您名下可直接使用的{kind}，请选择下面其他方式提供。"),
    "materials.window": QT_TRANSLATE_NOOP(
        "messages", "本终端无法提供「{name}」：提交申请后，请在承诺期限内把它带到{window}。"),
    "materials.sign_first": QT_TRANSLATE_NOOP("messages", "请先用手指在框内签名，再点「确认签名」。"),
    "materials.scan_failed": QT_TRANSLATE_NOOP(
        "messages", "没有拍到完整的材料，请把材料平放在高拍仪下方，四个角都露出来，再点「重新拍照」。"),
    "idcard.reconnecting": QT_TRANSLATE_NOOP(
        "messages", "读卡器连接中断，正在自动重连。如长时间无法读卡，请联系工作人员。"),
    # ---- storage hardening (issue 16: outbox, catalogue cache) ----
    "backend.catalogue_storage": QT_TRANSLATE_NOOP(
        "messages", "本终端保存的办事目录暂时无法读取，请稍后再试；如多次出现，请联系工作人员。"),
    "system.outbox_unavailable": QT_TRANSLATE_NOOP(
        "messages", "本终端暂时无法保存待发送的数据，这次提交没有完成，您的信息没有被保存。请到服务窗口办理，或联系工作人员。"),
    # ---- end of storage hardening ----
    # ---- identity: the identify and face steps, 代办 (kiosk/ui/steps/identify.py, face.py, proxy_agent.py) ----
    "identify.no_device": QT_TRANSLATE_NOOP(
        "messages", "本终端现在没有可用的身份核验设备，请点「帮办」请工作人员协助，或到服务窗口办理。"),
    "identify.window": QT_TRANSLATE_NOOP("messages", "也可以到「{name}」办理：{address}，电话 {phone}。"),
    "identify.no_other_way": QT_TRANSLATE_NOOP(
        "messages", "本事项在本终端没有其他可用的核验方式，请到服务窗口办理，或点「帮办」请工作人员协助。"),
    "identify.scanner_reconnecting": QT_TRANSLATE_NOOP(
        "messages", "扫码器连接中断，正在自动重连。请稍候，或改用其他方式核验身份。"),
    "sscard.session_ended": QT_TRANSLATE_NOOP(
        "messages", "社保卡已拔出，为保护您的信息，本次办理已结束。如需继续，请重新插卡办理。"),
    "backend.id_card_expired": QT_TRANSLATE_NOOP(
        "messages", "您的身份证已过有效期，请改用其他方式核验身份，或到服务窗口办理。"),
    "backend.sscard_expired": QT_TRANSLATE_NOOP(
        "messages", "您的社保卡已过有效期，请改用其他方式核验身份，并到银行网点换领社保卡。"),
    "backend.eid_invalid": QT_TRANSLATE_NOOP(
        "messages", "电子身份证二维码无效或已过期，请在手机上刷新二维码后重新扫描。"),
    "backend.face_attempts_exceeded": QT_TRANSLATE_NOOP(
        "messages", "人脸核验未通过次数过多，请到服务窗口由工作人员协助办理。"),
    "backend.proxy_not_allowed": QT_TRANSLATE_NOOP("messages", "这个事项需要本人办理，不能代办。"),
    "backend.proxy_same_person": QT_TRANSLATE_NOOP(
        "messages", "代办人不能是办理人本人，请由代办人放置自己的身份证。"),
    "face.declined": QT_TRANSLATE_NOOP(
        "messages", "您没有同意人脸识别，本机没有采集您的面部图像。本事项需要核验本人面部，您可以改为同意，或到「{window}」办理。"),
    "face.mismatch": QT_TRANSLATE_NOOP(
        "messages", "人脸比对未通过，请本人正对摄像头，摘下帽子和口罩后再试。还可以再试 {left} 次。"),
    "face.no_more_attempts": QT_TRANSLATE_NOOP(
        "messages", "人脸核验多次未通过，本次不能在本机继续。请到「{window}」由工作人员协助办理，或点「请联系工作人员」。"),
    "face.retry": QT_TRANSLATE_NOOP("messages", "请调整后点「再试一次」。"),
    "face.simulation": QT_TRANSLATE_NOOP(
        "messages", "说明：本平台的人脸比对是测试用的模拟比对，并非真实的生物特征识别。"),
    "proxy.choose_relation": QT_TRANSLATE_NOOP("messages", "请先选择代办人与办理人的关系，再放置代办人的身份证。"),
    # ---- end of identity ----
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
    # ---- end of A4 document printer ----
    # ---- query, print, certify: receipts and reminders (kiosk/ui/steps/query, document, certify, result) ----
    "docprinter.fallback_receipt": QT_TRANSLATE_NOOP(
        "messages", "A4 打印机暂时无法打印，已为您改为打印凭条，请取走凭条；如需 A4 证明，请联系工作人员。"),
    "result.take_away": QT_TRANSLATE_NOOP("messages", "请取走您的{things}，谢谢您的使用。"),
    "result.take_sscard": QT_TRANSLATE_NOOP("messages", "您的社保卡还插在读卡口里，请拔出社保卡并带走。"),
    "query.no_rows": QT_TRANSLATE_NOOP(
        "messages", "未查询到相关记录。如有疑问，请拨打事项咨询电话或到窗口咨询。"),
    "certify.still_valid": QT_TRANSLATE_NOOP("messages", "您已完成认证，有效期至 {until}，无需重复认证。"),
    "certify.renew": QT_TRANSLATE_NOOP(
        "messages", "如需重新认证，请点「重新认证」，有效期从本次认证起重新计算。"),
    # ---- end of query, print, certify ----
    # ---- voice guidance: what is only spoken (kiosk/ui/voice.py); whole numbers, never personal data ----
    "voice.idle_warning": QT_TRANSLATE_NOOP(
        "messages", "您还在操作吗？{seconds}秒后将返回首页，并清除您的信息。如需继续，请点屏幕上的「继续办理」。"),
    "voice.idle_left": QT_TRANSLATE_NOOP("messages", "还有{seconds}秒返回首页。如需继续，请点「继续办理」。"),
    "voice.idle_count": QT_TRANSLATE_NOOP("messages", "{seconds}。"),
    # 长者模式: the same warning, unhurried (kiosk/ui/voice.py countdown_code)
    "voice.idle_warning_gentle": QT_TRANSLATE_NOOP(
        "messages", "您还在办理吗？不着急，慢慢来。要继续，请点屏幕上的「继续办理」。{seconds}秒后回到首页。"),
    "voice.idle_left_gentle": QT_TRANSLATE_NOOP("messages", "不着急。要继续办理，请点「继续办理」。还有{seconds}秒。"),
    # ---- end of voice guidance ----
    # ---- pay, appointment, queue, progress (kiosk/ui/steps: dues, payment, slots, ticket, progress) ----
    "pay.nothing_due": QT_TRANSLATE_NOOP(
        "messages", "没有查到需要缴纳的费用。如有疑问，请到服务窗口咨询，或点「返回首页」。"),
    "pay.already_paid": QT_TRANSLATE_NOOP(
        "messages", "这笔费用已经缴纳，无需重复缴费。如需缴费凭证，请点「补打缴费凭证」。"),
    "pay.account_format": QT_TRANSLATE_NOOP(
        "messages", "「{label}」应为 {min} 至 {max} 位数字，请核对缴费通知单后重新输入，或扫描通知单上的条形码。"),
    "pay.choose_due": QT_TRANSLATE_NOOP("messages", "请先点选要缴纳的档次或账单，再点「下一步」。"),
    "pay.waiting_offline": QT_TRANSLATE_NOOP(
        "messages", "网络不稳定，仍在查询支付结果。已在手机上付款的，请不要重复付款。"),
    "pay.expired": QT_TRANSLATE_NOOP(
        "messages", "支付等待已超时。如您已在手机上付款，款项不会丢失，请凭订单号和查询码点「补打缴费凭证」；未付款的订单会自动失效，不会扣款。"),
    "pay.cancelled": QT_TRANSLATE_NOOP(
        "messages", "已停止等待支付。如您已在手机上付款，款项不会丢失：请凭订单号和查询码，在缴费事项中点「补打缴费凭证」。未付款的订单在 {until} 后自动失效，不会扣款。"),
    "pay.order_closed": QT_TRANSLATE_NOOP(
        "messages", "这笔订单已被新的支付二维码取代，旧二维码不能再付款，请返回重新选择支付方式。"),
    "pay.lookup_format": QT_TRANSLATE_NOOP(
        "messages", "请输入缴费订单上的订单号（DD 开头）和 6 位查询码，或扫描订单上的二维码。"),
    "pay.lookup_unpaid": QT_TRANSLATE_NOOP(
        "messages", "这笔订单还没有付款记录。如您刚刚付款，请稍等片刻再点「查询」；未付款的订单到期自动失效，不会扣款。"),
    "pay.lookup_expired": QT_TRANSLATE_NOOP(
        "messages", "这笔订单已失效且没有付款，没有扣款。如需缴费，请返回重新办理。"),
    "pay.reprinted": QT_TRANSLATE_NOOP(
        "messages", "订单 {order_no} 的缴费凭证已打印，请取走凭条。办完请点「返回首页」。"),
    "pay.code_unreadable": QT_TRANSLATE_NOOP(
        "messages", "这个码不是缴费订单的二维码，请扫描缴费订单凭条上的二维码，或输入订单号和查询码。"),
    "appointment.slot_full": QT_TRANSLATE_NOOP("messages", "您选的时段刚刚被约满了，请重新选择其他时段。"),
    "appointment.already_booked": QT_TRANSLATE_NOOP(
        "messages", "您已经预约过这一天的该业务，无需重复预约。如需改期，请拨打咨询电话或到窗口办理。"),
    "appointment.no_slots": QT_TRANSLATE_NOOP(
        "messages", "近期没有可预约的时段，请过几天再试，或直接到办理窗口办理。"),
    "appointment.choose_slot": QT_TRANSLATE_NOOP("messages", "请先点选一个可预约的时段，再点「确认预约」。"),
    "progress.number_format": QT_TRANSLATE_NOOP(
        "messages", "请输入受理回执上的受理编号，和申请人身份证号码的后 4 位，再点「查询」。"),
    "progress.code_unreadable": QT_TRANSLATE_NOOP(
        "messages", "这个码不是受理回执上的二维码，请扫描受理回执上的二维码，或输入受理编号。"),
    "progress.none": QT_TRANSLATE_NOOP(
        "messages", "没有查到您本人的办件记录。如是他人或在窗口办理的，请点「按受理编号查询」。"),
    # ---- end of pay, appointment, queue, progress ----
}

# Platform error codes that share an entry (the rest map to backend.<code> or go by HTTP status).
PLATFORM_CODES: dict[str, str] = {
    "signature_invalid": "backend.signature",
    "signature_missing": "backend.signature",
    "timestamp_stale": "backend.clock",
    "timestamp_invalid": "backend.clock",
    "nonce_invalid": "backend.signature",
}

_translate: Callable[[str], str] = str
_warned: set[str] = set()


class CodedError(Exception):
    """A failure that is nothing but a message code (+ its placeholders), e.g. raised by the UI
    when it refuses to go on by itself: `CodedError("backend.offline_item", "why", name=…)`."""

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail or code
        self.params = params


def set_translator(translate: Callable[[str], str] | None) -> None:
    """Install the UI's lookup (zh_CN text → the current language); None restores zh_CN."""
    global _translate
    _translate = translate or str


def _warn_once(code: str, what: str) -> None:
    if code not in _warned:
        _warned.add(code)
        log.warning("%s %r", what, code)


def text(code: str, /, **params: Any) -> str:
    """The text of a code in the current language, with its {placeholders} filled. Unknown codes
    give the generic text."""
    template = MESSAGES.get(code)
    if template is None:
        _warn_once(code, "no message text for code")
        template = MESSAGES[GENERIC]
    template = _translate(template)
    filled = {k: text(v) if isinstance(v, str) and v in MESSAGES else v for k, v in params.items()}
    try:
        return template.format(**filled)
    except (KeyError, IndexError, ValueError):
        log.warning("message %r: parameters %s do not fit", code, sorted(params))
        return template


def code_of(exc: BaseException | Any) -> str:
    """The message code of an error or failure event (see the module docstring for BackendError);
    the generic code when it carries none the table knows."""
    code = getattr(exc, "code", None)
    if not isinstance(code, str):
        return GENERIC
    if code in MESSAGES:
        return code
    if isinstance(exc, BackendError):
        mapped = PLATFORM_CODES.get(code, f"backend.{code}")
        if mapped in MESSAGES:
            return mapped
        if exc.status is not None:
            return "backend.server" if exc.status >= 500 else "backend.rejected"
    _warn_once(code, "no message text for the code of")
    return GENERIC


def for_error(exc: BaseException | Any) -> str:
    """What to tell the resident about a failure: the platform's own sentence when it sent one
    (BackendError.platform_message), else the text of the error's code."""
    platform = getattr(exc, "platform_message", None)
    if isinstance(platform, str) and platform.strip():
        return platform
    return text(code_of(exc), **(getattr(exc, "params", None) or {}))
