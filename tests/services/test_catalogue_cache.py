"""The offline catalogue: stored in SQLite, refreshed by ETag, served when the platform is down, and
telling the UI what still works offline. The last tests start a kiosk's service layer from the
cache with the real backend behind the fault proxy switched down."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import BackendConfig
from kiosk.services import messages
from kiosk.services.backend_client import BackendClient
from kiosk.services.backend_types import BackendError, CatalogueFetch
from kiosk.services.catalogue_cache import (
    OFFLINE_GUIDE_NOTE,
    OFFLINE_QUEUE_NOTE,
    CatalogueCache,
    offline_note,
    what_works_offline,
)
from kiosk.services.connectivity import Connectivity, ConnectivityState
from kiosk.services.service_desk import ServiceDesk
from kiosk.services.signing import generate_key_file, load_key
from simulators.backend.pki import ensure_pki
from simulators.process import SimProcess, start_simulator

ITEMS_V1 = [{"id": "a-guide", "name": "甲", "network_policy": "offline_guide", "flow": "queue"},
            {"id": "b-queue", "name": "乙", "network_policy": "offline_queue", "flow": "apply"},
            {"id": "c-online", "name": "丙", "network_policy": "online", "flow": "pay"}]
ITEMS_V2 = ITEMS_V1[:2]


class ScriptedSource:
    """fetch_catalogue() like the client: an ETag per version, 304 when the kiosk's is current."""

    def __init__(self) -> None:
        self.connectivity = Connectivity()
        self.version, self.items = "v1", ITEMS_V1
        self.down: BackendError | None = None
        self.asked: list[str | None] = []

    def fetch_catalogue(self, etag: str | None = None) -> CatalogueFetch:
        self.asked.append(etag)
        if self.down is not None:
            self.connectivity.mark_offline(self.down.code)
            raise self.down
        self.connectivity.mark_online()
        current = f'"{self.version}"'
        if etag == current:
            return CatalogueFetch(False, current)
        return CatalogueFetch(True, current, self.version, [dict(i) for i in self.items])


def down() -> BackendError:
    return BackendError("offline", "GET /catalog: connection refused")


@pytest.fixture
def source() -> ScriptedSource:
    return ScriptedSource()


@pytest.fixture
def cache(tmp_path: Path, source: ScriptedSource) -> Iterator[CatalogueCache]:
    c = CatalogueCache(tmp_path / "catalogue.sqlite3", source)
    yield c
    c.close()


def test_first_start_downloads_and_stores(cache: CatalogueCache, source: ScriptedSource) -> None:
    snap = cache.current()
    assert (snap.version, snap.etag, snap.offline) == ("v1", '"v1"', False)
    assert [i["id"] for i in snap.items] == ["a-guide", "b-queue", "c-online"]
    assert source.asked == [None]
    stored = cache.stored()
    assert stored is not None and stored.items == snap.items


def test_refresh_sends_the_etag_and_keeps_the_copy_on_304(cache: CatalogueCache, source: ScriptedSource) -> None:
    first = cache.current()
    again = cache.current()
    assert source.asked == [None, '"v1"']
    assert again.items == first.items and again.checked_at >= first.checked_at
    assert again.fetched_at == first.fetched_at


def test_a_new_version_replaces_the_copy(cache: CatalogueCache, source: ScriptedSource) -> None:
    cache.current()
    source.version, source.items = "v2", ITEMS_V2
    snap = cache.current()
    assert snap.version == "v2" and [i["id"] for i in snap.items] == ["a-guide", "b-queue"]
    assert cache.item("c-online") is None and cache.item("b-queue") is not None


def test_backend_down_serves_the_stored_copy_marked_offline(cache: CatalogueCache, source: ScriptedSource) -> None:
    cache.current()
    source.down = down()
    snap = cache.current()
    assert snap.offline and snap.reason == "offline" and snap.version == "v1" and len(snap.items) == 3
    assert cache.is_offline


def test_offline_it_does_not_ask_again_before_retry_after(cache: CatalogueCache, source: ScriptedSource) -> None:
    cache.current()
    source.down = down()
    cache.current()
    cache.current()
    assert len(source.asked) == 2  # the dead network is not asked on every home-screen visit
    cache.retry_after_s = 0
    source.down = None
    snap = cache.current()
    assert not snap.offline and len(source.asked) == 3 and not cache.is_offline


def test_no_copy_and_no_platform_is_a_clear_error(cache: CatalogueCache, source: ScriptedSource) -> None:
    source.down = down()
    with pytest.raises(BackendError) as info:
        cache.current()
    assert info.value.code == "no_catalogue" and messages.code_of(info.value) == "backend.no_catalogue"
    assert "目录" in messages.for_error(info.value)
    assert "connection refused" in info.value.detail
    source.down = None  # without a copy the platform is asked again at once, not after retry_after_s
    assert cache.current().version == "v1" and len(source.asked) == 2


def test_tls_failure_serves_guides_but_says_why(cache: CatalogueCache, source: ScriptedSource) -> None:
    cache.current()
    source.down = BackendError("tls", "TLS certificate verification failed")
    snap = cache.current()
    assert snap.offline and snap.reason == "tls"  # not silent: the reason travels with the copy


def test_the_copy_survives_a_restart(tmp_path: Path, source: ScriptedSource) -> None:
    with_copy = CatalogueCache(tmp_path / "c.sqlite3", source)
    with_copy.current()
    with_copy.close()
    later = ScriptedSource()
    later.down = down()
    restarted = CatalogueCache(tmp_path / "c.sqlite3", later)
    snap = restarted.current()
    restarted.close()
    assert snap.offline and snap.version == "v1" and len(snap.items) == 3


