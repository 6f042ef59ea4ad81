"""Measure what a resident sees, on grabbed pixels and widget geometry (长者模式 rules, docs/ui-rules.md):

- glyph height: the label or button is grabbed; rows holding "ink" (pixels far from the background
  colour) form one band per text line; a band's height is the rendered glyph height of that line;
- contrast: the WCAG ratio between the background (the most common colour) and the ink (the most common
  colour among pixels at least half as far from the background as the farthest one);
- target size: a button's width and height on screen.

`violations(window, …)` lists every visible text widget or button that breaks a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def _luminance(rgb: np.ndarray) -> float:
    c = rgb.astype(float) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2])


def contrast_ratio(a: np.ndarray, b: np.ndarray) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def pixels(widget: QWidget) -> np.ndarray:
    """The widget as it is drawn now: an H×W×3 RGB array."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


def _rgb(value: int) -> np.ndarray:
    return np.array([(value >> 16) & 255, (value >> 8) & 255, value & 255])


@dataclass(frozen=True)
class Ink:
    glyph_heights: tuple[int, ...]  # one per text line, in pixels
    contrast: float


def ink(widget: QWidget) -> Ink | None:
    """The text lines and their contrast; None when the widget shows no ink at all."""
    img = pixels(widget)
    packed = (img[..., 0].astype(np.uint32) << 16) | (img[..., 1].astype(np.uint32) << 8) | img[..., 2]
    values, counts = np.unique(packed, return_counts=True)
    bg = _rgb(int(values[counts.argmax()]))
    dist = np.abs(img.astype(int) - bg.astype(int)).sum(axis=2)
    if dist.max() < 60:
        return None
    core = packed[dist >= dist.max() / 2]
    values, counts = np.unique(core, return_counts=True)
    fg = _rgb(int(values[counts.argmax()]))
    rows = (dist >= 60).any(axis=1)
    bands, start = [], None
    for y, on in enumerate([*rows, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            bands.append(y - start)
            start = None
    return Ink(tuple(b for b in bands if b > 2), contrast_ratio(fg, bg))


def _text_widgets(window: QWidget) -> list[QWidget]:
    out: list[QWidget] = []
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 0 or w.height() <= 0:
            continue
        if isinstance(w, QAbstractButton) or (isinstance(w, QLabel) and w.text().strip()):
            out.append(w)
    return out


def violations(window: QWidget, *, min_glyph_px: int, min_target_px: int, min_contrast: float,
               skip: tuple[QWidget, ...] = ()) -> list[str]:
    """Every visible label/button that is too small, too low in contrast, or (buttons) too small a target."""
    found = []
    for w in _text_widgets(window):
        if any(s is w or s.isAncestorOf(w) for s in skip):
            continue
        name = f"{type(w).__name__} {(w.text() if hasattr(w, 'text') else '')!r}"[:60]
        if isinstance(w, QAbstractButton) and (w.width() < min_target_px or w.height() < min_target_px):
            found.append(f"{name}: target {w.width()}×{w.height()} px < {min_target_px}")
        measured = ink(w)
        if measured is None:
            continue
        if measured.glyph_heights and max(measured.glyph_heights) < min_glyph_px:
            found.append(f"{name}: glyphs {max(measured.glyph_heights)} px < {min_glyph_px}")
        if measured.contrast < min_contrast:
            found.append(f"{name}: contrast {measured.contrast:.1f}:1 < {min_contrast}:1")
    return found
