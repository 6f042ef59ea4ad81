"""The real kiosk process (`python -m kiosk.app`, offscreen, against the simulator hub) with
NOTIFY_SOCKET at a unix datagram socket of this test's own, as systemd would run it:

READY=1 comes once home has been painted, WATCHDOG=1 pings follow from the GUI thread; while the
GUI thread is blocked on purpose (SIGUSR2 with KIOSK_TEST_FREEZE_S, kiosk/ui/watchdog.py) not one
ping arrives, and they come back when it is released; SIGTERM gives STOPPING=1 and exit status 0.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 90.0  # generous upper bound for a loaded machine; nothing depends on it being short
PING_USEC = 400_000  # systemd's WatchdogSec=0.4: a ping every 0.2 s
FREEZE_S = 2.0  # ten ping intervals


class NotifyLog:
    def __init__(self, sock: socket.socket, proc: subprocess.Popen[bytes]) -> None:
        self.sock, self.proc, self.seen = sock, proc, []

    def next(self) -> list[str]:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                assert self.proc.poll() is None, f"kiosk exited with {self.proc.returncode}"
                continue
            fields = data.decode().split("\n")
            self.seen.append(fields)
            return fields
        raise AssertionError(f"no notify message within {WAIT_S} s; seen: {self.seen}")

    def until(self, field: str) -> list[list[str]]:
        """Messages up to and including the first one carrying `field`."""
        got = []
        while True:
            msg = self.next()
            got.append(msg)
            if field in msg:
                return got


@pytest.mark.e2e
def test_frozen_gui_thread_stops_the_watchdog_pings(hub, tmp_path: Path) -> None:
    address = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(1.0)
    env = {**os.environ, **hub.kiosk_env(),
           "QT_QPA_PLATFORM": "offscreen",
           "NOTIFY_SOCKET": address, "WATCHDOG_USEC": str(PING_USEC), "WATCHDOG_PID": "",
           "KIOSK_TEST_FREEZE_S": str(FREEZE_S),
           "KIOSK_LOG_DIR": str(tmp_path / "log"),
           "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
           "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3")}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.app", "--windowed"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log = NotifyLog(sock, proc)
    try:
        log.until("READY=1")
        assert [m for m in log.seen if "READY=1" in m][0][1] == "STATUS=home screen shown"
        for _ in range(3):
            log.until("WATCHDOG=1")

        proc.send_signal(signal.SIGUSR2)  # block the GUI thread for FREEZE_S
        log.until("STATUS=frozen")
        during = log.until("STATUS=thawed")
        assert not [m for m in during if "WATCHDOG=1" in m], f"pings while the GUI thread was blocked: {during}"
        assert proc.poll() is None  # alive all along: only the GUI thread stopped
        log.until("WATCHDOG=1")  # and the pings come back with the event loop

        proc.send_signal(signal.SIGTERM)
        log.until("STOPPING=1")
        assert proc.wait(timeout=WAIT_S) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.returncode not in (0, -signal.SIGKILL):
            print(stderr)
