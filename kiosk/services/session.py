"""One resident's session: who they are, what they chose, what came back. Wiped at the end.

Personal data lives only here (and in the screens showing it) for the length of a session. `wipe()`
drops every reference, tells the log filter to forget the session's names, and notifies listeners
(screens clear their widgets, devices drop queued card events).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from kiosk.logging_setup import PersonalDataFilter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Proxy:
    """代办: the agent acting for the resident the item is for (the principal), by ID card, and how
    they relate to them (子女, 配偶, …). Travels to the platform as proxy data."""

    name: str
    id_number: str
    relation: str

    def __repr__(self) -> str:
        return "Proxy(<agent>)"


@dataclass(frozen=True)
class Identity:
    """Who the resident proved to be, and how (an `auth_methods` value of the catalogue). In a 代办,
    this is the principal (办理人) and `proxy` the agent (代办人) acting for them."""

    method: str  # idcard | face | eid_qr | sscard
    name: str
    id_number: str
    card_type: str = "resident"
    birth_date: str = ""
    extras: dict[str, Any] = field(default_factory=dict)
    proxy: Proxy | None = None

    def __repr__(self) -> str:  # never print personal data by accident
        return f"Identity(method={self.method!r}, card_type={self.card_type!r}, proxy={self.proxy is not None})"


class Session:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wipe_listeners: list[Callable[[], None]] = []
        # Told the platform session token of a session that ended, so it can be closed (best effort).
        self.on_token_dropped: Callable[[str], None] | None = None
        self._reset()

    def _reset(self) -> None:
        self.id = uuid.uuid4().hex[:12]  # anonymous, for usage events and logs
        self.item: dict[str, Any] | None = None
        self.identity: Identity | None = None
        self.platform_token: str | None = None  # X-Session-Token of the platform session
        self.results: dict[str, Any] = {}
        self.language = "zh_CN"  # the UI language chosen for this session (kiosk/ui/i18n.py)

    @property
    def active(self) -> bool:
        return self.item is not None or self.identity is not None

    @property
    def proxy(self) -> Proxy | None:
        """The 代办 agent acting for the identified resident, if any (dropped with the identity)."""
        return self.identity.proxy if self.identity is not None else None

    def start(self, item: dict[str, Any]) -> None:
        with self._lock:
            self.item = item
        log.info("session %s: item %s", self.id, item.get("id"))

    def set_identity(self, identity: Identity) -> None:
        PersonalDataFilter.register_names(identity.name, identity.id_number)
        with self._lock:
            self.identity = identity
        log.info("session %s: identified by %s (%s)", self.id, identity.method, identity.card_type)

    def set_proxy(self, proxy: Proxy) -> None:
        """The agent of a 代办, once the platform accepted them for the identified principal."""
        PersonalDataFilter.register_names(proxy.name, proxy.id_number)
        with self._lock:
            if self.identity is None:
                raise RuntimeError("a proxy needs the principal's identity first")
            self.identity = replace(self.identity, proxy=proxy)
        log.info("session %s: a proxy agent acts for the principal", self.id)

    def add_wipe_listener(self, listener: Callable[[], None]) -> None:
        self._wipe_listeners.append(listener)

    def wipe(self, reason: str = "end") -> None:
        """Forget everything about the resident. Safe to call at any time, repeatedly."""
        with self._lock:
            old, token = self.id, self.platform_token
            self._reset()
        PersonalDataFilter.clear_names()
        if token and self.on_token_dropped is not None:
            try:
                self.on_token_dropped(token)
            except Exception:
                log.exception("closing the platform session failed")
        for listener in list(self._wipe_listeners):
            try:
                listener()
            except Exception:
                log.exception("wipe listener failed")
        log.info("session %s wiped (%s)", old, reason)
