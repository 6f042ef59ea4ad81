"""Kiosk configuration: one TOML file, validated at start, single values overridable by environment.

Relative paths in the file are resolved against the file's own directory.
Environment overrides: `KIOSK_` + the key path in upper case, one double underscore per level, e.g.
`KIOSK_DEVICES__IDCARD__URL=socket://127.0.0.1:7101`, `KIOSK_BACKEND__URL=…`, `KIOSK_TIMEOUTS__INACTIVITY_S=30`.
The value is parsed as the key's type (bool: true/false/1/0).
"""

from __future__ import annotations

import os
import re
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.devices.device_url import DEVICE_IDS, DeviceUrlError, parse_device_url
from kiosk.devices.registry import DRIVERS_FOR_DEVICE

ENV_PREFIX = "KIOSK_"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "kiosk.toml"


class ConfigError(Exception):
    """A config problem: names the file, the key and what was expected."""

    def __init__(self, file: str, key: str, expected: str) -> None:
        super().__init__(f"{file}: {key}: {expected}")
        self.file, self.key, self.expected = file, key, expected


@dataclass(frozen=True)
class BackendConfig:
    url: str
    key_file: Path
    ca_bundle: Path | None = None
    allow_plain_http: bool = False  # only ever honoured for 127.0.0.1
    timeout_s: float = 10.0
    cache_db: Path | None = None  # offline catalogue cache
    outbox_db: Path | None = None


@dataclass(frozen=True)
class DeviceConfig:
    driver: str
    url: str
    enabled: bool = True
    poll_interval_s: float = 0.3
    timeout_s: float = 10.0
    options: dict[str, Any] = field(default_factory=dict)  # driver-specific, e.g. printer profile


@dataclass(frozen=True)
class TimeoutsConfig:
    inactivity_s: float = 60.0  # no touch → warn, then home
    inactivity_warning_s: float = 20.0  # how long the "still there?" warning gives (WCAG 2.2.1)
    take_away_s: float = 20.0  # "take your card and receipt" screen
    attract_s: float = 120.0  # home untouched this long → the attract screen


ORIENTATIONS = ("landscape", "portrait")


@dataclass(frozen=True)
class DisplayConfig:
    orientation: str = "landscape"  # the touch screen as mounted: 1920×1080 or 1080×1920 (rotated by cage -r)


@dataclass(frozen=True)
class SimulatorsConfig:
    control_port: int = 7000
    broker_port: int = 8883  # the hub's Mosquitto (fleet.url points here); 0 with --ephemeral picks one
    fleet_port: int = 7010  # the hub's operations page


@dataclass(frozen=True)
class TechnicianConfig:
    # `kiosk-diag pin set` prints it; without it the technician screen cannot be entered.
    # The lockout state (5 wrong PINs → 5 minutes) is <state_dir>/technician-lockout.json.
    pin_hash: str | None = None


@dataclass(frozen=True)
class FleetConfig:
    """Fleet telemetry and remote commands over MQTT (docs/fleet.md)."""

    enabled: bool = False
    url: str = "mqtts://127.0.0.1:8883"  # the broker; MQTT over TLS only
    ca_bundle: Path | None = None  # default: backend.ca_bundle
    heartbeat_s: float = 60.0  # state republished this often, and at once on every device change
    keepalive_s: float = 30.0  # the broker declares the kiosk offline (last will) after 1.5 × this
    command_public_key: str = ""  # the operations centre's Ed25519 public key, base64 of the 32 raw bytes


