"""The kiosk's side of fleet operations: telemetry and remote commands over MQTT 5 (docs/fleet.md).

    fleet = FleetClient(cfg, key, devices=manager, client=backend_client, outbox=outbox, hooks=app_hooks)
    fleet.start()   # returns at once; connects, reconnects with backoff, never blocks the caller
    …
    fleet.stop()    # publishes `offline` (retained) and disconnects

Topics (the broker's ACL lets a kiosk use only its own):
- `kiosk/<id>/state`, retained, QoS 1: `fleet_state()` of the health model — online/offline, app
  version, device states and extras, platform, catalogue version, outbox depth, maintenance. Sent
  on connect, every `fleet.heartbeat_s`, and at once when any device's status changes (the
  DeviceManager's status listeners). The last will, set at connect, is the retained
  `{"state": "offline", "reason": "connection lost"}`: the broker publishes it when the kiosk drops.
- `kiosk/<id>/cmd`, QoS 1: signed commands (fleet_commands.py), verified, run, acknowledged on
- `kiosk/<id>/cmd/ack`, QoS 1: `{"id", "command", "status": accepted|done|deferred|refused|failed,
  "reason"?, "detail"?, "result"?, "at"}`.

Commands run through `KioskHooks`, the app's small callback interface (no Qt here; the app marshals
to its GUI thread): refresh_catalogue → hooks.refresh_catalogue(); set_maintenance {"on": bool} →
hooks.set_maintenance(on) (remembered in <state_dir>/fleet-maintenance.json across restarts);
restart → hooks.restart() once hooks.is_idle() (deferred while a resident is served);
collect_logs → the masked diagnostics bundle uploaded with POST /api/v1/kiosk/diagnostics.

Threads: paho's network thread ("paho-mqtt-client-…": callbacks, never blocked: messages go into a
queue), "fleet-state" (builds and publishes the state), "fleet-commands" (verifies and runs
commands, polls for an idle moment for a deferred restart). Nothing here touches personal data:
the state is the health model's device facts, masked and allow-listed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import queue
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.services.fleet_commands import Command, CommandRefused, CommandVerifier, public_key_from_b64
from kiosk.services.health import Health, gather

log = logging.getLogger(__name__)

MAINTENANCE_FILE = "fleet-maintenance.json"
SESSION_EXPIRY_S = 3600  # the broker keeps our subscription and queued commands this long
IDLE_POLL_S = 1.0
# Device extras that go to the operations centre (scalar device facts only).
FLEET_EXTRAS = ("paper", "cover_open", "online", "failed_jobs", "card_present", "reader", "size", "source",
                "sam_id", "fps")


def mqtt_password(kiosk_key: bytes, kiosk_id: str) -> str:
    """The kiosk's broker password, derived from its signing key: no second secret to provision.
    The broker's password file holds only a hash of it (simulators/fleet/broker.py)."""
    return hmac.new(kiosk_key, b"village-kiosk mqtt password v1\n" + kiosk_id.encode(), hashlib.sha256).hexdigest()


def topics(kiosk_id: str) -> dict[str, str]:
    base = f"kiosk/{kiosk_id}"
    return {"state": f"{base}/state", "cmd": f"{base}/cmd", "ack": f"{base}/cmd/ack"}


def offline_state(kiosk_id: str, reason: str) -> dict[str, Any]:
    return {"kiosk_id": kiosk_id, "state": "offline", "reason": reason}


