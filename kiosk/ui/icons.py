"""Icons (Font Awesome 6 solid, the font qtawesome ships, drawn from the font, so they stay sharp at any
size and take the theme's colours) and how the home screen groups the catalogue's departments into tiles.

The glyphs are drawn here the way qtawesome draws them (its names, e.g. `fa6s.print`, its 0.875 glyph
size, centred), without importing qtawesome: its qtpy layer star-imports all of QtWidgets, QtGui and
QtOpenGL, ~0.1 s on the GUI thread before the first frame (docs/performance.md).

Both are presentation only: an item's department, flow and home_rank come from the catalogue; a
department this table does not know still gets a tile of its own, under its own name.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

ICONS = {
    "logo": "fa6s.landmark", "elderly": "fa6s.person-cane", "help": "fa6s.headset",
    "search": "fa6s.magnifying-glass", "back": "fa6s.arrow-left", "home": "fa6s.house",
    "touch": "fa6s.hand-pointer", "idcard": "fa6s.id-card", "offline": "fa6s.triangle-exclamation",
    "more": "fa6s.chevron-right", "clear": "fa6s.xmark", "guide": "fa6s.list-ol",
    "materials": "fa6s.file-signature", "time": "fa6s.clock", "fee": "fa6s.coins",
    "result": "fa6s.award", "place": "fa6s.location-dot", "phone": "fa6s.phone-volume",
    "faq": "fa6s.circle-question", "ok": "fa6s.circle-check", "warn": "fa6s.circle-exclamation",
    "basis": "fa6s.scale-balanced", "conditions": "fa6s.user-check", "print": "fa6s.print",
}

# One per flow kind (kiosk/services/flows/kinds.py FLOW_KINDS): what the tile of an item shows.
FLOW_ICONS = {
    "print": "fa6s.print", "query": "fa6s.file-lines", "certify": "fa6s.user-check", "pay": "fa6s.qrcode",
    "apply": "fa6s.file-pen", "bundle": "fa6s.layer-group", "appointment": "fa6s.calendar-check",
    "queue": "fa6s.ticket", "progress": "fa6s.list-check",
}
DEFAULT_ICON = "fa6s.folder-open"


@dataclass(frozen=True)
class Group:
    label: str
    icon: str
    departments: tuple[str, ...]


# How residents look for things: by the office they know. Several departments may share a tile.
GROUPS = (
    Group("社保就业", "fa6s.people-group", ("人社",)),
    Group("医疗保障", "fa6s.kit-medical", ("医保",)),
    Group("户籍证件", "fa6s.shield-halved", ("公安",)),
    Group("民政救助", "fa6s.hand-holding-heart", ("民政",)),
    Group("水电气", "fa6s.bolt", ("供电", "供水", "燃气")),
    Group("公积金", "fa6s.house", ("公积金",)),
    Group("卫生健康", "fa6s.heart-pulse", ("卫健",)),
    Group("税务", "fa6s.file-invoice-dollar", ("税务",)),
    Group("交通出行", "fa6s.car", ("交警",)),
    Group("农业农村", "fa6s.wheat-awn", ("农业农村",)),
    Group("残疾人服务", "fa6s.wheelchair", ("残联",)),
    Group("教育", "fa6s.graduation-cap", ("教育",)),
    Group("不动产", "fa6s.map-location-dot", ("自然资源",)),
    Group("出入境", "fa6s.passport", ("出入境",)),
    Group("退役军人", "fa6s.medal", ("退役军人",)),
    Group("法律服务", "fa6s.scale-balanced", ("司法",)),
    Group("村级证明", "fa6s.house-flag", ("村委会",)),
)


def group_of(department: str) -> Group:
    for group in GROUPS:
        if department in group.departments:
            return group
    return Group(department or "其他", DEFAULT_ICON, (department,))


@functools.cache
def _solid_font() -> tuple[str, dict[str, str]]:
    """(font family, name → hex code point) of qtawesome's Font Awesome 6 solid font, found on disk
    (importlib finds the package without importing it)."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qtawesome is not installed: its Font Awesome font draws the icons")
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    ttf = max(fonts.glob("fontawesome6-solid-webfont-*.ttf"))
    charmap = json.loads(ttf.with_name(ttf.name.replace("webfont-", "webfont-charmap-")).with_suffix(".json")
                         .read_text(encoding="utf-8"))
    font_id = QFontDatabase.addApplicationFont(str(ttf))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise RuntimeError(f"cannot load the icon font {ttf}")
    return families[0], charmap


class _GlyphEngine(QIconEngine):
    """One glyph in one colour; greyed like the palette's disabled text in a disabled button."""

    def __init__(self, char: str, color: str) -> None:
        super().__init__()
        self.char, self.color = char, color

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        family, _ = _solid_font()
        painter.save()
        if mode == QIcon.Mode.Disabled:
            app = QApplication.instance()
            painter.setPen(app.palette().color(app.palette().ColorGroup.Disabled, app.palette().ColorRole.Text)
                           if isinstance(app, QApplication) else QColor(150, 150, 150))
        else:
            painter.setPen(QColor(self.color))
        font = QFont(family)
        font.setPixelSize(max(1, round(0.875 * rect.height())))
        font.setStyleName("Solid")
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.char)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pm = QPixmap(size)
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pm

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self.char, self.color)


def icon(name: str, color: str) -> QIcon:
    """`name` is a key of ICONS or a qtawesome name (`fa6s.print`)."""
    full = ICONS.get(name, name)
    prefix, _, glyph = full.partition(".")
    _, charmap = _solid_font()
    if prefix != "fa6s" or glyph not in charmap:
        raise ValueError(f"unknown icon {full!r}: expected a Font Awesome 6 solid name like 'fa6s.print'")
    return QIcon(_GlyphEngine(chr(int(charmap[glyph], 16)), color))


def pixmap(name: str, color: str, size: int) -> QPixmap:
    return icon(name, color).pixmap(size, size)
