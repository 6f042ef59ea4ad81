"""The kiosk's own SQLite files (the outbox, the catalogue cache): tell a corrupt file from a busy one,
move a corrupt one aside — never delete it — so a fresh one can start while the old one stays for the
technician (and for salvage), and record what happened as a `StorageEvent`.

A power cut or a failing SD card leaves a file truncated, zeroed, or with a flipped byte. SQLite then
says SQLITE_CORRUPT ("database disk image is malformed") or SQLITE_NOTADB ("file is not a database"),
sometimes only for the damaged page; `check()` runs `PRAGMA integrity_check` at open so damage is
found then, not in the middle of a resident's visit.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

COMPANIONS = ("", "-wal", "-shm", "-journal")  # SQLite's files for one database
ASIDE_MARK = ".corrupt-"
# what happened to a store: moved aside (corrupt), missing or emptied (it existed before), replaced (not
# the file that was there), salvaged (entries copied out of a moved-aside file), quarantined (one entry
# that does not open), unavailable (the file cannot be used at all; the store runs without it)
EVENT_KINDS = ("moved_aside", "missing", "emptied", "replaced", "salvaged", "quarantined", "unavailable")


@dataclass(frozen=True)
class StorageEvent:
    """One thing that happened to a store, for the log, `kiosk-diag` and the technician view.
    `detail` is precise English and never holds personal data."""

    store: str  # "outbox" | "catalogue"
    kind: str  # one of EVENT_KINDS
    at: float
    detail: str
    moved_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StorageEvent:
        return cls(str(data["store"]), str(data["kind"]), float(data["at"]), str(data["detail"]),
                   None if data.get("moved_to") is None else str(data["moved_to"]))

    def line(self) -> str:
        when = datetime.fromtimestamp(self.at).isoformat(sep=" ", timespec="seconds")
        return f"{when} {self.store} {self.kind}: {self.detail}" + (f" (kept as {self.moved_to})"
                                                                     if self.moved_to else "")


def event(store: str, kind: str, detail: str, moved_to: Path | None = None) -> StorageEvent:
    assert kind in EVENT_KINDS, kind
    ev = StorageEvent(store, kind, time.time(), detail, None if moved_to is None else str(moved_to))
    log.error("%s storage: %s", store, ev.line())
    return ev


def is_corruption(exc: BaseException) -> bool:
    """The file is damaged (as opposed to busy, read-only, full or missing)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text \
        or "not a database" in text or "Could not decode to UTF-8" in text  # a flipped byte in a text value


def is_busy(exc: BaseException) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(exc)


def check(db: sqlite3.Connection) -> str | None:
    """None when `PRAGMA integrity_check` finds the file sound, else its first complaints. Raises
    sqlite3.DatabaseError when the file cannot even be read that far. (integrity_check, not
    quick_check: it also compares the indexes with their tables, and these files are small — a few
    milliseconds for the whole catalogue.)"""
    rows = db.execute("PRAGMA integrity_check(3)").fetchall()
    if rows and rows[0][0] == "ok":
        return None
    return "; ".join(str(r[0]) for r in rows) or "integrity_check gave no answer"


def probe_write(db: sqlite3.Connection, path: Path) -> None:
    """Write one row to the `meta` table and roll it back (the file stays as found). A file the
    system lets us write but SQLite will not (a flipped bit in the header's version bytes makes it
    read-only) is damage: raised as such. Needs a connection in autocommit mode."""
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('opened_at', ?)", (repr(time.time()),))
        finally:
            db.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
            raise sqlite3.DatabaseError(f"{exc}, although the file is writable: the header is damaged "
                                        "(database disk image is malformed)") from exc
        raise


def move_aside(path: Path) -> Path:
    """Rename the database and its companion files to `<name>.corrupt-YYYYmmddTHHMMSS[-N]` in the
    same folder (a rename: nothing is copied or deleted). Returns the new path of the main file."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    n = 0
    while True:
        aside = path.with_name(f"{path.name}{ASIDE_MARK}{stamp}" + (f"-{n}" if n else ""))
        if not any(Path(f"{aside}{c}").exists() for c in COMPANIONS):
            break
        n += 1
    for companion in COMPANIONS:
        source = Path(f"{path}{companion}")
        if source.exists():
            os.replace(source, f"{aside}{companion}")
    _sync_dir(path.parent)
    return aside


def moved_aside(path: Path) -> list[Path]:
    """The files moved aside from `path` so far, oldest first."""
    return sorted(p for p in path.parent.glob(f"{path.name}{ASIDE_MARK}*")
                  if not p.name.endswith(COMPANIONS[1:]))


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
