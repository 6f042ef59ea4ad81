"""The outbox on its own: durable before sending, one Idempotency-Key per entry for every retry,
sealed at rest, deleted once acknowledged, refusals kept (not retried), backoff while offline,
and `kiosk-diag outbox` reporting without personal data. The platform is a scripted stand-in
here; tests/services/test_outbox_crash.py runs the real backend with SIGKILLs and faults."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.diag import outbox as diag
from kiosk.services import messages
from kiosk.services.backend_types import Ack, BackendError
from kiosk.services.outbox import Entry, Outbox, OutboxError, is_permanent

KEY = bytes(range(32))
PERSON = {"name": "李建国", "id_number": "440281197001010015", "phone": "13800138000"}
WAIT = 30.0


class ScriptedPlatform:
    """Answers submit() from a script of outcomes (Ack or BackendError); then acks everything."""

    def __init__(self, *script: Ack | BackendError) -> None:
        self.script = list(script)
        self.calls: list[tuple[str, Any, str, dict[str, str] | None]] = []
        self.lock = threading.Lock()

    def submit(self, path: str, body: Any, *, idempotency_key: str, headers: dict[str, str] | None = None) -> Ack:
        with self.lock:
            self.calls.append((path, body, idempotency_key, headers))
            outcome = self.script.pop(0) if self.script else Ack(200, {"ok": len(self.calls)}, False)
        if isinstance(outcome, BackendError):
            raise outcome
        return outcome


def offline() -> BackendError:
    return BackendError("offline", "POST /applications: connection refused")


def refused(detail: str = "field from_centre is required") -> BackendError:
    return BackendError("form_invalid", f"POST /applications: HTTP 422 form_invalid: {detail}", 422,
                        "“转出地公积金中心”为必填项，请修改后重新提交。")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "outbox.sqlite3"


@pytest.fixture
def box(db: Path) -> Iterator[Outbox]:
    ob = Outbox(db, KEY, ScriptedPlatform(), backoff_base_s=0.01, backoff_max_s=0.05).open()  # type: ignore[arg-type]
    yield ob
    ob.close()


def raw_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def application() -> dict[str, Any]:
    return {"item_id": "housing-fund-account-transfer",
            "form": {"from_city": "韶关市", "from_centre": "韶关市住房公积金中心", "phone": PERSON["phone"]},
            "proxy": {"name": PERSON["name"], "id_number": PERSON["id_number"], "relation": "子女"}}


def test_durability_settings(box: Outbox) -> None:
    conn = box._conn()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_personal_data_is_sealed_at_rest(box: Outbox, db: Path) -> None:
    entry = box.enqueue("submission", "/applications", application(), {"X-Session-Token": "S-secret-token"})
    raw = raw_bytes(db)
    for secret in (*PERSON.values(), "S-secret-token", "韶关市住房公积金中心"):
        assert secret.encode() not in raw, secret
    [stored] = box.entries()
    assert stored.body == application() and stored.headers == {"X-Session-Token": "S-secret-token"}
    assert stored.idempotency_key == entry.idempotency_key


def test_another_key_cannot_open_the_entries(box: Outbox, db: Path) -> None:
    """Under another key the entry does not open: it is quarantined (kept sealed, never sent), and
    comes back once the right key is there again."""
    box.enqueue("submission", "/applications", application())
    box.close()
    with Outbox(db, b"\xff" * 32) as other:
        assert other.entries() == []
        [kept] = other.health().quarantined
        assert kept.kind == "submission" and "does not open" in kept.reason
    with Outbox(db, KEY) as right:
        assert right.requeue_quarantined() == 1
        [back] = right.entries()
        assert back.body == application()


def test_entry_survives_a_reopen_with_its_key(db: Path) -> None:
    with Outbox(db, KEY) as ob:
        entry = ob.enqueue("rating", "/ratings", {"item_id": "x", "level": 5})
    with Outbox(db, KEY) as ob:
        [again] = ob.entries()
    assert (again.id, again.idempotency_key, again.body) == (entry.id, entry.idempotency_key, entry.body)


def test_sent_with_its_key_and_deleted_once_acknowledged(db: Path) -> None:
    platform = ScriptedPlatform(Ack(200, {"acceptance_no": "YS1"}, False))
    acked: list[tuple[Entry, Ack]] = []
    with Outbox(db, KEY, platform, backoff_base_s=0.01) as ob:  # type: ignore[arg-type]
        ob.add_ack_listener(lambda e, a: acked.append((e, a)))
        entry = ob.enqueue("submission", "/applications", application(), {"X-Session-Token": "S-1"})
        ob.start()
        assert ob.wait_idle(WAIT)
        assert ob.stats()["depth"] == 0 and ob.stats()["delivered_total"] == 1
        rows = ob._conn().execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    assert rows == 0
    assert platform.calls == [("/applications", application(), entry.idempotency_key, {"X-Session-Token": "S-1"})]
    assert acked[0][0].id == entry.id and acked[0][1].body == {"acceptance_no": "YS1"}


def test_every_retry_carries_the_same_key(db: Path) -> None:
    platform = ScriptedPlatform(offline(), BackendError("platform_unavailable", "HTTP 503", 503))
    with Outbox(db, KEY, platform, backoff_base_s=0.01, backoff_max_s=0.05) as ob:  # type: ignore[arg-type]
        entry = ob.enqueue("submission", "/applications", application())
        ob.start()
        assert ob.wait_idle(WAIT)
        stats = ob.stats()
    assert [c[2] for c in platform.calls] == [entry.idempotency_key] * 3
    assert stats["last_error"].startswith("platform_unavailable") and stats["failed"] == 0


def test_a_refusal_is_kept_as_failed_and_not_retried(db: Path) -> None:
    platform = ScriptedPlatform(refused(f"value {PERSON['id_number']} is not allowed"))
    with Outbox(db, KEY, platform, backoff_base_s=0.01) as ob:  # type: ignore[arg-type]
        ob.enqueue("submission", "/applications", application())
        second = ob.enqueue("rating", "/ratings", {"item_id": "x", "level": 4})
        ob.start()
        assert ob.wait_idle(WAIT)
        stats = ob.stats()
        assert len(ob.entries("failed")) == 1
    assert len(platform.calls) == 2 and platform.calls[1][2] == second.idempotency_key
    assert stats["failed"] == 1 and stats["depth"] == 0
    assert stats["last_error"].startswith("form_invalid")
    assert PERSON["id_number"] not in stats["last_error"]  # masked before it is stored


@pytest.mark.parametrize(("code", "status"), [("signature_invalid", 401), ("timestamp_stale", 401),
                                             ("tls", None), ("tls_config", None)])
def test_kiosk_side_problems_are_retried_not_dropped(code: str, status: int | None) -> None:
    assert not is_permanent(BackendError(code, "…", status))


def test_refusals_and_transient_failures_are_told_apart() -> None:
    assert is_permanent(refused())
    assert is_permanent(BackendError("session_required", "…", 401))
    for transient in (offline(), BackendError("idempotency_in_progress", "…", 409),
                      BackendError("platform_unavailable", "…", 503), BackendError("broken", "…")):
        assert not is_permanent(transient), transient.code


def test_send_or_queue_returns_the_ack_while_online(db: Path) -> None:
    with Outbox(db, KEY, ScriptedPlatform(Ack(200, {"acceptance_no": "YS9"}, False))) as ob:  # type: ignore[arg-type]
        delivery = ob.send_or_queue("submission", "/applications", application())
        assert delivery.ack is not None and delivery.ack.body == {"acceptance_no": "YS9"} and not delivery.queued
        assert ob.stats()["depth"] == 0


def test_send_or_queue_returns_the_refusal(db: Path) -> None:
    with Outbox(db, KEY, ScriptedPlatform(refused())) as ob:  # type: ignore[arg-type]
        delivery = ob.send_or_queue("submission", "/applications", application())
        assert delivery.error is not None and delivery.error.code == "form_invalid" and not delivery.queued
        assert "转出地公积金中心" in messages.for_error(delivery.error)


def test_send_or_queue_queues_while_offline_and_the_sender_delivers_later(db: Path) -> None:
    platform = ScriptedPlatform(offline())
    with Outbox(db, KEY, platform, backoff_base_s=0.01, backoff_max_s=0.05) as ob:  # type: ignore[arg-type]
        delivery = ob.send_or_queue("submission", "/applications", application())
        assert delivery.queued and delivery.error is not None and delivery.error.code == "offline"
        assert ob.stats()["depth"] == 1
        ob.start()
        assert ob.wait_idle(WAIT)
    assert [c[2] for c in platform.calls] == [delivery.entry.idempotency_key] * 2


def test_unknown_kind_and_bad_path_are_refused(box: Outbox) -> None:
    with pytest.raises(OutboxError, match="unknown outbox kind"):
        box.enqueue("payment", "/payments", {})
    with pytest.raises(OutboxError, match="unknown outbox kind"):  # retired: telemetry goes over MQTT
        box.enqueue("heartbeat", "/kiosk/heartbeat", {})
    with pytest.raises(OutboxError, match="must start with"):
        box.enqueue("rating", "ratings", {})


def test_start_needs_a_client(db: Path) -> None:
    with Outbox(db, KEY) as ob, pytest.raises(OutboxError, match="needs a BackendClient"):
        ob.start()


# ---- kiosk-diag outbox ----------------------------------------------------------------------------

def test_diag_reports_depth_age_and_last_error_without_personal_data(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    platform = ScriptedPlatform(refused(f"bad phone {PERSON['phone']}"), offline(), offline(), offline())
    with Outbox(db, KEY, platform, backoff_base_s=10, backoff_max_s=10) as ob:  # type: ignore[arg-type]
        ob.send_or_queue("submission", "/applications", application())
        ob.send_or_queue("submission", "/applications", application())
        ob.enqueue("rating", "/ratings", {"item_id": "x", "level": 5})
        assert diag.main(["--db", str(db), "--json"]) == 1  # one refused entry: the technician looks
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["depth"] == 2 and report["failed"] == 1 and report["by_kind"] == {"submission": 1, "rating": 1}
    assert report["oldest_age_s"] is not None and report["oldest_age_s"] >= 0
    assert report["last_error"].startswith("offline")
    for secret in (*PERSON.values(), "韶关市住房公积金中心"):
        assert secret not in out
    assert diag.main(["--db", str(db)]) == 1
    text = capsys.readouterr().out
    assert "waiting:        2 (rating 1, submission 1)" in text and "refused:        1" in text


def test_diag_purges_refused_entries_and_keeps_waiting_ones(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    platform = ScriptedPlatform(refused(), offline(), offline())
    with Outbox(db, KEY, platform, backoff_base_s=10, backoff_max_s=10) as ob:  # type: ignore[arg-type]
        ob.send_or_queue("submission", "/applications", application())  # refused → kept as failed
        ob.enqueue("rating", "/ratings", {"item_id": "x", "level": 5})  # waits for the platform
    assert diag.main(["--db", str(db), "--json"]) == 1
    capsys.readouterr()
    assert diag.main(["--db", str(db), "--json", "--purge-refused"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["failed"] == 0 and report["depth"] == 1
    assert "deleted 1 refused entry" in captured.err
    assert PERSON["id_number"].encode() not in raw_bytes(db)


def test_diag_on_an_empty_and_a_missing_outbox(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert diag.main(["--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exists"] is False
    with Outbox(db, KEY):
        pass
    assert diag.main(["--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["depth"] == 0


def test_diag_unreadable_outbox_and_bad_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    assert diag.main(["--db", str(broken)]) == 3  # offline: writes cannot be queued
    assert "cannot read" in capsys.readouterr().err
    assert diag.main(["--config", str(tmp_path / "missing.toml")]) == 2
    assert diag.main(["--bogus"]) == 2


def test_diag_reads_the_configured_outbox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.config import DEFAULT_CONFIG

    config = tmp_path / "kiosk.toml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = text.replace('outbox_db = "../var/outbox.sqlite3"', f'outbox_db = "{tmp_path / "ob.sqlite3"}"')
    text = text.replace('log_dir = "../var/log"', f'log_dir = "{tmp_path / "log"}"')
    config.write_text(text, encoding="utf-8")
    with Outbox(tmp_path / "ob.sqlite3", KEY) as ob:
        ob.enqueue("rating", "/ratings", {"item_id": "x", "level": 5})
    assert diag.main(["--config", str(config), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["depth"] == 1


def test_stats_read_with_plain_sqlite(db: Path) -> None:
    """The diag reads without the kiosk key: only the plaintext columns are needed."""
    with Outbox(db, KEY) as ob:
        ob.enqueue("submission", "/applications", application())
    conn = sqlite3.connect(db)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(entries)")]
    conn.close()
    assert {"kind", "path", "created_at", "state", "sealed", "last_error"} <= set(cols)
