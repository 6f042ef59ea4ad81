"""`kiosk-sim all`: start every simulator and the reference backend, plus one control API.

Ports come from the kiosk config's device URLs (so `make run` needs no extra wiring) unless
`--ephemeral`, which binds every port to 0 (tests). The chosen ports go to `--state FILE` and are
served at `GET /ports`. Every other control path `/<device-id>/<rest>` is forwarded to that
simulator's own control API as `/<rest>`; see docs/simulators.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from kiosk.config import Config, load_config_or_exit
from kiosk.devices.device_url import DEVICE_IDS, LOCAL_STAND_INS
from simulators.control import ControlError, ControlServer, announce_ready, parse_listen, wait_forever
from simulators.process import SimProcess, SimulatorStartError, http_json, start_simulator

REPO = Path(__file__).resolve().parent.parent
# Start order: the backend first (slowest to start), the fleet broker and operations centre (when
# fleet.enabled), then the devices.
ALL = ("backend", "broker", "fleet", "idcard", "scanner", "printer", "camera", "sscard", "docprinter")
FLEET = ("broker", "fleet")


def _configured_port(name: str, cfg: Config) -> int:
    if name == "backend":
        return urlsplit(cfg.backend.url).port or 443
    if name == "broker":
        return cfg.simulators.broker_port
    if name == "fleet":
        return cfg.simulators.fleet_port
    dev = cfg.devices.get(name)
    if dev is None:
        return 0
    if name == "sscard" or dev.url.startswith("cups:"):
        return 0
    return urlsplit(dev.url).port or 0


def _child_args(name: str, cfg: Config, args: argparse.Namespace) -> list[str]:
    if name == "backend":
        extra = ["--kiosk-key", str(cfg.backend.key_file)]
        if cfg.backend.ca_bundle is not None:
            extra += ["--pki", str(cfg.backend.ca_bundle.parent)]
        if urlsplit(cfg.backend.url).scheme == "http":
            extra.append("--plain-http")
        return extra
    if name == "printer":
        return ["--out", str(args.receipts)]
    if name == "docprinter":
        return ["--out", str(args.documents)]
    return []


def kiosk_env(ports: dict[str, Any], device_ids: list[str] | tuple[str, ...] = DEVICE_IDS) -> dict[str, str]:
    """KIOSK_* overrides that point a kiosk config at a hub's ports (`GET /ports`). A device the hub
    does not run is disabled, so the kiosk never talks to whatever else listens on its default port.
    `device_ids`: the devices the kiosk config has (only those can be overridden). Fleet
    operations point at the hub's broker, or are switched off when it runs none."""
    backend = ports["backend"]
    env = {"KIOSK_BACKEND__URL": f"{backend.get('scheme', 'https')}://127.0.0.1:{backend['listen']}"}
    if "broker" in ports:
        env["KIOSK_FLEET__URL"] = ports["broker"]["url"]
    else:
        env["KIOSK_FLEET__ENABLED"] = "false"
    urls = {"idcard": "socket://127.0.0.1:{listen}", "scanner": "socket://127.0.0.1:{listen}",
            "printer": "tcp://127.0.0.1:{listen}", "camera": "http://127.0.0.1:{listen}/stream.mjpg"}
    for device in device_ids:
        if device in LOCAL_STAND_INS:  # no simulator: its own stand-in (the speaker records, null:)
            env[f"KIOSK_DEVICES__{device.upper()}__URL"] = LOCAL_STAND_INS[device]
        elif device == "docprinter" and ports.get("docprinter", {}).get("url"):
            env["KIOSK_DEVICES__DOCPRINTER__URL"] = ports["docprinter"]["url"]  # ipp://…/printers/A4
        elif device not in ports or device == "docprinter":  # not run, or no CUPS on this machine
            env[f"KIOSK_DEVICES__{device.upper()}__ENABLED"] = "false"
        elif device in urls:  # sscard: the config's reader name stays (one pcscd per machine)
            env[f"KIOSK_DEVICES__{device.upper()}__URL"] = urls[device].format(**ports[device])
    return env


