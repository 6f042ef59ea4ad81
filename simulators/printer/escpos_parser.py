"""An incremental ESC/POS stream parser: bytes in, printed blocks and status queries out.

It understands what Chinese receipt printers are sent: ESC @, GB18030 text in Chinese mode (FS & / FS .),
FS !, ESC ! and GS ! sizes, ESC a alignment, ESC E bold, ESC d / ESC J feeds, GS ( k QR codes,
GS v 0 raster images, GS V cut, DLE EOT and GS r status requests. Other known commands are skipped by
their length; an unknown command is skipped by its two-byte prefix and recorded in `unknown`, so
parameters are never printed as text. A command split across TCP reads waits for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
LF, CR, HT, FF = 0x0A, 0x0D, 0x09, 0x0C

EC_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}
ALIGNS = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


@dataclass(frozen=True)
class Glyph:
    ch: str
    wide: bool  # a multi-byte (Chinese-mode) character: 24 dots wide in font A, ASCII is 12
    w: int = 1  # width multiplier
    h: int = 1  # height multiplier
    bold: bool = False
    underline: bool = False


@dataclass
class TextLine:
    glyphs: list[Glyph]
    align: str = "left"

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)


@dataclass
class QrCode:
    payload: bytes
    module: int
    ec: str
    align: str


@dataclass
class Raster:
    width_bytes: int
    height: int
    data: bytes
    scale_x: int
    scale_y: int
    align: str


@dataclass
class Feed:
    dots: int


@dataclass
class Cut:
    partial: bool
    at: int = 0  # stream position just after the command


@dataclass
class StatusQuery:
    kind: str  # "dle_eot" | "gs_r" | "gs_a" (automatic status back on/off, no reply of its own)
    n: int


@dataclass
class Reset:
    """ESC @: a new job begins."""

    at: int = 0  # stream position of the ESC byte


Block = TextLine | QrCode | Raster | Feed | Cut


@dataclass
class Style:
    align: str = "left"
    bold: bool = False
    underline: bool = False
    esc_w: int = 1  # ESC ! bits 5 (width) and 4 (height): ASCII characters
    esc_h: int = 1
    gs_w: int = 1  # GS ! n: every character
    gs_h: int = 1
    fs_w: int = 1  # FS ! bits 2 (width) and 3 (height): Chinese characters
    fs_h: int = 1


# Commands skipped by length: prefix byte → {function byte: number of parameter bytes}.
_ESC_FIXED = {0x21: 1, 0x45: 1, 0x61: 1, 0x20: 1, 0x2D: 1, 0x32: 0, 0x33: 1, 0x3C: 0, 0x3D: 1, 0x47: 1, 0x4D: 1, 0x52: 1, 0x53: 0,
              0x4C: 0, 0x54: 1, 0x55: 1, 0x56: 1, 0x72: 1, 0x74: 1, 0x7B: 1, 0x25: 1, 0x24: 2, 0x5C: 2,
              0x70: 3, 0x63: 2, 0x4A: 1, 0x64: 1, 0x4B: 1, 0x65: 1, 0x69: 0, 0x6D: 0}
_GS_FIXED = {0x42: 1, 0x62: 1, 0x48: 1, 0x68: 1, 0x77: 1, 0x66: 1, 0x4C: 2, 0x57: 2, 0x50: 2, 0x61: 1,
             0x49: 1, 0x24: 2, 0x5C: 2, 0x2F: 1, 0x3A: 0, 0x54: 1, 0x7C: 1}
_FS_FIXED = {0x2D: 1, 0x53: 2, 0x57: 1, 0x43: 1, 0x70: 2, 0x3F: 0, 0x26: 0, 0x2E: 0, 0x21: 1}


@dataclass
class ParseResult:
    blocks: list[Block | StatusQuery | Reset] = field(default_factory=list)


class EscPosParser:
    def __init__(self, chinese_at_power_on: bool = True) -> None:
        self.chinese_at_power_on = chinese_at_power_on
        self.chinese = chinese_at_power_on
        self.style = Style()
        self._buf = bytearray()
        self._line: list[Glyph] = []
        self._line_align = "left"
        self._qr = {"module": 3, "ec": "L", "payload": b""}
        self.unknown: list[str] = []
        self.position = 0  # bytes consumed since the connection opened
        self._at = 0

    # ---- public -----------------------------------------------------------------------------
    def feed(self, data: bytes) -> list[Block | StatusQuery | Reset]:
        """Consume bytes; returns the blocks and status queries completed so far, in stream order."""
        self._buf += data
        out: list[Block | StatusQuery | Reset] = []
        pos = 0
        while pos < len(self._buf):
            self._at = self.position + pos
            used = self._step(pos, out)
            if used is None:  # incomplete command: wait for more bytes
                break
            pos += used
        del self._buf[:pos]
        self.position += pos
        return out

    def flush(self) -> list[Block]:
        """End of stream: a pending partial line is printed (real printers print on LF or buffer full)."""
        out: list[Block | StatusQuery | Reset] = []
        self._end_line(out, force=False)
        return [b for b in out if not isinstance(b, (StatusQuery, Reset))]

    @property
    def pending(self) -> int:
        return len(self._buf)

    # ---- text -------------------------------------------------------------------------------
    def _glyph(self, ch: str, wide: bool) -> Glyph:
        s = self.style
        if wide:
            w, h = max(s.gs_w, s.fs_w), max(s.gs_h, s.fs_h)
        else:
            w, h = max(s.gs_w, s.esc_w), max(s.gs_h, s.esc_h)
        return Glyph(ch, wide, w, h, s.bold, s.underline)

    def _add_char(self, ch: str, wide: bool) -> None:
        if not self._line:
            self._line_align = self.style.align  # ESC a counts at the start of a line
        self._line.append(self._glyph(ch, wide))

    def _end_line(self, out: list, force: bool = True) -> None:
        if self._line:
            out.append(TextLine(self._line, self._line_align))
            self._line = []
        elif force:
            out.append(TextLine([], self.style.align))  # an empty line still feeds paper

    def _multibyte(self, pos: int) -> int | None:
        """GB18030: 2 bytes (lead 81-FE, trail 40-7E/80-FE) or 4 bytes (81-FE 30-39 81-FE 30-39)."""
        b = self._buf
        if pos + 1 >= len(b):
            return None
        second = b[pos + 1]
        if 0x30 <= second <= 0x39:
            if pos + 3 >= len(b):
                return None
            raw, n = bytes(b[pos:pos + 4]), 4
        else:
            raw, n = bytes(b[pos:pos + 2]), 2
        try:
            ch = raw.decode("gb18030")
        except UnicodeDecodeError:
            ch, n = "?", 1
        self._add_char(ch, wide=n > 1)
        return n

    # ---- one step ---------------------------------------------------------------------------
    def _need(self, pos: int, n: int) -> bool:
        return pos + n <= len(self._buf)

    def _step(self, pos: int, out: list) -> int | None:
        b = self._buf
        c = b[pos]
        if c == LF:
            self._end_line(out)
            return 1
        if c == ESC:
            return self._esc(pos, out)
        if c == GS:
            return self._gs(pos, out)
        if c == FS:
            return self._fs(pos, out)
        if c == DLE:
            return self._dle(pos, out)
        if c == HT:
            for _ in range(8 - len(self._line) % 8):
                self._add_char(" ", False)
            return 1
        if c == FF:
            self._end_line(out, force=False)
            return 1
        if c < 0x20 or c == 0x7F:
            return 1  # CR and other controls: nothing to print
        if c < 0x80:
            self._add_char(chr(c), False)
            return 1
        if self.chinese and 0x81 <= c <= 0xFE:
            return self._multibyte(pos)
        self._add_char(bytes([c]).decode("cp437"), False)  # code page 437, what an ASCII-mode printer does
        return 1

    def _esc(self, pos: int, out: list) -> int | None:
        if not self._need(pos, 2):
            return None
        fn = self._buf[pos + 1]
        if fn == 0x40:  # ESC @
            self._end_line(out, force=False)
            self.style = Style()
            self.chinese = self.chinese_at_power_on
            out.append(Reset(self._at))
            return 2
        if fn == 0x2A:  # ESC * m nL nH d1..dk  (column image, skipped)
            if not self._need(pos, 5):
                return None
            m, n = self._buf[pos + 2], self._buf[pos + 3] + 256 * self._buf[pos + 4]
            size = 5 + n * (3 if m in (32, 33) else 1)
            return size if self._need(pos, size) else None
        nparams = _ESC_FIXED.get(fn)
        if nparams is None:
            self.unknown.append(f"ESC 0x{fn:02x}")
            return 2
        if not self._need(pos, 2 + nparams):
            return None
        arg = self._buf[pos + 2] if nparams else 0
        s = self.style
        if fn == 0x21:  # ESC ! n: bit 3 bold, bit 4 double height, bit 5 double width, bit 7 underline
            s.bold, s.esc_h, s.esc_w = bool(arg & 0x08), 2 if arg & 0x10 else 1, 2 if arg & 0x20 else 1
            s.underline = bool(arg & 0x80)
        elif fn == 0x45:
            s.bold = bool(arg & 1)
        elif fn == 0x2D:
            s.underline = bool(arg & 3)
        elif fn == 0x61:
            s.align = ALIGNS.get(arg, s.align)
            if not self._line:
                self._line_align = s.align
        elif fn == 0x64:  # ESC d n: print and feed n lines
            self._end_line(out, force=False)
            out.append(Feed(arg * 30))
        elif fn == 0x4A:  # ESC J n: print and feed n dots
            self._end_line(out, force=False)
            out.append(Feed(arg))
        return 2 + nparams

    def _gs(self, pos: int, out: list) -> int | None:
        if not self._need(pos, 2):
            return None
        b, fn = self._buf, self._buf[pos + 1]
        if fn == 0x21:  # GS ! n: high nibble width-1, low nibble height-1
            if not self._need(pos, 3):
                return None
            n = b[pos + 2]
            self.style.gs_w, self.style.gs_h = (n >> 4 & 7) + 1, (n & 7) + 1
            return 3
        if fn == 0x56:  # GS V m [n]
            if not self._need(pos, 3):
                return None
            m = b[pos + 2]
            size = 4 if m in (65, 66, 97, 98, 103, 104) else 3
            if not self._need(pos, size):
                return None
            self._end_line(out, force=False)
            if size == 4 and b[pos + 3]:
                out.append(Feed(b[pos + 3]))
            out.append(Cut(m in (1, 49, 66, 98, 104), self._at + size))
            return size
        if fn == 0x76:  # GS v 0 m xL xH yL yH d1..dk
            if not self._need(pos, 8):
                return None
            m = b[pos + 3]
            xb, h = b[pos + 4] + 256 * b[pos + 5], b[pos + 6] + 256 * b[pos + 7]
            size = 8 + xb * h
            if not self._need(pos, size):
                return None
            self._end_line(out, force=False)
            out.append(Raster(xb, h, bytes(b[pos + 8:pos + size]), 2 if m in (1, 49, 3, 51) else 1,
                              2 if m in (2, 50, 3, 51) else 1, self.style.align))
            return size
        if fn in (0x28, 0x38):  # GS ( x pL pH ... / GS 8 L p1..p4 ...
            return self._gs_paren(pos, out)
        if fn == 0x61:  # GS a n: automatic status back on (n != 0) or off
            if not self._need(pos, 3):
                return None
            out.append(StatusQuery("gs_a", b[pos + 2]))
            return 3
        if fn == 0x72:  # GS r n: status through the receive buffer
            if not self._need(pos, 3):
                return None
            out.append(StatusQuery("gs_r", b[pos + 2]))
            return 3
        if fn == 0x6B:  # GS k m ... barcode (skipped)
            if not self._need(pos, 3):
                return None
            m = b[pos + 2]
            if m <= 6:
                end = b.find(b"\x00", pos + 3)
                return None if end < 0 else end - pos + 1
            if not self._need(pos, 4):
                return None
            size = 4 + b[pos + 3]
            return size if self._need(pos, size) else None
        nparams = _GS_FIXED.get(fn)
        if nparams is None:
            self.unknown.append(f"GS 0x{fn:02x}")
            return 2
        return 2 + nparams if self._need(pos, 2 + nparams) else None

    def _gs_paren(self, pos: int, out: list) -> int | None:
        b = self._buf
        if b[pos + 1] == 0x38:  # GS 8 L p1 p2 p3 p4: 32-bit length
            if not self._need(pos, 7):
                return None
            size = 7 + int.from_bytes(b[pos + 3:pos + 7], "little")
            return size if self._need(pos, size) else None
        if not self._need(pos, 5):
            return None
        kind = b[pos + 2]
        size = 5 + b[pos + 3] + 256 * b[pos + 4]
        if not self._need(pos, size):
            return None
        if kind == 0x6B and size >= 7 and b[pos + 5] == 0x31:  # GS ( k, cn = 49: QR code
            fn, params = b[pos + 6], bytes(b[pos + 7:pos + size])
            if fn == 67 and params:
                self._qr["module"] = max(1, min(16, params[0]))
            elif fn == 69 and params:
                self._qr["ec"] = EC_LEVELS.get(params[0], "L")
            elif fn == 80:  # store: m = '0' then data
                self._qr["payload"] = params[1:]
            elif fn == 81:  # print the stored symbol
                self._end_line(out, force=False)
                out.append(QrCode(self._qr["payload"], self._qr["module"], self._qr["ec"], self.style.align))
        return size

    def _fs(self, pos: int, out: list) -> int | None:
        if not self._need(pos, 2):
            return None
        fn = self._buf[pos + 1]
        nparams = _FS_FIXED.get(fn)
        if nparams is None:
            self.unknown.append(f"FS 0x{fn:02x}")
            return 2
        if not self._need(pos, 2 + nparams):
            return None
        if fn == 0x26:
            self.chinese = True
        elif fn == 0x2E:
            self.chinese = False
        elif fn == 0x21:  # FS ! n: bit 2 double width, bit 3 double height (Chinese characters)
            n = self._buf[pos + 2]
            self.style.fs_w, self.style.fs_h = 2 if n & 0x04 else 1, 2 if n & 0x08 else 1
        return 2 + nparams

    def _dle(self, pos: int, out: list) -> int | None:
        if not self._need(pos, 2):
            return None
        fn = self._buf[pos + 1]
        if fn == 0x04:  # DLE EOT n
            if not self._need(pos, 3):
                return None
            out.append(StatusQuery("dle_eot", self._buf[pos + 2]))
            return 3
        if fn == 0x05:  # DLE ENQ n
            return 3 if self._need(pos, 3) else None
        if fn == 0x14:  # DLE DC4 fn ...
            if not self._need(pos, 3):
                return None
            size = 10 if self._buf[pos + 2] == 8 else 5
            return size if self._need(pos, size) else None
        return 1  # a lone DLE: ignore the byte
