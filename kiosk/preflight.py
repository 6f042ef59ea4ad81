"""What must hold before the kiosk starts, beyond the config's own schema (kiosk/config.py): the
files it names and the driver options. One check, run by `kiosk` and by `kiosk-diag config`, so an
installer's mistake is found the same way by both, and named: the file, the key, what was expected.

- `backend.key_file`: readable, 64 hex characters (the kiosk cannot sign a request without it);
- `backend.ca_bundle`: an existing file of PEM certificates (TLS cannot be verified without it);
- `log_dir`: a directory, or a path where one can be made; `backend.cache_db`, `backend.outbox_db`:
  not a directory;
- `devices.<id>.options`: each enabled driver is constructed (no I/O) with its options, as
  kiosk/devices/manager.py will at start, so a mistyped option stops the start instead of leaving a
  device dead.

A corrupt outbox or catalogue cache is not a reason to refuse: those are moved aside at start and
reported (kiosk/services/sqlite_files.py).
"""

from __future__ import annotations

import os
import ssl
import sys
from pathlib import Path

from kiosk.config import Config, ConfigError, load_config_or_exit


def problems(cfg: Config) -> list[ConfigError]:
    """Every problem found (empty: the kiosk can start)."""
    file = str(cfg.source)
    found = [p for p in (_key_file(cfg, file), _ca_bundle(cfg, file), _directory(cfg.log_dir, "log_dir", file),
                         _db_file(cfg.backend.cache_db, "backend.cache_db", file),
                         _db_file(cfg.backend.outbox_db, "backend.outbox_db", file)) if p is not None]
    return found + driver_problems(cfg)


def load_or_exit(path: Path | str | None, prog: str) -> Config:
    """The config for an entry point that starts (or checks) the kiosk: every problem is printed as
    `prog: bad configuration: file: key: expected` on stderr, then exit status 2."""
    cfg = load_config_or_exit(path, prog)
    found = problems(cfg)
    for problem in found:
        print(f"{prog}: bad configuration: {problem}", file=sys.stderr)
    if found:
        raise SystemExit(2)
    return cfg


def _key_file(cfg: Config, file: str) -> ConfigError | None:
    from kiosk.services.signing import KeyFileError, load_key

    try:
        load_key(cfg.backend.key_file)
    except KeyFileError as exc:
        return ConfigError(file, "backend.key_file", f"expected the kiosk's signing key, a file of 64 hex "
                                                     f"characters: {exc}")
    return None


def _ca_bundle(cfg: Config, file: str) -> ConfigError | None:
    path = cfg.backend.ca_bundle
    if path is None:
        return None
    if not path.is_file():
        return ConfigError(file, "backend.ca_bundle", f"expected an existing file of PEM CA certificates; "
                                                      f"{path} {'is a directory' if path.is_dir() else 'does not exist'}")
    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError) as exc:
        return ConfigError(file, "backend.ca_bundle", f"expected PEM CA certificates in {path}: {exc}")
    return None


def _directory(path: Path, key: str, file: str) -> ConfigError | None:
    """A directory that exists and is writable, or can be created."""
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        what = "is a file" if existing == path else f"cannot be created: {existing} is a file"
        return ConfigError(file, key, f"expected a directory; {path} {what}")
    if not os.access(existing, os.W_OK | os.X_OK):
        return ConfigError(file, key, f"expected a writable directory; {existing} is not writable")
    return None


def _db_file(path: Path | None, key: str, file: str) -> ConfigError | None:
    if path is None:
        return None
    if path.is_dir():
        return ConfigError(file, key, f"expected a database file path; {path} is a directory")
    return _directory(path.parent, key, file)


def driver_problems(cfg: Config) -> list[ConfigError]:
    """Construct every enabled driver as the kiosk will (constructors do no I/O)."""
    from kiosk.devices.manager import build_device

    found = []
    for device_id, dev in cfg.devices.items():
        if not dev.enabled:
            continue
        try:
            build_device(device_id, dev)
        except (TypeError, ValueError) as exc:
            found.append(ConfigError(str(cfg.source), f"devices.{device_id}.options",
                                     f"{type(exc).__name__}: {exc}"))
    return found
