"""Decoding of ESC/POS real-time status (`DLE EOT n`, 10 04 n). Pure functions, no I/O.

Each query is answered with one byte whose fixed bits are 0x12 set and 0x81 clear (docs/device-protocols.md §4):
- n=1 printer status: bit 3 (0x08) offline.
- n=2 offline cause: bit 2 (0x04) cover open, bit 5 (0x20) stopped by paper end, bit 6 (0x40) error.
- n=4 roll paper sensor: bits 2-3 (0x0C) paper near end, bits 5-6 (0x60) paper end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DLE_EOT = b"\x10\x04"
QUERY_PRINTER = DLE_EOT + b"\x01"
QUERY_OFFLINE_CAUSE = DLE_EOT + b"\x02"
QUERY_PAPER = DLE_EOT + b"\x04"
QUERIES = (QUERY_PRINTER, QUERY_OFFLINE_CAUSE, QUERY_PAPER)

_FIXED_MASK = 0x93  # bits 0, 1, 4, 7
_FIXED_VALUE = 0x12  # bits 1 and 4 set, bits 0 and 7 clear

OFFLINE = 0x08
COVER_OPEN = 0x04
PAPER_END_STOP = 0x20
ERROR = 0x40
PAPER_NEAR_END = 0x0C
PAPER_END = 0x60

Paper = Literal["ok", "near_end", "out"]


class StatusByteError(ValueError):
    """A reply that is not a DLE EOT status byte (wrong fixed bits): noise or a stale reply."""


def is_status_reply(byte: int) -> bool:
    """True for a byte that can be a DLE EOT reply. Automatic status back blocks (GS a: first byte
    0xx1xx00, then 0xx0xxxx) never are, so a driver skips them."""
    return byte & _FIXED_MASK == _FIXED_VALUE


def _check(byte: int, what: str) -> int:
    if not 0 <= byte <= 0xFF or byte & _FIXED_MASK != _FIXED_VALUE:
        raise StatusByteError(f"not a DLE EOT {what} status byte: 0x{byte:02x}")
    return byte


def decode_online(byte: int) -> bool:
    return not _check(byte, "printer") & OFFLINE


def decode_offline_cause(byte: int) -> tuple[bool, bool, bool]:
    """Returns (cover_open, stopped_by_paper_end, error)."""
    b = _check(byte, "offline-cause")
    return bool(b & COVER_OPEN), bool(b & PAPER_END_STOP), bool(b & ERROR)


def decode_paper(byte: int) -> Paper:
    b = _check(byte, "paper-sensor")
    # Either bit of a pair is enough: printers differ in which of the two they set.
    if b & PAPER_END:
        return "out"
    if b & PAPER_NEAR_END:
        return "near_end"
    return "ok"


@dataclass(frozen=True)
class PrinterStatus:
    online: bool
    cover_open: bool
    paper: Paper
    error: bool = False

    @property
    def ready(self) -> bool:
        """True when a job can be printed (near end still prints)."""
        return self.online and not self.cover_open and self.paper != "out" and not self.error

    def to_dict(self) -> dict[str, object]:
        """The `kiosk-diag printer status --json` shape."""
        return {"online": self.online, "cover_open": self.cover_open, "paper": self.paper}


def decode_status(printer: int, offline_cause: int, paper: int) -> PrinterStatus:
    """Combine the replies to DLE EOT 1, 2 and 4 into one status."""
    cover_open, paper_end_stop, error = decode_offline_cause(offline_cause)
    paper_state = decode_paper(paper)
    if paper_end_stop:
        paper_state = "out"
    return PrinterStatus(online=decode_online(printer), cover_open=cover_open, paper=paper_state,
                         error=error)
