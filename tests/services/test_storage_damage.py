"""Issue 16, cases 1-4 and the storage-corruption probe: the outbox and the catalogue cache meet a
power cut's damage — truncated, overwritten with random bytes, zero bytes long, one flipped byte — and
the kiosk keeps working and loses nothing that can still be read.

- Outbox: a damaged file is moved aside (never deleted), what can be read from it is copied into a
  fresh one, and delivery goes on; a row that does not open is quarantined while the others are sent;
  an outbox that existed and is now missing or empty is reported. Every entry an independent reader
  (plain sqlite3, both scan directions) can still find in the damaged file is afterwards delivered or
  quarantined, and nothing altered is ever sent.
- Catalogue cache: a damaged cache is moved aside and filled again while the platform is up; with the
  platform down the kiosk says the catalogue is unavailable (backend.no_catalogue); no sqlite3 error
  ever reaches the caller, and a damaged item is never served.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.diag import outbox as diag
from kiosk.services import messages
from kiosk.services.backend_types import Ack, BackendError, CatalogueFetch
from kiosk.services.catalogue_cache import CatalogueCache
from kiosk.services.connectivity import Connectivity
from kiosk.services.outbox import Outbox, state_path
from kiosk.services.sqlite_files import moved_aside
from simulators.backend.catalogue import load_items

KEY = bytes(range(32))
ENTRIES = 20
WAIT = 30.0
FLIPS = 16  # flipped-byte positions per database in CI; bench/bench_storage_damage.py tries many more


class Platform:
    """submit() acks everything and records what was sent (path, body, key)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any, str]] = []
        self.lock = threading.Lock()

    def submit(self, path: str, body: Any, *, idempotency_key: str, headers: dict[str, str] | None = None) -> Ack:
        with self.lock:
            self.sent.append((path, body, idempotency_key))
        return Ack(200, {"ok": True}, False)


def rating(i: int) -> dict[str, Any]:
    return {"item_id": f"item-{i:02d}", "level": 1 + i % 5, "comment": f"第{i}条评价" + "。" * 120}


def make_outbox(db: Path) -> dict[str, dict[str, Any]]:
    """ENTRIES ratings written and the file closed (WAL checkpointed into it); key → body."""
    with Outbox(db, KEY) as ob:
        written = {ob.enqueue("rating", "/ratings", rating(i)).idempotency_key: rating(i) for i in range(ENTRIES)}
    assert not Path(f"{db}-wal").exists()  # everything is in the one file we damage
    return written


def readable_keys(db: Path) -> set[str]:
    """The oracle: idempotency keys plain sqlite3 can still read from a (damaged) file, both ways."""
    keys: set[str] = set()
    if not db.exists() or db.stat().st_size == 0:
        return keys
    copy = db.with_name("oracle-" + db.name)
    shutil.copyfile(db, copy)
    conn = sqlite3.connect(copy)
    try:
        for order in ("ASC", "DESC"):
            try:
                for (key,) in conn.execute(f"SELECT idempotency_key FROM entries ORDER BY id {order}"):  # noqa: S608
                    keys.add(key)
            except sqlite3.Error:
                continue
    finally:
        conn.close()
        copy.unlink()
    return keys


def deliver(db: Path) -> tuple[Outbox, Platform]:
    platform = Platform()
    ob = Outbox(db, KEY, platform, backoff_base_s=0.01, backoff_max_s=0.05)  # type: ignore[arg-type]
    ob.start()
    assert ob.wait_idle(WAIT)
    return ob, platform


def quarantined_keys(ob: Outbox) -> set[str]:
    return {r[0] for r in ob._conn().execute("SELECT idempotency_key FROM quarantine")}


# ---- the damage ------------------------------------------------------------------------------

def truncate(path: Path, size: int = 1024) -> None:
    with open(path, "r+b") as f:
        f.truncate(size)


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(16).randbytes(path.stat().st_size))


def zero_length(path: Path) -> None:
    truncate(path, 0)


def flip(path: Path, position: int) -> None:
    data = bytearray(path.read_bytes())
    data[position % len(data)] ^= 0x10
    path.write_bytes(bytes(data))


OUTBOX_SIZE = 48 * 1024  # make_outbox's file (12 pages of 4 KiB); flip() wraps around anyway
CACHE_SIZE = 572 * 1024  # make_cache's file, the whole shipped catalogue


def flip_positions(size: int) -> list[int]:
    """The file header (format version, page count), the first b-tree page header, the second
    page's, and seeded random bytes."""
    rng = random.Random(1016)
    return sorted({18, 28, 100, 4096 + 8, *(rng.randrange(size) for _ in range(FLIPS - 4))})


DAMAGE = {"truncate": truncate, "random_bytes": random_bytes, "zero_length": zero_length}
# found by bench/bench_storage_damage.py: a record header whose full row no longer reads (the row hid
# behind Python's read-ahead and was lost), and a retry time turned into text (never due again)
OUTBOX_FOUND = (33344, 44480)


