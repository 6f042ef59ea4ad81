"""The UI font is Noto Sans CJK SC (not the JP face, not a fallback) and it has a glyph for every
character of every UI string: string literals in kiosk/ (screens, messages) and catalogue item names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtGui import QFontInfo, QFontMetrics

from kiosk.ui.fonts import UI_FAMILY, load_ui_font, ui_font
from simulators.backend.catalogue import load_items

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def ui_strings() -> set[str]:
    out: set[str] = set()
    for path in (REPO / "kiosk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
                out.add(node.value)
    for item in load_items():
        out.add(item["name"])
    return out


def test_font_in_use_is_noto_sans_cjk_sc(qapp) -> None:
    assert load_ui_font() == UI_FAMILY
    info = QFontInfo(ui_font())
    assert info.family() == UI_FAMILY


def test_every_ui_character_has_a_glyph(qapp) -> None:
    load_ui_font()
    metrics = QFontMetrics(ui_font())
    strings = ui_strings()
    assert len(strings) > 50  # the scan really found the UI's text
    missing = sorted({ch for s in strings for ch in s if ch.strip() and not metrics.inFontUcs4(ord(ch))})
    assert missing == [], f"characters without a glyph in {UI_FAMILY}: {missing}"
