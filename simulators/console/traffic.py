"""Wire traffic as the console shows it: only what is new since the last poll, as hex and text. No Qt.

Simulators keep a bounded spy log (`GET /<device>/traffic`, simulators/control.py WireLog) with a
timestamp `t` per entry. A `TrafficTail` asks with `?since=<last t seen>` and drops the entries at
that instant it already has, so a poll re-reads a few entries, never the whole log, and never
empties it for anyone else (no `?clear=1`). The fault proxy's request log (`GET /backend/requests`)
is filtered the same way on this side.
"""

from __future__ import annotations

import time
from typing import Any

MAX_HEX_BYTES = 96  # a 1024-byte photo blob would fill the view; the length is always shown
DIRECTIONS = {"in": "终端→设备", "out": "设备→终端"}


class TrafficTail:
    def __init__(self) -> None:
        self.since: float | None = None
        self._seen_at_since = 0  # entries stamped exactly `since` already returned

    def query(self) -> dict[str, str]:
        return {} if self.since is None else {"since": repr(self.since)}

    def take(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The entries not returned before, in order."""
        if self.since is not None:
            entries = [e for e in entries if e["t"] >= self.since]
        new, skip = [], self._seen_at_since
        for e in entries:
            if skip and e["t"] == self.since:
                skip -= 1
                continue
            new.append(e)
        if entries:
            last = entries[-1]["t"]
            self.since, self._seen_at_since = last, sum(e["t"] == last for e in entries)
        return new


def as_text(data: bytes) -> str:
    """The bytes as a person reads them: UTF-8 or GB18030 text when they are, else printable ASCII
    with '.' for the rest (like hexdump -C); line endings shown as ␍ ␊."""
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if all(c.isprintable() or c in "\r\n\t" for c in text):
            return text.replace("\r", "␍").replace("\n", "␊").replace("\t", "␉")
    return "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in data)


def format_entry(entry: dict[str, Any]) -> str:
    """One line of a device's traffic view: time, direction, length, hex, text, note."""
    stamp = time.strftime("%H:%M:%S", time.localtime(entry["t"])) + f".{int(entry['t'] * 1000) % 1000:03d}"
    if "method" in entry:  # the fault proxy's request log
        return (f"{stamp}  终端→平台  {entry['method']} {entry['path']} → {entry.get('status', '—')}"
                f"  （模式 {entry.get('mode', '?')}）")
    data = bytes.fromhex(entry.get("hex", ""))
    shown = data[:MAX_HEX_BYTES]
    more = f" …(+{len(data) - len(shown)} B)" if len(data) > len(shown) else ""
    parts = [stamp, DIRECTIONS.get(entry.get("dir", ""), entry.get("dir", "")), f"{len(data):>4} B"]
    if data:
        parts += [shown.hex(" ").upper() + more, f"│{as_text(shown)}│"]
    if entry.get("note"):
        parts.append(f"〔{entry['note']}〕")
    return "  ".join(parts)
