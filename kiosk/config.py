"""Kiosk configuration: one TOML file, validated at start, single values overridable by environment.

Relative paths in the file are resolved against the file's own directory.
Environment overrides: `KIOSK_` + the key path in upper case, one double underscore per level, e.g.
`KIOSK_DEVICES__IDCARD__URL=socket://127.0.0.1:7101`, `KIOSK_BACKEND__URL=…`, `KIOSK_TIMEOUTS__INACTIVITY_S=30`.
The value is parsed as the key's type (bool: true/false/1/0).
"""

from __future__ import annotations

import functools
import math
import os
import re
import tomllib
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.devices.device_url import (
    DEVICE_IDS,
    LOCAL_DEVICE_IDS,
    SPEAKER_VOICES,
    DeviceUrlError,
    parse_device_url,
)
from kiosk.devices.registry import DRIVERS_FOR_DEVICE

ENV_PREFIX = "KIOSK_"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "kiosk.toml"


class ConfigError(Exception):
    """A config problem: names the file, the key and what was expected."""

    def __init__(self, file: str, key: str, expected: str) -> None:
        super().__init__(f"{file}: {key}: {expected}")
        self.file, self.key, self.expected = file, key, expected


@dataclass(frozen=True)
class Check:
    """A value rule beyond the type, attached to a field as `metadata={"check": …}`."""

    ok: Callable[[Any], bool]
    expected: str


POSITIVE = Check(lambda v: math.isfinite(v) and v > 0, "a finite number > 0")
PORT = Check(lambda v: 1 <= v <= 65535, "a port number from 1 to 65535")
PORT_OR_ZERO = Check(lambda v: 0 <= v <= 65535, "a port number from 1 to 65535, or 0 for any free one")
REGION_CODE = Check(lambda v: re.fullmatch(r"[0-9]{6}", v) is not None,
                    "a 6-digit administrative division code, e.g. 440204")
KIOSK_ID = Check(lambda v: re.fullmatch(r"[A-Za-z0-9._-]{1,64}", v) is not None,
                 "1-64 letters, digits, '.', '_' or '-' (it is sent in a request header)")


def checked(default: Any = MISSING, *, check: Check) -> Any:
    """A dataclass field whose value must pass `check` (see _build)."""
    return field(default=default, metadata={"check": check})


@dataclass(frozen=True)
class BackendConfig:
    url: str
    key_file: Path
    ca_bundle: Path | None = None
    allow_plain_http: bool = False  # only ever honoured for 127.0.0.1
    timeout_s: float = checked(10.0, check=POSITIVE)
    cache_db: Path | None = None  # offline catalogue cache
    outbox_db: Path | None = None


@dataclass(frozen=True)
class DeviceConfig:
    driver: str
    url: str
    enabled: bool = True
    poll_interval_s: float = checked(0.3, check=POSITIVE)
    timeout_s: float = checked(10.0, check=POSITIVE)
    options: dict[str, Any] = field(default_factory=dict)  # driver-specific, e.g. printer profile


@dataclass(frozen=True)
class TimeoutsConfig:
    inactivity_s: float = checked(60.0, check=POSITIVE)  # no touch → warn, then home
    inactivity_warning_s: float = checked(20.0, check=POSITIVE)  # the "still there?" warning (WCAG 2.2.1)
    take_away_s: float = checked(20.0, check=POSITIVE)  # "take your card and receipt" screen
    attract_s: float = checked(120.0, check=POSITIVE)  # home untouched this long → the attract screen


ORIENTATIONS = ("landscape", "portrait")


@dataclass(frozen=True)
class DisplayConfig:
    orientation: str = "landscape"  # the touch screen as mounted: 1920×1080 or 1080×1920 (rotated by cage -r)


@dataclass(frozen=True)
class SimulatorsConfig:
    control_port: int = checked(7000, check=PORT)
    broker_port: int = checked(8883, check=PORT_OR_ZERO)  # the hub's Mosquitto (fleet.url points here); 0 with --ephemeral picks one
    fleet_port: int = checked(7010, check=PORT_OR_ZERO)  # the hub's operations page