class Hub:
    def __init__(self, cfg: Config, args: argparse.Namespace) -> None:
        self.cfg = cfg
        self.args = args
        self.children: dict[str, SimProcess] = {}
        self.control: ControlServer | None = None
        self._secrets = Path(tempfile.mkdtemp(prefix="kiosk-hub-"))  # the ops password (0600)

    def wanted(self) -> list[str]:
        names = [n for n in ALL if n == "backend" or self.cfg.device(n) is not None
                 or (n in FLEET and self.cfg.fleet.enabled)]
        if self.args.only:
            only = set(self.args.only.split(","))
            unknown = only - set(ALL)
            if unknown:
                raise SystemExit(f"kiosk-sim all: unknown simulator(s) {', '.join(sorted(unknown))}")
            names = [n for n in names if n in only]
        return names

    def start(self) -> None:
        for name in self.wanted():
            port = 0 if self.args.ephemeral else _configured_port(name, self.cfg)
            listen = f"127.0.0.1:{port}"
            try:
                if name == "backend":
                    self._start_backend(listen)
                elif name in FLEET:
                    self.children[name] = start_simulator(name, *self._fleet_args(name), listen=listen)
                else:
                    self.children[name] = start_simulator(name, *_child_args(name, self.cfg, self.args),
                                                          listen=listen)
            except SimulatorStartError as exc:
                self.stop()
                raise SystemExit(f"kiosk-sim all: {exc}") from exc
            print(f"kiosk-sim: {name} ready {json.dumps(self.children[name].ports)}", file=sys.stderr)
            if self.children[name].ports.get("cups_unavailable"):  # the A4 printer without CUPS: say why
                print(f"kiosk-sim: docprinter: CUPS unavailable ({self.children[name].ports['cups_unavailable']});"
                      " the kiosk will see no A4 printer", file=sys.stderr)
        host, port = parse_listen(self.args.control or
                                  f"127.0.0.1:{0 if self.args.ephemeral else self.cfg.simulators.control_port}")
        self.control = ControlServer(
            {("GET", "/ports"): self._ports, ("GET", "/receipts"): self._receipts,
             ("GET", "/health"): self._health, ("POST", "/reset"): self._reset},
            host=host, port=port, fallback=self._forward).start()
        if self.args.state:
            tmp = Path(self.args.state).with_suffix(".tmp")
            tmp.write_text(json.dumps(self.ports(), indent=2))
            os.replace(tmp, self.args.state)

    def _start_backend(self, listen: str) -> None:
        """The reference backend on an ephemeral port ("backend-server"), behind the fault proxy
        (simulators/fault_proxy.py) on the configured port ("backend"): the kiosk always talks
        through the proxy, and POST /backend/mode switches it (up, down, slow, error, drop)."""
        server = start_simulator("backend", *_child_args("backend", self.cfg, self.args), listen="127.0.0.1:0")
        self.children["backend-server"] = server
        scheme = server.ports.get("scheme", "https")
        ca = self.cfg.backend.ca_bundle
        pki = str(ca.parent if ca is not None else REPO / "var" / "pki")
        self.children["backend"] = start_simulator(
            "backend-proxy", "--upstream", f"{scheme}://127.0.0.1:{server.ports['listen']}", "--pki", pki,
            *(["--plain-http"] if scheme == "http" else []), listen=listen)

    def _fleet_args(self, name: str) -> list[str]:
        """The broker knows the configured kiosk's login (derived from its key) and the operations
        centre's; the operations centre connects to the broker just started."""
        ops_password = self._secrets / "ops.password"
        if not ops_password.exists():
            fd = os.open(ops_password, os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(24))
        ca = self.cfg.fleet.ca_bundle or self.cfg.backend.ca_bundle or REPO / "var" / "pki" / "ca.pem"
        if name == "broker":
            return ["--pki", str(Path(ca).parent), "--kiosk", f"{self.cfg.kiosk_id}={self.cfg.backend.key_file}",
                    "--ops-password-file", str(ops_password)]
        return ["--broker", self.children["broker"].ports["url"], "--ca", str(ca),
                "--ops-password-file", str(ops_password)]

    def ports(self) -> dict[str, Any]:
        assert self.control is not None
        out: dict[str, Any] = {"control": self.control.port}
        out.update({name: child.ports for name, child in self.children.items()})
        return out

    def stop(self) -> None:
        if self.control is not None:
            self.control.stop()
        for child in reversed(list(self.children.values())):
            child.stop()
        shutil.rmtree(self._secrets, ignore_errors=True)

    # ---- control API ------------------------------------------------------------------------
    def _ports(self, body: dict, query: dict) -> tuple[int, Any]:
        return 200, self.ports()

    def _health(self, body: dict, query: dict) -> tuple[int, Any]:
        alive = {name: child.proc.poll() is None for name, child in self.children.items()}
        return (200 if all(alive.values()) else 503), {"alive": alive}

    def _reset(self, body: dict, query: dict) -> tuple[int, Any]:
        """Every simulator back to its clean state (each child's POST /reset): no card placed or
        inserted, no fault, cables in, paper in, the platform up, an empty backend database.
        The scenario runner calls this before each scenario (cheaper than a hub per file)."""
        failed = {}
        for name, child in self.children.items():
            status, payload = child.control("POST", "/reset", {})
            if status >= 400:
                failed[name] = payload
        if failed:
            raise ControlError(f"reset failed for {', '.join(failed)}: {failed}", 500)
        return 200, {"reset": list(self.children)}

    def _receipts(self, body: dict, query: dict) -> tuple[int, Any]:
        return self._forward("GET", "/printer/receipts", body, query)

    def _forward(self, method: str, path: str, body: dict, query: dict) -> tuple[int, Any]:
        device, _, rest = path.lstrip("/").partition("/")
        if device == "backend" and rest not in ("mode", "requests") and "backend-server" in self.children:
            device = "backend-server"  # only the fault proxy's own routes stay with "backend"
        child = self.children.get(device)
        if child is None:
            raise ControlError(f"no simulator {device!r} in this hub; running: "
                               f"{', '.join(self.children) or 'none'}", 404)
        url = f"{child.control_url}/{rest}" + (f"?{urlencode(query)}" if query else "")
        return http_json(method, url, body if method != "GET" else None)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-sim all", description=__doc__)
    parser.add_argument("--config", default=None, help="kiosk config (default config/kiosk.toml)")
    parser.add_argument("--ephemeral", action="store_true", help="bind every port to 0 (tests)")
    parser.add_argument("--state", help="write the chosen ports to this JSON file")
    parser.add_argument("--control", help="HOST:PORT of the control API (default from config)")
    parser.add_argument("--receipts", type=Path, default=REPO / "var" / "receipts",
                        help="where the printer simulator saves receipts")
    parser.add_argument("--documents", type=Path, default=REPO / "var" / "a4",
                        help="where the A4 printer simulator saves printed PDFs and their PNGs")
    parser.add_argument("--only", help="comma-separated subset of: " + ",".join(ALL))
    parser.add_argument("--listen", help=argparse.SUPPRESS)  # accepted for symmetry; unused
    args = parser.parse_args(argv)
    cfg = load_config_or_exit(args.config, "kiosk-sim all")
    hub = Hub(cfg, args)
    hub.start()
    announce_ready(control=hub.ports()["control"], ports=hub.ports())
    stop = threading.Event()
    try:
        wait_forever(stop)
    finally:
        hub.stop()
    return 0
