"""A private CUPS scheduler for the simulator: `cupsd -f` with its own config, spool and port.

It never touches the machine's CUPS (no /etc/cups, no /run/cups socket): every directory lives under
one temporary root, and cupsd listens on 127.0.0.1:PORT only. One raw queue (default "A4") sends
documents unchanged to the simulated IPP printer, so the PDF the printer captures is the kiosk's own.

`unavailable_reason()` says why CUPS cannot run here (not installed), so callers can skip with it.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

CUPSD = "/usr/sbin/cupsd"
LPADMIN = "lpadmin"
START_TIMEOUT = 20.0


class CupsStartError(RuntimeError):
    pass


def unavailable_reason() -> str | None:
    """None when cupsd and lpadmin are installed; else what is missing (Debian package names)."""
    missing = [name for name, path in (("cupsd", shutil.which("cupsd") or CUPSD), ("lpadmin", shutil.which(LPADMIN)))
               if not path or not os.access(path, os.X_OK)]
    if missing:
        return f"{' and '.join(missing)} not installed (Debian packages cups and cups-client)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accounts() -> tuple[str, str]:
    """The user and group cupsd runs filters and backends as: lp when we are root, else ourselves."""
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("lp")
            grp.getgrnam("lp")
            return "lp", "lp"
        except KeyError:
            pass
    return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name


class CupsServer:
    def __init__(self, root: Path, port: int = 0, *, queue: str = "A4") -> None:
        self.root = root
        self.port = port or free_port()
        self.queue = queue
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The kiosk's device URL for the queue."""
        return f"ipp://127.0.0.1:{self.port}/printers/{self.queue}"

    def _write_config(self) -> tuple[Path, Path]:
        self.root.chmod(0o755)  # mkdtemp makes it 0700; backends run as another user (lp) below it
        dirs = {name: self.root / name for name in ("conf", "spool", "cache", "state", "log", "tmp")}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
            d.chmod(0o755)
        dirs["tmp"].chmod(0o1777)
        dirs["spool"].chmod(0o711)
        user, group = _accounts()
        files = dirs["conf"] / "cups-files.conf"
        files.write_text(
            f"ServerRoot {dirs['conf']}\nRequestRoot {dirs['spool']}\nCacheDir {dirs['cache']}\n"
            f"StateDir {dirs['state']}\nTempDir {dirs['tmp']}\n"
            f"AccessLog {dirs['log']}/access_log\nErrorLog {dirs['log']}/error_log\n"
            f"PageLog {dirs['log']}/page_log\nUser {user}\nGroup {group}\n"
            # cupsd refuses a SystemGroup equal to Group; nobody authenticates here anyway
            + ("SystemGroup root\n" if os.geteuid() == 0 else ""))
        conf = dirs["conf"] / "cupsd.conf"
        # abort-job: a job whose backend fails ends (the kiosk keeps the PDF and can retry) instead of
        # stopping the whole queue, which would need a technician (cupsd's default stop-printer).
        conf.write_text(
            f"Listen 127.0.0.1:{self.port}\nLogLevel warn\nBrowsing No\nWebInterface No\n"
            "DefaultAuthType None\nErrorPolicy abort-job\nPreserveJobFiles No\nMaxJobTime 120\n"
            "<Location />\n  Order allow,deny\n  Allow from 127.0.0.1\n</Location>\n"
            "<Policy default>\n  JobPrivateAccess default\n  JobPrivateValues default\n"
            "  SubscriptionPrivateAccess default\n  SubscriptionPrivateValues default\n"
            "  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        return conf, files

    def start(self, device_uri: str) -> CupsServer:
        reason = unavailable_reason()
        if reason:
            raise CupsStartError(reason)
        conf, files = self._write_config()
        with open(self.root / "log" / "cupsd.stderr", "wb") as err:
            # the C locale: backend messages in English, as the kiosk's driver expects (docs/configuration.md)
            env = {**os.environ, "LANG": "C", "LC_ALL": "C"}
            self.proc = subprocess.Popen([shutil.which("cupsd") or CUPSD, "-f", "-c", str(conf), "-s", str(files)],
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
        self._wait_listening()
        self.add_queue(device_uri)
        return self

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise CupsStartError(f"cupsd exited with {self.proc.returncode}: {self.error_log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)  # cupsd is still starting; nothing to wait on but the port
        self.stop()
        raise CupsStartError(f"cupsd did not listen on {self.server} within {START_TIMEOUT:.0f} s")

    def add_queue(self, device_uri: str) -> None:
        # -m raw: no filters, the printer gets the kiosk's PDF byte for byte (CUPS 2.4 warns that raw
        # queues are deprecated; a deployment uses -m everywhere, see docs/simulators.md).
        result = subprocess.run([LPADMIN, "-h", self.server, "-p", self.queue, "-E", "-v", device_uri, "-m", "raw",
                                 "-o", "printer-error-policy=abort-job"],
                                capture_output=True, text=True, timeout=20)
        if result.returncode != 0:
            raise CupsStartError(f"lpadmin failed ({result.returncode}): {result.stderr.strip()}")

    def error_log_tail(self, lines: int = 5) -> str:
        texts = []
        for name in ("cupsd.stderr", "error_log"):
            path = self.root / "log" / name
            if path.exists():
                texts += path.read_text(errors="replace").splitlines()[-lines:]
        return " | ".join(texts) or "(no log)"

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
