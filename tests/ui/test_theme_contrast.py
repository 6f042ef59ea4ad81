"""Every text colour of both theme token sets against the background it is drawn on (docs/ui-rules.md):
WCAG 2 relative luminance, ≥ 4.5:1 in the standard theme and ≥ 7:1 (AAA) in 长者模式. The pairs follow
assets/theme.qss."""

from __future__ import annotations

import pytest

from kiosk.ui import theme

# (foreground token or literal, background token or literal, where in theme.qss)
PAIRS = [
    ("text", "bg", "screen text"),
    ("text", "surface", "cards, options, tiles"),
    ("muted", "surface", "hints, subtitles on cards"),
    ("muted", "bg", "hints on the screen"),
    ("primary", "surface", "outlined buttons, section titles"),
    ("primary_text", "primary", "primary buttons, chosen options"),
    ("#FFFFFF", "accent", "the title bar"),
    ("danger", "surface", "error text on cards"),
    ("danger", "bg", "error text on the screen"),
    ("#FFFFFF", "danger", "danger buttons"),
    ("muted", "bg", "disabled buttons"),
    ("ok", "surface", "success text"),
]
MINIMUM = {"standard": 4.5, "elderly": 7.0}  # 长者模式: AAA everywhere, title bar and status colours too


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def colour(tokens: dict, name: str) -> str:
    return name if name.startswith("#") else tokens[name]


def test_the_formula_is_wcags() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey


@pytest.mark.parametrize("name", sorted(theme.THEMES))
@pytest.mark.parametrize(("fg", "bg", "where"), PAIRS)
def test_text_contrast(name: str, fg: str, bg: str, where: str) -> None:
    tokens = theme.THEMES[name]
    ratio = contrast(colour(tokens, fg), colour(tokens, bg))
    assert ratio >= MINIMUM[name], f"{name}: {fg} on {bg} ({where}) is {ratio:.2f}:1, needs {MINIMUM[name]}:1"
