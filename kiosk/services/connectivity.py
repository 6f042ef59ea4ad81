"""Is the platform reachable? One small state object the backend client updates on every call.

The UI subscribes (through its Qt bridge) to show the offline banner and to grey out what needs
the network; the catalogue cache and the outbox read it. Listeners run on the thread that made
the call that changed the state (a worker or the outbox sender), never on the GUI thread directly.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Why the kiosk is offline: the client's error codes that mean "the platform is not usable now".
OFFLINE_REASONS = ("offline", "timeout", "broken", "server", "tls", "tls_config")


@dataclass(frozen=True)
class ConnectivityState:
    online: bool | None  # None: no call made yet
    reason: str | None = None  # one of OFFLINE_REASONS while offline
    since: float = 0.0  # time.time() of the change

    @property
    def offline(self) -> bool:
        return self.online is False


Listener = Callable[[ConnectivityState], None]


class Connectivity:
    def __init__(self) -> None:
        self._state = ConnectivityState(None, None, time.time())
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    @property
    def state(self) -> ConnectivityState:
        with self._lock:
            return self._state

    @property
    def is_offline(self) -> bool:
        return self.state.offline

    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def mark_online(self) -> None:
        self._set(True, None)

    def mark_offline(self, reason: str) -> None:
        self._set(False, reason)

    def _set(self, online: bool, reason: str | None) -> None:
        with self._lock:
            if self._state.online == online and self._state.reason == reason:
                return
            self._state = ConnectivityState(online, reason, time.time())
            state, listeners = self._state, list(self._listeners)
        log.info("platform %s%s", "online" if online else "offline", f" ({reason})" if reason else "")
        for listener in listeners:
            try:
                listener(state)
            except Exception:  # a broken listener must not break the network call
                log.exception("connectivity listener failed")