def fleet_state(health: Health, *, maintenance: bool, seq: int, sent_at: float, heartbeat_s: float) -> dict[str, Any]:
    """The retained state: a compact, allow-listed projection of the health model."""
    def part(name: str, *keys: str) -> dict[str, Any]:
        p = health.services.get(name)
        return {} if p is None else {"verdict": p.verdict, **{k: p.data.get(k) for k in keys}}

    devices = {}
    for device_id, p in health.devices.items():
        extras = p.data.get("extras", {})
        devices[device_id] = {"state": p.data.get("state"), "verdict": p.verdict, "detail": p.data.get("detail", ""),
                              "extras": {k: extras[k] for k in FLEET_EXTRAS if k in extras}}
    return {"kiosk_id": health.kiosk_id, "state": "online", "verdict": health.verdict,
            "maintenance": maintenance, "app_version": health.app_version, "seq": seq, "sent_at": round(sent_at, 3),
            "heartbeat_s": heartbeat_s,
            "devices": devices, "platform": part("backend", "online", "reason"),
            "catalogue": part("catalogue", "version", "age_s"),
            "outbox": part("outbox", "depth", "failed", "oldest_age_s"), "disk": part("disk", "free_bytes"),
            "problems": [f"{p.name}: {p.summary}" for p in health.problems()]}


class KioskHooks(Protocol):
    """What the app provides. Each may be called on a fleet thread; none may block for long except
    refresh_catalogue (it runs on the commands thread)."""

    def is_idle(self) -> bool: ...  # no resident session in progress
    def set_maintenance(self, on: bool) -> None: ...  # show 设备维护中 and refuse new sessions (or stop)
    def refresh_catalogue(self) -> str | None: ...  # fetch now; the stored version
    def restart(self) -> None: ...  # exit for the supervisor to restart (called only when idle)


