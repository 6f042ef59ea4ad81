"""Load the CJK UI font. The base image has no CJK font (tofu boxes), so the kiosk ships
Noto Sans CJK from the noto-cjk-sans-otc package and selects the "Noto Sans CJK SC" family by name
(the collection's first face is JP, with different glyph shapes)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

UI_FAMILY = "Noto Sans CJK SC"
log = logging.getLogger(__name__)


class FontError(RuntimeError):
    pass


def font_file() -> Path:
    import noto_cjk_sans_otc

    return Path(noto_cjk_sans_otc.__file__).with_name("NotoSansCJK-Regular.ttc")


def load_ui_font() -> str:
    """Register the collection (idempotent) and return the SC family name. Needs a QGuiApplication."""
    if UI_FAMILY in QFontDatabase.families():
        return UI_FAMILY
    font_id = QFontDatabase.addApplicationFont(str(font_file()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if UI_FAMILY not in families:
        raise FontError(f"{font_file()} does not provide {UI_FAMILY!r} (found {families})")
    log.info("loaded UI font %s", UI_FAMILY)
    return UI_FAMILY


def ui_font(point_size: int = 18) -> QFont:
    font = QFont(UI_FAMILY, point_size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font
