"""The outbox: every write the platform must receive exactly once — submissions, ratings, usage
events — is stored here before it is sent, and removed only after the platform
acknowledged it.

Durability. SQLite in WAL mode with synchronous=FULL: a committed entry survives SIGKILL and power
loss. Each entry carries its own Idempotency-Key (made when it is written, never changed), so a
send repeated after a crash or a lost answer is recognised by the platform and answered with the
first answer; nothing is filed twice. The life of an entry:

    enqueue ─ INSERT pending (committed) ──▶ send with Idempotency-Key ──▶ answer 2xx
        ──▶ UPDATE acked + sealed answer (committed) ──▶ ack listeners ──▶ DELETE

Killed before the ack is committed, the entry is sent again on restart (the platform replays);
killed after, it is not sent again: the stored answer goes to the ack listeners and the row is
deleted. The `checkpoint` hook is called at the three points in between (after_write,
after_send, after_ack); the crash tests stop the process there.

Privacy. The body and headers (session token, form values) are sealed with AES-GCM under a key
derived (HKDF-SHA256) from the kiosk key file, bound to the entry's Idempotency-Key; rows are
deleted once acknowledged and SQLite's secure_delete overwrites them. What stays readable — kind,
path, times, attempts, the last error code — is what `kiosk-diag outbox` reports.

Damage (kiosk/services/sqlite_files.py). The file is checked when it is opened. A damaged file
(truncated, overwritten, a flipped byte SQLite notices) is moved aside with a timestamp — never
deleted — every entry that can still be read from it is copied into a fresh outbox (same
Idempotency-Key, so the platform still files each once), and the event is logged, kept in the state
file and reported. The state file `<outbox>.state.json` remembers that an outbox existed (its id and
when it was made): an outbox that is then missing or zero bytes long is reported, not silently
recreated. One entry whose sealed payload does not open (a flipped byte in the row, another kiosk
key) is quarantined — moved to the `quarantine` table with the reason, kept sealed, never sent —
and delivery of the others goes on. `kiosk-diag outbox` and `health()` (the technician view) show
all of it. An outbox that cannot be opened at all (read-only or full disk) raises OutboxError with
the message code `system.outbox_unavailable`; the kiosk's devices and screens run regardless.

Retries. A sender thread delivers due entries oldest first. Failures the network or the server
caused are retried with exponential backoff and jitter; while the platform is unreachable the
whole queue waits. A request the platform refuses for what it is (4xx, e.g. a form error or an
expired session) is marked failed, kept sealed for the technician, and not retried.
"""

from __future__ import annotations

import json
import logging
import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.logging_setup import PersonalDataFilter
from kiosk.services import sqlite_files
from kiosk.services.backend_client import BackendClient
from kiosk.services.backend_types import Ack, BackendError
from kiosk.services.sqlite_files import StorageEvent

log = logging.getLogger(__name__)