class FleetClient:
    def __init__(self, cfg: Any, kiosk_key: bytes, *, devices: Any, hooks: KioskHooks, client: Any = None,
                 outbox: Any = None, clock: Callable[[], float] | None = None) -> None:
        self.cfg, self.fleet = cfg, cfg.fleet
        self.kiosk_id = cfg.kiosk_id
        if any(c in self.kiosk_id for c in "/+#") or not self.kiosk_id:
            raise ValueError(f"kiosk_id {self.kiosk_id!r} cannot be an MQTT topic level")
        self.devices, self.hooks, self.client, self.outbox = devices, hooks, client, outbox
        self.topics = topics(self.kiosk_id)
        # Commands are timed against the platform-corrected clock when the backend client knows it.
        self.clock = clock or (lambda: time.time() + float(getattr(client, "skew_s", 0.0) or 0.0))
        self.state_dir = Path(cfg.state_dir)
        self.verifier = CommandVerifier(public_key_from_b64(self.fleet.command_public_key), self.kiosk_id,
                                        self.state_dir / "fleet-commands-seen.json", clock=self.clock)
        self.maintenance = self._load_maintenance()
        self._password = mqtt_password(kiosk_key, self.kiosk_id)
        self._mqtt: mqtt.Client | None = None
        self._connected = threading.Event()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._commands: queue.Queue[bytes] = queue.Queue(maxsize=100)
        self._pending_restart: Command | None = None
        self._threads: list[threading.Thread] = []
        self._seq = 0
        self.published = 0  # states published (for tests and the technician screen)
        self.last_error: str | None = None

    # ---- lifecycle ----------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def start(self) -> None:
        """Returns at once. A broker that cannot be reached is retried with backoff (1 s → 60 s)."""
        url = urlsplit(self.fleet.url)
        ca = self.fleet.ca_bundle or self.cfg.backend.ca_bundle
        c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=self.kiosk_id, protocol=mqtt.MQTTv5)
        c.username_pw_set(self.kiosk_id, self._password)
        c.tls_set(ca_certs=str(ca) if ca else None, cert_reqs=ssl.CERT_REQUIRED, tls_version=ssl.PROTOCOL_TLS_CLIENT)
        c.will_set(self.topics["state"], json.dumps(offline_state(self.kiosk_id, "connection lost")), qos=1,
                   retain=True)
        c.reconnect_delay_set(1, 60)
        c.max_queued_messages_set(200)  # bounded memory while the broker is away
        c.on_connect, c.on_disconnect, c.on_message = self._on_connect, self._on_disconnect, self._on_message
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY_S
        c.connect_async(url.hostname, url.port or 8883, keepalive=int(self.fleet.keepalive_s), clean_start=False,
                        properties=props)
        self._mqtt = c
        if self.maintenance:
            self._call_hook("set_maintenance", True)
        self.devices.add_status_listener(self._on_device_status)
        self._threads = [threading.Thread(target=self._state_loop, name="fleet-state", daemon=True),
                         threading.Thread(target=self._command_loop, name="fleet-commands", daemon=True)]
        for t in self._threads:
            t.start()
        c.loop_start()
        log.info("fleet: connecting to %s as %s", self.fleet.url, self.kiosk_id)

    def stop(self, timeout: float = 3.0) -> None:
        """Say goodbye (retained offline state), disconnect, end the threads."""
        self._stop.set()
        self._wake.set()
        c = self._mqtt
        if c is not None:
            if self.connected:
                info = c.publish(self.topics["state"], json.dumps(offline_state(self.kiosk_id, "shutdown")),
                                 qos=1, retain=True)
                try:
                    info.wait_for_publish(timeout)
                except (RuntimeError, ValueError):
                    pass
            c.disconnect()
            c.loop_stop()
        for t in self._threads:
            t.join(timeout)
        remove = getattr(self.devices, "remove_status_listener", None)
        if remove is not None:
            remove(self._on_device_status)

    # ---- paho callbacks (network thread: never block) ---------------------------------------
    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if reason.is_failure:
            self.last_error = f"broker refused the connection: {reason}"
            log.warning("fleet: %s", self.last_error)
            return
        self._connected.set()
        self.last_error = None
        client.subscribe(self.topics["cmd"], qos=1)
        log.info("fleet: connected to %s", self.fleet.url)
        self._wake.set()  # the state goes out at once

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        was = self._connected.is_set()
        self._connected.clear()
        if was and not self._stop.is_set():
            self.last_error = f"connection lost: {reason}"
            log.warning("fleet: %s; reconnecting with backoff", self.last_error)

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        if message.topic != self.topics["cmd"]:
            return
        try:
            self._commands.put_nowait(bytes(message.payload))
        except queue.Full:
            log.warning("fleet: command queue full; a command was dropped")

    def _on_device_status(self, status: Any) -> None:  # device worker threads
        self._wake.set()

    def state_changed(self) -> None:
        """Ask for a state publish now (e.g. after the maintenance flag or the outbox changed)."""
        self._wake.set()

    # ---- state --------------------------------------------------------------------------------
    def current_state(self) -> dict[str, Any]:
        health = gather(self.cfg, self.devices.statuses(), check_backend=False,
                        connectivity=getattr(self.client, "connectivity", None) and self.client.connectivity.state,
                        outbox_stats=self._outbox_stats())
        self._seq += 1
        return fleet_state(health, maintenance=self.maintenance, seq=self._seq, sent_at=time.time(),
                           heartbeat_s=self.fleet.heartbeat_s)

    def _outbox_stats(self) -> dict[str, Any] | None:
        if self.outbox is None:
            return None
        try:
            return self.outbox.stats()
        except Exception as exc:  # an outbox not opened yet; the health model reads the file instead
            log.debug("fleet: outbox stats unavailable: %s", exc)
            return None

    def _state_loop(self) -> None:
        next_beat = 0.0
        while not self._stop.is_set():
            self._wake.wait(max(0.0, next_beat - time.monotonic()))
            if self._stop.is_set():
                return
            self._wake.clear()
            if not self.connected or self._mqtt is None:
                next_beat = time.monotonic() + self.fleet.heartbeat_s
                continue
            try:
                payload = json.dumps(self.current_state(), ensure_ascii=False)
                self._mqtt.publish(self.topics["state"], payload, qos=1, retain=True)
                self.published += 1
            except Exception:
                log.exception("fleet: building or publishing the state failed")
            next_beat = time.monotonic() + self.fleet.heartbeat_s

    # ---- commands -----------------------------------------------------------------------------
    def _ack(self, command_id: str | None, command: str | None, status: str, **extra: Any) -> None:
        body = {"id": command_id, "command": command, "status": status, "at": round(time.time(), 3),
                **{k: v for k, v in extra.items() if v is not None}}
        if self._mqtt is not None:
            self._mqtt.publish(self.topics["ack"], json.dumps(body, ensure_ascii=False), qos=1)

    def _command_loop(self) -> None:
        while not self._stop.is_set():
            try:
                raw = self._commands.get(timeout=IDLE_POLL_S)
            except queue.Empty:
                raw = None
            if raw is not None:
                self.handle(raw)
            if self._pending_restart is not None and self._call_hook("is_idle") is True:
                cmd, self._pending_restart = self._pending_restart, None
                self._ack(cmd.id, cmd.command, "done", result={"restarting": True})
                log.warning("fleet: restarting by remote command %s (the kiosk is idle)", cmd.id)
                self._call_hook("restart")

    def handle(self, raw: bytes) -> None:
        """Verify one command, run it, acknowledge it (on the commands thread)."""
        try:
            cmd = self.verifier.verify(raw)
        except CommandRefused as refused:
            log.warning("fleet: command refused (%s): %s", refused.reason, refused.detail)
            self._ack(refused.command_id, refused.command, "refused", reason=refused.reason, detail=refused.detail)
            return
        log.info("fleet: command %s %s accepted", cmd.command, cmd.id)
        self._ack(cmd.id, cmd.command, "accepted")
        try:
            getattr(self, f"_do_{cmd.command}")(cmd)
        except Exception as exc:
            code = getattr(exc, "code", None) or type(exc).__name__
            log.warning("fleet: command %s %s failed: %s", cmd.command, cmd.id, exc)
            self._ack(cmd.id, cmd.command, "failed", reason=str(code), detail=str(getattr(exc, "detail", exc))[:300])

    def _call_hook(self, name: str, *args: Any) -> Any:
        try:
            return getattr(self.hooks, name)(*args)
        except Exception:
            log.exception("fleet: hook %s failed", name)
            raise

    def _do_refresh_catalogue(self, cmd: Command) -> None:
        version = self._call_hook("refresh_catalogue")
        self._ack(cmd.id, cmd.command, "done", result={"version": version})
        self._wake.set()

    def _do_set_maintenance(self, cmd: Command) -> None:
        on = cmd.args.get("on")
        if not isinstance(on, bool):
            self._ack(cmd.id, cmd.command, "refused", reason="bad_arguments", detail='expected {"on": true|false}')
            return
        self._call_hook("set_maintenance", on)
        self.maintenance = on
        self._save_maintenance(on)
        self._ack(cmd.id, cmd.command, "done", result={"maintenance": on})
        self._wake.set()

    def _do_restart(self, cmd: Command) -> None:
        if self._call_hook("is_idle"):
            self._ack(cmd.id, cmd.command, "done", result={"restarting": True})
            log.warning("fleet: restarting by remote command %s", cmd.id)
            self._call_hook("restart")
            return
        self._pending_restart = cmd
        self._ack(cmd.id, cmd.command, "deferred", detail="a resident is being served; restarting when the session ends")

    def _do_collect_logs(self, cmd: Command) -> None:
        from kiosk.services.diag_bundle import build_bundle

        if self.client is None:
            raise RuntimeError("no platform client to upload to")
        health = gather(self.cfg, self.devices.statuses(), check_backend=False,
                        connectivity=self.client.connectivity.state, outbox_stats=self._outbox_stats())
        data = build_bundle(self.cfg, health.to_dict())
        receipt = self.client.upload_diagnostics(data, command_id=cmd.id)
        self._ack(cmd.id, cmd.command, "done", result=receipt)

    # ---- the maintenance flag survives a restart ---------------------------------------------------
    def _load_maintenance(self) -> bool:
        try:
            return bool(json.loads((self.state_dir / MAINTENANCE_FILE).read_text())["on"])
        except FileNotFoundError:
            return False
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("fleet: maintenance flag unreadable (%s); assuming off", type(exc).__name__)
            return False

    def _save_maintenance(self, on: bool) -> None:
        path = self.state_dir / MAINTENANCE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"on": on, "at": time.time()}))
        os.replace(tmp, path)
