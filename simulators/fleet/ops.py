"""`kiosk-sim fleet`: the operations centre — subscribes to the broker, serves the operations page,
signs and sends remote commands.

    kiosk-sim fleet --listen 127.0.0.1:7010 --broker mqtts://127.0.0.1:PORT --ca var/pki/ca.pem
                    --ops-password-file FILE [--signing-key PEM] [--control 127.0.0.1:0]

It logs in as `ops` (read kiosk/#, write kiosk/+/cmd), keeps the latest retained state of every
kiosk (`kiosk/<id>/state`: online with its devices, or the last will `offline`), the time each was
last heard from, and the acknowledgements on `kiosk/<id>/cmd/ack`. A kiosk whose last state is older
than 2.5 heartbeats while it claims to be online is shown `silent` (alive on the network, not
publishing). Commands are signed with the operations key (simulators/fleet/ops_keys.py; the
development key unless --signing-key) and published with an MQTT message expiry equal to their
validity, so a broker never delivers a stale one.

Page server (--listen): `GET /` the operations page (simulators/fleet/page.html), `GET /api/kiosks`,
`GET /api/commands`, `POST /api/commands {"kiosk_id", "command", "args", "lifetime_s"}`.
Control API (--control, the hub's `/fleet/…`): `GET /state` (= /api/kiosks), `POST /command` (= POST
/api/commands), `GET /commands`, `GET /messages[?clear=1]` (every payload received, for the
no-personal-data test), `POST /raw-command {"kiosk_id", "payload"}` (TEST HOOK: publish a payload
as-is — forged, unsigned or replayed commands), `POST /reset` (forget commands and payloads).
"""

from __future__ import annotations

import argparse
import json
import logging
import ssl
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.services.fleet_commands import COMMANDS, sign_command
from simulators.control import ControlError, ControlServer, announce_ready, parse_listen, wait_forever
from simulators.fleet.broker import OPS_USER
from simulators.fleet.ops_keys import load_signing_key

log = logging.getLogger("kiosk-sim.fleet")
PAGE = Path(__file__).with_name("page.html")
SILENT_AFTER_BEATS = 2.5
DEFAULT_HEARTBEAT_S = 60.0


