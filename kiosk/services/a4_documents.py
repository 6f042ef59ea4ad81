"""A4 certificates as data → PDF bytes (fpdf2), and the one call that prints one through CUPS.

    job = print_a4_certificate(devices.get("docprinter"), document, kiosk_id=…, printed_at=…)

`document` is what POST /api/v1/certificates returns (ServiceDesk.issue_certificate). Its `lines`
may be `{"key", "label", "value"}` (the backend's keyed lines), `[key, label, value]` or
`[label, value]`; all are accepted. The holder's lines (key holder_name / holder_id_number, or, for
unkeyed rows, label 姓名 / 公民身份号码 / 证件号码) become the holder block, printed from `identity`
(the resident who proved who they are) — or from `holder_name` / `holder_id_number` in the document —
because the platform's lines carry the number masked. The issuer is the `issuer` line (出具单位),
else the body named by the seal.

The full ID number is printed on the A4 certificate: official paper carries it (a unit or a bank
checks it against the person), and the resident takes the sheet away. Screens and the thermal slips
stay masked, because they are seen by the next person in the queue or left in the tray.

Fonts: WenQuanYi Micro Hei (Debian fonts-wqy-microhei), a TrueType CJK font that fpdf2 embeds as a
CID TrueType subset with a ToUnicode map, so pypdf and pdftotext extract the text exactly. Noto Sans
CJK (the UI font) is CFF-based: fpdf2 embeds it, but pypdf then extracts every character with a NUL
before it. The seal is drawn here from the seal's name and always carries 模拟: the kiosk cannot make
a genuine seal; a deployment would print the platform's electronic seal image (not built).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol

import qrcode
from fpdf import FPDF
from fpdf.enums import Align, TextMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace
from PIL import Image, ImageDraw, ImageFont

from kiosk.services.session import Identity

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian fonts-wqy-microhei
FONT = "cjk"
HOLDER_KEYS = ("holder_name", "holder_id_number")
HOLDER_LABELS = ("姓名", "公民身份号码", "证件号码")
SEAL_SUFFIX = re.compile(r"(户籍)?(业务专用章|专用章|电子签章|公章)?(（电子）|\(电子\))?$")
DEFAULT_ISSUER = "广东省政务服务数据管理局"


class FontMissing(RuntimeError):
    """The CJK font is not installed; the message names the Debian package."""


# ---- the template, as data --------------------------------------------------------------------

@dataclass(frozen=True)
class A4Style:
    """Sizes of the A4 certificate template (mm and pt)."""

    margin_mm: float = 20.0
    title_pt: float = 20.0
    body_pt: float = 11.0
    small_pt: float = 8.5
    table_pt: float = 9.5
    label_col_mm: float = 50.0
    row_mm: float = 8.0
    table_row_mm: float = 6.5
    seal_mm: float = 40.0
    qr_mm: float = 30.0
    label_fill: tuple[int, int, int] = (238, 238, 238)
    seal_rgb: tuple[int, int, int] = (204, 0, 0)


STANDARD = A4Style()


@dataclass(frozen=True)
class Row:
    key: str | None
    label: str
    value: str


@dataclass(frozen=True)
class A4Document:
    """What goes on the page, in print order. Built from the backend's dict by certificate_document()."""

    title: str
    holder: tuple[Row, ...]
    rows: tuple[Row, ...]
    issuer: str
    seal: str
    verification_code: str
    verify_url: str
    printed_at: datetime
    kiosk_id: str = ""
    certificate_no: str = ""
    issued_on: date | None = None
    valid_until: str = ""
    table_title: str = ""
    table_columns: tuple[str, ...] = ()
    table_rows: tuple[tuple[str, ...], ...] = ()
    statement: str = "特此证明。"
    notice: str = ""
    seal_simulated: bool = True
    header: str = "广东政务服务 · 村级自助服务终端"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # the holder's data never reaches a log through repr()
        return f"A4Document({self.title!r}, {len(self.rows)} rows, {len(self.table_rows)} table rows)"


