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

Damaged storage never empties the home screen by itself (kiosk/services/sqlite_files.py): a corrupt
file (truncated, random bytes, a flipped byte) is moved aside at open, or when a query trips over
the damage, and a fresh one is filled from the platform; with the platform down there is then no copy
and `current()` says so (`no_catalogue`). A file that cannot be used at all (read-only, full, gone)
is replaced by a copy in memory for this run. Each of these is a `StorageEvent` in `events`. What
still goes wrong reaches the caller as BackendError `catalogue_storage`, never as sqlite3's own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from kiosk.services import sqlite_files
from kiosk.services.backend_types import BackendError, CatalogueFetch
from kiosk.services.connectivity import Connectivity
from kiosk.services.sqlite_files import StorageEvent

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
"""
NETWORK_POLICIES = ("online", "offline_guide", "offline_queue")
# message codes (kiosk.services.messages) of the note an item shows while offline
OFFLINE_QUEUE_NOTE = "catalogue.offline_queue"
OFFLINE_GUIDE_NOTE = "catalogue.offline_guide"
STORAGE_ERROR = "catalogue_storage"  # BackendError code: message backend.catalogue_storage
T = TypeVar("T")


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
        self._in_memory = path is None  # also after the file proved unusable
        self.events: list[StorageEvent] = []  # what happened to the file this run (technician view)

    # ---- storage ------------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        if self._in_memory or self.path is None:
            return _connect(":memory:")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = _connect(str(self.path))
            problem = sqlite_files.check(db)
            if problem is None:
                sqlite_files.probe_write(db, self.path)
                return db
            db.close()
            self._move_aside(f"integrity_check: {problem}")
            return _connect(str(self.path))
        except sqlite3.DatabaseError as exc:
            if sqlite_files.is_corruption(exc):
                self._move_aside(str(exc))
                return self._open()
            return self._without_file(exc)
        except OSError as exc:
            return self._without_file(exc)

    def _move_aside(self, why: str) -> None:
        assert self.path is not None
        if self._db is not None:
            self._close_db()
        aside = sqlite_files.move_aside(self.path)
        self.events.append(sqlite_files.event(
            "catalogue", "moved_aside", f"{self.path} is damaged ({why}); a fresh cache is filled from the "
            "platform", aside))

    def _without_file(self, exc: BaseException) -> sqlite3.Connection:
        self._in_memory = True
        self.events.append(sqlite_files.event(
            "catalogue", "unavailable", f"{self.path} cannot be used ({type(exc).__name__}: {exc}); the "
            "catalogue is kept in memory until the kiosk restarts"))
        return _connect(":memory:")

    def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run a storage step; a damaged file is moved aside (or an unusable one left) and the step
        tried once more; anything else is BackendError catalogue_storage."""
        with self._lock:
            try:
                return fn(self._conn())
            except sqlite3.Error as exc:
                if sqlite_files.is_busy(exc) or self._in_memory:
                    raise _storage_error(self.path, exc) from exc
                if sqlite_files.is_corruption(exc):
                    self._move_aside(str(exc))
                else:
                    self._close_db()
                    self._db = self._without_file(exc)
            try:
                return fn(self._conn())
            except sqlite3.Error as exc:
                raise _storage_error(self.path, exc) from exc

    def _close_db(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                log.debug("closing the catalogue cache failed", exc_info=True)

    def close(self) -> None:
        with self._lock:
            self._close_db()

    @staticmethod
    def _meta(db: sqlite3.Connection) -> dict[str, str]:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())

    def stored(self) -> CatalogueSnapshot | None:
        """The copy on disk (offline flag from the current connectivity), or None if there is none."""
        def read(db: sqlite3.Connection) -> tuple[dict[str, str], list[Any]] | None:
            meta = self._meta(db)
            if "version" not in meta:
                return None
            rows = [r[0] for r in db.execute("SELECT data FROM items ORDER BY position")]
            if meta.get("digest") not in (None, _digest(rows)):  # SQLite has no checksums of its own
                raise sqlite3.DatabaseError("the stored items do not match their digest: database disk image "
                                            "is malformed")
            try:
                return meta, [json.loads(r) for r in rows]
            except (ValueError, TypeError) as exc:
                raise sqlite3.DatabaseError(f"an item row is not JSON ({exc}): database disk image is "
                                            "malformed") from exc

        found = self._run(read)
        if found is None:
            return None
        meta, items = found
        state = self.source.connectivity.state
        return CatalogueSnapshot(meta["version"], meta.get("etag"), items,
                                 float(meta.get("fetched_at", 0)), float(meta.get("checked_at", 0)),
                                 state.offline, state.reason)

    def _store(self, db: sqlite3.Connection, fetched: CatalogueFetch, now: float) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = [(str(item.get("id", i)), i, json.dumps(item, ensure_ascii=False))
                    for i, item in enumerate(fetched.items or [])]
            db.execute("DELETE FROM items")
            db.executemany("INSERT INTO items VALUES (?, ?, ?)", rows)
            for key, value in (("version", fetched.version or ""), ("etag", fetched.etag or ""),
                               ("fetched_at", repr(now)), ("checked_at", repr(now)),
                               ("digest", _digest([r[2] for r in rows]))):
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # ---- refresh ------------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Ask the platform (If-None-Match); True if a new catalogue was stored. Raises BackendError."""
        def etag_of(db: sqlite3.Connection) -> str | None:  # only for a whole copy: else ask for all of it
            meta = self._meta(db)
            have_items = db.execute("SELECT COUNT(*) FROM items").fetchone()[0] > 0
            return (meta.get("etag") or None) if have_items and "version" in meta else None

        fetched = self.source.fetch_catalogue(self._run(etag_of))
        now = time.time()
        if not fetched.changed:
            self._run(lambda db: db.execute("INSERT OR REPLACE INTO meta VALUES ('checked_at', ?)", (repr(now),)))
            if self._run(etag_of) is None:  # the copy was moved aside on the way (damage found): all of it again
                fetched = self.source.fetch_catalogue(None)
        if fetched.changed:
            self._run(lambda db: self._store(db, fetched, now))
            log.info("catalogue %s stored (%d items)", fetched.version, len(fetched.items or []))
        with self._lock:
            self._snapshot = None
            self._last_failure = None
        return fetched.changed

    def current(self) -> CatalogueSnapshot:
        """The catalogue to show now: refreshed from the platform when it answers, else the stored
        copy marked offline. Raises BackendError only when there is no stored copy at all."""
        with self._lock:
            failure = self._last_failure
            have_copy = self._snapshot is not None or "version" in self._run(self._meta)
        # Offline with a copy: do not wait on the dead network again before retry_after_s.
        if failure is None or time.monotonic() - failure[0] >= self.retry_after_s or not have_copy:
            try:
                self.refresh()
            except BackendError as exc:
                if exc.code == STORAGE_ERROR:
                    raise
                with self._lock:
                    self._last_failure = (time.monotonic(), exc)
                log.warning("catalogue refresh failed, serving the stored copy: %s", exc.detail)
        with self._lock:
            failure = self._last_failure
            if self._snapshot is None:
                self._snapshot = self.stored()
                if self._snapshot is None and failure is None:  # stored, then found damaged: once more
                    try:
                        self.refresh()
                    except BackendError as exc:
                        if exc.code == STORAGE_ERROR:
                            raise
                        failure = self._last_failure = (time.monotonic(), exc)
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


def _connect(target: str) -> sqlite3.Connection:
    db = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(SCHEMA)
    return db


def _digest(rows: list[Any]) -> str:
    """sha256 over the stored item rows, in order: a flipped byte inside an item's text is found."""
    h = hashlib.sha256()
    for row in rows:
        h.update(str(row).encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()


def _storage_error(path: Path | None, exc: sqlite3.Error) -> BackendError:
    return BackendError(STORAGE_ERROR, f"catalogue cache {path or ':memory:'}: {type(exc).__name__}: {exc}")