class OpsCentre:
    def __init__(self, broker_url: str, ca: Path | None, password: str, signing_key: Any) -> None:
        self.url = urlsplit(broker_url)
        self.key = signing_key
        self.kiosks: dict[str, dict[str, Any]] = {}
        self.commands: dict[str, dict[str, Any]] = {}  # id → {command fields, acks}
        self.messages: deque[dict[str, Any]] = deque(maxlen=5000)
        self.lock = threading.Lock()
        self.connected = threading.Event()
        c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="ops-centre", protocol=mqtt.MQTTv5)
        c.username_pw_set(OPS_USER, password)
        c.tls_set(ca_certs=str(ca) if ca else None, cert_reqs=ssl.CERT_REQUIRED)
        c.reconnect_delay_set(1, 10)
        c.on_connect, c.on_disconnect, c.on_message = self._on_connect, self._on_disconnect, self._on_message
        self.client = c

    def start(self) -> None:
        self.client.connect_async(self.url.hostname, self.url.port or 8883, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    # ---- MQTT ---------------------------------------------------------------------------------
    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if reason.is_failure:
            log.warning("broker refused the operations centre: %s", reason)
            return
        client.subscribe([("kiosk/+/state", 1), ("kiosk/+/cmd/ack", 1)])
        self.connected.set()

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        self.connected.clear()

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        now = time.time()
        text = msg.payload.decode("utf-8", errors="replace")
        parts = msg.topic.split("/")
        with self.lock:
            self.messages.append({"t": round(now, 3), "topic": msg.topic, "retained": bool(msg.retain),
                                  "payload": text})
        try:
            payload = json.loads(text)
        except ValueError:
            log.warning("unreadable payload on %s", msg.topic)
            return
        if len(parts) == 3 and parts[2] == "state" and isinstance(payload, dict):
            self._state(parts[1], payload, now, bool(msg.retain))
        elif len(parts) == 4 and parts[2:] == ["cmd", "ack"] and isinstance(payload, dict):
            self._ack(parts[1], payload, now)

    def _state(self, kiosk_id: str, payload: dict[str, Any], now: float, retained: bool) -> None:
        with self.lock:
            row = self.kiosks.setdefault(kiosk_id, {"kiosk_id": kiosk_id, "last_seen": None, "state": None,
                                                    "went_offline_at": None})
            if payload.get("state") == "online":
                row["state"] = payload
                # a retained message read at subscribe time is old news: its own sent_at says when
                row["last_seen"] = float(payload.get("sent_at") or now) if retained else now
                row["went_offline_at"] = None
            else:
                row["state"] = {**(row["state"] or {}), **payload}
                row["went_offline_at"] = now

    def _ack(self, kiosk_id: str, ack: dict[str, Any], now: float) -> None:
        with self.lock:
            cid = ack.get("id") or f"unidentified-{len(self.commands)}"
            entry = self.commands.setdefault(cid, {"id": cid, "kiosk_id": kiosk_id, "command": ack.get("command"),
                                                   "sent_at": None, "acks": []})
            entry["acks"].append({**ack, "received_at": round(now, 3)})

    # ---- views --------------------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        now = time.time()
        out = []
        with self.lock:
            rows = [dict(r) for r in self.kiosks.values()]
            last_cmd = {}
            for c in self.commands.values():
                last_cmd[c["kiosk_id"]] = c
        for r in sorted(rows, key=lambda r: r["kiosk_id"]):
            state = r["state"] or {}
            online = state.get("state") == "online"
            beat = float(state.get("heartbeat_s") or DEFAULT_HEARTBEAT_S)
            silent = online and r["last_seen"] is not None and now - r["last_seen"] > SILENT_AFTER_BEATS * beat
            status = "silent" if silent else "online" if online else "offline"
            problems = list(state.get("problems", [])) if online else [f"offline: {state.get('reason', '?')}"]
            if silent:
                problems.insert(0, f"silent for {now - r['last_seen']:.0f} s")
            cmd = last_cmd.get(r["kiosk_id"])
            out.append({
                "kiosk_id": r["kiosk_id"], "status": status, "verdict": state.get("verdict") if online else "offline",
                "maintenance": bool(state.get("maintenance")), "app_version": state.get("app_version"),
                "devices": {d: {"state": v.get("state"), "verdict": v.get("verdict"), "extras": v.get("extras", {})}
                            for d, v in (state.get("devices") or {}).items()},
                "outbox_depth": (state.get("outbox") or {}).get("depth"),
                "catalogue_version": (state.get("catalogue") or {}).get("version"),
                "platform": (state.get("platform") or {}).get("verdict"),
                "last_seen": r["last_seen"], "last_seen_age_s": None if r["last_seen"] is None
                else round(now - r["last_seen"], 1), "offline_reason": None if online else state.get("reason"),
                "problems": problems, "has_problem": status != "online" or state.get("verdict") != "online",
                "last_command": None if cmd is None else {"id": cmd["id"], "command": cmd["command"],
                                                          "status": cmd["acks"][-1]["status"] if cmd["acks"] else "sent",
                                                          "acks": cmd["acks"][-3:]},
            })
        return out

    def view(self) -> dict[str, Any]:
        return {"broker": {"connected": self.connected.is_set(), "url": self.url.geturl()}, "kiosks": self.rows(),
                "at": round(time.time(), 3)}

    def command_list(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(json.dumps(c)) for c in self.commands.values()]

    # ---- commands -----------------------------------------------------------------------------
    def send(self, body: dict[str, Any]) -> dict[str, Any]:
        kiosk_id, command = str(body.get("kiosk_id") or ""), str(body.get("command") or "")
        args = body.get("args") or {}
        if not kiosk_id or any(c in kiosk_id for c in "/+#"):
            raise ControlError("kiosk_id is required (no / + #)")
        if command not in COMMANDS:
            raise ControlError(f"unknown command {command!r}; one of {', '.join(COMMANDS)}")
        if not isinstance(args, dict):
            raise ControlError("args must be an object")
        lifetime = float(body.get("lifetime_s") or 300)
        signed = sign_command(self.key, kiosk_id, command, args, lifetime_s=lifetime)
        self._publish(kiosk_id, signed, expiry_s=int(lifetime))
        with self.lock:
            self.commands[signed["id"]] = {"id": signed["id"], "kiosk_id": kiosk_id, "command": command,
                                           "args": args, "sent_at": signed["issued_at"], "acks": []}
        return signed

    def publish_raw(self, kiosk_id: str, payload: Any) -> None:
        self._publish(kiosk_id, payload, expiry_s=300)

    def _publish(self, kiosk_id: str, payload: Any, expiry_s: int) -> None:
        if not self.connected.is_set():
            raise ControlError("not connected to the broker", 409)
        props = Properties(PacketTypes.PUBLISH)
        props.MessageExpiryInterval = max(1, expiry_s)
        text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
        self.client.publish(f"kiosk/{kiosk_id}/cmd", text, qos=1, properties=props).wait_for_publish(10)


def page_server(ops: OpsCentre, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: Any) -> None:
            self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path in ("/", "/index.html"):
                self._send(200, PAGE.read_bytes(), "text/html; charset=utf-8")
            elif path == "/api/kiosks":
                self._json(200, ops.view())
            elif path == "/api/commands":
                self._json(200, {"commands": ops.command_list()})
            else:
                self._json(404, {"error": f"no such page {path}"})

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/api/commands":
                self._json(404, {"error": "no such route"})
                return
            try:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw or b"{}")
                if not isinstance(body, dict):
                    raise ControlError("body must be a JSON object")
                self._json(200, ops.send(body))
            except ValueError as exc:
                self._json(400, {"error": f"invalid JSON: {exc}"})
            except ControlError as exc:
                self._json(exc.status, {"error": str(exc)})

    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, name="ops-page", daemon=True).start()
    return httpd


