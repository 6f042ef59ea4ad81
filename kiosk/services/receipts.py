"""Receipts as data, the templates, and the one function that turns a receipt into ESC/POS bytes.

A `Receipt` is plain data (title, lines with size/alignment/bold, QR payload, footer); the builders
below fill one in for each kind of slip the kiosk prints. `receipt_to_escpos()` is pure: same
receipt + profile → same bytes. python-escpos `Dummy` produces the commands it gets right (ESC @,
sizes, alignment, bold, QR, raster images, feed); text is encoded to GB18030 here and sent raw,
because python-escpos prints a line of only CJK punctuation or ¥ as "???" and never sends FS &.

ID numbers are masked on every slip (a receipt is often left behind in the kiosk tray). In a 代办
every slip with a person on it names both: 办理人 (the principal) and 代办人 (the agent); pass the
Identity's `proxy`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

import qrcode
from escpos.constants import PAPER_PART_CUT, QR_ECLEVEL_M
from escpos.printer import Dummy

from kiosk.assets import ASSETS
from kiosk.devices.printer_profiles import PrinterProfile
from kiosk.services.session import Proxy

Size = Literal["normal", "tall", "wide", "large", "huge"]
Align = Literal["left", "center", "right"]

# size name → (width multiplier, height multiplier), sent as GS ! n
SIZES: dict[str, tuple[int, int]] = {
    "normal": (1, 1), "tall": (1, 2), "wide": (2, 1), "large": (2, 2), "huge": (3, 3),
}
LOGO_PATH = ASSETS / "receipt_logo.png"

FS_CHINESE_ON = b"\x1c\x26"  # FS &


@dataclass(frozen=True)
class Line:
    text: str = ""
    size: Size = "normal"
    align: Align = "left"
    bold: bool = False
    right: str = ""  # printed flush right on the same line (amounts, dates)
    rule: bool = False  # a full-width separator instead of text

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"unknown size {self.size!r}; expected one of {', '.join(SIZES)}")
        if self.align not in ("left", "center", "right"):
            raise ValueError(f"unknown align {self.align!r}; expected left, center or right")


RULE = Line(rule=True)


@dataclass(frozen=True)
class Receipt:
    kind: str  # query_result | certificate | certification | acceptance | queue_ticket | payment | payment_order
    #            | booking | item_guide | test_page
    title: str
    lines: tuple[Line, ...] = ()
    qr: str | None = None  # payload of the QR code printed after the lines
    qr_caption: str = ""
    footer: tuple[str, ...] = ()
    logo: bool = True
    subtitle: str = ""

    def plain_text(self) -> str:
        """What the slip says, line by line (tests and the UI's print preview)."""
        out = [self.title]
        if self.subtitle:
            out.append(self.subtitle)
        for line in self.lines:
            if not line.rule:
                out.append(f"{line.text} {line.right}".strip() if line.right else line.text)
        if self.qr_caption:
            out.append(self.qr_caption)
        out.extend(self.footer)
        return "\n".join(out)

    def to_escpos(self, profile: PrinterProfile) -> bytes:
        """The print job for this receipt (what ReceiptPrinter.print_receipt sends)."""
        return receipt_to_escpos(self, profile)


# ---- text helpers ------------------------------------------------------------------------------
def char_columns(ch: str) -> int:
    """Half-width columns a character takes on a Chinese printer (CJK and full-width: 2)."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") and ord(ch) > 0x7F else 1


def text_columns(text: str) -> int:
    return sum(char_columns(c) for c in text)


_TOKENS = re.compile(r"[!-~]+| +|.", re.DOTALL)  # ASCII words (codes, numbers, URLs), spaces, single characters


def wrap_columns(text: str, width: int) -> list[str]:
    """Break `text` into lines of at most `width` columns, CJK-aware.

    Chinese breaks between any two characters; an ASCII word (a code, an amount, a URL) is kept whole
    unless it is longer than a line. Spaces at a break are dropped.
    """
    if width < 2:
        raise ValueError("line width too small")
    lines: list[str] = []
    current, used = "", 0
    for token in _TOKENS.findall(text):
        w = text_columns(token)
        if used + w <= width:
            current, used = current + token, used + w
            continue
        if token.isspace():  # a break falls on spaces: they vanish
            lines.append(current)
            current, used = "", 0
            continue
        if w <= width and current:  # move the whole word to the next line
            lines.append(current)
            current, used = "", 0
        for ch in token:  # a word longer than a line (or the rest of this one) is split
            cw = char_columns(ch)
            if used + cw > width:
                lines.append(current)
                current, used = "", 0
            current, used = current + ch, used + cw
    lines.append(current)
    return lines


# Half-width signs that GB18030 only has as 4-byte codes, which printer fonts lack: use the
# full-width forms every GB2312 font has (¥ → ￥ A3 A4).
_PRINTER_FORMS = str.maketrans({"\u00a5": "\uffe5"})


def printable(text: str) -> str:
    return text.translate(_PRINTER_FORMS)


def encode_text(text: str) -> bytes:
    """GB18030 bytes for the printer; a character outside GB18030 prints as '?'."""
    return printable(text).encode("gb18030", errors="replace")


def mask_id_number(id_number: str) -> str:
    """Keep the first 4 and last 4 characters: 4401**********1234."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def format_time(when: datetime | date) -> str:
    if isinstance(when, datetime):
        return when.strftime("%Y-%m-%d %H:%M")
    return when.strftime("%Y-%m-%d")


def yuan(fen: int) -> str:
    """Amounts are integers in fen (分); printed as ¥123.45."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100}.{fen % 100:02d}"


# ---- ESC/POS ---------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _logo_raster(dots: int, path: str):
    """The logo as a 1-bit image, centred on a full-width canvas so no printer-side centring is needed."""
    from PIL import Image

    with Image.open(path) as src:
        logo = src.convert("L")
    max_w = dots * 2 // 3
    if logo.width > max_w:
        logo = logo.resize((max_w, round(logo.height * max_w / logo.width)))
    canvas = Image.new("L", (dots, logo.height), 255)
    canvas.paste(logo, ((dots - logo.width) // 2, 0))
    return canvas.point(lambda v: 0 if v < 128 else 255, mode="1")


def _qr_raster(payload: str, module: int, dots: int):
    """The QR code as a centred full-width 1-bit image, for printers without GS ( k.

    A fixed mask pattern skips qrcode's search over all eight masks (most of its run time); every
    mask is valid QR, and the render round-trip tests decode the result.
    """
    import numpy as np
    from PIL import Image

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0)
    code.add_data(payload)
    code.make(fit=True)
    matrix = np.array(code.get_matrix(), dtype=bool)
    img = Image.fromarray(np.where(matrix, 0, 255).astype(np.uint8), "L")
    size = min(img.width * module, dots)
    img = img.resize((size, size), Image.NEAREST)
    canvas = Image.new("L", (dots, size), 255)
    canvas.paste(img, ((dots - size) // 2, 0))
    return canvas.convert("1")


def _text_line(p: Dummy, line: Line, columns: int) -> None:
    w_mul, h_mul = SIZES[line.size]
    width = columns // w_mul
    line = replace(line, text=printable(line.text), right=printable(line.right))
    p.set(align=line.align, bold=line.bold, custom_size=True, width=w_mul, height=h_mul)
    if line.rule:
        p._raw(b"-" * width + b"\n")
        return
    if line.right:
        right_w = text_columns(line.right)
        if text_columns(line.text) + 1 + right_w <= width:
            pieces = [line.text + " " * (width - text_columns(line.text) - right_w) + line.right]
        else:  # label on its own line(s), the value flush right below it
            values = [" " * (width - right_w) + line.right] if right_w <= width else wrap_columns(line.right, width)
            pieces = wrap_columns(line.text, width) + values
    else:
        pieces = wrap_columns(line.text, width)
    for piece in pieces:
        p._raw(encode_text(piece) + b"\n")


def receipt_to_escpos(receipt: Receipt, profile: PrinterProfile, *, logo_path: Path | None = None) -> bytes:
    """The complete job for one receipt: init, (logo), title, lines, QR, footer, feed and cut."""
    p = Dummy(profile=profile.escpos_profile)
    p.hw("INIT")  # ESC @
    if profile.chinese_mode:
        p._raw(FS_CHINESE_ON)
    logo = logo_path or LOGO_PATH
    if receipt.logo and logo.exists():
        p.set(align="left")
        p.image(_logo_raster(profile.dots, str(logo)))
    # A title that does not fit double width keeps double height only, rather than wrap mid-word.
    title_size: Size = "large" if text_columns(receipt.title) * 2 <= profile.columns else "tall"
    _text_line(p, Line(receipt.title, size=title_size, align="center", bold=True), profile.columns)
    if receipt.subtitle:
        _text_line(p, Line(receipt.subtitle, align="center"), profile.columns)
    _text_line(p, RULE, profile.columns)
    for line in receipt.lines:
        _text_line(p, line, profile.columns)
    if receipt.qr:
        _text_line(p, RULE, profile.columns)
        p.set(align="center", custom_size=True, width=1, height=1, bold=False)
        if profile.native_qr:
            p.qr(receipt.qr, ec=QR_ECLEVEL_M, size=profile.qr_module_dots, native=True)
            p._raw(b"\n")
        else:
            p.image(_qr_raster(receipt.qr, profile.qr_module_dots, profile.dots))
        if receipt.qr_caption:
            _text_line(p, Line(receipt.qr_caption, align="center"), profile.columns)
    if receipt.footer:
        _text_line(p, RULE, profile.columns)
        for text in receipt.footer:
            _text_line(p, Line(text, align="center"), profile.columns)
    p.set(align="left", bold=False, custom_size=True, width=1, height=1)
    p.print_and_feed(profile.feed_lines_before_cut)
    if profile.cutter:
        p._raw(PAPER_PART_CUT)  # GS V 1; the feed above clears the cutter
    return bytes(p.output)


# ---- the seven templates -------------------------------------------------------------------------
DEFAULT_FOOTER = ("广东政务服务 · 村级自助服务终端",)


def _footer(printed_at: datetime, kiosk_id: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    out = [*extra, f"打印时间：{format_time(printed_at)}"]
    if kiosk_id:
        out.append(f"终端编号：{kiosk_id}")
    return (*out, *DEFAULT_FOOTER)


def _person_lines(name: str, id_number: str, proxy: Proxy | None = None) -> list[Line]:
    """The resident; in a 代办 both people, labelled 办理人 (the principal) and 代办人 (the agent)."""
    if proxy is None:
        return [Line(f"姓名：{name}"), Line(f"证件号码：{mask_id_number(id_number)}")]
    return [Line(f"办理人：{name}"), Line(f"证件号码：{mask_id_number(id_number)}"),
            Line(f"代办人：{proxy.name}（{proxy.relation}）"), Line(f"证件号码：{mask_id_number(proxy.id_number)}")]


MAX_SLIP_RECORDS = 24  # a slip lists at most this many records (newest first); the A4 page has them all


def query_result(item_name: str, name: str, id_number: str, columns: Sequence[str],
                 rows: Sequence[Sequence[str]], *, printed_at: datetime, kiosk_id: str = "",
                 conditions: Sequence[tuple[str, str]] = (), message: str = "",
                 summary: Sequence[str] = (), proxy: Proxy | None = None) -> Receipt:
    """A query result (e.g. 社保缴费记录查询): the conditions asked, then one block per record — its
    first column as the heading, the other columns label left, value right. At most
    MAX_SLIP_RECORDS records; the slip says how many there are."""
    lines = [*_person_lines(name, id_number, proxy)] if name else []  # 水电气: nobody identified
    lines += [Line(f"{label}：{value}") for label, value in conditions]
    lines.append(RULE)
    shown = rows[:MAX_SLIP_RECORDS]
    for i, row in enumerate(shown, 1):
        if i > 1:
            lines.append(Line())
        lines.append(Line(f"{i}. {columns[0]}：{row[0]}" if columns else f"{i}.", bold=True))
        lines += [Line(col, right=value) for col, value in zip(columns[1:], row[1:], strict=False)]
    if not rows:
        lines.append(Line(message or "未查询到记录。"))
    if len(rows) > len(shown):
        lines += [RULE, Line(f"共 {len(rows)} 条记录，本凭条列出最近 {len(shown)} 条；"
                             "完整记录请打印 A4 证明或到窗口打印。")]
    if summary:
        lines += [RULE, *(Line(s, bold=True) for s in summary)]
    return Receipt("query_result", "查询结果", tuple(lines), subtitle=item_name,
                   footer=_footer(printed_at, kiosk_id, ["本凭条仅供参考，以业务系统记录为准。"]))


def certification_proof(item_name: str, name: str, id_number: str, *, certification_no: str,
                        certified_at: datetime, valid_until: date, printed_at: datetime, kiosk_id: str = "",
                        consequence: str = "", proxy: Proxy | None = None) -> Receipt:
    """认证凭证 of a certification (e.g. 养老待遇资格认证): who, when, valid until when."""
    lines = [Line(f"认证事项：{item_name}"), *_person_lines(name, id_number, proxy), RULE,
             Line("认证结果：认证成功", bold=True), Line(f"认证编号：{certification_no}"),
             Line(f"认证时间：{format_time(certified_at)}"),
             Line(f"有效期至：{valid_until.year} 年 {valid_until.month} 月", bold=True)]
    if consequence:
        lines += [RULE, Line(f"温馨提示：请在有效期满前再次认证。{consequence}。")]
    return Receipt("certification", "认证凭证", tuple(lines), subtitle=item_name,
                   footer=_footer(printed_at, kiosk_id, ["本凭证仅供留存，认证结果以业务系统记录为准。"]))


def certificate(title: str, name: str, id_number: str, fields: Sequence[tuple[str, str]],
                *, issuer: str, verify_code: str, verify_url: str, printed_at: datetime,
                kiosk_id: str = "", statement: str = "", proxy: Proxy | None = None) -> Receipt:
    """A certificate or proof (e.g. 个人社保参保证明) with a verification QR code."""
    lines = [*_person_lines(name, id_number, proxy)]
    lines += [Line(f"{label}：{value}") for label, value in fields]
    if statement:
        lines += [RULE, Line(statement)]
    lines += [RULE, Line(f"出具单位：{issuer}"), Line(f"核验码：{verify_code}", bold=True)]
    return Receipt("certificate", title, tuple(lines), qr=verify_url,
                   qr_caption="扫码核验本证明真伪", footer=_footer(printed_at, kiosk_id))


def acceptance_receipt(item_name: str, application_no: str, name: str, id_number: str,
                       materials: Sequence[str], *, promised_days: int, department: str,
                       progress_url: str, accepted_at: datetime, kiosk_id: str = "",
                       missing: Sequence[str] = (), proxy: Proxy | None = None) -> Receipt:
    """受理凭证: what was accepted, when to expect a result, and a QR to look up progress."""
    lines = [Line(f"事项名称：{item_name}"), Line(f"受理编号：{application_no}", bold=True),
             *_person_lines(name, id_number, proxy), Line(f"受理时间：{format_time(accepted_at)}"),
             Line(f"受理部门：{department}"), Line(f"承诺时限：{promised_days}个工作日"), RULE,
             Line("已收材料：", bold=True)]
    lines += [Line(f"{i}. {m}") for i, m in enumerate(materials, 1)] or [Line("（无）")]
    if missing:
        lines += [Line("待补正材料（容缺受理）：", bold=True)]
        lines += [Line(f"{i}. {m}") for i, m in enumerate(missing, 1)]
    return Receipt("acceptance", "受理凭证", tuple(lines), qr=progress_url,
                   qr_caption="扫码查询办理进度", subtitle=item_name,
                   footer=_footer(accepted_at, kiosk_id, ["请妥善保管本凭证，凭受理编号查询进度。"]))


def queue_ticket(number: str, item_name: str, hall: str, *, waiting: int, taken_at: datetime,
                 kiosk_id: str = "", window: str = "", windows: Sequence[str] = (), business: str = "",
                 note: str = "") -> Receipt:
    """A queue ticket: the number in the largest size, no personal data at all. `windows` (the
    hall's windows for this business) or one `window`; `note` replaces the default advice (e.g. the
    platform's "请留意短信叫号" for a remote ticket)."""
    window = "、".join(windows) or window
    lines = [Line(number, size="huge", align="center", bold=True),
             Line(f"前面还有 {waiting} 人等候", align="center"), RULE,
             Line(f"办理事项：{item_name}")]
    if business:
        lines.append(Line(f"办理业务：{business}"))
    lines.append(Line(f"办理地点：{hall}"))
    if window:
        lines.append(Line(f"办理窗口：{window}"))
    lines.append(Line(f"取号时间：{format_time(taken_at)}"))
    return Receipt("queue_ticket", "排队取号", tuple(lines),
                   footer=_footer(taken_at, kiosk_id, [note or "过号请重新取号，请留意叫号屏。"]))


PAYMENT_METHODS = {"wechat": "微信支付", "alipay": "支付宝", "unionpay": "云闪付（银联）"}


def payment_receipt(item_name: str, order_no: str, name: str, id_number: str, amount_fen: int,
                    method: str, *, transaction_no: str, paid_at: datetime, kiosk_id: str = "",
                    period: str = "", proxy: Proxy | None = None, title: str = "缴费凭证", payee_org: str = "",
                    account: str = "", account_label: str = "户号") -> Receipt:
    """A payment receipt (e.g. 城乡居民养老保险缴费). Amounts are integer fen, printed ￥180.00.

    The 户号 variant (`account` given: a 水电气 bill paid with no identity) prints the account and the
    household name (户名, as the platform masks it) and no ID number."""
    if method not in PAYMENT_METHODS:
        raise ValueError(f"unknown payment method {method!r}; expected one of {', '.join(PAYMENT_METHODS)}")
    lines = [Line(f"缴费项目：{item_name}")]
    if account:
        lines += [Line(f"{account_label}：{account}"), Line(f"户名：{name}")]
    else:
        lines += _person_lines(name, id_number, proxy)
    if period:
        lines.append(Line(f"缴费内容：{period}"))
    if payee_org:
        lines.append(Line(f"收款单位：{payee_org}"))
    lines += [RULE, Line("实缴金额", right=yuan(amount_fen), bold=True, size="tall"),
              Line("支付方式", right=PAYMENT_METHODS[method]), Line("订单号", right=order_no),
              Line("交易流水号", right=transaction_no), Line("支付时间", right=format_time(paid_at))]
    return Receipt("payment", title, tuple(lines),
                   footer=_footer(paid_at, kiosk_id, ["缴费成功。如需发票，请凭订单号到窗口申领。"]))


def payment_order_slip(item_name: str, order_no: str, check_code: str, amount_fen: int, *, label: str,
                       valid_until: datetime, lookup_qr: str, printed_at: datetime, kiosk_id: str = "") -> Receipt:
    """What the resident takes when they stop waiting for a payment: the order number and check code,
    so a payment made later on the phone is found again (and its receipt printed) at any kiosk."""
    lines = [Line(f"缴费项目：{item_name}"), Line(f"缴费内容：{label}"), Line("金额", right=yuan(amount_fen)), RULE,
             Line("订单号", right=order_no, bold=True), Line("查询码", right=check_code, bold=True, size="tall"),
             Line(f"订单有效至：{format_time(valid_until)}"), RULE,
             Line("如您已在手机上付款，款项不会丢失：请凭订单号和查询码（或扫描下方二维码），"
                  "在自助终端任一缴费事项中点「补打缴费凭证」取得缴费凭证。"),
             Line("未付款的订单到期自动失效，不会扣款。")]
    return Receipt("payment_order", "缴费订单", tuple(lines), qr=lookup_qr, subtitle="本机未收到支付结果",
                   qr_caption="扫码补打缴费凭证", footer=_footer(printed_at, kiosk_id))


def booking_slip(item_name: str, booking_no: str, *, day: date, start: str, end: str, place: str,
                 address: str, bring: Sequence[str], booked_at: datetime, service: str = "",
                 sms_to: str = "", kiosk_id: str = "") -> Receipt:
    """An appointment (预约凭证): when and where in large type, what to bring; no personal data
    beyond the masked phone the SMS goes to."""
    weekday = "一二三四五六日"[day.weekday()]
    lines = [Line(f"{day.month}月{day.day}日 周{weekday}", size="large", align="center", bold=True),
             Line(f"{start}-{end}", size="large", align="center", bold=True), RULE,
             Line(f"预约事项：{item_name}")]
    if service:
        lines.append(Line(f"预约业务：{service}"))
    lines += [Line(f"办理地点：{place}"), Line(f"地址：{address}"), Line(f"预约编号：{booking_no}", bold=True),
              RULE, Line("请携带：", bold=True), *(Line(f"{i}. {b}") for i, b in enumerate(bring, 1))]
    if sms_to:
        lines.append(Line(f"预约短信已发送至 {sms_to}"))
    return Receipt("booking", "预约凭证", tuple(lines),
                   footer=_footer(booked_at, kiosk_id, ["请按时到达，过号需重新预约。"]))


def item_guide(item_name: str, materials: Sequence[str], *, conditions: Sequence[str] = (),
               where: str, hours: str, phone: str, time_limit: str, printed_at: datetime,
               kiosk_id: str = "", guide_url: str | None = None, notes: Sequence[str] = ()) -> Receipt:
    """一次性告知单: everything a resident needs to bring and know, in one slip."""
    lines = [Line(f"事项名称：{item_name}", bold=True)]
    if conditions:
        lines += [RULE, Line("办理条件：", bold=True), *(Line(f"· {c}") for c in conditions)]
    lines += [RULE, Line("所需材料：", bold=True)]
    lines += [Line(f"{i}. {m}") for i, m in enumerate(materials, 1)] or [Line("无需提交材料。")]
    lines += [RULE, Line(f"办理地点：{where}"), Line(f"办理时间：{hours}"),
              Line(f"办理时限：{time_limit}"), Line(f"咨询电话：{phone}")]
    if notes:
        lines += [RULE, *(Line(n) for n in notes)]
    return Receipt("item_guide", "一次性告知单", tuple(lines), qr=guide_url,
                   qr_caption="扫码查看办事指南" if guide_url else "",
                   footer=_footer(printed_at, kiosk_id, ["材料齐全可一次办结。"]))


PUNCTUATION_LINE = "：，。！？；、“”（）《》¥"


def printer_test_page(*, printed_at: datetime, kiosk_id: str = "", url: str = "") -> Receipt:
    """The technician's test page: Chinese in every size, the punctuation-only line, a QR, a cut."""
    lines = [Line(f"{name}：中文打印", size=name) for name in SIZES]  # type: ignore[arg-type]
    lines += [Line(PUNCTUATION_LINE), Line("¥0.00"), Line("ASCII 0123456789 abcdefghij"),
              Line("加粗 粗体字", bold=True), Line("居中对齐", align="center"), Line("右对齐", align="right"),
              Line("金额", right="¥1,234.50")]
    if url:
        lines.append(Line(f"打印机：{url}"))
    return Receipt("test_page", "打印机自检页", tuple(lines), qr="https://example.invalid/printer-test?q=1",
                   qr_caption="二维码测试", footer=_footer(printed_at, kiosk_id))


def examples(printed_at: datetime) -> dict[str, Receipt]:
    """One receipt of each kind filled with invented data: the technician's preview, the benchmark, tests."""
    name, id_no = "陈桂英", "440183195203150026"
    return {
        "query_result": query_result(
            "养老金发放记录查询", name, id_no, ["发放年月", "实发金额", "发放银行"],
            [["2024-03", "¥1,236.50", "广东韶关农村商业银行"], ["2024-02", "¥1,236.50", "广东韶关农村商业银行"],
             ["2024-01", "¥1,236.50", "广东韶关农村商业银行"]],
            printed_at=printed_at, kiosk_id="GD-ZC-0001", conditions=[("查询年份", "2024")],
            summary=["合计：¥3,709.50"]),
        "certification": certification_proof(
            "养老待遇资格认证", name, id_no, certification_no="RZ20240501000012", certified_at=printed_at,
            valid_until=date(2025, 5, 31), printed_at=printed_at, kiosk_id="GD-ZC-0001",
            consequence="连续12个月未认证的，自第13个月起暂停发放养老金"),
        "certificate": certificate(
            "个人社保参保证明", name, id_no,
            [("参保险种", "城乡居民基本养老保险"), ("参保状态", "正常参保"), ("累计缴费", "180个月")],
            issuer="广州市社会保险基金管理中心", verify_code="GZSB-7F3K-29QD",
            verify_url="https://example.invalid/verify?code=GZSB-7F3K-29QD", printed_at=printed_at,
            kiosk_id="GD-ZC-0001", statement="兹证明该参保人参保情况如上。"),
        "acceptance": acceptance_receipt(
            "失业登记", "SL2024050100123", name, id_no, ["居民身份证", "劳动合同解除证明"],
            promised_days=5, department="增城区人力资源和社会保障局",
            progress_url="https://example.invalid/progress?no=SL2024050100123", accepted_at=printed_at,
            kiosk_id="GD-ZC-0001", missing=["近期免冠照片"]),
        "queue_ticket": queue_ticket("A018", "社保业务窗口", "增城区政务服务中心一楼", waiting=6,
                                     taken_at=printed_at, kiosk_id="GD-ZC-0001", window="3号窗口"),
        "payment": payment_receipt(
            "城乡居民养老保险缴费", "PO2024050100077", name, id_no, 18000, "wechat",
            transaction_no="4200001234202405010077", paid_at=printed_at, kiosk_id="GD-ZC-0001",
            period="2024年度"),
        "payment_order": payment_order_slip(
            "电费缴纳", "DD20240501000078", "482913", 12870, label="2024-04 电费",
            valid_until=printed_at, lookup_qr="https://example.invalid/pay/lookup?order_no=DD20240501000078&check=482913",
            printed_at=printed_at, kiosk_id="GD-ZC-0001"),
        "booking": booking_slip(
            "社保业务窗口预约", "YY20240501000012", day=date(2024, 5, 6), start="09:00", end="09:30",
            place="韶关市政务服务中心人社综合窗口", address="韶关市政务服务中心一楼",
            bring=["本人有效身份证件原件"], booked_at=printed_at, service="养老保险", sms_to="139****5678",
            kiosk_id="GD-ZC-0001"),
        "item_guide": item_guide(
            "城乡居民基本养老保险参保登记", ["居民身份证原件", "户口簿（首页及本人页）"],
            conditions=["年满16周岁", "非在校学生", "未参加职工基本养老保险"],
            where="镇（街）政务服务中心社保窗口", hours="周一至周五 9:00-12:00，14:00-17:30",
            phone="12333", time_limit="即办", printed_at=printed_at, kiosk_id="GD-ZC-0001",
            guide_url="https://example.invalid/guide/resident-pension-enrollment"),
    }
