"""The offline catalogue: the platform's item catalogue kept in SQLite, refreshed by ETag.

`current()` asks the platform whether the copy is still current (If-None-Match → 304, or the new
catalogue, stored in one transaction), and when the platform cannot be reached serves the stored
copy marked offline. The UI asks what still works offline per item (`what_works_offline`): the
guide (办事指南) always, a submission only for items whose network_policy is `offline_queue` (the
outbox sends it later), never a payment or anything else that needs the platform's answer now.

While offline the cache does not ask the platform again before `retry_after_s` has passed, so the
home screen does not wait for a dead network on every visit.

The service layer owns the cache (the client is transport only): `CatalogueCache(path, client)`,
or `CatalogueCache(None, client)` for a copy kept in memory only (no `backend.cache_db`), which
behaves the same while the kiosk runs and is gone at restart.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.services.backend_types import BackendError, CatalogueFetch
from kiosk.services.connectivity import Connectivity

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
"""
NETWORK_POLICIES = ("online", "offline_guide", "offline_queue")
# message codes (kiosk.services.messages) of the note an item shows while offline
OFFLINE_QUEUE_NOTE = "catalogue.offline_queue"
OFFLINE_GUIDE_NOTE = "catalogue.offline_guide"


class CatalogueSource(Protocol):
    connectivity: Connectivity

    def fetch_catalogue(self, etag: str | None = None) -> CatalogueFetch: ...


@dataclass(frozen=True)
class CatalogueSnapshot:
    version: str
    etag: str | None
    items: list[dict[str, Any]]
    fetched_at: float  # when this version was downloaded
    checked_at: float  # when the platform last confirmed it (200 or 304)
    offline: bool  # served from the cache because the platform could not be reached
    reason: str | None = None  # the client's error code while offline


@dataclass(frozen=True)
class StoredInfo:
    """What is on disk, without the items: for health reports and fleet telemetry."""

    version: str
    fetched_at: float
    checked_at: float
    items: int


def stored_info(path: Path | str) -> StoredInfo | None:
    """The stored catalogue's version and times, read-only (safe beside a running kiosk);
    None when there is no stored copy. Raises sqlite3.Error for an unreadable file."""
    path = Path(path)
    if not path.exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        count = db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    except sqlite3.OperationalError:  # created, but no table yet
        return None
    finally:
        db.close()
    if "version" not in meta:
        return None
    return StoredInfo(meta["version"], float(meta.get("fetched_at", 0)), float(meta.get("checked_at", 0)), count)


def what_works_offline(item: dict[str, Any]) -> dict[str, bool]:
    """{"guide", "submit", "pay"}: what the resident can still do for this item without the platform."""
    policy = item.get("network_policy", "online")
    return {"guide": True, "submit": policy == "offline_queue", "pay": False}


def offline_note(item: dict[str, Any]) -> str:
    """The message code of the note the UI shows on an item while offline."""
    return OFFLINE_QUEUE_NOTE if what_works_offline(item)["submit"] else OFFLINE_GUIDE_NOTE


class CatalogueCache:
    def __init__(self, path: Path | str | None, source: CatalogueSource, *,
                 retry_after_s: float = 30.0) -> None:
        self.path = None if path is None else Path(path)  # None: kept in memory only
        self.source = source
        self.retry_after_s = retry_after_s
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._last_failure: tuple[float, BackendError] | None = None
        self._snapshot: CatalogueSnapshot | None = None

    # ---- storage ------------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path or ":memory:", check_same_thread=False, isolation_level=None,
                                 timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(SCHEMA)
            self._db = db
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _meta(self) -> dict[str, str]:
        return dict(self._conn().execute("SELECT key, value FROM meta").fetchall())

    def stored(self) -> CatalogueSnapshot | None:
        """The copy on disk (offline flag from the current connectivity), or None if there is none."""
        with self._lock:
            meta = self._meta()
            if "version" not in meta:
                return None
            rows = self._conn().execute("SELECT data FROM items ORDER BY position").fetchall()
        state = self.source.connectivity.state
        return CatalogueSnapshot(meta["version"], meta.get("etag"), [json.loads(r[0]) for r in rows],
                                 float(meta.get("fetched_at", 0)), float(meta.get("checked_at", 0)),
                                 state.offline, state.reason)

    def _store(self, fetched: CatalogueFetch, now: float) -> None:
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM items")
            db.executemany("INSERT INTO items VALUES (?, ?, ?)",
                           [(str(item.get("id", i)), i, json.dumps(item, ensure_ascii=False))
                            for i, item in enumerate(fetched.items or [])])
            for key, value in (("version", fetched.version or ""), ("etag", fetched.etag or ""),
                               ("fetched_at", repr(now)), ("checked_at", repr(now))):
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # ---- refresh ------------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Ask the platform (If-None-Match); True if a new catalogue was stored. Raises BackendError."""
        with self._lock:
            meta = self._meta()
            have_items = self._conn().execute("SELECT COUNT(*) FROM items").fetchone()[0] > 0
            etag = (meta.get("etag") or None) if have_items else None
        fetched = self.source.fetch_catalogue(etag)
        now = time.time()
        with self._lock:
            if fetched.changed:
                self._store(fetched, now)
                log.info("catalogue %s stored (%d items)", fetched.version, len(fetched.items or []))
            else:
                self._conn().execute("INSERT OR REPLACE INTO meta VALUES ('checked_at', ?)", (repr(now),))
            self._snapshot = None
            self._last_failure = None
        return fetched.changed

    def current(self) -> CatalogueSnapshot:
        """The catalogue to show now: refreshed from the platform when it answers, else the stored
        copy marked offline. Raises BackendError only when there is no stored copy at all."""
        with self._lock:
            failure = self._last_failure
            have_copy = self._snapshot is not None or "version" in self._meta()
        # Offline with a copy: do not wait on the dead network again before retry_after_s.
        if failure is None or time.monotonic() - failure[0] >= self.retry_after_s or not have_copy:
            try:
                self.refresh()
            except BackendError as exc:
                with self._lock:
                    self._last_failure = (time.monotonic(), exc)
                log.warning("catalogue refresh failed, serving the stored copy: %s", exc.detail)
        with self._lock:
            failure = self._last_failure
            if self._snapshot is None:
                self._snapshot = self.stored()
            snap = self._snapshot
        error = failure[1] if failure is not None else None
        if snap is None:  # the platform's own refusal, if it gave one, says more than "no catalogue"
            raise BackendError("no_catalogue", "no stored catalogue and the platform did not provide one"
                               + (f": {error.detail}" if error else ""), error.status if error else None,
                               error.platform_message if error else None)
        return CatalogueSnapshot(snap.version, snap.etag, snap.items, snap.fetched_at, snap.checked_at,
                                 error is not None, error.code if error else None)

    # ---- what the UI asks ---------------------------------------------------------------------
    @property
    def is_offline(self) -> bool:
        return self.source.connectivity.is_offline

    def item(self, item_id: str) -> dict[str, Any] | None:
        snap = self._snapshot or self.stored()
        return next((i for i in snap.items if i.get("id") == item_id), None) if snap else None

    def available_actions(self, item: dict[str, Any]) -> dict[str, bool]:
        """What works right now: everything while online, else `what_works_offline`."""
        if not self.is_offline:
            return {"guide": True, "submit": True, "pay": True}
        return what_works_offline(item)

    what_works_offline = staticmethod(what_works_offline)
