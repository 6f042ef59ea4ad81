"""Receipt printer profiles as data: paper width, columns, and what the printer model can do.

Config picks one by name (`[devices.printer] options = { profile = "80mm" }`); any field can be
overridden from the same options table (e.g. `native_qr = false` for a printer without GS ( k).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    paper_mm: int
    dots: int  # printable width in dots at 203 dpi
    columns: int  # half-width characters per line in font A (12 x 24 dots)
    escpos_profile: str  # python-escpos capability profile with the same pixel width
    chinese_mode: bool = True  # send FS & after ESC @ (printers that power up in ASCII mode need it)
    native_qr: bool = True  # GS ( k; False = print the QR as a GS v 0 raster image
    qr_module_dots: int = 6
    cutter: bool = True
    feed_lines_before_cut: int = 4


PROFILES: dict[str, PrinterProfile] = {
    "58mm": PrinterProfile(name="58mm", paper_mm=58, dots=384, columns=32, escpos_profile="POS-5890",
                           native_qr=False, qr_module_dots=5),
    "80mm": PrinterProfile(name="80mm", paper_mm=80, dots=576, columns=48,
                           escpos_profile="NT-80-V-UL"),
}

_OVERRIDABLE = {f.name for f in fields(PrinterProfile)} - {"name", "escpos_profile"}


def get_profile(name: str = "80mm", **overrides: Any) -> PrinterProfile:
    """The named profile with overrides applied; raises ValueError naming what was expected."""
    if name not in PROFILES:
        raise ValueError(f"unknown printer profile {name!r}; expected one of {', '.join(PROFILES)}")
    unknown = set(overrides) - _OVERRIDABLE
    if unknown:
        raise ValueError(f"unknown printer profile option(s) {', '.join(sorted(unknown))}; "
                         f"expected any of {', '.join(sorted(_OVERRIDABLE))}")
    base = PROFILES[name]
    for key, value in overrides.items():
        expected = type(getattr(base, key))
        if type(value) is not expected:
            raise ValueError(f"printer profile option {key} must be {expected.__name__}, got {value!r}")
    return replace(base, **overrides)
