"""The printer simulator's control API as the printer tests use it (a helper module, not a conftest)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def reset(sim) -> None:
    """Plugged in, paper in, cover closed, online, no fault, no receipts: every test starts here."""
    sim.control("POST", "/replug")
    sim.control("POST", "/state", {"paper": "ok", "cover_open": False, "offline": False, "auto_status_back": False})
    sim.control("POST", "/fault", {"kind": "none"})
    sim.control("DELETE", "/receipts")


def receipts(sim) -> list[dict]:
    return sim.control("GET", "/receipts")[1]["receipts"]


def wait_until(cond: Callable[[], T], what: str, timeout: float = 30.0) -> T:
    """Poll `cond` until it returns something true, and return that (the timeout only bounds a hang)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def wait_receipts(sim, n: int) -> list[dict]:
    """The saved receipts once there are at least `n` (they are saved after the connection's cut)."""
    def enough() -> list[dict] | None:
        got = receipts(sim)
        return got if len(got) >= n else None

    return wait_until(enough, f"{n} receipt(s)")