@dataclass(frozen=True)
class Config:
    kiosk_id: str
    region_code: str
    log_dir: Path
    backend: BackendConfig
    devices: dict[str, DeviceConfig]
    timeouts: TimeoutsConfig = field(default_factory=TimeoutsConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    simulators: SimulatorsConfig = field(default_factory=SimulatorsConfig)
    # Writable state that must survive a restart (PIN lockout, remote command ids already run);
    # the config itself stays read-only. systemd: StateDirectory=village-kiosk.
    state_dir: Path = Path("/var/lib/village-kiosk")
    technician: TechnicianConfig = field(default_factory=TechnicianConfig)
    fleet: FleetConfig = field(default_factory=FleetConfig)
    source: Path = Path("<none>")

    def device(self, device_id: str) -> DeviceConfig | None:
        dev = self.devices.get(device_id)
        return dev if dev is not None and dev.enabled else None


# ---- loading ----------------------------------------------------------------------------------

def _type_name(tp: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             Path: "a file path (string)", dict: "a table"}
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp) if a is not type(None))
    return names.get(typing.get_origin(tp) or tp, str(tp))


def _convert(value: Any, tp: Any, key: str, file: str, base: Path) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(value, args[0], key, file, base)
    if tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
    elif tp is Path:
        if isinstance(value, str) and value:
            p = Path(value)
            return p if p.is_absolute() else (base / p).resolve()
    elif origin is dict or tp is dict:
        if isinstance(value, dict):
            return dict(value)
    raise ConfigError(file, key, f"expected {_type_name(tp)}, got {value!r}")


