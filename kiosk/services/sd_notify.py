"""systemd's notify protocol (sd_notify(3)), spoken directly: one datagram per message to the unix
socket named by $NOTIFY_SOCKET, newline-separated `KEY=value` fields.

No Qt here; kiosk/ui/watchdog.py decides *when* to send (READY after home is painted, WATCHDOG
from the GUI thread's event loop). Without $NOTIFY_SOCKET (a developer's `make run`, the tests)
every call is a no-op that returns False.

Under cage the kiosk is cage's child, not the unit's main process, so systemd's $WATCHDOG_PID names
cage: the unit sets NotifyAccess=all and `watchdog_interval()` accepts our parent's pid too.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)

READY = "READY=1"
WATCHDOG = "WATCHDOG=1"
STOPPING = "STOPPING=1"


def status(text: str) -> str:
    """A STATUS= field (shown by `systemctl status`); one line."""
    return "STATUS=" + " ".join(text.split())


class Notifier:
    """Sends notify messages to one socket. Never raises: a kiosk must not fall over because the
    service manager went away; a failed send is logged once."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        raw = env.get("NOTIFY_SOCKET", "")
        # "@name" is Linux's abstract namespace: a leading NUL byte on the wire
        self.address: str | None = ("\0" + raw[1:]) if raw.startswith("@") else (raw or None)
        self._sock: socket.socket | None = None
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, *fields: str) -> bool:
        if self.address is None:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto("\n".join(fields).encode("utf-8"), self.address)
            return True
        except OSError as exc:
            if not self._warned:
                log.warning("sd_notify to %r failed: %s (further failures not logged)", self.address, exc)
                self._warned = True
            return False

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def watchdog_interval(env: Mapping[str, str] | None = None) -> float | None:
    """Seconds between WATCHDOG=1 pings (half of $WATCHDOG_USEC, as sd_watchdog_enabled(3)
    advises), or None when systemd asked for no watchdog or asked another process."""
    env = os.environ if env is None else env
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    pid = env.get("WATCHDOG_PID", "")
    if pid and pid not in (str(os.getpid()), str(os.getppid())):
        return None  # inherited by a grandchild: not meant for us
    return usec / 2_000_000