def control_routes(ops: OpsCentre) -> dict[tuple[str, str], Any]:
    def messages(body: dict, query: dict) -> tuple[int, Any]:
        with ops.lock:
            out = list(ops.messages)
            if query.get("clear") == "1":
                ops.messages.clear()
        return 200, {"messages": out}

    def reset(body: dict, query: dict) -> tuple[int, Any]:
        """The hub's reset: forget commands and received payloads (kiosk states stay: they are the
        broker's retained truth)."""
        with ops.lock:
            ops.commands.clear()
            ops.messages.clear()
        return 200, {"reset": True}

    def raw(body: dict, query: dict) -> tuple[int, Any]:
        ops.publish_raw(str(body.get("kiosk_id", "")), body.get("payload"))
        return 200, {"published": True}

    return {("GET", "/state"): lambda b, q: (200, ops.view()), ("POST", "/command"): lambda b, q: (200, ops.send(b)),
            ("GET", "/commands"): lambda b, q: (200, {"commands": ops.command_list()}),
            ("GET", "/messages"): messages, ("POST", "/raw-command"): raw, ("POST", "/reset"): reset}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-sim fleet", description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", default="127.0.0.1:0", help="the operations page")
    ap.add_argument("--control", default="127.0.0.1:0")
    ap.add_argument("--broker", required=True, help="mqtts://127.0.0.1:PORT")
    ap.add_argument("--ca", type=Path, default=None, help="CA of the broker's certificate")
    ap.add_argument("--ops-password-file", type=Path, required=True)
    ap.add_argument("--signing-key", type=Path, default=None,
                    help="Ed25519 private key (PEM); default: the DEVELOPMENT key")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ops = OpsCentre(args.broker, args.ca, args.ops_password_file.read_text().strip(),
                    load_signing_key(args.signing_key))
    ops.start()
    if not ops.connected.wait(30):
        raise SystemExit(f"kiosk-sim fleet: cannot connect to the broker {args.broker}")
    host, port = parse_listen(args.listen)
    httpd = page_server(ops, host, port)
    chost, cport = parse_listen(args.control)
    control = ControlServer(control_routes(ops), host=chost, port=cport).start()
    page_port = httpd.server_address[1]
    announce_ready(listen=page_port, control=control.port, url=f"http://127.0.0.1:{page_port}/")
    try:
        wait_forever()
    finally:
        control.stop()
        httpd.shutdown()
        ops.stop()
    return 0
