"""Signed remote commands: what the kiosk accepts, and every way it refuses (pure, no broker)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.services.fleet_commands import (
    MAX_LIFETIME_S,
    CommandRefused,
    CommandVerifier,
    public_key_b64,
    public_key_from_b64,
    sign_command,
)
from simulators.fleet.ops_keys import development_key

KIOSK = "GD-SG-ZJ-0001"
NOW = 1_800_000_000.0
OPS = development_key()


@pytest.fixture
def verifier(tmp_path: Path) -> CommandVerifier:
    return CommandVerifier(OPS.public_key(), KIOSK, tmp_path / "seen.json", clock=lambda: NOW)


def raw(payload: dict) -> bytes:
    return json.dumps(payload).encode()


def refused(verifier: CommandVerifier, payload: bytes) -> CommandRefused:
    with pytest.raises(CommandRefused) as err:
        verifier.verify(payload)
    return err.value


def test_the_development_config_trusts_the_development_key() -> None:
    cfg = load_config(DEFAULT_CONFIG, env={})
    assert cfg.fleet.command_public_key == public_key_b64(OPS)
    assert public_key_b64(public_key_from_b64(cfg.fleet.command_public_key)) == cfg.fleet.command_public_key


def test_a_signed_command_is_accepted_once(verifier: CommandVerifier) -> None:
    signed = sign_command(OPS, KIOSK, "set_maintenance", {"on": True}, now=NOW - 5)
    cmd = verifier.verify(raw(signed))
    assert (cmd.id, cmd.command, cmd.args, cmd.kiosk_id) == (signed["id"], "set_maintenance", {"on": True}, KIOSK)
    again = refused(verifier, raw(signed))
    assert again.reason == "replayed" and again.command_id == signed["id"] and again.command == "set_maintenance"


def test_a_replay_is_refused_after_a_restart_too(verifier: CommandVerifier, tmp_path: Path) -> None:
    signed = sign_command(OPS, KIOSK, "restart", now=NOW)
    verifier.verify(raw(signed))
    restarted = CommandVerifier(OPS.public_key(), KIOSK, tmp_path / "seen.json", clock=lambda: NOW + 60)
    assert refused(restarted, raw(signed)).reason == "replayed"


@pytest.mark.parametrize(("change", "reason"), [
    (lambda p: p.pop("sig"), "unsigned"),
    (lambda p: p.update(command="restart"), "bad_signature"),  # altered after signing
    (lambda p: p.update(args={"on": False}), "bad_signature"),
    (lambda p: p.update(sig="not base64!"), "bad_signature"),
    (lambda p: p.pop("expires_at"), "malformed"),
    (lambda p: p.update(id="x"), "malformed"),
])
def test_tampered_or_unsigned_commands_are_refused(verifier: CommandVerifier, change, reason) -> None:
    payload = sign_command(OPS, KIOSK, "set_maintenance", {"on": True}, now=NOW)
    change(payload)
    assert refused(verifier, raw(payload)).reason == reason


def test_a_command_signed_by_another_key_is_forged(verifier: CommandVerifier) -> None:
    forged = sign_command(Ed25519PrivateKey.generate(), KIOSK, "collect_logs", now=NOW)
    err = refused(verifier, raw(forged))
    assert err.reason == "bad_signature" and err.command == "collect_logs"
    assert not verifier.seen_file.exists()  # nothing unauthenticated is stored


@pytest.mark.parametrize(("kwargs", "reason"), [
    ({"now": NOW - 400, "lifetime_s": 300}, "expired"),
    ({"now": NOW + 3600}, "not_yet_valid"),
    ({"now": NOW, "lifetime_s": MAX_LIFETIME_S + 1}, "lifetime_too_long"),
])
def test_time_limits(verifier: CommandVerifier, kwargs, reason) -> None:
    assert refused(verifier, raw(sign_command(OPS, KIOSK, "refresh_catalogue", **kwargs))).reason == reason


def test_wrong_kiosk_unknown_command_and_junk(verifier: CommandVerifier) -> None:
    assert refused(verifier, raw(sign_command(OPS, "GD-SG-ZJ-0002", "restart", now=NOW))).reason == "wrong_kiosk"
    assert refused(verifier, raw(sign_command(OPS, KIOSK, "format_disk", now=NOW))).reason == "unknown_command"
    assert refused(verifier, b"\xff\xfe").reason == "malformed"
    assert refused(verifier, b"[1, 2]").reason == "malformed"


def test_a_corrupt_seen_file_refuses_older_commands_and_heals(tmp_path: Path) -> None:
    seen = tmp_path / "seen.json"
    old = sign_command(OPS, KIOSK, "restart", now=NOW - 10)
    seen.write_text("{broken")
    verifier = CommandVerifier(OPS.public_key(), KIOSK, seen, clock=lambda: NOW)
    assert refused(verifier, raw(old)).reason == "replayed"  # cannot be proved new
    fresh = sign_command(OPS, KIOSK, "restart", now=NOW + 1)
    assert verifier.verify(raw(fresh)).id == fresh["id"]
    assert json.loads(seen.read_text())["seen"] == {fresh["id"]: fresh["expires_at"]}
