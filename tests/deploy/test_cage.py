"""The kiosk as it runs in production, as far as this machine allows: a real release of this
checkout (wheel + locked runtime deps, no simulators, Debian's python3) run by an unprivileged user
as cage's child — cage on wlroots' headless backend with the pixman renderer, the kiosk on Qt's
wayland platform plugin (no fallback: without a Wayland connection Qt aborts) — with NOTIFY_SOCKET
at this test's socket. It must report READY=1 (home painted) and ping the watchdog.

What this machine cannot show (docs/deployment.md, "What was verified where"): cage refuses to run
as root, so it runs as `nobody`; grim captures a plain Qt window under this cage, but the kiosk's
full-screen window comes out black there, so the picture of the full-screen home comes from Xvfb
(tests/ui/test_fullscreen_xcb.py) and the screenshot taken here is only kept, not judged.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.deploy.helpers import install

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 120.0

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run cage as the unprivileged user nobody"),
    pytest.mark.skipif(not (shutil.which("cage") and shutil.which("setpriv") and os.path.exists("/usr/bin/Xwayland")),
                       reason="needs Debian cage and xwayland (tools/setup.sh installs them)"),
]


def test_release_runs_under_cage_on_wayland_and_reports_ready(built_release: Path) -> None:
    base = Path(tempfile.mkdtemp(prefix="kiosk-cage-"))  # not under pytest's 0700 tmp: nobody reads it
    try:
        base.chmod(0o755)
        version = install(built_release, base / "root")
        (base / "root" / "current").symlink_to(Path("releases") / version)
        for d in ("xdg", "home", "state"):
            (base / d).mkdir()
            shutil.chown(base / d, "nobody", "nogroup")
        (base / "xdg").chmod(0o700)
        key = base / "kiosk.key"
        shutil.copy(REPO / "var" / "kiosk.key", key)
        key.chmod(0o644)  # test copy only; on a kiosk it is root:kiosk 0640
        ca = base / "ca.pem"  # the kiosk checks at start that the CA bundle holds certificates
        shutil.copy(REPO / "var" / "pki" / "ca.pem", ca)
        ca.chmod(0o644)
        notify = base / "notify.sock"
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(str(notify))
        notify.chmod(0o666)
        sock.settimeout(1.0)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(base / "home"), "XDG_RUNTIME_DIR": str(base / "xdg"),
               "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
               "QT_QPA_PLATFORM": "wayland", "QT_WAYLAND_DISABLE_WINDOWDECORATION": "1",
               "NOTIFY_SOCKET": str(notify), "WATCHDOG_USEC": "2000000",
               "KIOSK_LOG_DIR": str(base / "state" / "log"), "KIOSK_BACKEND__KEY_FILE": str(key),
               "KIOSK_BACKEND__CA_BUNDLE": str(ca),  # never used: nothing listens on the backend port
               "KIOSK_BACKEND__URL": "https://127.0.0.1:9",
               "KIOSK_BACKEND__CACHE_DB": str(base / "state" / "c.sqlite3"),
               "KIOSK_BACKEND__OUTBOX_DB": str(base / "state" / "o.sqlite3")}
        kiosk = [str(base / "root/current/venv/bin/python"), "-I", "-m", "kiosk.app",
                 "--config", str(REPO / "config" / "kiosk.toml")]
        proc = subprocess.Popen(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                 "cage", "-d", "--", *kiosk], env=env, cwd=base / "state",
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        seen: list[str] = []
        deadline = time.monotonic() + WAIT_S
        try:
            while not ("READY=1" in seen and seen.count("WATCHDOG=1") >= 2):
                assert time.monotonic() < deadline, f"no READY + pings within {WAIT_S} s: {seen}"
                assert proc.poll() is None, proc.stdout.read().decode(errors="replace")[-3000:]
                try:
                    seen += sock.recv(4096).decode().split("\n")
                except TimeoutError:
                    continue
            assert (base / "xdg" / "wayland-0").exists()  # the kiosk's display is cage's socket
            shot = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "grim",
                                   str(base / "xdg" / "shot.png")],
                                  env={**env, "WAYLAND_DISPLAY": "wayland-0"}, capture_output=True, timeout=60)
            assert shot.returncode == 0, shot.stderr  # grim talks to cage; the picture is not judged here
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            sock.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)
