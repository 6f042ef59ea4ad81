"""Signed remote commands from the operations centre (docs/fleet.md, "Commands").

A command on `kiosk/<id>/cmd` is one JSON object:

    {"id": "5f0c…", "kiosk_id": "GD-SG-ZJ-0001", "command": "collect_logs", "args": {},
     "issued_at": 1767000000.0, "expires_at": 1767000300.0, "sig": "<base64 Ed25519 signature>"}

`sig` signs the canonical JSON of every other field (sorted keys, no spaces, UTF-8). The kiosk
holds only the operations centre's public key (`fleet.command_public_key`). A command is refused,
and the refusal acknowledged with its reason, when it is: not JSON or missing fields (`malformed`),
unsigned (`unsigned`), signed by another key or altered (`bad_signature`), for another kiosk
(`wrong_kiosk`), valid for longer than an hour (`lifetime_too_long`), issued in the future beyond the
clock slack (`not_yet_valid`), past its expiry (`expired`), already run (`replayed`: ids are kept in
a file under the state directory until they expire, so a restart does not reopen the window), or
not a known command (`unknown_command`). Signature first: nothing unauthenticated is stored. A
corrupt seen-ids file is replaced by an empty one that refuses every command issued before it.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

log = logging.getLogger(__name__)

COMMANDS = ("refresh_catalogue", "collect_logs", "restart", "set_maintenance")
MAX_LIFETIME_S = 3600.0
CLOCK_SLACK_S = 300.0  # the signer's clock may run this far ahead of the kiosk's
ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SEEN_FILE = "fleet-commands-seen.json"
FIELDS = ("id", "kiosk_id", "command", "args", "issued_at", "expires_at")


@dataclass(frozen=True)
class Command:
    id: str
    kiosk_id: str
    command: str
    args: dict[str, Any] = field(default_factory=dict)
    issued_at: float = 0.0
    expires_at: float = 0.0


class CommandRefused(Exception):
    """`reason` is one of the codes in the module doc; `command_id`/`command` when they were readable."""

    def __init__(self, reason: str, detail: str, command_id: str | None = None, command: str | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.command_id, self.command = reason, detail, command_id, command


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(pub.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def sign_command(key: Ed25519PrivateKey, kiosk_id: str, command: str, args: dict[str, Any] | None = None, *,
                 lifetime_s: float = 300.0, now: float | None = None, command_id: str | None = None) -> dict[str, Any]:
    """What the operations centre publishes (simulators/fleet/ops.py and the tests use it)."""
    now = time.time() if now is None else now
    body = {"id": command_id or uuid.uuid4().hex, "kiosk_id": kiosk_id, "command": command,
            "args": dict(args or {}), "issued_at": round(now, 3), "expires_at": round(now + lifetime_s, 3)}
    return {**body, "sig": base64.b64encode(key.sign(canonical(body))).decode()}


class CommandVerifier:
    def __init__(self, public_key: Ed25519PublicKey, kiosk_id: str, seen_file: Path | str, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.public_key, self.kiosk_id, self.clock = public_key, kiosk_id, clock
        self.seen_file = Path(seen_file)
        self._lock = threading.Lock()

    def verify(self, raw: bytes) -> Command:
        """The command, once checked and recorded as seen; raises CommandRefused."""
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandRefused("malformed", f"not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise CommandRefused("malformed", "not a JSON object")
        cid = data.get("id") if isinstance(data.get("id"), str) and ID_RE.fullmatch(data["id"]) else None
        name = data.get("command") if isinstance(data.get("command"), str) else None
        name = name if name in COMMANDS else None
        if "sig" not in data:
            raise CommandRefused("unsigned", "no sig field", cid, name)
        missing = [f for f in FIELDS if f not in data]
        if missing or cid is None or not isinstance(data["args"], dict) or not all(
                isinstance(data[f], int | float) and not isinstance(data[f], bool) for f in ("issued_at", "expires_at")):
            raise CommandRefused("malformed", f"missing or invalid fields: {', '.join(missing) or 'id/args/times'}",
                                 cid, name)
        try:
            signature = base64.b64decode(str(data["sig"]), validate=True)
            self.public_key.verify(signature, canonical({f: data[f] for f in FIELDS}))
        except (binascii.Error, InvalidSignature, ValueError):
            raise CommandRefused("bad_signature", "the signature does not verify with fleet.command_public_key",
                                 cid, name) from None
        cmd = Command(cid, str(data["kiosk_id"]), str(data["command"]), data["args"],
                      float(data["issued_at"]), float(data["expires_at"]))
        now = self.clock()
        if cmd.kiosk_id != self.kiosk_id:
            raise CommandRefused("wrong_kiosk", f"addressed to {cmd.kiosk_id}", cid, name)
        if cmd.expires_at - cmd.issued_at > MAX_LIFETIME_S:
            raise CommandRefused("lifetime_too_long", f"valid for {cmd.expires_at - cmd.issued_at:.0f} s "
                                 f"(at most {MAX_LIFETIME_S:.0f})", cid, name)
        if cmd.issued_at > now + CLOCK_SLACK_S:
            raise CommandRefused("not_yet_valid", f"issued {cmd.issued_at - now:.0f} s in the future", cid, name)
        if now > cmd.expires_at:
            raise CommandRefused("expired", f"expired {now - cmd.expires_at:.0f} s ago", cid, name)
        with self._lock:
            floor, seen = self._load(now)
            if cmd.id in seen or cmd.issued_at < floor:
                raise CommandRefused("replayed", f"command id {cmd.id} was already received" if cmd.id in seen
                                     else "issued before the seen-commands list was reset", cid, name)
            seen[cmd.id] = cmd.expires_at
            self._save(floor, seen)
        if cmd.command not in COMMANDS:
            raise CommandRefused("unknown_command", f"no command {cmd.command!r}", cid, None)
        return cmd

    # ---- the seen-ids file -------------------------------------------------------------------------
    def _load(self, now: float) -> tuple[float, dict[str, float]]:
        """(floor, {id: expires_at}). A corrupt file is replaced by an empty list whose floor is
        now: a command issued before that cannot be proved new and is refused as a replay."""
        try:
            raw = json.loads(self.seen_file.read_text(encoding="utf-8"))
            floor, seen = float(raw["floor"]), {str(k): float(v) for k, v in raw["seen"].items()}
        except FileNotFoundError:
            return 0.0, {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.error("seen-commands file %s unreadable (%s): starting a new list; older commands are "
                      "refused", self.seen_file, type(exc).__name__)
            return now, {}
        return floor, {k: v for k, v in seen.items() if v + CLOCK_SLACK_S >= now}  # expired ids can go

    def _save(self, floor: float, seen: dict[str, float]) -> None:
        self.seen_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.seen_file.with_name(self.seen_file.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"floor": floor, "seen": seen}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.seen_file)