KINDS = ("submission", "rating", "usage_event")  # kiosk telemetry goes over MQTT (docs/fleet.md)
CHECKPOINTS = ("after_write", "after_send", "after_ack")
HKDF_INFO = b"village-kiosk outbox v1"
NONCE_BYTES = 12
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at REAL NOT NULL,
    sealed BLOB NOT NULL,                 -- AES-GCM nonce || ciphertext of {"body", "headers"}
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_attempt_at REAL,
    last_status INTEGER,
    last_error TEXT,                      -- code and detail, personal data masked
    answer BLOB                           -- sealed answer, between the ack and the delete
);
CREATE INDEX IF NOT EXISTS entries_due ON entries (state, next_attempt_at, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS quarantine (  -- entries that do not open: kept sealed, never sent
    id INTEGER PRIMARY KEY,               -- the entry's id
    kind TEXT, path TEXT, idempotency_key TEXT, created_at REAL, sealed BLOB, state TEXT,
    attempts INTEGER, answer BLOB,
    reason TEXT NOT NULL,                 -- why, in English, no personal data
    quarantined_at REAL NOT NULL
);
"""
ENTRY_COLUMNS = ("id", "kind", "path", "idempotency_key", "created_at", "sealed", "state", "attempts",
                 "next_attempt_at", "last_attempt_at", "last_status", "last_error", "answer")
STATE_SUFFIX = ".state.json"
MAX_EVENTS = 50
UNAVAILABLE = "system.outbox_unavailable"  # message code: nothing can be stored for sending

Checkpoint = Callable[[str, "Entry"], None]
AckListener = Callable[["Entry", Ack], None]


class OutboxError(Exception):
    """`code` is a message code (kiosk.services.messages) for whoever shows the failure."""

    def __init__(self, detail: str, code: str = "system.busy") -> None:
        super().__init__(detail)
        self.detail, self.code = detail, code


@dataclass(frozen=True)
class QuarantinedEntry:
    """An entry that does not open (kept sealed, never sent): what the technician sees of it."""

    id: int
    kind: str
    path: str
    created_at: float
    reason: str
    quarantined_at: float


@dataclass(frozen=True)
class OutboxHealth:
    """The technician's view of the outbox: no payloads, no personal data."""

    path: str
    available: bool
    problem: str | None  # why it is not available
    stats: dict[str, Any]
    quarantined: list[QuarantinedEntry]
    events: list[StorageEvent]  # newest last
    moved_aside: list[str]  # damaged files kept beside it


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str
    path: str
    idempotency_key: str
    created_at: float
    body: Any
    headers: dict[str, str]
    attempts: int = 0


@dataclass(frozen=True)
class Delivery:
    """What `send_or_queue` tells the caller: acknowledged now, refused, or queued for later."""

    entry: Entry
    ack: Ack | None = None
    error: BackendError | None = None  # set when refused for good, or the last transient error

    @property
    def queued(self) -> bool:
        return self.ack is None and (self.error is None or not is_permanent(self.error))


# Refusals that are about the kiosk, not the request: keep the entry and retry once it is fixed.
KIOSK_SIDE_CODES = frozenset({"signature_invalid", "signature_missing", "timestamp_stale", "timestamp_invalid",
                              "nonce_invalid", "nonce_reused", "bad_answer", "tls", "tls_config", "config"})


def is_permanent(exc: BackendError) -> bool:
    """The platform refused this request for what it is (e.g. form_invalid, session_required):
    sending it again cannot succeed."""
    return not (exc.retryable or exc.offline) and exc.code not in KIOSK_SIDE_CODES


def derive_key(kiosk_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(kiosk_key)


def open_db(path: Path | str, *, check: bool = False) -> sqlite3.Connection:
    """Connect with the outbox's durability settings and schema. check: run integrity_check first and
    raise sqlite3.DatabaseError if the file is damaged (before anything is written to it)."""
    db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
    try:
        if check and (problem := sqlite_files.check(db)) is not None:
            raise sqlite3.DatabaseError(f"integrity_check: {problem} (database disk image is malformed)")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA secure_delete=ON")
        db.executescript(SCHEMA)
        if check:
            sqlite_files.probe_write(db, Path(path))
    except BaseException:
        db.close()
        raise
    return db


def state_path(path: Path) -> Path:
    return path.with_name(path.name + STATE_SUFFIX)


def read_state(path: Path) -> dict[str, Any] | None:
    """The outbox's state file: {"outbox_id", "created_at", "events"}; None if there is none.
    Raises ValueError when it exists but cannot be read as one."""
    file = state_path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError(f"{file}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("events", []), list):
        raise ValueError(f"{file}: not an outbox state")
    return data


def storage_events(path: Path) -> list[StorageEvent]:
    """What happened to the outbox at `path` (moved aside, missing, salvaged …), oldest first."""
    try:
        data = read_state(path) or {}
    except ValueError:
        return []
    out = []
    for item in data.get("events", []):
        try:
            out.append(StorageEvent.from_dict(item))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _write_state(path: Path, data: dict[str, Any]) -> None:
    """Atomically: a power cut leaves the old state or the new one, never half of one."""
    file = state_path(path)
    tmp = file.with_name(file.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, file)


def read_quarantine(db: sqlite3.Connection) -> list[QuarantinedEntry]:
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'quarantine'").fetchone() is None:
        return []
    rows = db.execute("SELECT id, kind, path, created_at, reason, quarantined_at FROM quarantine ORDER BY id")
    return [QuarantinedEntry(int(r[0]), str(r[1]), str(r[2]), _number(r[3]), str(r[4]), _number(r[5]))
            for r in rows]


def _number(value: Any) -> float:
    """A time column as a number; 0 when damage left something else in it."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def requeue_quarantined(db: sqlite3.Connection) -> int:
    """Put the quarantined entries back to be sent (after the technician restored the right kiosk
    key); any that still do not open come back to quarantine. Returns how many."""
    db.execute("BEGIN IMMEDIATE")
    try:
        cur = db.execute("INSERT OR IGNORE INTO entries (id, kind, path, idempotency_key, created_at, sealed, "
                         "state, attempts, next_attempt_at, answer) SELECT id, kind, path, idempotency_key, "
                         "created_at, sealed, CASE WHEN state = 'acked' THEN 'acked' ELSE 'pending' END, "
                         "attempts, ?, answer FROM quarantine", (time.time(),))
        db.execute("DELETE FROM quarantine")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return cur.rowcount


QUARANTINE_COLUMNS = ("id", "kind", "path", "idempotency_key", "created_at", "sealed", "state", "attempts",
                      "answer", "reason", "quarantined_at")


def _salvage_rows(aside: Path) -> dict[str, dict[int, tuple[Any, ...]]]:
    """Every entries/quarantine row still readable in a damaged file, read from a copy (the file
    itself stays as it was found). Each table is scanned from both ends, then every id missing in
    between is asked for on its own, so a bad page loses only the rows on it. Text is read as bytes
    and decoded leniently: a garbled column must not hide its row (the outbox quarantines it)."""
    import shutil
    import tempfile

    found: dict[str, dict[int, tuple[Any, ...]]] = {"entries": {}, "quarantine": {}}
    with tempfile.TemporaryDirectory(dir=aside.parent, prefix=".salvage-") as tmp:
        copy = Path(tmp) / "copy.sqlite3"
        for companion in ("", "-wal"):
            if Path(f"{aside}{companion}").exists():
                shutil.copyfile(f"{aside}{companion}", f"{copy}{companion}")
        try:
            db = sqlite3.connect(str(copy), timeout=5)
        except sqlite3.Error:
            return found
        db.text_factory = bytes
        try:
            for table, columns in (("entries", ENTRY_COLUMNS), ("quarantine", QUARANTINE_COLUMNS)):
                select = f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608 (fixed names)
                rows = found[table]
                blobs = {columns.index("sealed"), columns.index("answer")}
                for order in ("ASC", "DESC"):
                    _collect(rows, blobs, db, f"{select} ORDER BY id {order}", ())
                for entry_id in range(1, max(rows, default=0) + 1 + 64):  # and a little past the last seen
                    if entry_id not in rows:
                        _collect(rows, blobs, db, f"{select} WHERE id = ?", (entry_id,))
                    if entry_id not in rows:  # a damaged record: take the columns that still read
                        _collect_columns(rows, db, table, columns, entry_id)
        finally:
            db.close()
    return found


def _collect_columns(rows: dict[int, tuple[Any, ...]], db: sqlite3.Connection, table: str,
                     columns: tuple[str, ...], entry_id: int) -> None:
    """One row column by column (None where a column does not read), if it exists at all."""
    values: list[Any] = []
    for column in columns:
        got: dict[int, tuple[Any, ...]] = {}
        _collect(got, {1} if column in ("sealed", "answer") else set(), db,
                 f"SELECT id, {column} FROM {table} WHERE id = ?", (entry_id,))  # noqa: S608
        values.append(got[entry_id][1] if entry_id in got else None)
    if values[0] == entry_id and any(v is not None for v in values[1:]):
        rows[entry_id] = tuple(values)


def _collect(rows: dict[int, tuple[Any, ...]], blobs: set[int], db: sqlite3.Connection, sql: str,
             args: tuple[Any, ...]) -> None:
    """Add the rows `sql` yields until it fails; text columns decoded leniently, blobs kept."""
    try:
        cur = db.execute(sql, args)
        while True:
            row = cur.fetchone()
            if row is None:
                return
            if isinstance(row[0], int):
                rows.setdefault(row[0], tuple(v.decode("utf-8", "replace") if isinstance(v, bytes)
                                              and i not in blobs else v for i, v in enumerate(row)))
    except sqlite3.Error:
        return


def purge_refused(db: sqlite3.Connection) -> int:
    """Delete the entries the platform refused (kept sealed for the technician, never retried).
    secure_delete overwrites their pages. Returns how many were deleted."""
    db.execute("PRAGMA secure_delete=ON")
    cur = db.execute("DELETE FROM entries WHERE state = 'failed'")
    db.commit()
    return cur.rowcount


def read_stats(db: sqlite3.Connection, now: float | None = None) -> dict[str, Any]:
    """Depth, oldest age, failures, quarantined entries and the last error; no payloads (they are
    sealed anyway)."""
    now = time.time() if now is None else now
    by_state = dict(db.execute("SELECT state, COUNT(*) FROM entries GROUP BY state").fetchall())
    quarantined = len(read_quarantine(db))
    by_kind = dict(db.execute("SELECT kind, COUNT(*) FROM entries WHERE state = 'pending' GROUP BY kind"))
    oldest = db.execute("SELECT MIN(created_at) FROM entries WHERE state = 'pending' "
                        "AND typeof(created_at) IN ('real', 'integer')").fetchone()[0]
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    return {
        "depth": by_state.get("pending", 0),
        "failed": by_state.get("failed", 0),
        "quarantined": quarantined,
        "acked_not_removed": by_state.get("acked", 0),
        "by_kind": by_kind,
        "oldest_age_s": None if oldest is None else round(max(0.0, now - oldest), 1),
        "last_error": meta.get("last_error"),
        "last_error_at": float(meta["last_error_at"]) if "last_error_at" in meta else None,
        "last_success_at": float(meta["last_success_at"]) if "last_success_at" in meta else None,
        "delivered_total": int(meta.get("delivered_total", 0)),
    }


def stats_at(path: Path | str) -> dict[str, Any]:
    """read_stats of the outbox file at `path`, read-only (safe beside a running kiosk), with "db",
    "exists", the quarantined entries ("quarantine"), the storage events and the damaged files kept
    beside it; `missing` when the state file says an outbox was here and it is gone or zero bytes
    long. An empty report when it was never created. Raises sqlite3.Error if unreadable."""
    path = Path(path)
    try:
        known = bool((read_state(path) or {}).get("outbox_id"))
    except ValueError:
        known = False
    history = {"events": [e.to_dict() for e in storage_events(path)],
               "moved_aside": [str(p) for p in sqlite_files.moved_aside(path)]}
    if not path.exists() or path.stat().st_size == 0:
        return {"depth": 0, "failed": 0, "quarantined": 0, "acked_not_removed": 0, "by_kind": {},
                "oldest_age_s": None, "last_error": None, "last_error_at": None, "last_success_at": None,
                "delivered_total": 0, **history, "db": str(path), "exists": False, "missing": known,
                "quarantine": []}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return {**read_stats(db), **history, "db": str(path), "exists": True, "missing": False,
                "quarantine": [vars(q) for q in read_quarantine(db)]}
    finally:
        db.close()


class Outbox:
    def __init__(self, path: Path | str, kiosk_key: bytes, client: BackendClient | None = None, *,
                 backoff_base_s: float = 1.0, backoff_max_s: float = 300.0,
                 checkpoint: Checkpoint | None = None) -> None:
        self.path = Path(path)
        self.client = client
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.checkpoint = checkpoint
        self._aead = AESGCM(derive_key(kiosk_key))
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()  # the connection
        self._deliver_lock = threading.Lock()  # one delivery at a time (sender thread or send_or_queue)
        self._changed = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._paused_until = 0.0
        self._consecutive_failures = 0
        self._ack_listeners: list[AckListener] = []
        self._settled: dict[int, Ack | BackendError] = {}
        self.problem: str | None = None  # why the outbox cannot be used, while it cannot
        self._damage_found: str | None = None  # a query tripped over damage: move the file aside
        self._last_sender_error = ""

    # ---- lifecycle ----------------------------------------------------------------------------
    def open(self) -> Outbox:
        """Open (idempotent), checking the file and recovering from damage; raises OutboxError
        (code system.outbox_unavailable) only when no outbox can be used at all."""
        with self._lock:
            if self._db is None:
                self._db = self._open_checked()
                self.problem = None
        return self

    def _open_checked(self) -> sqlite3.Connection:
        path = self.path
        events: list[StorageEvent] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                state = read_state(path)
            except ValueError as exc:  # the state file itself is damaged: keep it, start a new one
                aside = sqlite_files.move_aside(state_path(path))
                events.append(sqlite_files.event("outbox", "moved_aside", f"state file unreadable ({exc})", aside))
                state = None
            known = state is not None and bool(state.get("outbox_id"))
            db, aside = self._open_or_move_aside(path, known, events)
            outbox_id = self._outbox_id(db)
            if known and not events and state is not None and outbox_id != state["outbox_id"]:
                events.append(sqlite_files.event(
                    "outbox", "replaced", f"{path} is outbox {outbox_id}, not {state['outbox_id']} (made "
                    f"{_when(state.get('created_at'))}) that was here: its unsent entries are not in this file"))
            if aside is not None and any(Path(f"{aside}{c}").exists() and Path(f"{aside}{c}").stat().st_size
                                         for c in ("", "-wal")):
                events.append(self._salvage(aside, db))
            self._db = db  # the quarantine below writes through it
            self._quarantine_damaged_rows()
            os.chmod(path, 0o600)
            old = [] if state is None else list(state.get("events", []))
            _write_state(path, {"outbox_id": outbox_id, "created_at": _created_at(db),
                                "events": (old + [e.to_dict() for e in events])[-MAX_EVENTS:]})
            return db
        except (sqlite3.Error, OSError) as exc:
            half, self._db = self._db, None
            if half is not None:
                half.close()
            raise self._unavailable(exc) from exc

    def _open_or_move_aside(self, path: Path, known: bool, events: list[StorageEvent]
                            ) -> tuple[sqlite3.Connection, Path | None]:
        """The outbox at `path`, checked; a damaged, emptied or orphaned one moved aside first."""
        aside = None
        if not path.exists():
            if known:
                events.append(sqlite_files.event(
                    "outbox", "missing", f"{path} is gone; the entries it held cannot be told or sent. "
                    "A new outbox is started"))
            if any(Path(f"{path}{c}").exists() for c in ("-wal", "-journal")):  # its log is still there
                aside = sqlite_files.move_aside(path)
        elif path.stat().st_size == 0:
            aside = sqlite_files.move_aside(path)
            events.append(sqlite_files.event(
                "outbox", "emptied", f"{path} was zero bytes long" + (" although an outbox existed; its "
                "entries are gone unless its log holds them" if known else "") + ". A new outbox is started",
                aside))
        else:
            try:
                if self._damage_found is not None:  # seen while running, whatever a check says now
                    raise sqlite3.DatabaseError(self._damage_found)
                return open_db(path, check=True), None
            except sqlite3.DatabaseError as exc:
                if not sqlite_files.is_corruption(exc):
                    raise
                aside = sqlite_files.move_aside(path)
                events.append(sqlite_files.event(
                    "outbox", "moved_aside", f"{path} is damaged ({exc}). A new outbox is started", aside))
            finally:
                self._damage_found = None
        return open_db(path), aside

    @staticmethod
    def _outbox_id(db: sqlite3.Connection) -> str:
        row = db.execute("SELECT value FROM meta WHERE key = 'outbox_id'").fetchone()
        if row is not None:
            return str(row[0])
        outbox_id = uuid.uuid4().hex
        db.execute("INSERT INTO meta VALUES ('outbox_id', ?)", (outbox_id,))
        db.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (repr(time.time()),))
        return outbox_id

    def _salvage(self, aside: Path, db: sqlite3.Connection) -> StorageEvent:
        """Copy every entry still readable in a moved-aside file into the new outbox."""
        found = _salvage_rows(aside)
        copied = quarantined = 0
        now = time.time()
        for row in found["quarantine"].values():
            try:
                copied += db.execute(f"INSERT OR IGNORE INTO quarantine VALUES ({', '.join('?' * len(row))})",  # noqa: S608
                                     row).rowcount
            except sqlite3.IntegrityError:
                log.warning("outbox: a quarantined row of %s is too damaged to copy; it stays there", aside.name)
        for row in found["entries"].values():
            try:
                copied += db.execute(f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS)}) "  # noqa: S608
                                     f"VALUES ({', '.join('?' * len(row))})", row).rowcount
            except sqlite3.IntegrityError as exc:  # a damaged column breaks a constraint: keep it anyway
                # (not INSERT OR IGNORE: that would drop a row whose state a flipped byte garbled)
                by_name = dict(zip(ENTRY_COLUMNS, row, strict=True))
                db.execute("INSERT OR IGNORE INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (*(by_name[c] for c in ("id", "kind", "path", "idempotency_key", "created_at", "sealed",
                                                   "state", "attempts", "answer")),
                            f"salvaged from {aside.name}, but the row breaks the outbox's rules ({exc})", now))
                quarantined += 1
        return sqlite_files.event(
            "outbox", "salvaged", f"{copied} entr{'y' if copied == 1 else 'ies'} copied from {aside.name} into "
            f"the new outbox" + (f", {quarantined} more quarantined (damaged rows)" if quarantined else ""), aside)

    def _quarantine_damaged_rows(self) -> None:
        """Rows whose plain columns a flipped byte made meaningless (a state or kind no code knows
        would never be sent, nor counted as refused) go to quarantine at once."""
        bad = self._conn().execute(
            f"SELECT id FROM entries WHERE state NOT IN ('pending', 'acked', 'failed') OR kind NOT IN "  # noqa: S608
            f"({', '.join('?' * len(KINDS))}) OR typeof(sealed) != 'blob' OR typeof(idempotency_key) != 'text'",
            KINDS).fetchall()
        for (entry_id,) in bad:
            self._quarantine(entry_id, "the row's state, kind or key is not one the outbox writes (damaged row)")
        # A garbled retry time (text, or years ahead) would hold an entry back for ever: due now.
        now = time.time()
        fixed = self._conn().execute(
            "UPDATE entries SET next_attempt_at = ?, attempts = CASE WHEN typeof(attempts) = 'integer' "
            "THEN attempts ELSE 0 END WHERE state = 'pending' AND (typeof(next_attempt_at) NOT IN "
            "('real', 'integer') OR next_attempt_at > ? OR typeof(attempts) != 'integer')",
            (now, now + self.backoff_max_s * 1.2 + 1)).rowcount
        if fixed:
            log.warning("outbox: %d entr%s with a damaged retry time made due now", fixed, "y" if fixed == 1 else "ies")

    def _unavailable(self, exc: BaseException) -> OutboxError:
        self.problem = f"{self.path}: {type(exc).__name__}: {exc}"
        sqlite_files.event("outbox", "unavailable", f"{self.problem}; nothing can be queued for sending")
        return OutboxError(f"outbox unavailable: {self.problem}", UNAVAILABLE)

    def _recover_damage(self, exc: BaseException) -> None:
        """Damage found while running: close, and open again (which moves the file aside and
        salvages it)."""
        log.error("outbox: damage found while running (%s); reopening", exc)
        with self._lock:
            self._damage_found = f"found while running: {exc}"
            db, self._db = self._db, None
            if db is not None:
                try:
                    db.close()
                except sqlite3.Error:
                    pass
            self.open()

    def health(self) -> OutboxHealth:
        """For the technician view (and tests): stats, quarantined entries, storage events."""
        with self._lock:
            stats: dict[str, Any] = {}
            quarantined: list[QuarantinedEntry] = []
            problem = self.problem
            if self._db is not None:
                try:
                    stats, quarantined = read_stats(self._db), read_quarantine(self._db)
                except sqlite3.Error as exc:
                    problem = f"{self.path}: {exc}"
        return OutboxHealth(str(self.path), problem is None and self._db is not None, problem, stats, quarantined,
                            storage_events(self.path), [str(p) for p in sqlite_files.moved_aside(self.path)])

    def close(self) -> None:
        self.stop()
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def __enter__(self) -> Outbox:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the sender thread (needs a client); finishes entries acked before a crash first."""
        if self.client is None:
            raise OutboxError("the outbox needs a BackendClient to send")
        self.open()
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None

    def add_ack_listener(self, listener: AckListener) -> None:
        """Called on the sending thread with each acknowledged entry (again after a crash if the
        process died between the ack and the delete: listeners must be idempotent)."""
        self._ack_listeners.append(listener)

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise OutboxError("outbox is not open" + (f": {self.problem}" if self.problem else ""),
                              UNAVAILABLE if self.problem else "system.busy")
        return self._db

    # ---- sealing ------------------------------------------------------------------------------
    def _seal(self, data: Any, key: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return nonce + self._aead.encrypt(nonce, plain, key.encode())

    def _unseal(self, sealed: bytes, key: str) -> Any:
        try:
            plain = self._aead.decrypt(bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:]), str(key).encode())
            return json.loads(plain)
        except InvalidTag as exc:
            raise OutboxError("sealed payload does not open with this kiosk key (damaged, or sealed "
                              "under another key)") from exc
        except (TypeError, ValueError) as exc:  # not bytes, too short, not JSON
            raise OutboxError(f"sealed payload is malformed ({type(exc).__name__})") from exc

    # ---- writing ------------------------------------------------------------------------------
    def enqueue(self, kind: str, path: str, body: Any, headers: dict[str, str] | None = None) -> Entry:
        """Store one write durably (committed when this returns) and wake the sender."""
        if kind not in KINDS:
            raise OutboxError(f"unknown outbox kind {kind!r}; expected one of {', '.join(KINDS)}")
        if not path.startswith("/"):
            raise OutboxError(f"path must start with '/', got {path!r}")
        key = uuid.uuid4().hex
        headers = dict(headers or {})
        sealed = self._seal({"kind": kind, "path": path, "body": body, "headers": headers}, key)
        now = time.time()

        def insert() -> int:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            try:
                cur = db.execute("INSERT INTO entries (kind, path, idempotency_key, created_at, sealed, "
                                 "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)", (kind, path, key, now, sealed, now))
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return int(cur.lastrowid or 0)

        with self._lock:
            try:
                entry_id = insert()
            except sqlite3.Error as exc:  # damaged under us: move it aside, salvage, write again
                if not sqlite_files.is_corruption(exc):
                    raise OutboxError(f"outbox {self.path}: cannot store the {kind}: {exc}", UNAVAILABLE) from exc
                self._recover_damage(exc)
                try:
                    entry_id = insert()
                except sqlite3.Error as again:
                    raise OutboxError(f"outbox {self.path}: cannot store the {kind}: {again}", UNAVAILABLE) from again
        entry = Entry(entry_id, kind, path, key, now, body, headers)
        log.info("outbox: %s entry %d written (%s)", kind, entry.id, path)
        self._checkpoint("after_write", entry)
        self._wake.set()
        return entry

    def send_or_queue(self, kind: str, path: str, body: Any, headers: dict[str, str] | None = None, *,
                      wait_s: float = 15.0) -> Delivery:
        """Write the entry, then try to deliver it now, for up to wait_s (the resident is at the
        screen). Returns the ack, the refusal, or — the platform is unreachable or failing — the
        entry still queued, which the sender delivers later."""
        entry = self.enqueue(kind, path, body, headers)
        deadline = time.monotonic() + wait_s
        attempt = 0
        while True:
            attempt += 1
            outcome = self._deliver_by_id(entry.id)
            with self._changed:
                settled = self._settled.pop(entry.id, None)
            outcome = outcome or settled  # None: the sender thread delivered or refused it
            if outcome is None:
                return Delivery(entry)
            if isinstance(outcome, Ack):
                return Delivery(entry, ack=outcome)
            if is_permanent(outcome) or outcome.offline or time.monotonic() >= deadline:
                return Delivery(entry, error=outcome)
            self._stop.wait(min(max(0.0, deadline - time.monotonic()), self._backoff(attempt)))

    # ---- reading ------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        with self._lock:
            return read_stats(self._conn())

    def pending_count(self) -> int:
        with self._lock:
            return int(self._conn().execute("SELECT COUNT(*) FROM entries WHERE state != 'failed'").fetchone()[0])

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is left to send (failed entries do not count)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.pending_count() > 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(min(remaining, 0.5))
        return True

    def entries(self, state: str = "pending") -> list[Entry]:
        with self._lock:
            rows = self._conn().execute(
                "SELECT id, kind, path, idempotency_key, created_at, sealed, attempts FROM entries "
                "WHERE state = ? ORDER BY id", (state,)).fetchall()
        return [e for e in (self._entry_or_quarantine(row) for row in rows) if e is not None]

    def _entry(self, row: tuple[Any, ...]) -> Entry:
        """Raises OutboxError when the row does not open (the caller quarantines it)."""
        data = self._unseal(row[5], row[3])
        if not isinstance(data, dict) or "body" not in data or not isinstance(data.get("headers", {}), dict):
            raise OutboxError("sealed payload opens but is not an outbox entry")
        if (data.get("kind", row[1]), data.get("path", row[2])) != (row[1], row[2]):  # the row's plain columns
            raise OutboxError("the row's kind or path differs from what was sealed with it (damaged row)")
        return Entry(row[0], row[1], row[2], row[3], row[4], data["body"], data.get("headers", {}), row[6])

    def _entry_or_quarantine(self, row: tuple[Any, ...]) -> Entry | None:
        try:
            return self._entry(row)
        except OutboxError as exc:
            self._quarantine(row[0], exc.detail)
            return None

    def _quarantine(self, entry_id: int, reason: str) -> None:
        """Keep the row sealed in `quarantine` with the reason, and out of the way of the others."""
        now = time.time()
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("INSERT OR REPLACE INTO quarantine SELECT id, kind, path, idempotency_key, created_at, "
                           "sealed, state, attempts, answer, ?, ? FROM entries WHERE id = ?", (reason, now, entry_id))
                db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        log.error("outbox: entry %d quarantined (kept sealed, not sent): %s", entry_id, reason)
        with self._changed:
            self._changed.notify_all()

    def requeue_quarantined(self) -> int:
        """The technician restored the right key: send the quarantined entries after all."""
        with self._lock:
            n = requeue_quarantined(self._conn())
        self._wake.set()
        return n

    # ---- sending ------------------------------------------------------------------------------
    def _run(self) -> None:
        finished = False
        while not self._stop.is_set():
            try:
                if not finished:
                    self._finish_acked()
                    finished = True
                wait = self._pump()
            except Exception as exc:  # the sender must outlive anything one entry or the disk does
                wait = self._sender_failed(exc)
            self._wake.wait(wait)
            self._wake.clear()

    def _sender_failed(self, exc: Exception) -> float:
        text = f"{type(exc).__name__}: {exc}"
        if text != self._last_sender_error:  # once per distinct problem, not once per loop
            log.exception("outbox sender: %s", text)
            self._last_sender_error = text
        if sqlite_files.is_corruption(exc):
            try:
                self._recover_damage(exc)
                return 0.0
            except OutboxError:
                pass
        return min(self.backoff_max_s, 30.0)

    def _pump(self) -> float:
        """Deliver due entries; returns how long to sleep before looking again."""
        while not self._stop.is_set():
            now = time.time()
            if now < self._paused_until:
                return self._paused_until - now
            with self._lock:
                row = self._conn().execute(
                    "SELECT id, next_attempt_at FROM entries WHERE state = 'pending' "
                    "ORDER BY next_attempt_at, id LIMIT 1").fetchone()
            if row is None:
                return 60.0
            if row[1] > now:
                return row[1] - now
            outcome = self._deliver_by_id(row[0])
            if isinstance(outcome, BackendError) and outcome.offline:
                return max(0.0, self._paused_until - time.time())
        return 0.0

    def _deliver_by_id(self, entry_id: int) -> Ack | BackendError | None:
        """Send one pending entry. None if it is no longer pending (someone else delivered it)."""
        assert self.client is not None
        with self._deliver_lock:
            with self._lock:
                row = self._conn().execute(
                    "SELECT id, kind, path, idempotency_key, created_at, sealed, attempts FROM entries "
                    "WHERE id = ? AND state = 'pending'", (entry_id,)).fetchone()
            if row is None:
                return None
            entry = self._entry_or_quarantine(row)
            if entry is None:
                return None  # quarantined: the others go on
            try:
                ack = self.client.submit(entry.path, entry.body, idempotency_key=entry.idempotency_key,
                                         headers=entry.headers or None)
            except BackendError as exc:
                self._failed_attempt(entry, exc)
                return exc
            self._checkpoint("after_send", entry)
            self._acked(entry, ack)
            return ack

    def _acked(self, entry: Entry, ack: Ack) -> None:
        now = time.time()
        sealed = self._seal({"status": ack.status, "body": ack.body, "replayed": ack.replayed},
                            entry.idempotency_key)
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE entries SET state = 'acked', answer = ?, last_status = ?, last_attempt_at = ?, "
                       "attempts = attempts + 1 WHERE id = ?", (sealed, ack.status, now, entry.id))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('last_success_at', ?)", (repr(now),))
            db.execute("INSERT INTO meta VALUES ('delivered_total', '1') ON CONFLICT(key) DO UPDATE SET "
                       "value = CAST(value AS INTEGER) + 1")
            db.execute("COMMIT")
        self._consecutive_failures = 0
        self._paused_until = 0.0
        log.info("outbox: %s entry %d acknowledged (HTTP %d%s)", entry.kind, entry.id, ack.status,
                 ", replayed" if ack.replayed else "")
        self._notify(entry, ack)
        self._checkpoint("after_ack", entry)
        self._delete(entry.id)
        self._settle(entry.id, ack)

    def _finish_acked(self) -> None:
        """Entries acknowledged before a crash: hand their answer on again, then delete them."""
        with self._lock:
            rows = self._conn().execute(
                "SELECT id, kind, path, idempotency_key, created_at, sealed, attempts, answer FROM entries "
                "WHERE state = 'acked' ORDER BY id").fetchall()
        for row in rows:
            entry = self._entry_or_quarantine(row[:7])
            if entry is None:
                continue
            try:
                answer = self._unseal(row[7], entry.idempotency_key)
                ack = Ack(int(answer["status"]), answer["body"], True)
            except (OutboxError, KeyError, TypeError, ValueError) as exc:
                self._quarantine(entry.id, f"acknowledged by the platform, but its stored answer does not open "
                                           f"({type(exc).__name__})")
                continue
            self._notify(entry, ack)
            self._delete(entry.id)

    def _delete(self, entry_id: int) -> None:
        with self._lock:
            self._conn().execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        with self._changed:
            self._changed.notify_all()

    def _notify(self, entry: Entry, ack: Ack) -> None:
        for listener in list(self._ack_listeners):
            try:
                listener(entry, ack)
            except Exception:
                log.exception("outbox ack listener failed for entry %d", entry.id)

    def _settle(self, entry_id: int, outcome: Ack | BackendError) -> None:
        with self._changed:
            self._settled[entry_id] = outcome
            while len(self._settled) > 1000:  # nobody waited for these
                self._settled.pop(next(iter(self._settled)))
            self._changed.notify_all()

    def _failed_attempt(self, entry: Entry, exc: BackendError) -> None:
        now = time.time()
        error = PersonalDataFilter.mask(f"{exc.code}: {exc.detail}")[:500]
        permanent = is_permanent(exc)
        attempts = entry.attempts + 1
        delay = self._backoff(attempts)
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE entries SET state = ?, attempts = ?, next_attempt_at = ?, last_attempt_at = ?, "
                       "last_status = ?, last_error = ? WHERE id = ?",
                       ("failed" if permanent else "pending", attempts, now + delay, now, exc.status, error,
                        entry.id))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('last_error', ?)", (error,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('last_error_at', ?)", (repr(now),))
            db.execute("COMMIT")
        if permanent:
            log.error("outbox: %s entry %d refused by the platform, kept as failed: %s", entry.kind, entry.id,
                      error)
            self._settle(entry.id, exc)
            with self._changed:
                self._changed.notify_all()
        else:
            log.warning("outbox: %s entry %d not delivered (attempt %d), retry in %.1f s: %s", entry.kind,
                        entry.id, attempts, delay, error)
        if exc.offline:
            self._consecutive_failures += 1
            self._paused_until = now + self._backoff(self._consecutive_failures)

    def _backoff(self, attempts: int) -> float:
        base = min(self.backoff_max_s, self.backoff_base_s * 2 ** max(0, attempts - 1))
        return base * random.uniform(0.8, 1.2)

    def _checkpoint(self, point: str, entry: Entry) -> None:
        if self.checkpoint is not None:
            self.checkpoint(point, entry)


def _created_at(db: sqlite3.Connection) -> float:
    row = db.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchone()
    try:
        return float(row[0]) if row else time.time()
    except ValueError:
        return time.time()


def _when(epoch: Any) -> str:
    try:
        return datetime.fromtimestamp(float(epoch)).isoformat(sep=" ", timespec="seconds")
    except (TypeError, ValueError, OverflowError, OSError):
        return "at an unknown time"
