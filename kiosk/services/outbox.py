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
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.logging_setup import PersonalDataFilter
from kiosk.services.backend_client import BackendClient
from kiosk.services.backend_types import Ack, BackendError

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
"""

Checkpoint = Callable[[str, "Entry"], None]
AckListener = Callable[["Entry", Ack], None]


class OutboxError(Exception):
    pass


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
                              "bad_answer", "tls", "tls_config", "config"})


def is_permanent(exc: BackendError) -> bool:
    """The platform refused this request for what it is (e.g. form_invalid, session_required):
    sending it again cannot succeed."""
    return not (exc.retryable or exc.offline) and exc.code not in KIOSK_SIDE_CODES


def derive_key(kiosk_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(kiosk_key)


def open_db(path: Path | str) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA secure_delete=ON")
    db.executescript(SCHEMA)
    return db


def purge_refused(db: sqlite3.Connection) -> int:
    """Delete the entries the platform refused (kept sealed for the technician, never retried).
    secure_delete overwrites their pages. Returns how many were deleted."""
    db.execute("PRAGMA secure_delete=ON")
    cur = db.execute("DELETE FROM entries WHERE state = 'failed'")
    db.commit()
    return cur.rowcount


def read_stats(db: sqlite3.Connection, now: float | None = None) -> dict[str, Any]:
    """Depth, oldest age, failures and the last error; no payloads (they are sealed anyway)."""
    now = time.time() if now is None else now
    by_state = dict(db.execute("SELECT state, COUNT(*) FROM entries GROUP BY state").fetchall())
    by_kind = dict(db.execute("SELECT kind, COUNT(*) FROM entries WHERE state = 'pending' GROUP BY kind"))
    oldest = db.execute("SELECT MIN(created_at) FROM entries WHERE state = 'pending'").fetchone()[0]
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    return {
        "depth": by_state.get("pending", 0),
        "failed": by_state.get("failed", 0),
        "acked_not_removed": by_state.get("acked", 0),
        "by_kind": by_kind,
        "oldest_age_s": None if oldest is None else round(max(0.0, now - oldest), 1),
        "last_error": meta.get("last_error"),
        "last_error_at": float(meta["last_error_at"]) if "last_error_at" in meta else None,
        "last_success_at": float(meta["last_success_at"]) if "last_success_at" in meta else None,
        "delivered_total": int(meta.get("delivered_total", 0)),
    }


def stats_at(path: Path | str) -> dict[str, Any]:
    """read_stats of the outbox file at `path`, read-only (safe beside a running kiosk), with "db"
    and "exists"; an empty report when it was never created. Raises sqlite3.Error if unreadable."""
    path = Path(path)
    if not path.exists():
        return {"depth": 0, "failed": 0, "acked_not_removed": 0, "by_kind": {}, "oldest_age_s": None,
                "last_error": None, "last_error_at": None, "last_success_at": None, "delivered_total": 0,
                "db": str(path), "exists": False}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return {**read_stats(db), "db": str(path), "exists": True}
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
        self._listening = False

    # ---- lifecycle ----------------------------------------------------------------------------
    def open(self) -> Outbox:
        with self._lock:
            if self._db is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = open_db(self.path)
                os.chmod(self.path, 0o600)
        return self

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
        if not self._listening:  # the platform is back (any request answered): send what waits now
            self.client.connectivity.add_listener(lambda state: state.online and self.retry_now())
            self._listening = True
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
            raise OutboxError("outbox is not open")
        return self._db

    # ---- sealing ------------------------------------------------------------------------------
    def _seal(self, data: Any, key: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return nonce + self._aead.encrypt(nonce, plain, key.encode())

    def _unseal(self, sealed: bytes, key: str) -> Any:
        try:
            plain = self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], key.encode())
        except InvalidTag as exc:
            raise OutboxError(f"entry {key}: sealed payload does not open with this kiosk key") from exc
        return json.loads(plain)

    # ---- writing ------------------------------------------------------------------------------
    def enqueue(self, kind: str, path: str, body: Any, headers: dict[str, str] | None = None, *,
                key: str | None = None) -> Entry:
        """Store one write durably (committed when this returns) and wake the sender. `key`: the
        caller's Idempotency-Key, when a retry of the same request must reuse it (a submission the
        resident retries after a lost answer)."""
        if kind not in KINDS:
            raise OutboxError(f"unknown outbox kind {kind!r}; expected one of {', '.join(KINDS)}")
        if not path.startswith("/"):
            raise OutboxError(f"path must start with '/', got {path!r}")
        key = key or uuid.uuid4().hex
        headers = dict(headers or {})
        sealed = self._seal({"body": body, "headers": headers}, key)
        now = time.time()
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            try:
                cur = db.execute("INSERT INTO entries (kind, path, idempotency_key, created_at, sealed, "
                                 "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)", (kind, path, key, now, sealed, now))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        entry = Entry(int(cur.lastrowid or 0), kind, path, key, now, body, headers)
        log.info("outbox: %s entry %d written (%s)", kind, entry.id, path)
        self._checkpoint("after_write", entry)
        self._wake.set()
        return entry

    def send_or_queue(self, kind: str, path: str, body: Any, headers: dict[str, str] | None = None, *,
                      wait_s: float = 15.0, key: str | None = None) -> Delivery:
        """Write the entry, then try to deliver it now, for up to wait_s (the resident is at the
        screen). Returns the ack, the refusal, or — the platform is unreachable or failing — the
        entry still queued, which the sender delivers later."""
        entry = self.enqueue(kind, path, body, headers, key=key)
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

    def retry_now(self) -> None:
        """Make every pending entry due and wake the sender (the platform answers again)."""
        with self._lock:
            if self._db is None:
                return
            self._db.execute("UPDATE entries SET next_attempt_at = ? WHERE state = 'pending'", (time.time(),))
        self._paused_until = 0.0
        self._wake.set()

    def withdraw(self, entry_id: int) -> bool:
        """Take back an entry that is not delivered (pending, or refused for good): an online-only
        submission the resident was told did not go through, so it must not go later either.
        False when it was delivered meanwhile (then its answer reached the ack listeners)."""
        with self._deliver_lock, self._lock:
            cur = self._conn().execute("DELETE FROM entries WHERE id = ? AND state IN ('pending', 'failed')",
                                       (entry_id,))
        with self._changed:
            self._settled.pop(entry_id, None)
            self._changed.notify_all()
        return cur.rowcount == 1

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
        return [self._entry(row) for row in rows]

    def _entry(self, row: tuple[Any, ...]) -> Entry:
        data = self._unseal(row[5], row[3])
        return Entry(row[0], row[1], row[2], row[3], row[4], data["body"], data.get("headers", {}), row[6])

    # ---- sending ------------------------------------------------------------------------------
    def _run(self) -> None:
        self._finish_acked()
        while not self._stop.is_set():
            wait = self._pump()
            self._wake.wait(wait)
            self._wake.clear()

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
            entry = self._entry(row)
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
            entry = self._entry(row[:7])
            answer = self._unseal(row[7], entry.idempotency_key)
            self._notify(entry, Ack(answer["status"], answer["body"], True))
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
