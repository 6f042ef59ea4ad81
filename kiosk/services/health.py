"""The kiosk's health in one model: every configured device, the platform, the offline catalogue,
the outbox and the disk, each with a verdict, and one verdict for the whole kiosk.

    health = gather(cfg, manager.statuses())                       # technician screen, kiosk-diag status
    health = gather(cfg, statuses, check_backend=False,             # fleet telemetry: no extra
                    connectivity=client.connectivity.state,         # network calls, the live outbox
                    outbox_stats=outbox.stats())
    health.verdict        "online" | "degraded" | "offline"
    health.to_dict()      JSON for `kiosk-diag status --json`, the diagnostics bundle, the fleet state

Verdicts: `online` works; `degraded` works but needs attention (paper near end, failed print jobs
kept, an outbox backlog or refused entries, a catalogue not confirmed for a day, a clock to fix, the
disk filling up); `offline` cannot be used (a device not connected / in error / paper out / cover
open, the platform unreachable or refusing the kiosk, the disk full). The kiosk's verdict is the
worst part's. `kiosk-diag` turns it into its exit code (kiosk/diag/exit_codes.py).

No Qt. `gather` does blocking I/O (backend checks over the network, SQLite reads): call it off
the GUI thread. Nothing here carries personal data: device details are masked and extras are
scalar device facts (paper, cover, card present, reader name, frame size, SAM id).
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.devices.model import DeviceState, DeviceStatus
from kiosk.logging_setup import PersonalDataFilter
from kiosk.services.catalogue_cache import StoredInfo, stored_info
from kiosk.services.connectivity import ConnectivityState

log = logging.getLogger(__name__)

VERDICTS = ("online", "degraded", "offline")  # in order of severity
OUTBOX_BACKLOG_DEPTH = 20  # entries waiting
OUTBOX_BACKLOG_AGE_S = 15 * 60  # the oldest waiting entry
CATALOGUE_MAX_AGE_S = 24 * 3600  # since the platform last confirmed the stored copy
DISK_LOW_BYTES = 500 * 1024 * 1024
DISK_FULL_BYTES = 50 * 1024 * 1024  # the outbox and logs can no longer be written safely
DETAIL_MAX = 200
USABLE_STATES = (DeviceState.ONLINE, DeviceState.BUSY)


def worst(verdicts: list[str] | tuple[str, ...]) -> str:
    return max(verdicts, key=VERDICTS.index, default="online")


def app_version() -> str:
    try:
        return importlib.metadata.version("village-kiosk")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Part:
    """One component's health: a verdict, one line for a technician (English), and the facts."""

    name: str
    verdict: str
    summary: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "summary": self.summary, **self.data}


@dataclass(frozen=True)
class Health:
    kiosk_id: str
    app_version: str
    checked_at: float
    devices: dict[str, Part]
    services: dict[str, Part]  # backend, catalogue, outbox, disk

    @property
    def parts(self) -> list[Part]:
        return [*self.devices.values(), *self.services.values()]

    @property
    def verdict(self) -> str:
        return worst([p.verdict for p in self.parts])

    def problems(self) -> list[Part]:
        return [p for p in self.parts if p.verdict != "online"]

    def to_dict(self) -> dict[str, Any]:
        return {"kiosk_id": self.kiosk_id, "app_version": self.app_version,
                "checked_at": round(self.checked_at, 3), "verdict": self.verdict,
                "devices": {k: p.to_dict() for k, p in self.devices.items()},
                **{k: p.to_dict() for k, p in self.services.items()}}


# ---- parts ------------------------------------------------------------------------------------

def _scalar_extras(extras: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in extras.items() if v is None or isinstance(v, str | int | float | bool)}


def clean_detail(text: str) -> str:
    """A device or error detail fit for a report that leaves the kiosk: masked and bounded."""
    text = " ".join(PersonalDataFilter.mask(str(text)).split())
    return text if len(text) <= DETAIL_MAX else text[:DETAIL_MAX - 1] + "…"


def device_part(status: DeviceStatus) -> Part:
    extras = _scalar_extras(status.extras)
    notes: list[str] = []
    if status.state in USABLE_STATES:
        if extras.get("paper") == "near_end":
            notes.append("paper near end")
        if extras.get("failed_jobs"):
            notes.append(f"{extras['failed_jobs']} failed print job(s) kept for retry")
        verdict = "degraded" if notes else "online"
    elif status.state == DeviceState.STARTING:
        verdict, notes = "degraded", ["starting"]
    else:
        verdict = "offline"
    detail = clean_detail(status.detail) if status.detail else ""
    summary = ", ".join([str(status.state), *notes, *_facts(extras)] + ([detail] if detail else []))
    return Part(status.device_id, verdict, summary, {"state": str(status.state), "detail": detail,
                                                     "extras": extras})


