"""The notify protocol against real unix datagram sockets (a path and the abstract namespace)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from kiosk.services.sd_notify import READY, WATCHDOG, Notifier, status, watchdog_interval


def _listener(address: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(10)
    return sock


def test_sends_fields_as_one_datagram_to_a_socket_path(tmp_path: Path) -> None:
    path = str(tmp_path / "notify")
    with _listener(path) as sock:
        n = Notifier({"NOTIFY_SOCKET": path})
        assert n.send(READY, status("home  screen\nshown"))
        assert sock.recv(4096) == b"READY=1\nSTATUS=home screen shown"
        n.close()


def test_abstract_namespace_address() -> None:
    name = f"kiosk-test-{os.getpid()}"
    with _listener("\0" + name) as sock:
        n = Notifier({"NOTIFY_SOCKET": "@" + name})
        assert n.send(WATCHDOG)
        assert sock.recv(4096) == b"WATCHDOG=1"
        n.close()


def test_without_notify_socket_nothing_is_sent() -> None:
    n = Notifier({})
    assert not n.enabled
    assert n.send(READY) is False


def test_a_vanished_socket_does_not_raise(tmp_path: Path) -> None:
    n = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert n.send(WATCHDOG) is False
    assert n.send(WATCHDOG) is False


def test_watchdog_interval_is_half_of_watchdog_usec_for_us_or_our_parent() -> None:
    assert watchdog_interval({"WATCHDOG_USEC": "20000000"}) == 10.0
    assert watchdog_interval({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": str(os.getpid())}) == 10.0
    # under cage, systemd's main pid is cage, the kiosk's parent
    assert watchdog_interval({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": str(os.getppid())}) == 10.0
    assert watchdog_interval({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "1"}) is None or os.getppid() == 1
    assert watchdog_interval({}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "soon"}) is None
