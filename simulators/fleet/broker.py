"""`kiosk-sim broker`: Mosquitto (Debian `mosquitto`) with TLS, per-kiosk credentials and topic ACLs.

    kiosk-sim broker --listen 127.0.0.1:0 --pki var/pki --kiosk GD-SG-ZJ-0001=var/kiosk.key
                     --ops-password-file FILE [--control 127.0.0.1:0]

Mosquitto cannot bind port 0, so port 0 means: pick a free port (bind a socket to 0, read its
number, close it, start Mosquitto there; if another process took it meanwhile, pick again). The
chosen port is in the READY line: `{"listen": PORT, "control": PORT, "url": "mqtts://127.0.0.1:PORT"}`
(the hub writes it to its state file).

Credentials: each kiosk logs in as its kiosk id with the password derived from its signing key
(kiosk.services.fleet_client.mqtt_password); the operations service logs in as `ops` with the
password in --ops-password-file. Mosquitto keeps only PBKDF2-SHA512 hashes (mosquitto_passwd -U).
ACLs: a kiosk may publish only kiosk/<its id>/state and kiosk/<its id>/cmd/ack and read only
kiosk/<its id>/cmd; `ops` reads kiosk/# and publishes commands on kiosk/+/cmd.

Control routes: `GET /state` (pid, port, running), `POST /unplug` (stop the broker: every client
loses its connection; last wills are not sent by a dead broker), `POST /replug` and `POST /reset`
(start it again on the same port if stopped). The broker runs without persistence: a restart forgets retained states, and the
kiosks republish theirs when they reconnect.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from simulators.control import ControlError, ControlServer, announce_ready, parse_listen, wait_forever

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
MOSQUITTO_PASSWD = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
OPS_USER = "ops"

ACL = """# kiosks: only their own topics (%u is the user name = the kiosk id)
pattern write kiosk/%u/state
pattern write kiosk/%u/cmd/ack
pattern read kiosk/%u/cmd

# the operations centre
user ops
topic read kiosk/#
topic write kiosk/+/cmd
"""


class BrokerError(RuntimeError):
    pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def write_credentials(folder: Path, users: dict[str, str]) -> tuple[Path, Path]:
    """The password file (hashed by mosquitto_passwd -U) and the ACL file for `users` {name: password}."""
    folder.mkdir(parents=True, exist_ok=True)
    passwd, acl = folder / "passwd", folder / "acl"
    fd = os.open(passwd, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.writelines(f"{name}:{password}\n" for name, password in users.items())
    subprocess.run([MOSQUITTO_PASSWD, "-U", str(passwd)], check=True, capture_output=True, timeout=120)
    acl.write_text(ACL)
    return passwd, acl


class Mosquitto:
    """One Mosquitto process on 127.0.0.1:`port` (0: a free port), TLS from `pki` (ca.pem, server.pem,
    server.key). start() blocks until it accepts connections; stop() ends it."""

    def __init__(self, pki: Path, passwd: Path, acl: Path, *, port: int = 0, workdir: Path | None = None,
                 max_connections: int = -1) -> None:
        self.pki, self.passwd, self.acl = Path(pki), passwd, acl
        self.port = port
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="mosquitto-"))
        self.max_connections = max_connections
        self.proc: subprocess.Popen[str] | None = None
        self.log: deque[str] = deque(maxlen=200)

    def _conf(self) -> Path:
        conf = self.workdir / "mosquitto.conf"
        # Mosquitto started as root drops to the `mosquitto` user, which cannot read our 0600 files:
        # stay the user we are.
        user = pwd.getpwuid(os.getuid()).pw_name
        conf.write_text(f"""user {user}
per_listener_settings false
allow_anonymous false
password_file {self.passwd}
acl_file {self.acl}
persistence false
log_dest stderr
log_type error
log_type warning
log_type notice
connection_messages false
max_queued_messages 1000
max_inflight_messages 100
listener {self.port} 127.0.0.1
protocol mqtt
max_connections {self.max_connections}
cafile {self.pki / 'ca.pem'}
certfile {self.pki / 'server.pem'}
keyfile {self.pki / 'server.key'}
tls_version tlsv1.2
""")
        return conf

    def start(self, timeout: float = 20.0) -> None:
        pick = self.port == 0
        for _ in range(5 if pick else 1):
            if pick:
                self.port = free_port()
            if self._start_once(timeout):
                return
            if not pick:
                break
        raise BrokerError(f"mosquitto did not start on port {self.port}: " + " | ".join(list(self.log)[-5:]))

    def _start_once(self, timeout: float) -> bool:
        proc = subprocess.Popen([MOSQUITTO, "-c", str(self._conf())], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        self.proc = proc

        def read() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                self.log.append(line.rstrip())

        threading.Thread(target=read, name="mosquitto-log", daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # ready once the listener accepts (or it died: port taken)
            if proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def kiosk_users(specs: list[str]) -> dict[str, str]:
    """--kiosk ID=KEYFILE → {ID: derived password}."""
    from kiosk.services.fleet_client import mqtt_password
    from kiosk.services.signing import load_key

    users = {}
    for spec in specs:
        kiosk_id, sep, key_file = spec.partition("=")
        if not sep or not kiosk_id or not key_file:
            raise SystemExit(f"kiosk-sim broker: --kiosk expects ID=KEYFILE, got {spec!r}")
        users[kiosk_id] = mqtt_password(load_key(Path(key_file)), kiosk_id)
    return users


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-sim broker", description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", default="127.0.0.1:0", help="127.0.0.1:PORT; port 0 picks a free port")
    ap.add_argument("--control", default="127.0.0.1:0")
    ap.add_argument("--pki", type=Path, default=Path(__file__).resolve().parents[2] / "var" / "pki")
    ap.add_argument("--kiosk", action="append", default=[], metavar="ID=KEYFILE", help="a kiosk allowed in")
    ap.add_argument("--ops-password-file", type=Path, required=True)
    args = ap.parse_args(argv)
    host, port = parse_listen(args.listen)
    if host != "127.0.0.1":
        raise SystemExit("kiosk-sim broker: listens on 127.0.0.1 only")
    workdir = Path(tempfile.mkdtemp(prefix="kiosk-broker-"))
    users = {**kiosk_users(args.kiosk), OPS_USER: args.ops_password_file.read_text().strip()}
    passwd, acl = write_credentials(workdir, users)
    broker = Mosquitto(args.pki, passwd, acl, port=port, workdir=workdir)
    broker.start()

    def state(body: dict, query: dict) -> tuple[int, Any]:
        return 200, {"running": broker.running, "port": broker.port, "pid": broker.proc.pid if broker.proc else None,
                     "kiosks": sorted(set(users) - {OPS_USER}), "log": list(broker.log)[-20:]}

    def unplug(body: dict, query: dict) -> tuple[int, Any]:
        broker.stop()
        return 200, {"running": False}

    def replug(body: dict, query: dict) -> tuple[int, Any]:
        if not broker.running:
            try:
                broker.start()
            except BrokerError as exc:
                raise ControlError(str(exc), 409) from exc
        return 200, {"running": True, "port": broker.port}

    chost, cport = parse_listen(args.control)
    control = ControlServer({("GET", "/state"): state, ("POST", "/unplug"): unplug, ("POST", "/replug"): replug,
                             ("POST", "/reset"): replug},  # the hub's reset: the broker running again
                            host=chost, port=cport).start()
    announce_ready(listen=broker.port, control=control.port, url=f"mqtts://127.0.0.1:{broker.port}")
    try:
        wait_forever()
    finally:
        control.stop()
        broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0