@dataclass(frozen=True)
class TechnicianConfig:
    # `kiosk-diag pin set` prints it; without it the technician screen cannot be entered.
    # The lockout state (5 wrong PINs → 5 minutes) is <state_dir>/technician-lockout.json.
    pin_hash: str | None = None
    # Offered on the technician screen for the diagnostics bundle, besides the USB sticks mounted
    # under /media and /run/media; used only when it exists (docs/configuration.md).
    export_dir: Path | None = None


@dataclass(frozen=True)
class FleetConfig:
    """Fleet telemetry and remote commands over MQTT (docs/fleet.md)."""

    enabled: bool = False
    url: str = "mqtts://127.0.0.1:8883"  # the broker; MQTT over TLS only
    ca_bundle: Path | None = None  # default: backend.ca_bundle
    heartbeat_s: float = 60.0  # state republished this often, and at once on every device change
    keepalive_s: float = 30.0  # the broker declares the kiosk offline (last will) after 1.5 × this
    command_public_key: str = ""  # the operations centre's Ed25519 public key, base64 of the 32 raw bytes


VOICE_LANGUAGES = ("auto", *SPEAKER_VOICES)


@dataclass(frozen=True)
class VoiceConfig:
    """Voice guidance (the speaker device is `[devices.speaker]`). It is on in 长者模式, off otherwise,
    and the resident can switch it, its language and its volume for the session."""

    language: str = "auto"  # auto: 粤语 in the Cantonese-speaking prefectures (region_code), else 普通话
    volume: float = 0.8  # 0..1 at the start of every session
    cache_dir: Path | None = None  # rendered prompts (WAV by text hash); default <state_dir>/voice-cache


@dataclass(frozen=True)
class Config:
    kiosk_id: str = checked(check=KIOSK_ID)
    region_code: str = checked(check=REGION_CODE)
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
    voice: VoiceConfig = field(default_factory=VoiceConfig)
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
            if not math.isfinite(value):
                raise ConfigError(file, key, f"expected a finite number, got {value!r}")
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
    elif tp is Path:
        if isinstance(value, str) and value:
            p = Path(value)
            return p if p.is_absolute() else Path(os.path.normpath(base / p))  # pure: no file system
    elif origin is dict or tp is dict:
        if isinstance(value, dict):
            return dict(value)
    raise ConfigError(file, key, f"expected {_type_name(tp)}, got {value!r}")


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)  # evaluates the string annotations: once per class


def _build(cls: type, data: Any, prefix: str, file: str, base: Path) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(file, prefix or "<top>", f"expected a table, got {data!r}")
    hints = _type_hints(cls)
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
        check = f.metadata.get("check")
        if check is not None and not check.ok(kwargs[f.name]):
            raise ConfigError(file, key, f"expected {check.expected}, got {value!r}")
    return cls(**kwargs)


def _build_devices(data: Any, key: str, file: str, base: Path) -> dict[str, DeviceConfig]:
    if not isinstance(data, dict):
        raise ConfigError(file, key, "expected a table of devices")
    out: dict[str, DeviceConfig] = {}
    for device_id, table in data.items():
        dkey = f"{key}.{device_id}"
        if device_id not in DEVICE_IDS and device_id not in LOCAL_DEVICE_IDS:
            raise ConfigError(file, dkey, "unknown device id; expected one of "
                              + ", ".join((*DEVICE_IDS, *LOCAL_DEVICE_IDS)))
        dev = _build(DeviceConfig, table, dkey + ".", file, base)
        if dev.driver not in DRIVERS_FOR_DEVICE[device_id]:
            raise ConfigError(file, dkey + ".driver",
                              f"expected one of {', '.join(DRIVERS_FOR_DEVICE[device_id])}, got {dev.driver!r}")
        try:
            parse_device_url(device_id, dev.url)
        except DeviceUrlError as exc:
            raise ConfigError(file, dkey + ".url", str(exc)) from exc
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
    if isinstance(current, int | float) and not isinstance(current, bool):
        for conv in (int, float):  # `timeout_s = 10` in the file still takes 2.5 from the environment
            try:
                return conv(raw)
            except ValueError:
                pass
        raise ConfigError(f"environment {name}", name, f"expected a number, got {raw!r}")
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
    return config_from_toml(_read_toml(path, str(path)), path, env)