def parse_rows(lines: Sequence[Any]) -> list[Row]:
    """Rows as [label, value], [key, label, value] or {"key", "label", "value"} → Row."""
    out = []
    for i, line in enumerate(lines):
        if isinstance(line, Mapping):
            out.append(Row(line.get("key"), str(line["label"]), str(line.get("value", ""))))
        elif isinstance(line, Sequence) and not isinstance(line, str) and len(line) == 3:
            out.append(Row(str(line[0]) if line[0] is not None else None, str(line[1]), str(line[2])))
        elif isinstance(line, Sequence) and not isinstance(line, str) and len(line) == 2:
            out.append(Row(None, str(line[0]), str(line[1])))
        else:
            raise ValueError(f"certificate line {i}: expected [label, value] or [key, label, value], got {line!r}")
    return out


def _is_holder(row: Row) -> bool:
    return row.key in HOLDER_KEYS if row.key else row.label in HOLDER_LABELS


def issuer_of(seal: str) -> str:
    """The issuing body named by a seal: 韶关市公安局户籍业务专用章（电子） → 韶关市公安局."""
    return SEAL_SUFFIX.sub("", seal).strip() or seal


def _is_issuer(row: Row) -> bool:
    return row.key == "issuer" if row.key else row.label == "出具单位"


def certificate_document(document: Mapping[str, Any], *, kiosk_id: str, printed_at: datetime,
                         identity: Identity | None = None) -> A4Document:
    """The backend's certificate and the holder's identity → the A4 template's data."""
    rows = parse_rows(document.get("lines", []))
    holder_rows = [r for r in rows if _is_holder(r)]
    by_key = {r.key: r for r in holder_rows if r.key}
    by_label = {r.label: r for r in holder_rows}
    id_row = by_key.get("holder_id_number") or by_label.get("证件号码") or by_label.get("公民身份号码")
    id_label = id_row.label if id_row else "公民身份号码"
    name = (identity.name if identity else "") or document.get("holder_name") or \
        (by_key.get("holder_name") or by_label.get("姓名") or Row(None, "", "")).value
    id_number = (identity.id_number if identity else "") or document.get("holder_id_number") or \
        (id_row.value if id_row else "")
    issuer = next((r.value for r in rows if _is_issuer(r)), "")
    seal = str(document.get("seal") or "")
    issuer = issuer or (issuer_of(seal) if seal else DEFAULT_ISSUER)
    table = document.get("table") or {}
    issued_at = document.get("issued_at")
    return A4Document(
        title=str(document["title"]),
        holder=(Row("holder_name", "姓名", str(name)), Row("holder_id_number", id_label, str(id_number))),
        rows=tuple(r for r in rows if not _is_holder(r) and not _is_issuer(r)),
        issuer=issuer, seal=seal or f"{issuer}专用章",
        verification_code=str(document["verification_code"]), verify_url=str(document["qr"]),
        printed_at=printed_at, kiosk_id=kiosk_id, certificate_no=str(document.get("certificate_no", "")),
        issued_on=datetime.fromisoformat(issued_at).date() if issued_at else printed_at.date(),
        valid_until=str(document.get("valid_until") or ""),
        table_title=str(document.get("table_title") or "明细"),
        table_columns=tuple(str(c) for c in table.get("columns", [])),
        table_rows=tuple(tuple(str(c) for c in r) for r in table.get("rows", [])),
        notice=str(document.get("notice") or ""))


# ---- rendering --------------------------------------------------------------------------------