def _build(cls: type, data: Any, prefix: str, file: str, base: Path) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(file, prefix or "<top>", f"expected a table, got {data!r}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls) if f.name != "source"}
    for key in data:
        if key not in known:
            raise ConfigError(file, f"{prefix}{key}", f"unknown key; expected one of {', '.join(sorted(known))}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name == "source":
            continue
        key = f"{prefix}{f.name}"
        if f.name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise ConfigError(file, key, f"missing; expected {_type_name(hints[f.name])}")
            continue
        tp = hints[f.name]
        value = data[f.name]
        if is_dataclass(tp):
            kwargs[f.name] = _build(tp, value, key + ".", file, base)
        elif f.name == "devices" and cls is Config:
            kwargs[f.name] = _build_devices(value, key, file, base)
        else:
            kwargs[f.name] = _convert(value, tp, key, file, base)
    return cls(**kwargs)


def _build_devices(data: Any, key: str, file: str, base: Path) -> dict[str, DeviceConfig]:
    if not isinstance(data, dict):
        raise ConfigError(file, key, "expected a table of devices")
    out: dict[str, DeviceConfig] = {}
    for device_id, table in data.items():
        dkey = f"{key}.{device_id}"
        if device_id not in DEVICE_IDS:
            raise ConfigError(file, dkey, f"unknown device id; expected one of {', '.join(DEVICE_IDS)}")
        dev = _build(DeviceConfig, table, dkey + ".", file, base)
        if dev.driver not in DRIVERS_FOR_DEVICE[device_id]:
            raise ConfigError(file, dkey + ".driver",
                              f"expected one of {', '.join(DRIVERS_FOR_DEVICE[device_id])}, got {dev.driver!r}")
        try:
            parse_device_url(device_id, dev.url)
        except DeviceUrlError as exc:
            raise ConfigError(file, dkey + ".url", str(exc)) from exc
        if dev.poll_interval_s <= 0 or dev.timeout_s <= 0:
            raise ConfigError(file, dkey, "poll_interval_s and timeout_s must be > 0")
        out[device_id] = dev
    return out


def _apply_env(data: dict[str, Any], env: typing.Mapping[str, str], file: str) -> None:
    """Overlay KIOSK_A__B__C=value onto the raw table. Only names whose first part is a top-level
    config key count (KIOSK_CONFIG and other KIOSK_ variables are left alone)."""
    top_keys = {f.name for f in fields(Config) if f.name != "source"}
    for name, raw in sorted(env.items()):
        if not name.startswith(ENV_PREFIX):
            continue
        path = name[len(ENV_PREFIX):].lower().split("__")
        if path[0] not in top_keys:
            continue
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise ConfigError(f"environment {name}", ".".join(path), "does not name a table key")
        target[path[-1]] = _parse_env_value(raw, target.get(path[-1]), name)


def _parse_env_value(raw: str, current: Any, name: str) -> Any:
    if isinstance(current, bool):
        if raw.lower() in ("1", "true", "yes"):
            return True
        if raw.lower() in ("0", "false", "no"):
            return False
        raise ConfigError(f"environment {name}", name, f"expected true or false, got {raw!r}")
    for conv in (int, float):
        if isinstance(current, conv) and not isinstance(current, bool):
            try:
                return conv(raw)
            except ValueError as exc:
                raise ConfigError(f"environment {name}", name, f"expected a number, got {raw!r}") from exc
    if current is None:  # not in the file: let the schema decide (numbers stay numbers)
        for conv in (int, float):
            try:
                return conv(raw)
            except ValueError:
                pass
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
    return raw


def load_config(path: Path | str | None = None, env: typing.Mapping[str, str] | None = None) -> Config:
    """Load, overlay the environment, validate. Raises ConfigError."""
    path = Path(path or os.environ.get("KIOSK_CONFIG") or DEFAULT_CONFIG)
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(file, "<file>", "file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, "<syntax>", f"invalid TOML: {exc}") from exc
    _apply_env(data, os.environ if env is None else env, file)
    cfg = _build(Config, data, "", file, path.resolve().parent)
    _check_backend(cfg.backend, file)
    if cfg.display.orientation not in ORIENTATIONS:
        raise ConfigError(file, "display.orientation",
                          f"expected one of {', '.join(ORIENTATIONS)}, got {cfg.display.orientation!r}")
    _check_technician(cfg.technician, file)
    _check_fleet(cfg.fleet, file)
    return Config(**{**{f.name: getattr(cfg, f.name) for f in fields(cfg)}, "source": path})


def load_config_or_exit(path: Path | str | None, prog: str) -> Config:
    """For command-line entry points: a bad config prints `prog: file: key: expected` on stderr
    and exits with status 2 (the kiosk, kiosk-diag and kiosk-sim all behave the same)."""
    try:
        return load_config(path)
    except ConfigError as exc:
        import sys

        print(f"{prog}: bad configuration: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def _check_backend(b: BackendConfig, file: str) -> None:
    parts = urlsplit(b.url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname == "127.0.0.1" and b.allow_plain_http:
        return
    raise ConfigError(file, "backend.url",
                      f"expected https://HOST[:PORT] (plain http only to 127.0.0.1 with "
                      f"backend.allow_plain_http = true), got {b.url!r}")


# The shape of kiosk/services/technician_pin.py's hashes (config stays below the services layer,
# so the shape is checked here; parse_pin_hash checks the parameters when the PIN is tried).
PIN_HASH_SHAPE = re.compile(r"^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9_-]{11,}\$[A-Za-z0-9_-]{43}$")


def _check_technician(t: TechnicianConfig, file: str) -> None:
    if t.pin_hash is not None and not PIN_HASH_SHAPE.fullmatch(t.pin_hash):
        raise ConfigError(file, "technician.pin_hash",
                          "expected the line `kiosk-diag pin set` prints (scrypt$N$r$p$salt$key)")


def _check_fleet(f: FleetConfig, file: str) -> None:
    parts = urlsplit(f.url)
    if parts.scheme != "mqtts" or not parts.hostname:
        raise ConfigError(file, "fleet.url", f"expected mqtts://HOST[:PORT] (MQTT over TLS), got {f.url!r}")
    if f.heartbeat_s <= 0 or f.keepalive_s < 5:
        raise ConfigError(file, "fleet", "heartbeat_s must be > 0 and keepalive_s at least 5")
    if not f.enabled:
        return
    import base64
    import binascii

    try:
        raw = base64.b64decode(f.command_public_key, validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        raise ConfigError(file, "fleet.command_public_key",
                          "expected the operations centre's Ed25519 public key: base64 of 32 bytes")