def config_from_toml(data: dict[str, Any], path: Path, env: typing.Mapping[str, str] | None = None) -> Config:
    """The checks of load_config on an already parsed TOML table (pure; bench/bench_fuzz_parsers.py
    feeds it). Relative paths are resolved against path's folder."""
    file = str(path)
    _apply_env(data, os.environ if env is None else env, file)
    cfg = _build(Config, data, "", file, path.resolve().parent)
    _check_backend(cfg.backend, file)
    if cfg.display.orientation not in ORIENTATIONS:
        raise ConfigError(file, "display.orientation",
                          f"expected one of {', '.join(ORIENTATIONS)}, got {cfg.display.orientation!r}")
    _check_technician(cfg.technician, file)
    _check_fleet(cfg.fleet, file)
    _check_voice(cfg.voice, file)
    return Config(**{**{f.name: getattr(cfg, f.name) for f in fields(cfg)}, "source": path})


def _read_toml(path: Path, file: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(file, "<file>", "file not found") from exc
    except IsADirectoryError as exc:
        raise ConfigError(file, "<file>", "expected a TOML file, got a directory") from exc
    except OSError as exc:
        raise ConfigError(file, "<file>", f"expected a readable TOML file: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError(file, "<encoding>", f"expected UTF-8 text; line {line} holds byte "
                          f"0x{raw[exc.start]:02x}, which is not UTF-8") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, "<syntax>", f"invalid TOML: {exc}") from exc


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
    expected = (f"expected https://HOST[:PORT] (plain http only to 127.0.0.1 with "
                f"backend.allow_plain_http = true), got {b.url!r}")
    try:
        parts = urlsplit(b.url)
        port = parts.port
    except ValueError as exc:  # an unclosed IPv6 bracket, a port out of range
        raise ConfigError(file, "backend.url", f"{expected} ({exc})") from exc
    if port == 0:
        raise ConfigError(file, "backend.url", f"{expected} (port 0)")
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname == "127.0.0.1" and b.allow_plain_http:
        return
    raise ConfigError(file, "backend.url", expected)


# The shape of kiosk/services/technician_pin.py's hashes (config stays below the services layer,
# so the shape is checked here; parse_pin_hash checks the parameters when the PIN is tried).
PIN_HASH_SHAPE = re.compile(r"^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9_-]{11,}\$[A-Za-z0-9_-]{43}$")


def _check_technician(t: TechnicianConfig, file: str) -> None:
    if t.pin_hash is not None and not PIN_HASH_SHAPE.fullmatch(t.pin_hash):
        raise ConfigError(file, "technician.pin_hash",
                          "expected the line `kiosk-diag pin set` prints (scrypt$N$r$p$salt$key)")


def _check_fleet(f: FleetConfig, file: str) -> None:
    try:
        parts = urlsplit(f.url)
        parts.port  # noqa: B018 (raises for a port out of range)
    except ValueError as exc:  # an unclosed IPv6 bracket, a bad port
        raise ConfigError(file, "fleet.url", f"expected mqtts://HOST[:PORT] (MQTT over TLS), got {f.url!r} "
                          f"({exc})") from exc
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


def _check_voice(v: VoiceConfig, file: str) -> None:
    if v.language not in VOICE_LANGUAGES:
        raise ConfigError(file, "voice.language", f"expected one of {', '.join(VOICE_LANGUAGES)}, got {v.language!r}")
    if not 0.0 <= v.volume <= 1.0:
        raise ConfigError(file, "voice.volume", f"expected a number from 0 to 1, got {v.volume!r}")
