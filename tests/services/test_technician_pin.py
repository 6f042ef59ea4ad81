"""The technician PIN: scrypt hashing, the 5-tries lockout and its persistence across restarts,
`kiosk-diag pin set|status`, and that the PIN never reaches a log."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import DEFAULT_CONFIG, ConfigError, load_config
from kiosk.services import messages
from kiosk.services.pin_lockout import LOCK_S, MAX_TRIES, LockoutStateError, PinLockout
from kiosk.services.technician_pin import (
    PinFormatError,
    PinHashError,
    hash_pin,
    parse_pin_hash,
    verify_pin,
)

DEV_PIN = "246810"  # the development PIN of config/kiosk.toml (docs/configuration.md)
FAST = {"n": 2**10}  # cheaper scrypt for the many hashes of these tests; the format is the same


class Clock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def pin_hash() -> str:
    return hash_pin("135790", **FAST)


def test_hash_round_trip_and_salt() -> None:
    a, b = hash_pin("135790", **FAST), hash_pin("135790", **FAST)
    assert a != b and a.startswith("scrypt$1024$8$1$")  # a fresh salt each time
    assert verify_pin("135790", a) and verify_pin("135790", b)
    assert not verify_pin("135791", a) and not verify_pin("13579", a) and not verify_pin("", a)
    assert "135790" not in a
    parsed = parse_pin_hash(hash_pin("1234", salt=b"0123456789abcdef"))
    assert (parsed.n, parsed.r, parsed.p, parsed.salt, len(parsed.key)) == (2**14, 8, 1, b"0123456789abcdef", 32)


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a456", " 123456", "１２３４５６"])
def test_pins_are_4_to_12_ascii_digits(pin: str) -> None:
    with pytest.raises(PinFormatError) as err:
        hash_pin(pin, **FAST)
    assert pin.strip() not in str(err.value) or not pin.strip()


@pytest.mark.parametrize("bad", ["", "pbkdf2$1$2", "scrypt$16384$8$1$c2FsdA$a2V5",  # key too short
                                 "scrypt$1000$8$1$MDEyMzQ1Njc4OWFiY2RlZg$" + "A" * 43,  # N not a power of two
                                 "scrypt$x$8$1$a$b", "scrypt$16384$8$1$!!!$???"])
def test_malformed_hashes_are_refused(bad: str) -> None:
    with pytest.raises(PinHashError):
        parse_pin_hash(bad)


def test_the_development_config_carries_the_documented_pin() -> None:
    cfg = load_config(DEFAULT_CONFIG, env={})
    assert cfg.technician.pin_hash and verify_pin(DEV_PIN, cfg.technician.pin_hash)
    assert DEV_PIN in (Path(DEFAULT_CONFIG).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")


def test_a_bad_pin_hash_in_the_config_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as err:
        load_config(DEFAULT_CONFIG, env={"KIOSK_TECHNICIAN__PIN_HASH": "246810"})
    assert err.value.key == "technician.pin_hash" and "kiosk-diag pin set" in err.value.expected


def test_five_wrong_tries_lock_for_five_minutes(tmp_path: Path, pin_hash: str) -> None:
    clock = Clock()
    lockout = PinLockout(tmp_path / "state" / "lock.json", clock=clock)
    for left in range(MAX_TRIES - 1, 0, -1):
        attempt = lockout.try_pin("000000", pin_hash)
        assert (attempt.ok, attempt.locked, attempt.tries_left, attempt.code) == (False, False, left,
                                                                                   "technician.pin_wrong")
    fifth = lockout.try_pin("000000", pin_hash)
    assert fifth.locked and fifth.seconds_left == LOCK_S and fifth.code == "technician.locked"
    clock.t += 10
    right_but_locked = lockout.try_pin("135790", pin_hash)
    assert not right_but_locked.ok and right_but_locked.locked and right_but_locked.seconds_left == LOCK_S - 10
    clock.t += LOCK_S - 10 + 0.001  # the lock has run out: five fresh tries, and the right PIN works
    assert lockout.status().tries_left == MAX_TRIES and not lockout.status().locked
    assert lockout.try_pin("135790", pin_hash).ok
    for code in ("technician.pin_wrong", "technician.locked", "technician.state_unwritable"):
        assert code in messages.MESSAGES
    assert "3" in messages.text("technician.pin_wrong", tries_left=3)


def test_the_lock_and_the_count_survive_a_restart(tmp_path: Path, pin_hash: str) -> None:
    clock, path = Clock(), tmp_path / "lock.json"
    first = PinLockout(path, clock=clock)
    first.try_pin("111111", pin_hash)
    first.try_pin("111111", pin_hash)
    assert PinLockout(path, clock=clock).status().tries_left == MAX_TRIES - 2  # a new process sees the count
    for _ in range(MAX_TRIES - 2):
        PinLockout(path, clock=clock).try_pin("111111", pin_hash)
    clock.t += 60
    restarted = PinLockout(path, clock=clock)
    assert restarted.status().locked and restarted.status().seconds_left == LOCK_S - 60
    assert not restarted.try_pin("135790", pin_hash).ok
    assert json.loads(path.read_text())["locked_until"] == pytest.approx(clock.t - 60 + LOCK_S)


def test_a_right_pin_resets_the_count(tmp_path: Path, pin_hash: str) -> None:
    lockout = PinLockout(tmp_path / "lock.json", clock=Clock())
    for _ in range(MAX_TRIES - 1):
        lockout.try_pin("999999", pin_hash)
    assert lockout.try_pin("135790", pin_hash).ok
    assert lockout.status().tries_left == MAX_TRIES


def test_clock_set_back_cannot_stretch_the_lock(tmp_path: Path, pin_hash: str) -> None:
    clock = Clock()
    lockout = PinLockout(tmp_path / "lock.json", clock=clock)
    for _ in range(MAX_TRIES):
        lockout.try_pin("000000", pin_hash)
    clock.t -= 86_400  # someone set the clock back a day
    assert lockout.status().seconds_left == LOCK_S


def test_a_corrupt_state_file_fails_closed(tmp_path: Path, pin_hash: str) -> None:
    path = tmp_path / "lock.json"
    path.write_text("{not json")
    lockout = PinLockout(path, clock=Clock())
    attempt = lockout.try_pin("135790", pin_hash)
    assert not attempt.ok and attempt.locked and attempt.seconds_left == LOCK_S
    assert json.loads(path.read_text())["locked_until"] is not None  # rewritten: it expires normally


def test_an_unwritable_state_file_refuses_the_try(tmp_path: Path, pin_hash: str) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the state directory should be")
    with pytest.raises(LockoutStateError):
        PinLockout(blocker / "lock.json", clock=Clock()).try_pin("000000", pin_hash)


def test_the_pin_is_never_logged(tmp_path: Path, pin_hash: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    lockout = PinLockout(tmp_path / "lock.json", clock=Clock())
    lockout.try_pin("864200", pin_hash)
    lockout.try_pin("135790", pin_hash)
    assert caplog.records and "PIN wrong" in caplog.text and "accepted" in caplog.text
    assert "864200" not in caplog.text and "135790" not in caplog.text


def _diag(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.diag.cli", "pin", *args], input=stdin, text=True,
                          capture_output=True, timeout=60, env={**os.environ, **(env or {})})


def test_pin_set_prints_a_config_line_and_never_the_pin(tmp_path: Path) -> None:
    done = _diag("set", stdin="97531\n97531\n")
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith('pin_hash = "scrypt$') and "97531" not in done.stdout + done.stderr
    value = line.split("=", 1)[1].strip().strip('"')
    assert verify_pin("97531", value)
    cfg = load_config(DEFAULT_CONFIG, env={"KIOSK_TECHNICIAN__PIN_HASH": value})  # it is a valid config value
    assert cfg.technician.pin_hash == value
    mismatch = _diag("set", stdin="97531\n97532\n")
    assert mismatch.returncode == 2 and "differ" in mismatch.stderr and not mismatch.stdout
    short = _diag("set", stdin="12\n12\n")
    assert short.returncode == 2 and "4 to 12 digits" in short.stderr and "12\n" not in short.stderr


def test_pin_status_reports_the_lock(tmp_path: Path) -> None:
    env = {"KIOSK_STATE_DIR": str(tmp_path)}
    assert _diag("status", env=env).returncode == 0
    cfg = load_config(DEFAULT_CONFIG, env=env)
    lockout = PinLockout.for_config(cfg)
    assert lockout.path.parent == tmp_path
    for _ in range(MAX_TRIES):
        lockout.try_pin("000000", cfg.technician.pin_hash)
    done = _diag("status", "--json", env=env)
    assert done.returncode == 1
    info = json.loads(done.stdout)
    assert info["locked"] and info["pin_set"] and 0 < info["seconds_left"] <= LOCK_S