def damage_cases(size: int, found: tuple[int, ...] = ()) -> list[tuple[str, Any]]:
    return [*DAMAGE.items(), *((f"flip@{p}", p) for p in sorted({*flip_positions(size), *found}))]


# ---- case 1: one row that does not open --------------------------------------------------------

def test_a_row_that_does_not_open_is_quarantined_and_the_other_19_are_sent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "outbox.sqlite3"
    written = make_outbox(db)
    conn = sqlite3.connect(db)
    (victim, sealed), = conn.execute("SELECT id, sealed FROM entries WHERE id = 7").fetchall()
    damaged = bytearray(sealed)
    damaged[len(damaged) // 2] ^= 0x01  # one flipped bit inside the sealed payload
    conn.execute("UPDATE entries SET sealed = ? WHERE id = ?", (bytes(damaged), victim))
    conn.commit()
    conn.close()

    ob, platform = deliver(db)
    assert len(platform.sent) == ENTRIES - 1
    assert all(written[key] == body for _, body, key in platform.sent)  # each sent as written
    [kept] = ob.health().quarantined
    assert kept.id == victim and kept.kind == "rating" and "does not open" in kept.reason
    ob.close()
    assert diag.main(["--db", str(db), "--json"]) == 1  # the technician is asked to look
    report = json.loads(capsys.readouterr().out)
    assert report["quarantined"] == 1 and report["quarantine"][0]["id"] == victim and report["depth"] == 0


# ---- case 2: a truncated outbox ----------------------------------------------------------------

def test_a_truncated_outbox_is_moved_aside_salvaged_and_a_new_one_started(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "outbox.sqlite3"
    make_outbox(db)
    truncate(db)
    damaged = db.read_bytes()
    can_read = readable_keys(db)

    ob, platform = deliver(db)  # opens without an error: the devices' start does not depend on it
    [aside] = moved_aside(db)
    assert aside.read_bytes() == damaged  # kept as it was found, never deleted
    kinds = [e.kind for e in ob.health().events]
    assert kinds == ["moved_aside", "salvaged"]
    assert can_read <= {key for _, _, key in platform.sent}
    ob.enqueue("rating", "/ratings", rating(99))  # the new outbox takes new entries
    assert ob.wait_idle(WAIT)
    ob.close()
    assert diag.main(["--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "moved_aside" in out and "salvaged" in out and aside.name in out


# ---- case 4: zero length or missing where an outbox existed -------------------------------------

def test_a_zero_length_outbox_where_one_existed_is_reported_not_silently_recreated(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "outbox.sqlite3"
    make_outbox(db)
    zero_length(db)
    assert diag.main(["--db", str(db)]) == 1  # before the kiosk starts: the technician sees it
    assert "MISSING or emptied" in capsys.readouterr().out
    with Outbox(db, KEY) as ob:
        [ev] = ob.health().events
        assert ev.kind == "emptied" and "although an outbox existed" in ev.detail
        assert ev.moved_to and Path(ev.moved_to).stat().st_size == 0
    with Outbox(db, KEY) as ob:  # reported once, and remembered
        assert [e.kind for e in ob.health().events] == ["emptied"]


def test_a_missing_outbox_where_one_existed_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "outbox.sqlite3"
    make_outbox(db)
    db.unlink()
    with Outbox(db, KEY) as ob:
        assert [e.kind for e in ob.health().events] == ["missing"]


def test_a_first_start_reports_nothing(tmp_path: Path) -> None:
    db = tmp_path / "outbox.sqlite3"
    with Outbox(db, KEY) as ob:
        assert ob.health().events == [] and ob.health().available
    assert json.loads(state_path(db).read_text())["outbox_id"]


def test_an_outbox_that_cannot_be_opened_is_a_coded_error(tmp_path: Path) -> None:
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "outbox.sqlite3").mkdir()  # a directory where the file should be
    ob = Outbox(tmp_path / "ro" / "outbox.sqlite3", KEY)
    with pytest.raises(Exception) as err:
        ob.open()
    assert getattr(err.value, "code", None) == "system.outbox_unavailable"
    assert "没有完成" in messages.for_error(err.value)
    assert not ob.health().available and ob.health().problem


# ---- the probe: every kind of damage, the outbox --------------------------------------------------

@pytest.mark.parametrize("name, damage", damage_cases(OUTBOX_SIZE, OUTBOX_FOUND),
                         ids=[c[0] for c in damage_cases(OUTBOX_SIZE, OUTBOX_FOUND)])
def test_outbox_damage_never_stops_delivery_and_loses_nothing_readable(tmp_path: Path, name: str,
                                                                      damage: Any) -> None:
    db = tmp_path / "outbox.sqlite3"
    written = make_outbox(db)
    if isinstance(damage, int):
        flip(db, damage)
    else:
        damage(db)
    can_read = readable_keys(db) & set(written)

    ob, platform = deliver(db)
    sent = [key for _, _, key in platform.sent]
    assert len(sent) == len(set(sent))  # nothing twice
    for path, body, key in platform.sent:
        assert (path, body) == ("/ratings", written[key]), "an altered entry was sent"
    assert can_read <= set(sent) | quarantined_keys(ob), "a readable entry was lost"
    assert ob.health().available
    ob.close()


# ---- the catalogue cache ---------------------------------------------------------------------------

ITEMS = load_items()


class Source:
    """GET /catalog like the client, up or down."""

    def __init__(self) -> None:
        self.connectivity = Connectivity()
        self.down = False

    def fetch_catalogue(self, etag: str | None = None) -> CatalogueFetch:
        if self.down:
            self.connectivity.mark_offline("offline")
            raise BackendError("offline", "GET /catalog: connection refused")
        self.connectivity.mark_online()
        if etag == '"v1"':
            return CatalogueFetch(False, etag)
        return CatalogueFetch(True, '"v1"', "v1", [dict(i) for i in ITEMS])


def make_cache(path: Path) -> None:
    cache = CatalogueCache(path, Source())
    assert len(cache.current().items) == len(ITEMS)
    cache.close()
    assert not Path(f"{path}-wal").exists()


@pytest.mark.parametrize("name, damage", damage_cases(CACHE_SIZE), ids=[c[0] for c in damage_cases(CACHE_SIZE)])
def test_catalogue_damage_is_refetched_when_up_and_said_when_down(tmp_path: Path, name: str, damage: Any) -> None:
    path = tmp_path / "catalogue.sqlite3"
    make_cache(path)
    if isinstance(damage, int):
        flip(path, damage)
    else:
        damage(path)
    kept = path.read_bytes()

    source = Source()
    source.down = True
    down = CatalogueCache(path, source)
    try:
        snap = down.current()
    except BackendError as exc:  # the copy did not survive: the kiosk says the catalogue is unavailable
        assert exc.code == "no_catalogue" and messages.code_of(exc) == "backend.no_catalogue"
    else:
        assert snap.offline and snap.items == ITEMS  # what is served is what was stored, unaltered
    down.close()

    source.down = False
    up = CatalogueCache(path, source)
    assert up.current().items == ITEMS and not up.current().offline
    up.close()
    asides = moved_aside(path)
    assert kept in {p.read_bytes() for p in asides} or not asides  # a damaged file is kept, never deleted
    source.down = True  # and the new copy is sound: a restart with the platform down serves it
    again = CatalogueCache(path, source)
    assert again.current().items == ITEMS
    again.close()


def test_a_damaged_cache_is_moved_aside_and_refetched_with_the_platform_up(tmp_path: Path) -> None:
    """Case 3: a truncated or garbage cache used to raise sqlite3.DatabaseError out of the client."""
    for damage in (truncate, random_bytes):
        path = tmp_path / f"{damage.__name__}.sqlite3"
        make_cache(path)
        damage(path)
        cache = CatalogueCache(path, Source())
        assert cache.current().items == ITEMS
        [event] = cache.events
        assert event.kind == "moved_aside" and event.moved_to == str(moved_aside(path)[0])
        cache.close()


def test_a_cache_that_cannot_be_used_at_all_falls_back_to_memory(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.sqlite3"
    path.mkdir()  # a directory where the file should be: sqlite cannot open it
    cache = CatalogueCache(path, Source())
    assert cache.current().items == ITEMS
    assert [e.kind for e in cache.events] == ["unavailable"]
    cache.close()


def test_a_busy_cache_is_a_coded_backend_error_never_sqlite3(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.sqlite3"
    make_cache(path)
    cache = CatalogueCache(path, Source())
    cache._conn().execute("PRAGMA busy_timeout = 50")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the file
    try:
        with pytest.raises(BackendError) as err:
            cache.refresh()
        assert err.value.code == "catalogue_storage"
        assert messages.code_of(err.value) == "backend.catalogue_storage"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert cache.current().items == ITEMS
    cache.close()


@pytest.mark.parametrize("which", [0, -1])
def test_a_row_whose_state_a_flipped_byte_garbled_is_kept_in_quarantine(tmp_path: Path, which: int) -> None:
    """Found by bench/bench_storage_damage.py: 'pending' → 'pendi~g' broke the CHECK constraint, and
    the salvage's INSERT OR IGNORE dropped the row without a word."""
    db = tmp_path / "outbox.sqlite3"
    written = make_outbox(db)
    data = bytearray(db.read_bytes())
    spots = [i for i in range(len(data)) if data.startswith(b"pending", i)]
    data[spots[which] + 5] ^= 0x10
    db.write_bytes(bytes(data))
    can_read = readable_keys(db) & set(written)
    ob, platform = deliver(db)
    assert can_read <= {key for _, _, key in platform.sent} | quarantined_keys(ob)
    assert len(platform.sent) + len(quarantined_keys(ob)) == ENTRIES
    ob.close()
