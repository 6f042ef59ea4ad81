"""The kiosk's fleet client against the hub's real Mosquitto (TLS, per-kiosk login, ACLs) and the
operations centre (`kiosk-sim fleet`): retained state at once on device changes, no personal data
in any payload, signed commands run and acknowledged, forged/replayed/expired ones refused, the
reconnect after the broker comes back, collect_logs through the platform's diagnostics route."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.manager import DeviceManager
from kiosk.devices.model import DeviceState
from kiosk.services.backend_client import BackendClient
from kiosk.services.fleet_client import FleetClient, mqtt_password
from kiosk.services.fleet_commands import sign_command
from kiosk.services.signing import load_key
from simulators.personas import load_personas
from tests.simulators.printer_control import wait_until

pytestmark = pytest.mark.e2e
KIOSK = "GD-SG-ZJ-0001"


class Hooks:
    """What the app would do, recorded."""

    def __init__(self) -> None:
        self.idle = True
        self.maintenance: list[bool] = []
        self.restarts = 0
        self.refreshes = 0
        self.restarted = threading.Event()

    def is_idle(self) -> bool:
        return self.idle

    def set_maintenance(self, on: bool) -> None:
        self.maintenance.append(on)

    def refresh_catalogue(self) -> str | None:
        self.refreshes += 1
        return "v-test"

    def restart(self) -> None:
        self.restarts += 1
        self.restarted.set()


class Kiosk:
    def __init__(self, fleet: FleetClient, hooks: Hooks, devices: DeviceManager, client: BackendClient,
                 cfg: Any) -> None:
        self.fleet, self.hooks, self.devices, self.client, self.cfg = fleet, hooks, devices, client, cfg


def make_cfg(hub, tmp_path: Path, **extra: str):
    return load_config(DEFAULT_CONFIG, env={
        **hub.kiosk_env(), "KIOSK_DEVICES__SCANNER__ENABLED": "false", "KIOSK_DEVICES__CAMERA__ENABLED": "false",
        "KIOSK_DEVICES__SSCARD__ENABLED": "false", "KIOSK_DEVICES__IDCARD__POLL_INTERVAL_S": "0.1",
        "KIOSK_STATE_DIR": str(tmp_path / "state"), "KIOSK_LOG_DIR": str(tmp_path / "log"),
        "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
        "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3"),
        "KIOSK_FLEET__HEARTBEAT_S": "3600",  # so every publish seen below comes from a change
        **extra})


@pytest.fixture
def kiosk(hub, tmp_path: Path) -> Iterator[Kiosk]:
    cfg = make_cfg(hub, tmp_path)
    key = load_key(cfg.backend.key_file)
    client = BackendClient(cfg.backend, cfg.kiosk_id, key)
    devices = DeviceManager(cfg, backoff_initial=0.2, backoff_max=1.0)
    devices.open_all()
    hooks = Hooks()
    fleet = FleetClient(cfg, key, devices=devices, hooks=hooks, client=client)
    fleet.start()
    k = Kiosk(fleet, hooks, devices, client, cfg)
    try:
        wait_until(lambda: fleet.connected, "the kiosk to connect to the broker")
        wait_until(lambda: (row(hub) or {}).get("status") == "online" and row(hub)["devices"], "the state online")
        yield k
    finally:
        fleet.stop()
        devices.close_all()
        client.close()
        hub.call("POST", "/idcard/lift")
        hub.call("POST", "/idcard/replug")
        hub.call("POST", "/broker/replug")


def row(hub) -> dict | None:
    return next((r for r in hub.call("GET", "/fleet/state")["kiosks"] if r["kiosk_id"] == KIOSK), None)


def command(hub, name: str, args: dict | None = None) -> str:
    return hub.call("POST", "/fleet/command", {"kiosk_id": KIOSK, "command": name, "args": args or {}})["id"]


def acks(hub, command_id: str) -> list[dict]:
    found = next((c for c in hub.call("GET", "/fleet/commands")["commands"] if c["id"] == command_id), None)
    return [] if found is None else found["acks"]


def final_ack(hub, command_id: str, status: str | tuple[str, ...] = ("done", "failed", "refused")) -> dict:
    statuses = (status,) if isinstance(status, str) else status
    return wait_until(lambda: next((a for a in acks(hub, command_id) if a["status"] in statuses), None),
                      f"an ack {statuses} for {command_id}")


def test_state_is_retained_and_follows_device_changes_at_once(hub, kiosk: Kiosk) -> None:
    state = row(hub)
    assert state["devices"]["idcard"]["state"] == "online" and state["devices"]["printer"]["extras"]["paper"] == "ok"
    assert state["app_version"] and state["outbox_depth"] is not None
    published = kiosk.fleet.published
    kiosk.devices.get("idcard").enable()  # polling, as while a resident is asked for the card
    hub.call("POST", "/idcard/unplug")  # the heartbeat is an hour: only the status listener can tell
    wait_until(lambda: row(hub)["devices"]["idcard"]["state"] in ("offline", "no_device"), "idcard offline")
    assert row(hub)["has_problem"] and kiosk.fleet.published > published
    hub.call("POST", "/idcard/replug")
    wait_until(lambda: row(hub)["devices"]["idcard"]["state"] == "online", "idcard back online")


def persona_strings() -> list[str]:
    out = []
    for p in load_personas().values():
        out += [v for v in (p.name, p.english_name, p.address, p.appended_address, p.id_number, p.phone,
                            p.eid_token, p.pass_number, p.birth_date.replace("-", "")) if v]
        if p.sscard is not None:
            out += [p.sscard.card_number, p.sscard.card_identifier]
    return out


def test_no_published_payload_carries_personal_data(hub, kiosk: Kiosk) -> None:
    """Every persona's card is read while the client publishes each change; then every payload
    the operations centre received is searched for every persona string."""
    hub.call("GET", "/fleet/messages?clear=1")
    reader = kiosk.devices.get("idcard")
    cards: list[Any] = []
    reader.events.set_listener(cards.append)
    reader.enable()
    try:
        for i, persona in enumerate(load_personas().values()):
            hub.call("POST", "/idcard/place", {"persona": persona.id})
            wait_until(lambda n=i + 1: len(cards) >= n, f"{persona.id}'s card read")
            wait_until(lambda: row(hub)["devices"]["idcard"]["extras"].get("card_present") is True, "card present")
            hub.call("POST", "/idcard/lift")
            wait_until(lambda: row(hub)["devices"]["idcard"]["extras"].get("card_present") is False, "card lifted")
    finally:
        reader.disable()
    assert {c.id_number for c in cards} == {p.id_number for p in load_personas().values()}  # really read
    messages = [m for m in hub.call("GET", "/fleet/messages")["messages"] if m["topic"].startswith(f"kiosk/{KIOSK}/")]
    assert len(messages) >= 2 * len(cards)
    text = "\n".join(m["payload"] for m in messages)
    assert [s for s in persona_strings() if s in text] == []


def test_signed_commands_run_and_are_acknowledged(hub, kiosk: Kiosk) -> None:
    cid = command(hub, "refresh_catalogue")
    done = final_ack(hub, cid)
    assert done["status"] == "done" and done["result"] == {"version": "v-test"} and kiosk.hooks.refreshes == 1
    assert [a["status"] for a in acks(hub, cid)] == ["accepted", "done"]

    cid = command(hub, "set_maintenance", {"on": True})
    assert final_ack(hub, cid)["result"] == {"maintenance": True} and kiosk.hooks.maintenance == [True]
    wait_until(lambda: row(hub)["maintenance"] is True, "maintenance shown in the state")
    assert json.loads((Path(kiosk.cfg.state_dir) / "fleet-maintenance.json").read_text())["on"] is True
    bad = command(hub, "set_maintenance", {"on": "yes"})
    assert final_ack(hub, bad)["reason"] == "bad_arguments"
    cid = command(hub, "set_maintenance", {"on": False})
    assert final_ack(hub, cid)["result"] == {"maintenance": False}


def test_restart_waits_for_the_session_to_end(hub, kiosk: Kiosk) -> None:
    kiosk.hooks.idle = False  # a resident is being served
    cid = command(hub, "restart")
    deferred = final_ack(hub, cid, "deferred")
    assert "session" in deferred["detail"] and kiosk.hooks.restarts == 0
    kiosk.hooks.idle = True
    assert kiosk.hooks.restarted.wait(30) and kiosk.hooks.restarts == 1
    assert final_ack(hub, cid, "done")["result"] == {"restarting": True}


@pytest.mark.parametrize(("make", "reason"), [
    (lambda: sign_command(Ed25519PrivateKey.generate(), KIOSK, "restart"), "bad_signature"),
    (lambda: {k: v for k, v in sign_command(Ed25519PrivateKey.generate(), KIOSK, "restart").items() if k != "sig"},
     "unsigned"),
    (lambda: sign_command(_ops_key(), KIOSK, "restart", now=__import__("time").time() - 900), "expired"),
])
def test_forged_unsigned_and_expired_commands_are_refused_and_reported(hub, kiosk: Kiosk, make, reason) -> None:
    payload = make()
    hub.call("POST", "/fleet/raw-command", {"kiosk_id": KIOSK, "payload": payload})
    ack = final_ack(hub, payload["id"], "refused")
    assert ack["reason"] == reason and kiosk.hooks.restarts == 0


def _ops_key() -> Ed25519PrivateKey:
    from simulators.fleet.ops_keys import development_key

    return development_key()


def test_a_replayed_command_is_refused(hub, kiosk: Kiosk) -> None:
    signed = sign_command(_ops_key(), KIOSK, "refresh_catalogue")
    hub.call("POST", "/fleet/raw-command", {"kiosk_id": KIOSK, "payload": signed})
    assert final_ack(hub, signed["id"], "done")
    hub.call("POST", "/fleet/raw-command", {"kiosk_id": KIOSK, "payload": signed})  # captured and sent again
    assert final_ack(hub, signed["id"], "refused")["reason"] == "replayed"
    assert kiosk.hooks.refreshes == 1


def test_collect_logs_uploads_a_masked_bundle_to_the_platform(hub, kiosk: Kiosk) -> None:
    log_dir = Path(kiosk.cfg.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    persona = next(iter(load_personas().values()))
    (log_dir / "kiosk.log").write_text(f"a line that slipped through: {persona.id_number} {persona.phone}\n")
    cid = command(hub, "collect_logs")
    result = final_ack(hub, cid)["result"]
    assert result["bundle_no"].startswith("ZD") and result["bytes"] > 0
    stored = next(b for b in hub.call("GET", "/backend/diagnostics")["bundles"] if b["bundle_no"] == result["bundle_no"])
    assert stored["kiosk_id"] == KIOSK and stored["command_id"] == cid and "logs/kiosk.log" in stored["files"]
    files = hub.call("GET", f"/backend/diagnostics?bundle_no={result['bundle_no']}")["files"]
    assert "slipped through: *** ***" in files["logs/kiosk.log"] and persona.id_number not in "".join(files.values())
    assert json.loads(files["status.json"])["kiosk_id"] == KIOSK


def test_the_client_reconnects_when_the_broker_comes_back(hub, kiosk: Kiosk) -> None:
    hub.call("POST", "/broker/unplug")
    wait_until(lambda: not kiosk.fleet.connected, "the kiosk to notice the broker is gone")
    hub.call("POST", "/broker/replug")  # a fresh broker: no retained state until the kiosk republishes
    wait_until(lambda: kiosk.fleet.connected, "the kiosk to reconnect", timeout=60)
    wait_until(lambda: (row(hub) or {}).get("status") == "online", "the state republished", timeout=60)


def test_a_wrong_password_is_refused_by_the_broker(hub, tmp_path: Path) -> None:
    """Per-kiosk credentials: another key derives another password, and the broker says no."""
    cfg = make_cfg(hub, tmp_path)
    other_key = b"\x01" * 32
    assert mqtt_password(other_key, KIOSK) != mqtt_password(load_key(cfg.backend.key_file), KIOSK)
    devices = DeviceManager(cfg)
    fleet = FleetClient(cfg, other_key, devices=devices, hooks=Hooks())
    fleet.start()
    try:
        wait_until(lambda: fleet.last_error and "refused" in fleet.last_error, "the broker's refusal")
        assert not fleet.connected
    finally:
        fleet.stop()
    assert devices.statuses() == {} or all(s.state != DeviceState.ONLINE for s in devices.statuses().values())