def _facts(extras: Mapping[str, Any]) -> list[str]:
    """The extras a technician reads first, in words."""
    out = []
    if extras.get("paper") in ("ok", "out"):
        out.append(f"paper {extras['paper']}")
    if extras.get("cover_open"):
        out.append("cover open")
    if extras.get("sam_id"):
        out.append(f"SAM {extras['sam_id']}")
    if extras.get("reader"):
        out.append(f"reader {extras['reader']!r}")
    if extras.get("size"):
        out.append(f"{extras['size']}" + (f" at {extras['fps']} fps" if extras.get("fps") else ""))
    return out


def backend_part(report: Any = None, connectivity: ConnectivityState | None = None) -> Part:
    """From a full check (backend_check.Report) or, without one, from what the kiosk's client last saw."""
    if report is not None:
        failing = [c for c in report.checks if not c.ok or c.warning]
        summary = "; ".join(f"{c.name}: {c.detail}" for c in failing) if failing else \
            "; ".join(c.detail for c in report.checks if c.name in ("reachable", "catalogue"))
        return Part("backend", report.verdict, f"{report.url}: {summary}", report.to_dict())
    if connectivity is None or connectivity.online is None:
        return Part("backend", "degraded", "no call to the platform made yet", {"online": None})
    if connectivity.online:
        return Part("backend", "online", "answering", {"online": True, "since": round(connectivity.since, 3)})
    return Part("backend", "offline", f"unreachable ({connectivity.reason})",
                {"online": False, "reason": connectivity.reason, "since": round(connectivity.since, 3)})


def catalogue_part(info: StoredInfo | None, *, configured: bool = True, platform_version: str | None = None,
                   error: str | None = None, now: float | None = None) -> Part:
    now = time.time() if now is None else now
    if not configured:
        return Part("catalogue", "degraded", "backend.cache_db is not set: no offline catalogue", {})
    if error is not None:
        return Part("catalogue", "degraded", f"cannot read the offline catalogue: {error}", {})
    if info is None:
        return Part("catalogue", "degraded", "no offline copy stored yet",
                    {"version": None, "platform_version": platform_version})
    age = max(0.0, now - info.checked_at)
    data = {"version": info.version, "items": info.items, "fetched_at": round(info.fetched_at, 3),
            "checked_at": round(info.checked_at, 3), "age_s": round(age, 1), "platform_version": platform_version}
    if platform_version is not None and platform_version != info.version:
        return Part("catalogue", "degraded", f"stored version {info.version}, the platform has "
                    f"{platform_version} (refresh pending)", data)
    if age > CATALOGUE_MAX_AGE_S:
        return Part("catalogue", "degraded", f"version {info.version}, not confirmed by the platform "
                    f"for {age / 3600:.0f} h", data)
    return Part("catalogue", "online", f"version {info.version} ({info.items} items), confirmed "
                f"{_ago(age)} ago", data)


def outbox_part(stats: Mapping[str, Any] | None, *, configured: bool = True, error: str | None = None) -> Part:
    if not configured:
        return Part("outbox", "degraded", "backend.outbox_db is not set: writes cannot wait for the network", {})
    if error is not None:
        return Part("outbox", "offline", f"cannot read the outbox: {error}", {})
    assert stats is not None
    keep = ("depth", "failed", "by_kind", "oldest_age_s", "last_error", "last_error_at", "last_success_at",
            "delivered_total")
    data = {k: stats.get(k) for k in keep}
    if data["last_error"]:
        data["last_error"] = clean_detail(data["last_error"])
    depth, failed, oldest = int(stats.get("depth") or 0), int(stats.get("failed") or 0), stats.get("oldest_age_s")
    quarantined = int(stats.get("quarantined") or 0)
    data["quarantined"] = quarantined
    notes = []
    if stats.get("missing"):
        notes.append("the outbox is missing or emptied although one existed: its unsent entries are gone "
                     "(kiosk-diag outbox)")
    if failed:
        notes.append(f"{failed} refused entr{'y' if failed == 1 else 'ies'} kept for the technician "
                     "(kiosk-diag outbox --purge-refused)")
    if quarantined:
        notes.append(f"{quarantined} quarantined entr{'y' if quarantined == 1 else 'ies'} (do not open; kept "
                     "sealed, never sent: kiosk-diag outbox)")
    if depth >= OUTBOX_BACKLOG_DEPTH or (oldest is not None and oldest >= OUTBOX_BACKLOG_AGE_S):
        notes.append(f"backlog: {depth} waiting, the oldest for {_ago(oldest or 0)}")
    if notes:
        return Part("outbox", "degraded", "; ".join(notes), data)
    return Part("outbox", "online", f"{depth} waiting", data)


