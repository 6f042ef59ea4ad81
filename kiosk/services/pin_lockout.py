"""Technician entry: the PIN check with a lockout that survives a restart.

    lockout = PinLockout.for_config(cfg)          # <state_dir>/technician-lockout.json
    attempt = lockout.try_pin(pin, cfg.technician.pin_hash)
    attempt.ok / attempt.locked / attempt.tries_left / attempt.seconds_left / attempt.code

Five wrong PINs in a row lock entry for five minutes. The count and the lock live in a small JSON
file under the state directory (writable; the config stays read-only), written atomically before
the answer is returned, so pulling the plug after a wrong try does not give the try back. While
locked, a PIN is not even checked. The clock is wall time (the lock must outlast a reboot); a lock
that reaches further than `lock_s` into the future (the clock was set back) is cut to `lock_s`.
An unreadable or corrupt state file fails closed: entry locks for `lock_s` from now.

No Qt. `try_pin` costs one scrypt (tens of milliseconds): call it off the GUI thread.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.services.technician_pin import verify_pin

log = logging.getLogger(__name__)

MAX_TRIES = 5
LOCK_S = 300.0
STATE_FILE = "technician-lockout.json"


class LockoutStateError(OSError):
    """The state file cannot be written: the try is refused (no uncounted tries)."""

    code = "technician.state_unwritable"  # the message the technician screen shows


@dataclass(frozen=True)
class Attempt:
    ok: bool
    locked: bool  # entry is locked now (it was already, or this try locked it)
    tries_left: int
    seconds_left: float  # while locked

    @property
    def code(self) -> str | None:
        """The message code for the screen (kiosk/services/messages.py), None on success."""
        if self.ok:
            return None
        return "technician.locked" if self.locked else "technician.pin_wrong"


class PinLockout:
    def __init__(self, state_file: Path | str, *, max_tries: int = MAX_TRIES, lock_s: float = LOCK_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(state_file)
        self.max_tries, self.lock_s, self.clock = max_tries, lock_s, clock
        self._lock = threading.Lock()

    @classmethod
    def for_config(cls, cfg: Any) -> PinLockout:
        return cls(Path(cfg.state_dir) / STATE_FILE)

    # ---- state file -----------------------------------------------------------------------------
    def _read(self, now: float) -> tuple[int, float | None]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            failures, until = int(raw["failures"]), raw["locked_until"]
            until = None if until is None else float(until)
        except FileNotFoundError:
            return 0, None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("technician lockout state %s unreadable (%s): locking entry for %.0f s",
                        self.path, type(exc).__name__, self.lock_s)
            until = now + self.lock_s
            self._write(0, until, now)
            return 0, until
        if until is not None and until > now + self.lock_s:  # the clock went back
            until = now + self.lock_s
            self._write(failures, until, now)
        return failures, until

    def _write(self, failures: int, until: float | None, now: float) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({"failures": failures, "locked_until": until, "updated_at": now}, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            raise LockoutStateError(f"cannot write the technician lockout state {self.path}: {exc}") from exc

    # ---- what the screen asks ---------------------------------------------------------------------
    def status(self) -> Attempt:
        """The current state without a try (ok is False)."""
        with self._lock:
            now = self.clock()
            failures, until = self._read(now)
            return self._answer(False, failures, until, now)

    def _answer(self, ok: bool, failures: int, until: float | None, now: float) -> Attempt:
        if until is not None and until > now:
            return Attempt(ok, True, 0, until - now)
        return Attempt(ok, False, self.max_tries - failures, 0.0)

    def try_pin(self, pin: str, pin_hash: str) -> Attempt:
        """Check one PIN. Raises LockoutStateError when a wrong try cannot be recorded, and
        technician_pin.PinHashError for a malformed hash (a config error: kiosk-diag config)."""
        with self._lock:
            now = self.clock()
            failures, until = self._read(now)
            if until is not None and until > now:
                return self._answer(False, failures, until, now)
            if until is not None:  # an expired lock: a fresh set of tries
                failures, until = 0, None
            if verify_pin(pin, pin_hash):
                if failures:
                    try:
                        self._write(0, None, now)
                    except LockoutStateError as exc:
                        log.error("%s", exc)
                log.info("technician PIN accepted")
                return Attempt(True, False, self.max_tries, 0.0)
            failures += 1
            if failures >= self.max_tries:
                failures, until = 0, now + self.lock_s
                log.warning("technician PIN wrong %d times: entry locked for %.0f s", self.max_tries, self.lock_s)
            else:
                log.warning("technician PIN wrong (%d of %d)", failures, self.max_tries)
            self._write(failures, until, now)
            return self._answer(False, failures, until, now)
