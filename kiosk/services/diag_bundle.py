"""The diagnostics bundle: one zip a technician takes away on a USB stick, or the fleet's
`collect_logs` command uploads to the platform.

    data = build_bundle(cfg, health.to_dict())          # bytes (zip)
    path = export_bundle(cfg, "/media/usb0", health.to_dict())

Contents: `manifest.json` (kiosk, time, app version, files, what was masked), `status.json` (the
health model, as `kiosk-diag status --json` prints it), `config.json` (the effective config with
secrets removed) and `logs/kiosk.log*` (the rotating logs). Every text file is passed through the
log filter's masks again on the way out (ID and permit numbers, phone numbers, e-ID tokens, the
current session's names), so a log line that slipped past the filter still leaves masked.

No Qt; blocking file I/O (call it off the GUI thread). Errors are BundleError with a message code.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any

from kiosk.logging_setup import PersonalDataFilter
from kiosk.services.health import app_version

log = logging.getLogger(__name__)

REMOVED = "<removed>"
SECRET_KEY = re.compile(r"(pin_hash|password|secret|token|private)", re.IGNORECASE)
MAX_LOG_BYTES = 16 * 1024 * 1024  # all log files together; the oldest rotations go first
MASKING = ("ID-card and permit numbers, mobile numbers, e-ID tokens and the current session's names are "
           "replaced by ***; config secrets are removed; device details carry no personal data")


class BundleError(Exception):
    """`code` is the message code for the screen (bundle.no_target, bundle.write_failed)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


def _plain(value: Any, key: str = "") -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v, str(k)) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, str) and SECRET_KEY.search(key) and value:
        return REMOVED
    return value


def safe_config(cfg: Any) -> dict[str, Any]:
    """The effective config as JSON data, secrets removed (files named, never read)."""
    return _plain(cfg)


def _log_files(log_dir: Path | None) -> list[Path]:
    if log_dir is None or not Path(log_dir).is_dir():
        return []
    files = sorted(Path(log_dir).glob("kiosk.log*"),
                   key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0)
    kept, total = [], 0
    for path in files:  # newest first: kiosk.log, kiosk.log.1, …
        size = path.stat().st_size
        if total + size > MAX_LOG_BYTES:
            break
        kept.append(path)
        total += size
    return kept


def _masked_text(text: str) -> str:
    return "\n".join(PersonalDataFilter.mask(line) for line in text.split("\n"))


def build_bundle(cfg: Any, status: dict[str, Any], *, now: float | None = None) -> bytes:
    now = time.time() if now is None else now
    buf = io.BytesIO()
    files: list[str] = []
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        def add(name: str, text: str) -> None:
            z.writestr(name, _masked_text(text))
            files.append(name)

        add("status.json", json.dumps(status, ensure_ascii=False, indent=2))
        add("config.json", json.dumps(safe_config(cfg), ensure_ascii=False, indent=2))
        for path in _log_files(cfg.log_dir):
            try:
                add(f"logs/{path.name}", path.read_text(encoding="utf-8", errors="replace"))
            except OSError as exc:
                log.warning("diagnostics bundle: cannot read %s: %s", path, exc)
        manifest = {"kiosk_id": cfg.kiosk_id, "created_at": round(now, 3),
                    "created_iso": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(now)),
                    "app_version": app_version(), "files": files, "masking": MASKING}
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buf.getvalue()


def bundle_name(kiosk_id: str, now: float) -> str:
    return f"kiosk-diag-{kiosk_id}-{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}.zip"


def export_bundle(cfg: Any, dest_dir: Path | str, status: dict[str, Any], *, now: float | None = None) -> Path:
    """Write the bundle into `dest_dir` (e.g. a mounted USB stick) as one file, atomically:
    a half-written file never carries the final name. Returns the file's path."""
    now = time.time() if now is None else now
    dest = Path(dest_dir)
    if not dest.is_dir():
        raise BundleError("bundle.no_target", f"{dest} is not a directory (is the USB stick mounted?)")
    data = build_bundle(cfg, status, now=now)
    final = dest / bundle_name(cfg.kiosk_id, now)
    tmp = final.with_name(final.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError("bundle.write_failed", f"cannot write {final}: {exc}") from exc
    log.info("diagnostics bundle written: %s (%d bytes)", final, len(data))
    return final