def disk_part(paths: list[Path]) -> Part:
    """Free space of the file systems holding the given paths (logs, outbox, catalogue, state)."""
    seen: dict[int, tuple[Path, shutil._ntuple_diskusage]] = {}
    for path in paths:
        existing = path
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        try:
            seen.setdefault(os.stat(existing).st_dev, (existing, shutil.disk_usage(existing)))
        except OSError as exc:
            return Part("disk", "degraded", f"cannot measure {existing}: {exc}", {})
    if not seen:
        return Part("disk", "online", "nothing to measure", {})
    where, usage = min(seen.values(), key=lambda pu: pu[1].free)
    data = {"path": str(where), "free_bytes": usage.free, "total_bytes": usage.total}
    text = f"{usage.free / 2**30:.1f} GB free of {usage.total / 2**30:.1f} GB ({where})"
    if usage.free < DISK_FULL_BYTES:
        return Part("disk", "offline", "disk full: " + text, data)
    if usage.free < DISK_LOW_BYTES or usage.free < 0.05 * usage.total:
        return Part("disk", "degraded", "disk low: " + text, data)
    return Part("disk", "online", text, data)


def _ago(seconds: float) -> str:
    s = int(seconds)
    if s < 120:
        return f"{s} s"
    if s < 7200:
        return f"{s // 60} min"
    return f"{s // 3600} h"


# ---- the whole kiosk --------------------------------------------------------------------------

def kiosk_health(kiosk_id: str, devices: Mapping[str, DeviceStatus], services: list[Part], *,
                 now: float | None = None, version: str | None = None) -> Health:
    """Assemble the model from parts already measured (pure: no I/O)."""
    return Health(kiosk_id, version or app_version(), time.time() if now is None else now,
                  {device_id: device_part(status) for device_id, status in devices.items()},
                  {p.name: p for p in services})


def gather(cfg: Any, statuses: Mapping[str, DeviceStatus], *, check_backend: bool = True,
           connectivity: ConnectivityState | None = None, outbox_stats: Mapping[str, Any] | None = None,
           now: float | None = None) -> Health:
    """Measure everything for `cfg` (a kiosk.config.Config) around the given device statuses.

    check_backend: run the same checks as `kiosk-diag backend check` (network, seconds when the
    platform is down); else the backend part comes from `connectivity`. outbox_stats: the live
    outbox's stats; else the outbox file is read read-only. Configured devices missing from
    `statuses` are reported offline ("not opened")."""
    from kiosk.services.outbox import stats_at

    now = time.time() if now is None else now
    devices = dict(statuses)
    for device_id in cfg.devices:
        if cfg.device(device_id) is not None and device_id not in devices:
            devices[device_id] = DeviceStatus(device_id, DeviceState.CLOSED, detail="not opened")
    report = None
    if check_backend:
        from kiosk.services.backend_check import run_checks

        report = run_checks(cfg)
    backend = backend_part(report, connectivity)
    platform_version = None
    if report is not None:
        platform_version = next((c.value for c in report.checks if c.name == "catalogue" and c.ok), None)

    b = cfg.backend
    if b.cache_db is None:
        catalogue = catalogue_part(None, configured=False)
    else:
        try:
            catalogue = catalogue_part(stored_info(b.cache_db), platform_version=platform_version, now=now)
        except sqlite3.Error as exc:
            catalogue = catalogue_part(None, error=str(exc))
    if b.outbox_db is None:
        outbox = outbox_part(None, configured=False)
    elif outbox_stats is not None:
        outbox = outbox_part(outbox_stats)
    else:
        try:
            outbox = outbox_part(stats_at(b.outbox_db))
        except sqlite3.Error as exc:
            outbox = outbox_part(None, error=str(exc))
    paths = [p for p in (cfg.log_dir, b.outbox_db, b.cache_db, technician_state_dir(cfg)) if p is not None]
    disk = disk_part([Path(p) for p in paths])
    return kiosk_health(cfg.kiosk_id, devices, [backend, catalogue, outbox, disk], now=now)


def technician_state_dir(cfg: Any) -> Path | None:
    tech = getattr(cfg, "technician", None)
    return getattr(tech, "state_dir", None)
