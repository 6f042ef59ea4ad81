"""The machine's one pcscd: reuse a running one, or start `pcscd --foreground` as our child.

vsmartcard-vpcd's driver (loaded by pcscd from /etc/reader.conf.d/vpcd) listens on TCP 35963 for
the card emulator ("Virtual PCD 00 00") and 35964 ("Virtual PCD 00 01"). Both ports are fixed, so
only one emulator per machine can hold a reader.

Readiness is checked without touching the vpcd port: connecting to it would count as a card
insertion. We look for pcscd's Unix socket and for the port in LISTEN state in /proc/net/tcp.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

VPCD_PORT = 35963
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
VPCD_READER_CONF = Path("/etc/reader.conf.d/vpcd")


class PcscdError(RuntimeError):
    pass


def socket_path() -> str:
    """pcsc-lite's client socket (PCSCLITE_CSOCK_NAME overrides it, as in libpcsclite)."""
    return os.environ.get("PCSCLITE_CSOCK_NAME", "/run/pcscd/pcscd.comm")


def pcscd_binary() -> str | None:
    return shutil.which("pcscd") or next(
        (p for p in ("/usr/sbin/pcscd", "/sbin/pcscd") if os.access(p, os.X_OK)), None)


def missing_parts() -> list[str]:
    """What is not installed for real PC/SC tests (empty when everything is there)."""
    missing = []
    if pcscd_binary() is None:
        missing.append("pcscd (apt-get install pcscd)")
    if not VPCD_DRIVER.exists() or not VPCD_READER_CONF.exists():
        missing.append("vsmartcard-vpcd (apt-get install vsmartcard-vpcd)")
    return missing


def pcscd_running() -> bool:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(2)
    try:
        sock.connect(socket_path())
        return True
    except OSError:
        return False
    finally:
        sock.close()


def port_listening(port: int) -> bool:
    """True when something on this machine listens on TCP `port` (read from /proc, no connect)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) > 3 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                return True
    return False


def wait_ready(vpcd_port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pcscd_running() and port_listening(vpcd_port):
            return
        if proc is not None and proc.poll() is not None:
            raise PcscdError(f"pcscd exited with status {proc.returncode} before it was ready")
        time.sleep(0.05)
    state = "running" if pcscd_running() else "not running"
    raise PcscdError(f"pcscd is {state} and vpcd port {vpcd_port} is not listening after {timeout:.0f} s; "
                     f"is vsmartcard-vpcd installed ({VPCD_READER_CONF})?")


class Pcscd:
    """Handle on the machine's pcscd. `started` is True only when this object started it."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    @property
    def started(self) -> bool:
        return self.proc is not None

    def ensure(self, vpcd_port: int = VPCD_PORT, timeout: float = 30.0) -> Pcscd:
        if pcscd_running():
            wait_ready(vpcd_port, timeout)
            return self
        binary = pcscd_binary()
        if binary is None:
            raise PcscdError("pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)")
        # --foreground keeps it our child (stopped with us); no --auto-exit: the hub may sit idle.
        self.proc = subprocess.Popen([binary, "--foreground"], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(vpcd_port, timeout, self.proc)
        except PcscdError:
            if self.proc.poll() is not None and pcscd_running():
                self.proc = None  # lost a start race: another pcscd won, reuse it
                wait_ready(vpcd_port, timeout)
                return self
            self.stop()
            raise
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop pcscd only if we started it; a pcscd someone else runs is left alone."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
