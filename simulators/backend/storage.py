"""SQLite storage of the reference backend: a small document store plus the idempotency table.

Documents are JSON objects kept per kind (DOCUMENT_KINDS) under a string key; uploaded materials
are blobs. One connection guarded by a lock: the backend serves one kiosk fleet on loopback, not a
data centre.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    kind TEXT NOT NULL, key TEXT NOT NULL, created_at REAL NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (kind, key));
CREATE TABLE IF NOT EXISTS idempotency (
    kiosk_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, state TEXT NOT NULL,
    status INTEGER, content_type TEXT, body BLOB, created_at REAL NOT NULL,
    PRIMARY KEY (kiosk_id, key));
CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, data BLOB NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nonces (
    kiosk_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (kiosk_id, nonce));
CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at);
"""
# Every kind the routes store (GET /state counts them, scenarios' expect_backend names them).
DOCUMENT_KINDS = ("application", "assistance", "booking", "certificate", "certification", "diagnostics",
                  "events", "order", "rating", "record_access", "session", "ticket",
                  "lookup_failure", "slot_fill")  # wrong progress-lookup guesses; control-API-filled slots
COUNT_KEYS = (*DOCUMENT_KINDS, "blobs", "idempotency_keys")


class Storage:
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # ---- documents ----------------------------------------------------------------------------

    def put(self, kind: str, key: str, data: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, COALESCE((SELECT created_at FROM "
                       "documents WHERE kind = ? AND key = ?), ?), ?)",
                       (kind, key, kind, key, time.time(), json.dumps(data, ensure_ascii=False)))

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM documents WHERE kind = ? AND key = ?",
                                   (kind, key)).fetchone()
        return None if row is None else json.loads(row[0])

    def find(self, kind: str, **match: Any) -> list[dict[str, Any]]:
        """Documents of a kind whose top-level fields equal ``match``, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT data FROM documents WHERE kind = ? ORDER BY created_at, key",
                                    (kind,)).fetchall()
        docs = [json.loads(r[0]) for r in rows]
        return [d for d in docs if all(d.get(k) == v for k, v in match.items())]

    def put_blob(self, key: str, data: bytes) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?, ?)", (key, data, time.time()))

    def get_blob(self, key: str) -> bytes | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM blobs WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def reset(self) -> None:
        """Forget everything: afterwards the database is as a fresh one."""
        with self.transaction() as db:
            for table in ("documents", "idempotency", "blobs", "sequences", "nonces"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT kind, COUNT(*) FROM documents GROUP BY kind").fetchall()
            idem = self._db.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0]
            blobs = self._db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0]
        return {**{k: n for k, n in rows}, "blobs": blobs, "idempotency_keys": idem}

    def next_sequence(self, name: str) -> int:
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO sequences VALUES (?, 0)", (name,))
            db.execute("UPDATE sequences SET value = value + 1 WHERE name = ?", (name,))
            return int(db.execute("SELECT value FROM sequences WHERE name = ?", (name,)).fetchone()[0])

    # ---- nonces (replay protection) ------------------------------------------------------------

    def claim_nonce(self, kiosk_id: str, nonce: str, expires_at: float, now: float) -> bool:
        """Record a signed request's nonce until `expires_at` (when its timestamp leaves the
        signature window). False if it was already seen: the request is a replay."""
        with self.transaction() as db:
            db.execute("DELETE FROM nonces WHERE expires_at < ?", (now,))
            cur = db.execute("INSERT OR IGNORE INTO nonces VALUES (?, ?, ?)", (kiosk_id, nonce, expires_at))
            return cur.rowcount == 1

    def release_nonce(self, kiosk_id: str, nonce: str) -> None:
        """Forget a nonce whose request failed on the server side (>= 500), so the client's retry of
        the very same bytes runs, as an idempotent retry after a server failure does."""
        with self.transaction() as db:
            db.execute("DELETE FROM nonces WHERE kiosk_id = ? AND nonce = ?", (kiosk_id, nonce))

    # ---- idempotency --------------------------------------------------------------------------

    def claim_idempotency(self, kiosk_id: str, key: str, fingerprint: str) -> dict[str, Any] | None:
        """Reserve (kiosk_id, key) for a request. Returns None if newly reserved, else the stored row
        as {fingerprint, state: pending|done, status, content_type, body}."""
        with self.transaction() as db:
            row = db.execute("SELECT fingerprint, state, status, content_type, body FROM idempotency "
                             "WHERE kiosk_id = ? AND key = ?", (kiosk_id, key)).fetchone()
            if row is None:
                db.execute("INSERT INTO idempotency VALUES (?, ?, ?, 'pending', NULL, NULL, NULL, ?)",
                           (kiosk_id, key, fingerprint, time.time()))
                return None
        return dict(zip(("fingerprint", "state", "status", "content_type", "body"), row, strict=True))

    def complete_idempotency(self, kiosk_id: str, key: str, status: int, content_type: str,
                             body: bytes) -> None:
        with self.transaction() as db:
            db.execute("UPDATE idempotency SET state = 'done', status = ?, content_type = ?, body = ? "
                       "WHERE kiosk_id = ? AND key = ?", (status, content_type, body, kiosk_id, key))

    def release_idempotency(self, kiosk_id: str, key: str) -> None:
        """Forget a reservation whose request failed on the server side, so a retry runs again."""
        with self.transaction() as db:
            db.execute("DELETE FROM idempotency WHERE kiosk_id = ? AND key = ? AND state = 'pending'",
                       (kiosk_id, key))
