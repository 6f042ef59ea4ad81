"""Render parsed receipt blocks to a PNG the way a 203 dpi thermal printer would put them on paper.

Font A geometry: a half-width character is a 12 x 24 dot cell, a Chinese (multi-byte) character 24 x 24;
GS ! / ESC ! / FS ! multiply the cell. Chinese glyphs come from the "Noto Sans CJK SC" face of the
noto-cjk-sans-otc collection, half-width ones from "Noto Sans Mono CJK SC" (their Latin is exactly half
the CJK width, like a printer font). QR codes are drawn from the stored GS ( k payload with `qrcode`,
at the module size the job asked for, so the image decodes like the printed code would.
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from simulators.printer.escpos_parser import Feed, Glyph, QrCode, Raster, TextLine

DOTS_PER_MM = 8  # 203 dpi
CELL_H = 24
LINE_GAP = 6  # dots between text lines (ESC 2 default ≈ 30-dot pitch)
MARGIN_Y = 16
QR_EC = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
         "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


def noto_path() -> str:
    import noto_cjk_sans_otc

    return str(noto_cjk_sans_otc.FONT_PATH)


@lru_cache(maxsize=4)
def face_index(family: str) -> int:
    """Index of the face named `family` in the collection (index 0 is the Japanese face)."""
    path = noto_path()
    for index in range(16):
        try:
            font = ImageFont.truetype(path, 12, index=index)
        except OSError:
            break
        if font.getname()[0] == family:
            return index
    raise LookupError(f"no face {family!r} in {path}")


@lru_cache(maxsize=8)
def _font(family: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(noto_path(), size, index=face_index(family))


@lru_cache(maxsize=4096)
def _glyph_cell(ch: str, wide: bool, bold: bool) -> Image.Image:
    """One character at 1x size, black on white, in its printer cell."""
    width = 24 if wide else 12
    cell = Image.new("L", (width, CELL_H), 255)
    if ch.strip():
        font = _font("Noto Sans CJK SC" if wide else "Noto Sans Mono CJK SC", 22 if wide else 20)
        draw = ImageDraw.Draw(cell)
        draw.text((width / 2, CELL_H / 2), ch, font=font, fill=0, anchor="mm",
                  stroke_width=1 if bold else 0, stroke_fill=0)
    return cell


def _glyph_image(g: Glyph) -> Image.Image:
    cell = _glyph_cell(g.ch, g.wide, g.bold)
    if g.w > 1 or g.h > 1:
        cell = cell.resize((cell.width * g.w, cell.height * g.h), Image.NEAREST)
    if g.underline:
        ImageDraw.Draw(cell).line([(0, cell.height - 2), (cell.width, cell.height - 2)], fill=0, width=2)
    return cell


def _x_for(align: str, width: int, printable: int) -> int:
    if align == "center":
        return max(0, (printable - width) // 2)
    if align == "right":
        return max(0, printable - width)
    return 0


def _text_line(line: TextLine, printable: int) -> Image.Image:
    cells = [_glyph_image(g) for g in line.glyphs]
    height = max([c.height for c in cells], default=CELL_H) + LINE_GAP
    strip = Image.new("L", (printable, height), 255)
    x = _x_for(line.align, sum(c.width for c in cells), printable)
    for cell in cells:
        if x + cell.width > printable:  # a printer wraps to the next line; the receipt builder prevents it
            break
        strip.paste(cell, (x, height - LINE_GAP - cell.height))
        x += cell.width
    return strip


def _qr(block: QrCode, printable: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=QR_EC.get(block.ec, QR_EC["L"]), box_size=block.module, border=0)
    code.add_data(block.payload)
    code.make(fit=True)
    img = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    strip = Image.new("L", (printable, img.height + 2 * block.module), 255)
    strip.paste(img, (_x_for(block.align, img.width, printable), block.module))
    return strip


def _raster(block: Raster, printable: int) -> Image.Image:
    bits = Image.frombytes("1", (block.width_bytes * 8, block.height), block.data)
    img = bits.convert("L").point(lambda v: 255 - v)  # ESC/POS: bit 1 = black dot
    if block.scale_x > 1 or block.scale_y > 1:
        img = img.resize((img.width * block.scale_x, img.height * block.scale_y), Image.NEAREST)
    img = img.crop((0, 0, min(img.width, printable), img.height))
    strip = Image.new("L", (printable, img.height), 255)
    strip.paste(img, (_x_for(block.align, img.width, printable), 0))
    return strip


def render_png(blocks: list, printable_dots: int, paper_mm: int, cut: bool = True) -> Image.Image:
    """The receipt as a grey-scale image at paper width (margins either side of the printable area)."""
    strips: list[Image.Image] = []
    for block in blocks:
        if isinstance(block, TextLine):
            strips.append(_text_line(block, printable_dots))
        elif isinstance(block, QrCode):
            strips.append(_qr(block, printable_dots))
        elif isinstance(block, Raster):
            strips.append(_raster(block, printable_dots))
        elif isinstance(block, Feed) and block.dots:
            strips.append(Image.new("L", (printable_dots, block.dots), 255))
    paper_w = max(paper_mm * DOTS_PER_MM, printable_dots)
    height = sum(s.height for s in strips) + 2 * MARGIN_Y
    page = Image.new("L", (paper_w, height), 255)
    x0, y = (paper_w - printable_dots) // 2, MARGIN_Y
    for strip in strips:
        page.paste(strip, (x0, y))
        y += strip.height
    if not cut:  # torn off by hand: a ragged edge says the job never reached its cut
        draw = ImageDraw.Draw(page)
        for x in range(0, paper_w, 16):
            draw.line([(x, height - 1), (x + 8, height - 8), (x + 16, height - 1)], fill=160)
    return page
