"""Theme as data: two token sets (standard and 长者模式) rendered into one QSS template.

Widgets get state through dynamic properties (`role`, `variant`), never per-widget style strings.
The numbers they must meet are in docs/ui-rules.md (checked by tests/ui/test_theme_contrast.py).
"""

from __future__ import annotations

from string import Template

from kiosk.assets import ASSETS  # the checkout's assets/ or an installed release's copy
from kiosk.ui.fonts import UI_FAMILY

STANDARD = {
    "font_family": UI_FAMILY,
    "body_pt": 20,
    "title_pt": 34,
    "subtitle_pt": 24,
    "button_pt": 22,
    "tile_pt": 22,
    "small_pt": 16,
    "target_px": 88,  # minimum touch target height
    "tile_h_px": 150,
    "amount_pt": 60,  # an amount to pay (¥180.00), a queue number, a booked time
    "qr_px": 420,  # a payment QR code on screen
    "icon_px": 44,  # icons beside button and tile texts
    "radius_px": 14,
    "bg": "#F3F6FA",
    "surface": "#FFFFFF",
    "text": "#1A1F29",  # on surface: 16.9:1
    "muted": "#4A5566",  # on surface: 7.4:1
    "primary": "#0B5CAD",  # white on primary: 6.6:1
    "primary_text": "#FFFFFF",
    "accent": "#C8102E",  # government red, for the title bar
    "danger": "#B3261E",
    "ok": "#1E7B34",
    "border": "#C9D2DE",
    "line_height": "1.4",
}

ELDERLY = {
    **STANDARD,
    "body_pt": 30,
    "title_pt": 46,
    "subtitle_pt": 36,
    "button_pt": 34,
    "tile_pt": 36,
    "small_pt": 26,
    "target_px": 120,
    "tile_h_px": 220,
    "amount_pt": 80,
    "qr_px": 460,
    "icon_px": 60,
    "bg": "#FFFFFF",
    "text": "#000000",  # 21:1
    "muted": "#222222",
    "primary": "#003E80",  # white on it: 10.5:1
    "accent": "#9E0B22",  # the title bar, darker red: white on it 8.3:1 (AAA ≥ 7:1 everywhere)
    "danger": "#8C1D18",  # 9.1:1 on white
    "ok": "#14592A",  # 8.4:1 on white
    "border": "#000000",
    "line_height": "1.5",
}

THEMES = {"standard": STANDARD, "elderly": ELDERLY}


def stylesheet(name: str = "standard") -> str:
    tokens = THEMES[name]
    template = Template((ASSETS / "theme.qss").read_text(encoding="utf-8"))
    return template.substitute(tokens)
