"""Exactly once, proven: a child process running the outbox is killed with SIGKILL at the three
points of an entry's life, restarted, and the reference backend must hold exactly one copy of
each submission. Every submission is an application with its material (a JPEG) inline, as the
kiosk's submit step sends it. Then 200 submissions go through random network faults injected by the fault
proxy, with the sender killed and restarted along the way.

This file is also the child: `python tests/services/test_outbox_crash.py enqueue|drain …`.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pytest  # noqa: E402

from kiosk.config import BackendConfig  # noqa: E402
from kiosk.services.backend_client import BackendClient  # noqa: E402
from kiosk.services.outbox import Entry, Outbox, open_db, read_stats  # noqa: E402
from kiosk.services.signing import generate_key_file, load_key  # noqa: E402
from simulators.backend.pki import ensure_pki  # noqa: E402
from simulators.personas import get_persona  # noqa: E402
from simulators.process import start_simulator  # noqa: E402

ITEM = "housing-fund-account-transfer"
KIOSK_ID = "GD-TEST-CRASH"
WAIT_S = 90.0  # generous: a loaded 2-core machine; correctness never depends on it


# ---- the child ----------------------------------------------------------------------------------

def child_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=("enqueue", "drain"))
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--ca", type=Path, required=True)
    ap.add_argument("--key-file", type=Path, required=True)
    ap.add_argument("--submissions", type=Path, help="enqueue: JSON list of {body, headers}")
    ap.add_argument("--crash-at", choices=("after_write", "after_send", "after_ack"))
    ap.add_argument("--marker", type=Path, help="written (with the entry's key) when the crash point is hit")
    ap.add_argument("--acks", type=Path, required=True, help="JSON lines of the acknowledgements seen")
    args = ap.parse_args(argv)

    def checkpoint(point: str, entry: Entry) -> None:
        if point == args.crash_at:
            args.marker.write_text(entry.idempotency_key)
            while True:  # the test kills us here
                time.sleep(60)

    def record(entry: Entry, ack: Any) -> None:
        with args.acks.open("a") as f:
            f.write(json.dumps({"key": entry.idempotency_key, "marker": entry.body["form"]["from_centre"],
                                "acceptance_no": ack.body["acceptance_no"], "replayed": ack.replayed}) + "\n")

    key = load_key(args.key_file)
    cfg = BackendConfig(url=args.url, key_file=args.key_file, ca_bundle=args.ca, timeout_s=2.0)
    client = BackendClient(cfg, KIOSK_ID, key, retries=1, backoff_s=0.02)
    outbox = Outbox(args.db, key, client, backoff_base_s=0.05, backoff_max_s=0.5, checkpoint=checkpoint).open()
    outbox.add_ack_listener(record)
    if args.command == "enqueue":
        for sub in json.loads(args.submissions.read_text()):
            outbox.enqueue("submission", "/applications", sub["body"], sub["headers"])
    outbox.start()
    ok = outbox.wait_idle(600)
    outbox.close()
    return 0 if ok else 1


# ---- the test side ------------------------------------------------------------------------------

@dataclass
class Platform:
    tmp: Path
    key_file: Path
    pki: Path
    db: Path
    backend: Any
    proxy: Any
    token: str

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.proxy.ports['listen']}"

    def mode(self, mode: str, **extra: Any) -> None:
        status, body = self.proxy.control("POST", "/mode", {"mode": mode, **extra})
        assert status == 200, body

    def filed(self) -> Counter[str]:
        """How many applications the backend holds per marker (read from its own database)."""
        db = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            rows = db.execute("SELECT data FROM documents WHERE kind = 'application'").fetchall()
        finally:
            db.close()
        return Counter(json.loads(r[0])["form"].get("from_centre", "") for r in rows)

    def materials(self) -> dict[str, tuple[int, list[str]]]:
        """Per marker: how many materials arrived with the application, and what is still pending."""
        db = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            rows = db.execute("SELECT data FROM documents WHERE kind = 'application'").fetchall()
        finally:
            db.close()
        docs = [json.loads(r[0]) for r in rows]
        return {d["form"].get("from_centre", ""): (len(d.get("uploads") or []), d["pending_materials"]) for d in docs}

    def posts(self) -> int:
        reqs = self.proxy.control("GET", "/requests?clear=1")[1]["requests"]
        return sum(1 for r in reqs if r["method"] == "POST" and r["path"] == "/api/v1/applications")


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    tmp = tmp_path_factory.mktemp("crash")
    key_file, pki, db = tmp / "kiosk.key", tmp / "pki", tmp / "backend.sqlite3"
    generate_key_file(key_file)
    ensure_pki(pki)
    backend = start_simulator("backend", "--pki", str(pki), "--kiosk-key", str(key_file), "--db", str(db))
    try:
        proxy = start_simulator("backend-proxy", "--upstream",
                                f"https://127.0.0.1:{backend.ports['listen']}", "--pki", str(pki))
        try:
            cfg = BackendConfig(url=f"https://127.0.0.1:{proxy.ports['listen']}", key_file=key_file,
                                ca_bundle=pki / "ca.pem")
            client = BackendClient(cfg, KIOSK_ID, load_key(key_file))
            person = get_persona("li_jianguo")
            token = client.post_json("/identity/idcard", {"id_number": person.id_number, "name": person.name},
                                     idempotency_key=uuid.uuid4().hex)["session_token"]
            client.close()
            yield Platform(tmp, key_file, pki, db, backend, proxy, token)
        finally:
            proxy.stop()
    finally:
        backend.stop()


def photo(marker: str) -> str:
    """A small JPEG of its own per submission (the photographed ID card), base64 as the kiosk sends it."""
    return base64.b64encode(b"\xff\xd8\xff\xe0" + marker.encode() + os.urandom(512)).decode()


def submissions(platform: Platform, prefix: str, n: int) -> list[dict[str, Any]]:
    """Applications with their material inline: one request, one outbox entry, one key each."""
    return [{"body": {"item_id": ITEM, "form": {"from_city": "韶关市", "from_centre": f"{prefix}-{i:03d}",
                                                "phone": "13800138000"},
                      "materials": [{"name": "居民身份证", "by": "upload", "content_type": "image/jpeg",
                                     "content_b64": photo(f"{prefix}-{i:03d}")}]},
             "headers": {"X-Session-Token": platform.token}} for i in range(n)]


def run_child(platform: Platform, command: str, workdir: Path, *extra: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, str(Path(__file__).resolve()), command, "--db", str(workdir / "outbox.sqlite3"),
           "--url", platform.url, "--ca", str(platform.pki / "ca.pem"), "--key-file", str(platform.key_file),
           "--acks", str(workdir / "acks.jsonl"), *extra]
    return subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(condition: Any, what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def kill(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(WAIT_S)
    assert proc.returncode == -signal.SIGKILL


def outbox_stats(workdir: Path) -> dict[str, Any]:
    db = open_db(workdir / "outbox.sqlite3")
    try:
        return read_stats(db)
    finally:
        db.close()


def progress(workdir: Path) -> tuple[int, float | None]:
    """Changes whenever the sender delivered an entry or failed an attempt."""
    stats = outbox_stats(workdir)
    return stats["delivered_total"], stats["last_error_at"]


def acks(workdir: Path) -> list[dict[str, Any]]:
    path = workdir / "acks.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def crash_and_restart(platform: Platform, tmp_path: Path, point: str) -> tuple[str, list[str]]:
    """Enqueue 3 submissions in a child that dies at `point` on the first; restart it to drain."""
    subs = submissions(platform, f"crash-{point}", 3)
    (tmp_path / "subs.json").write_text(json.dumps(subs))
    marker = tmp_path / "marker"
    platform.posts()
    child = run_child(platform, "enqueue", tmp_path, "--submissions", str(tmp_path / "subs.json"),
                      "--crash-at", point, "--marker", str(marker))
    try:
        wait_for(lambda: marker.exists() and marker.read_text() != "", f"the child to reach {point}")
    finally:
        kill(child)
    return marker.read_text(), [s["body"]["form"]["from_centre"] for s in subs]


def drain(platform: Platform, tmp_path: Path) -> None:
    child = run_child(platform, "drain", tmp_path)
    assert child.wait(WAIT_S) == 0
    stats = outbox_stats(tmp_path)
    assert stats["depth"] == 0 and stats["failed"] == 0 and stats["acked_not_removed"] == 0, stats


def test_killed_after_write_before_send(platform: Platform, tmp_path: Path) -> None:
    key, markers = crash_and_restart(platform, tmp_path, "after_write")
    assert platform.posts() == 0  # nothing left the kiosk
    assert platform.filed()[markers[0]] == 0
    assert outbox_stats(tmp_path)["depth"] == 1  # but the entry is on disk
    drain(platform, tmp_path)
    filed = platform.filed()
    # the other two were never written: the process died before they were submitted
    assert [filed[m] for m in markers] == [1, 0, 0]


def test_killed_after_send_before_ack(platform: Platform, tmp_path: Path) -> None:
    key, markers = crash_and_restart(platform, tmp_path, "after_send")
    assert platform.filed()[markers[0]] == 1  # the backend filed it, the kiosk never recorded the ack
    assert outbox_stats(tmp_path)["depth"] == 3
    drain(platform, tmp_path)
    filed = platform.filed()
    assert [filed[m] for m in markers] == [1, 1, 1]
    first = [a for a in acks(tmp_path) if a["key"] == key]
    assert len(first) == 1 and first[0]["replayed"]  # sent again, and the backend replayed its answer


def test_killed_after_ack_before_delete(platform: Platform, tmp_path: Path) -> None:
    key, markers = crash_and_restart(platform, tmp_path, "after_ack")
    stats = outbox_stats(tmp_path)
    assert stats["acked_not_removed"] == 1 and stats["depth"] == 2
    platform.posts()
    drain(platform, tmp_path)
    assert platform.posts() == 2  # the acknowledged one was not sent again
    filed = platform.filed()
    assert [filed[m] for m in markers] == [1, 1, 1]
    seen = [a for a in acks(tmp_path) if a["key"] == key]
    assert len(seen) == 2 and seen[0]["acceptance_no"] == seen[1]["acceptance_no"]


def test_200_submissions_through_random_faults_and_kills(platform: Platform, tmp_path: Path) -> None:
    rng = random.Random(20261123)
    subs = submissions(platform, "storm", 200)
    key = load_key(platform.key_file)
    with Outbox(tmp_path / "outbox.sqlite3", key) as outbox:  # written by the UI, before any send
        for sub in subs:
            outbox.enqueue("submission", "/applications", sub["body"], sub["headers"])
    modes = [("up", {}), ("up", {}), ("down", {}), ("error", {"status": 503}), ("error", {"status": 500}),
             ("drop", {}), ("slow", {"seconds": 0.3}), ("slow", {"seconds": 3})]  # 3 s > client timeout
    kill_after = [20, 80, 140]  # acknowledgements seen: the sender dies wherever it is at that moment
    child = run_child(platform, "drain", tmp_path)
    deadline = time.monotonic() + 240
    step = kills = 0
    try:
        while child.poll() is None:
            assert time.monotonic() < deadline, f"not drained: {outbox_stats(tmp_path)}"
            mode, extra = ("up", {}) if step % 5 == 4 else rng.choice(modes)  # let some through, so it ends
            platform.mode(mode, **extra)
            before = progress(tmp_path)
            # each fault stays until the sender has tried at least once under it (no timed steps)
            wait_for(lambda: child.poll() is not None or progress(tmp_path) != before,  # noqa: B023
                     f"a delivery attempt in mode {mode}")
            step += 1
            if kill_after and len(acks(tmp_path)) >= kill_after[0] and child.poll() is None:
                kill_after.pop(0)
                kill(child)
                kills += 1
                child = run_child(platform, "drain", tmp_path)
    finally:
        platform.mode("up")
        if child.poll() is None:
            child.wait(WAIT_S)
    assert child.returncode == 0
    assert kills == 3, f"the sender was killed {kills} times"
    stats = outbox_stats(tmp_path)
    assert stats["depth"] == 0 and stats["failed"] == 0 and stats["acked_not_removed"] == 0, stats
    filed = platform.filed()
    markers = [s["body"]["form"]["from_centre"] for s in subs]
    copies = Counter(filed[m] for m in markers)
    assert copies == Counter({1: 200}), f"copies per submission: {copies}"
    arrived = platform.materials()
    assert all(arrived[m] == (1, []) for m in markers), "every application holds its material, none pending"
    seen = acks(tmp_path)
    assert {a["marker"] for a in seen} == set(markers)
    by_key: dict[str, set[str]] = {}
    for a in seen:
        by_key.setdefault(a["key"], set()).add(a["acceptance_no"])
    assert all(len(v) == 1 for v in by_key.values())  # a repeat always got the same answer
    faults = platform.proxy.control("GET", "/state")[1]["counters"]
    print(f"\n200 submissions: {kills} kills, {step} fault steps, proxy counters {faults}, "
          f"{sum(a['replayed'] for a in seen)} replayed acks")


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