def test_without_a_file_the_copy_lives_in_memory(source: ScriptedSource) -> None:
    memory = CatalogueCache(None, source)  # no backend.cache_db: the same cache, gone at restart
    assert memory.current().version == "v1" and memory.path is None
    source.down = down()
    memory.retry_after_s = 0
    snap = memory.current()
    assert snap.offline and snap.reason == "offline" and len(snap.items) == 3
    memory.close()


def test_a_failed_store_keeps_the_old_copy(cache: CatalogueCache, source: ScriptedSource) -> None:
    cache.current()
    source.version, source.items = "v3", [{"id": "bad", "value": object()}]  # cannot be stored
    with pytest.raises(TypeError):
        cache.refresh()
    stored = cache.stored()
    assert stored is not None and stored.version == "v1" and len(stored.items) == 3


@pytest.mark.parametrize(("policy", "expected", "note"), [
    ("online", {"guide": True, "submit": False, "pay": False}, OFFLINE_GUIDE_NOTE),
    ("offline_guide", {"guide": True, "submit": False, "pay": False}, OFFLINE_GUIDE_NOTE),
    ("offline_queue", {"guide": True, "submit": True, "pay": False}, OFFLINE_QUEUE_NOTE),
])
def test_what_works_offline(policy: str, expected: dict[str, bool], note: str) -> None:
    item = {"id": "x", "network_policy": policy, "flow": "apply"}
    assert what_works_offline(item) == expected
    assert offline_note(item) == note
    assert ("自动发送" in messages.text(note)) is expected["submit"]  # the note says what still works


def test_available_actions_follow_connectivity(cache: CatalogueCache, source: ScriptedSource) -> None:
    cache.current()
    pay = cache.item("c-online")
    assert pay is not None
    assert cache.available_actions(pay) == {"guide": True, "submit": True, "pay": True}
    seen: list[ConnectivityState] = []
    source.connectivity.add_listener(seen.append)
    source.down = down()
    cache.retry_after_s = 0
    cache.current()
    assert cache.available_actions(pay) == {"guide": True, "submit": False, "pay": False}
    assert seen and seen[-1].offline and seen[-1].reason == "offline"


# ---- the kiosk starts from its cache with the real backend down --------------------------------

@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SimProcess]]:
    tmp = tmp_path_factory.mktemp("platform")
    generate_key_file(tmp / "kiosk.key")
    ensure_pki(tmp / "pki")
    backend = start_simulator("backend", "--pki", str(tmp / "pki"), "--kiosk-key", str(tmp / "kiosk.key"))
    try:
        with start_simulator("backend-proxy", "--upstream", f"https://127.0.0.1:{backend.ports['listen']}",
                             "--pki", str(tmp / "pki")) as proxy:
            yield tmp, proxy
    finally:
        backend.stop()


class NoDevices:
    def get(self, device_id: str) -> Any:
        return None


def kiosk_client(tmp: Path, proxy: SimProcess, cache_db: Path) -> BackendClient:
    cfg = BackendConfig(url=f"https://127.0.0.1:{proxy.ports['listen']}", key_file=tmp / "kiosk.key",
                        ca_bundle=tmp / "pki" / "ca.pem", timeout_s=5, cache_db=cache_db)
    return BackendClient(cfg, "GD-TEST-0001", load_key(tmp / "kiosk.key"), retries=1, backoff_s=0.01)


def test_kiosk_starts_and_serves_guides_from_its_cache_with_the_backend_down(
        platform: tuple[Path, SimProcess], tmp_path: Path) -> None:
    tmp, proxy = platform
    cache_db = tmp_path / "catalogue.sqlite3"
    first = kiosk_client(tmp, proxy, cache_db)
    first_desk = ServiceDesk(first, NoDevices())  # the service desk owns the cache
    online_home = first_desk.home_items()
    assert online_home and first_desk.catalogue.current().offline is False
    first_desk.close()
    first.close()

    proxy.control("POST", "/mode", {"mode": "down"})
    try:
        restarted = kiosk_client(tmp, proxy, cache_db)  # a fresh start: nothing in memory
        desk = ServiceDesk(restarted, NoDevices())
        home = desk.home_items()
        assert [i["id"] for i in home] == [i["id"] for i in online_home]
        catalogue = desk.catalogue.current()
        assert catalogue.offline is True and restarted.connectivity.is_offline
        queue_item = next(i for i in catalogue.items if i["network_policy"] == "offline_queue")
        guide = desk.catalogue.available_actions(queue_item)
        assert guide == {"guide": True, "submit": True, "pay": False}
        assert queue_item["materials"] and queue_item["steps"] and queue_item["fee"]  # the whole 办事指南
        paid = next(i for i in catalogue.items if i["flow"] == "pay")
        assert desk.catalogue.available_actions(paid)["pay"] is False
        with pytest.raises(BackendError) as info:  # what needs the platform says so, in Chinese
            restarted.post_json("/ratings", {"item_id": queue_item["id"], "level": 5},
                                idempotency_key=uuid.uuid4().hex)
        assert messages.for_error(info.value) == messages.text("backend.offline")
    finally:
        proxy.control("POST", "/mode", {"mode": "up"})
    desk.catalogue.retry_after_s = 0
    assert desk.catalogue.current().offline is False
    statuses = [r["status"] for r in proxy.control("GET", "/requests")[1]["requests"]
                if r["path"] == "/api/v1/catalog"]
    assert statuses[0] == 200 and 304 in statuses  # refreshed by ETag, not downloaded again
    desk.close()
    restarted.close()