def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@lru_cache(maxsize=8)
def _seal_png(issuer: str, kind: str, rgb: tuple[int, int, int], font_path: str) -> bytes:
    """A round red seal: the issuer along the rim, a star, 模拟 under it (every drawn seal is one)."""
    size = 600
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    colour = (*rgb, 200)  # see-through, as ink over the issuer's name
    c = size / 2
    d.ellipse((12, 12, size - 12, size - 12), outline=colour, width=18)

    points = []
    for k in range(10):  # outer and inner points alternate
        angle = math.radians(k * 36)
        r = 72 if k % 2 == 0 else 28
        points.append((c + r * math.sin(angle), c - 20 - r * math.cos(angle)))
    d.polygon(points, fill=colour)
    rim = ImageFont.truetype(font_path, 52, index=0)
    text = issuer[:16]
    span = min(250.0, 22.0 * len(text))  # degrees of arc used by the text
    for i, ch in enumerate(text):
        angle = -span / 2 + span * (i + 0.5) / len(text)
        glyph = Image.new("RGBA", (80, 80), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((40, 40), ch, font=rim, fill=colour, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.BICUBIC)
        rad = math.radians(angle)
        x, y = c + 205 * math.sin(rad), c - 205 * math.cos(rad)
        img.alpha_composite(glyph, (int(x - 40), int(y - 40)))
    mark = ImageFont.truetype(font_path, 78, index=0)
    d.text((c, c + 95), "模拟", font=mark, fill=colour, anchor="mm")
    small = ImageFont.truetype(font_path, 36, index=0)
    d.text((c, c + 168), kind[:10], font=small, fill=colour, anchor="mm")
    out = BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _qr_png(payload: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(payload)
    qr.make(fit=True)
    out = BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, "PNG")
    return out.getvalue()


class _Pdf(FPDF):
    def __init__(self, doc: A4Document, style: A4Style) -> None:
        super().__init__(format="A4", unit="mm")
        self.doc, self.style = doc, style

    def footer(self) -> None:
        s, d = self.style, self.doc
        self.set_y(-14)
        self.set_font(FONT, size=s.small_pt)
        self.set_text_color(90)
        left = f"打印终端 {d.kiosk_id} · 打印时间 {d.printed_at:%Y-%m-%d %H:%M}" if d.kiosk_id else \
            f"打印时间 {d.printed_at:%Y-%m-%d %H:%M}"
        self.cell(0, 5, left, align=Align.L)
        self.set_x(self.l_margin)
        self.cell(0, 5, f"验证码 {d.verification_code}    第 {self.page_no()} 页 / 共 {{nb}} 页", align=Align.R)
        self.set_text_color(0)


def render_pdf(doc: A4Document, style: A4Style = STANDARD, *, font_path: Path = FONT_PATH) -> bytes:
    """The certificate as PDF bytes (A4, embedded CJK subset). Same document → same bytes."""
    if not font_path.exists():
        raise FontMissing(f"CJK font {font_path} not found; install Debian package fonts-wqy-microhei")
    s = style
    pdf = _Pdf(doc, s)
    pdf.set_creation_date(doc.printed_at.astimezone() if doc.printed_at.tzinfo else doc.printed_at)
    pdf.set_title(doc.title)  # the title only: metadata never carries the holder
    pdf.set_creator("village-kiosk")
    pdf.add_font(FONT, "", str(font_path), collection_font_number=0)
    pdf.set_margins(s.margin_mm, s.margin_mm, s.margin_mm)
    pdf.set_auto_page_break(True, margin=s.margin_mm)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FONT, size=s.small_pt)
    pdf.set_text_color(90)
    pdf.cell(width, 5, doc.header, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(6)
    pdf.set_font(FONT, size=s.title_pt)
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.25):  # the font has no bold face
        pdf.multi_cell(width, 11, doc.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=s.small_pt)
    if doc.certificate_no:
        pdf.cell(width, 6, f"证明编号：{doc.certificate_no}", align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)

    pdf.set_font(FONT, size=s.body_pt)
    label_style = FontFace(fill_color=s.label_fill)
    with pdf.table(col_widths=(s.label_col_mm, width - s.label_col_mm), first_row_as_headings=False,
                   text_align=("LEFT", "LEFT"), wrapmode=WrapMode.CHAR, line_height=s.row_mm * 0.7,
                   padding=(1.2, 2.0), v_align="MIDDLE") as table:
        for r in (*doc.holder, *doc.rows):
            row = table.row()
            row.cell(r.label, style=label_style)
            row.cell(r.value)
        if doc.valid_until:
            row = table.row()
            row.cell("有效期至", style=label_style)
            row.cell(doc.valid_until)

    if doc.table_columns and doc.table_rows:
        pdf.ln(5)
        pdf.set_font(FONT, size=s.body_pt)
        pdf.cell(width, 7, doc.table_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, size=s.table_pt)
        with pdf.table(headings_style=FontFace(emphasis="", fill_color=s.label_fill), wrapmode=WrapMode.CHAR,
                       line_height=s.table_row_mm * 0.75, text_align="CENTER", padding=(0.8, 1.0)) as table:
            table.row(list(doc.table_columns))
            for cells in doc.table_rows:
                table.row(list(cells))

    # statement, verification and the issuer with its seal: kept together on the last page
    block = 12 + max(s.seal_mm, s.qr_mm + 12) + (8 if doc.notice else 0)
    if pdf.get_y() + block > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(5)
    pdf.set_font(FONT, size=s.body_pt)
    pdf.multi_cell(width, 7, doc.statement, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.notice:
        pdf.set_font(FONT, size=s.small_pt)
        pdf.set_text_color(90)
        pdf.multi_cell(width, 5, doc.notice, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
    top = pdf.get_y() + 4
    right_w = 80.0  # the issuer block; the seal sits over it, as a stamp covers the signature line
    text_w = width - s.qr_mm - 3 - right_w - 4
    # left: the QR and how to verify
    pdf.image(BytesIO(_qr_png(doc.verify_url)), x=pdf.l_margin, y=top, w=s.qr_mm, h=s.qr_mm)
    pdf.set_xy(pdf.l_margin + s.qr_mm + 3, top + 2)
    pdf.set_font(FONT, size=s.body_pt)
    pdf.cell(text_w, 6, f"验证码：{doc.verification_code}", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=s.small_pt)
    pdf.multi_cell(text_w, 4.5, "扫描二维码或登录核验网址、输入验证码，可核验本证明真伪。",
                   new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.multi_cell(text_w, 4.5, doc.verify_url, wrapmode=WrapMode.CHAR, new_x=XPos.LEFT, new_y=YPos.NEXT)
    # right: the issuing body and the date
    x = pdf.l_margin + width - right_w
    pdf.set_xy(x, top + s.seal_mm * 0.3)
    pdf.set_font(FONT, size=s.body_pt)
    pdf.multi_cell(right_w, 7, doc.issuer, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.cell(right_w, 7, chinese_date(doc.issued_on or doc.printed_at.date()), align=Align.C)
    body = issuer_of(doc.seal)  # a seal names its own body: 韶关市公安局户籍业务专用章 → 韶关市公安局
    kind = re.sub(r"[（(](电子|模拟)[）)]$", "", doc.seal[len(body):]) if doc.seal.startswith(body) else ""
    seal = _seal_png(body, kind or "专用章", s.seal_rgb, str(font_path))
    pdf.image(BytesIO(seal), x=x + (right_w - s.seal_mm) / 2, y=top, w=s.seal_mm, h=s.seal_mm)
    return bytes(pdf.output())


# ---- printing ---------------------------------------------------------------------------------

class A4Printer(Protocol):
    def print_pdf(self, pdf: bytes, kind: str = "document") -> Any: ...


def print_a4_certificate(printer: A4Printer, document: Mapping[str, Any], *, kiosk_id: str,
                         printed_at: datetime, identity: Identity | None = None,
                         style: A4Style = STANDARD) -> Any:
    """Render the certificate and print it on the A4 printer; blocks until CUPS has printed it.
    `identity`: the holder (full name and ID number on the sheet); without it the document's
    holder_name / holder_id_number, else its (masked) lines.

    Returns the printed job (kiosk.devices.doc_printer.DocJob). Raises the driver's DocJobError
    (`.code` e.g. "docprinter.media_empty", `.job` kept for `printer.retry(job)`), or FontMissing.
    Call it off the GUI thread (run_op)."""
    pdf = render_pdf(certificate_document(document, kiosk_id=kiosk_id, printed_at=printed_at, identity=identity),
                     style)
    return printer.print_pdf(pdf, "certificate").wait()


def test_page(*, printed_at: datetime, kiosk_id: str = "", url: str = "") -> A4Document:
    """`kiosk-diag docprinter test`: every part of the template, with no personal data."""
    rows = (Row(None, "打印机", url or "（已配置的 A4 打印机）"), Row(None, "中文与标点", "：，。！？；、“”（）《》¥ 壹贰叁"),
            Row(None, "数字与字母", "0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            Row(None, "说明", "本页用于检查 A4 打印机：文字、表格、二维码与印章应清晰完整。"))
    return A4Document(
        title="A4 打印机测试页", holder=(Row(None, "终端编号", kiosk_id or "-"), Row(None, "打印时间", f"{printed_at:%Y-%m-%d %H:%M}")),
        rows=rows, issuer="村级自助服务终端", seal="村级自助服务终端测试章", verification_code="TEST-PAGE-0000",
        verify_url="https://example.invalid/verify?code=TEST-PAGE-0000", printed_at=printed_at, kiosk_id=kiosk_id,
        table_title="表格", table_columns=("列一", "列二", "列三"),
        table_rows=tuple((str(i), f"第 {i} 行", "✓") for i in range(1, 4)), statement="测试页打印完毕。")
