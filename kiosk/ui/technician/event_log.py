"""The technician's live event log: what happened to the devices, the platform link and the outbox
since the kiosk started, newest last, in memory only (a ring of `LIMIT` lines).

No personal data can reach it by construction: it has no method that takes free text from a
session. It records typed events only — a device's state and a few scalar extras (paper, cover,
fault, warnings, failed jobs), the connectivity state and its reason, an outbox entry's kind and
row id (never its body), and the technician's own self-test verdicts (pass/fail and the message
code, never what a card or a code held). Every line still goes through the log filter's masks and
is bounded in length (kiosk/services/health.clean_detail), like a line leaving in a bundle.

Thread-safe: device listeners call it on worker threads; `add_listener` callbacks run on the
caller's thread (the UI bridges them to the GUI thread).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.devices.model import DeviceStatus
from kiosk.services.connectivity import ConnectivityState
from kiosk.services.health import clean_detail

log = logging.getLogger(__name__)

LIMIT = 500
# The extras whose changes a technician wants to see (device facts, never resident data).
WATCHED_EXTRAS = ("paper", "cover_open", "online", "fault", "warnings", "failed_jobs", "accepting")


@dataclass(frozen=True)
class Event:
    at: float
    source: str  # a device id, "platform", "outbox" or "technician"
    text: str  # English, for the technician, masked

    def line(self) -> str:
        return f"{time.strftime('%H:%M:%S', time.localtime(self.at))}  {self.source:<10} {self.text}"


def _value(v: Any) -> str:
    if isinstance(v, list | tuple):
        return ",".join(str(x) for x in v) or "none"
    return str(v)


class EventLog:
    def __init__(self, limit: int = LIMIT, clock: Callable[[], float] = time.time) -> None:
        self._events: deque[Event] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Event], None]] = []
        self._last: dict[str, tuple[str, dict[str, Any]]] = {}
        self._clock = clock

    # ---- reading ----------------------------------------------------------------------------
    def events(self) -> list[Event]:
        with self._lock:
            return list(self._events)

    def lines(self) -> list[str]:
        return [e.line() for e in self.events()]

    def add_listener(self, listener: Callable[[Event], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[Event], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _add(self, source: str, text: str) -> None:
        event = Event(self._clock(), source, clean_detail(text))
        with self._lock:
            self._events.append(event)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # e.g. the screen's bridge going away at shutdown: the log goes on
                log.debug("event log listener failed", exc_info=True)

    # ---- the sources ------------------------------------------------------------------------
    def device_status(self, status: DeviceStatus) -> None:
        """A DeviceManager status listener: state changes and changes of the watched extras."""
        extras = {k: status.extras.get(k) for k in WATCHED_EXTRAS if k in status.extras}
        with self._lock:
            old_state, old_extras = self._last.get(status.device_id, ("", {}))
            self._last[status.device_id] = (str(status.state), extras)
        parts = []
        if str(status.state) != old_state:
            parts.append(f"{old_state or 'start'} -> {status.state}")
        changed = {k: v for k, v in extras.items() if old_extras.get(k) != v and (old_state or v)}
        parts += [f"{k}={_value(v)}" for k, v in changed.items()]
        if not parts:
            return
        if status.detail and str(status.state) != old_state:
            parts.append(f"({status.detail})")
        self._add(status.device_id, " ".join(parts))

    def connectivity(self, state: ConnectivityState) -> None:
        """A Connectivity listener: the platform link went up or down."""
        if state.online is None:
            return
        self._add("platform", "online" if state.online else f"offline ({state.reason})")

    def outbox_ack(self, entry: Any, ack: Any) -> None:
        """An Outbox ack listener: only the entry's kind and row id (its body stays sealed)."""
        self._add("outbox", f"{entry.kind} #{entry.id} delivered")

    def outbox_stats(self, stats: Mapping[str, Any]) -> None:
        """What the technician screen saw of the outbox when it refreshed (counts only)."""
        self._add("outbox", f"depth {stats.get('depth', 0)}, refused {stats.get('failed', 0)}")

    def self_test(self, device_id: str, ok: bool, code: str | None) -> None:
        """A technician self-test's verdict: pass or fail and the message code, nothing it read."""
        self._add("technician", f"self-test {device_id}: " + ("pass" if ok else f"fail ({code})"))

    def action(self, what: str) -> None:
        """One of the screen's own fixed action names (entered, export, refresh, restart)."""
        self._add("technician", what)
