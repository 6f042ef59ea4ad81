"""Measure what a resident sees, on grabbed pixels and widget geometry (长者模式 rules, docs/ui-rules.md):

- glyph height: the label or button is grabbed; rows holding "ink" (pixels far from the background
  colour) form one band per text line; a band's height is the rendered glyph height of that line;
- contrast: the WCAG ratio between the background (the most common colour) and the ink (the most common
  colour among pixels at least half as far from the background as the farthest one);
- target size: a button's width and height on screen;
- line spacing: the distance between the tops of two consecutive text lines, over the font's pixel
  size (a single-line widget has none to measure).

`violations(window, …)` lists every visible text widget or button that breaks a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontInfo, QImage
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QWidget


def _luminance(rgb: np.ndarray) -> float:
    c = rgb.astype(float) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2])


def contrast_ratio(a: np.ndarray, b: np.ndarray) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def pixels(widget: QWidget) -> np.ndarray:
    """The widget as it is drawn now, over whatever its parents paint behind it (a transparent label
    on a tile is seen on the tile's colour): its rectangle of the top-level window, H×W×3 RGB."""
    top = widget.window()
    source = top if top is not widget else widget
    rect = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size()) if top is not widget else widget.rect()
    image = source.grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB888)
    if image.isNull():
        return np.zeros((0, 0, 3), dtype=np.uint8)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


def _rgb(value: int) -> np.ndarray:
    return np.array([(value >> 16) & 255, (value >> 8) & 255, value & 255])


@dataclass(frozen=True)
class Ink:
    glyph_heights: tuple[int, ...]  # one per text line, in pixels
    contrast: float
    line_tops: tuple[int, ...] = ()  # where each text line starts, in pixels from the top


def ink(widget: QWidget) -> Ink | None:
    """The text lines and their contrast; None when the widget shows no ink at all."""
    img = pixels(widget)
    if img.size == 0:
        return None
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
            bands.append((start, y - start))
            start = None
    lines = [(top, h) for top, h in bands if h > 2]
    return Ink(tuple(h for _, h in lines), contrast_ratio(fg, bg), tuple(top for top, _ in lines))


def line_spacing(widget: QWidget, measured: Ink) -> float | None:
    """The smallest line pitch over the font's pixel size; None for a single line. Lines whose
    bands are far shorter than the tallest (a stray mark, punctuation alone) do not count."""
    tall = max(measured.glyph_heights, default=0)
    tops = [t for t, h in zip(measured.line_tops, measured.glyph_heights, strict=True) if h >= tall * 0.6]
    if len(tops) < 2:
        return None
    pitch = min(b - a for a, b in zip(tops, tops[1:], strict=False))
    return pitch / QFontInfo(widget.font()).pixelSize()


def _text_widgets(window: QWidget) -> list[QWidget]:
    out: list[QWidget] = []
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 0 or w.height() <= 0:
            continue
        if isinstance(w, QAbstractButton) or (isinstance(w, QLabel) and w.text().strip()):
            out.append(w)
    return out


def _in_scroll_area(w: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def violations(window: QWidget, *, min_glyph_px: int, min_target_px: int, min_contrast: float,
               min_line_spacing: float = 0.0, skip: tuple[QWidget, ...] = ()) -> list[str]:
    """Every visible label/button that is too small, too low in contrast, or (buttons) too small a target."""
    found = []
    for w in _text_widgets(window):
        if any(s is w or s.isAncestorOf(w) for s in skip):
            continue
        name = f"{type(w).__name__} {(w.text() if hasattr(w, 'text') else '')!r}"[:60]
        if isinstance(w, QAbstractButton) and (w.width() < min_target_px or w.height() < min_target_px):
            found.append(f"{name}: target {w.width()}×{w.height()} px < {min_target_px}")
        if isinstance(w, QLabel) and w.wordWrap() and w.heightForWidth(w.width()) > w.height() + 2:
            # its own box is shorter than its wrapped lines: the last line is cut (the layout gave
            # it less than it asked for), though nothing covers it
            found.append(f"{name}: text cut, {w.height()} of {w.heightForWidth(w.width())} px tall")
            continue
        if w.visibleRegion().boundingRect() != w.rect():
            if not _in_scroll_area(w):  # cut off by its own box: the text does not fit
                found.append(f"{name}: clipped, {w.visibleRegion().boundingRect().height()} of {w.height()} px shown")
            continue  # partly scrolled out of its page: its pixels are not all its own
        measured = ink(w)
        if measured is None:
            continue
        if measured.glyph_heights and max(measured.glyph_heights) < min_glyph_px:
            found.append(f"{name}: glyphs {max(measured.glyph_heights)} px < {min_glyph_px}")
        if measured.contrast < min_contrast:
            found.append(f"{name}: contrast {measured.contrast:.1f}:1 < {min_contrast}:1")
        spacing = line_spacing(w, measured) if min_line_spacing else None
        if spacing is not None and spacing < min_line_spacing:
            found.append(f"{name}: line spacing {spacing:.2f} < {min_line_spacing}")
    return found
