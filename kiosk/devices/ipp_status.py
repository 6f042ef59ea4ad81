"""CUPS/IPP printer and job attributes → what the kiosk needs to know (pure, no I/O).

Inputs are the dicts pycups returns for Get-Printer-Attributes / Get-Job-Attributes. Standard
printer-state-reasons (RFC 8011 §5.4.12, PWG 5100.9) may carry a severity suffix (-error, -warning,
-report); it is stripped before matching. One fault is chosen by priority (door, jam, paper, toner,
link, stopped), so the resident hears the one thing a person must fix first.

When CUPS cannot reach the printer its ipp backend keeps the job "processing" and says so only in
printer-state-message (no reason keyword), so those backend texts are matched too (CUPS runs in the
C locale on the kiosk; a stalled job also ends by the driver's timeout whatever the text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PRINTER_STATES = {3: "idle", 4: "processing", 5: "stopped"}
JOB_STATES = {3: "pending", 4: "pending-held", 5: "processing", 6: "processing-stopped",
              7: "canceled", 8: "aborted", 9: "completed"}
JOB_DONE = (7, 8, 9)
JOB_COMPLETED, JOB_CANCELED, JOB_ABORTED, JOB_STOPPED, JOB_PROCESSING = 9, 7, 8, 6, 5

# fault → the reason keywords that mean it, in priority order (the first fault found wins)
FAULT_REASONS: dict[str, tuple[str, ...]] = {
    "door_open": ("door-open", "cover-open", "interlock-open"),
    "media_jam": ("media-jam",),
    "media_empty": ("media-empty", "media-needed", "input-tray-missing"),
    "toner_empty": ("toner-empty", "marker-supply-empty"),
    "offline": ("offline", "shutdown", "connecting-to-device", "timed-out"),
}
WARNING_REASONS: dict[str, tuple[str, ...]] = {
    "toner_low": ("toner-low", "marker-supply-low"),
    "media_low": ("media-low",),
}
# CUPS ipp/socket backend texts for a printer it cannot reach (backend/ipp.c, backend/network.c)
OFFLINE_MESSAGES = (
    "The printer may not exist or is unavailable at this time.",
    "The printer is not responding.",
    "The printer is unreachable at this time.",
    "Unable to locate printer",
    "Waiting for printer to become available.",
    "Printer is not currently connected.",
)
BLOCKING_FAULTS = ("door_open", "media_jam", "media_empty", "toner_empty", "offline", "stopped",
                   "not_accepting")


def _keyword(reason: str) -> str:
    for suffix in ("-error", "-warning", "-report"):
        if reason.endswith(suffix):
            return reason[: -len(suffix)]
    return reason


def _as_list(value: Any) -> list[str]:
    """An attribute as a list of strings, whatever a printer sent (one value, several, odd types)."""
    if value is None:
        return []
    if isinstance(value, bytes):
        return [value.decode("utf-8", "replace")]
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [str(value)]
    return [str(v) for v in value]


def _as_int(value: Any) -> int | None:
    """An enum attribute; None when a printer sent something that is not a number."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def fault_of(reasons: Iterable[str], message: str = "") -> str | None:
    keywords = {_keyword(r) for r in reasons}
    for fault, names in FAULT_REASONS.items():
        if keywords.intersection(names):
            return fault
    if any(text in message for text in OFFLINE_MESSAGES):
        return "offline"
    return None


@dataclass(frozen=True)
class QueueStatus:
    """One CUPS queue as the kiosk sees it."""

    state: str  # idle | processing | stopped
    reasons: tuple[str, ...]
    accepting: bool
    message: str = ""  # printer-state-message: technician text (never personal data)
    live: bool = False  # the printer's own reasons were read just now (not CUPS's last-known ones)

    @property
    def fault(self) -> str | None:
        """The one blocking fault, or None when the printer can print."""
        fault = fault_of(self.reasons, self.message)
        if fault is not None:
            return fault
        if self.state == "stopped" or "paused" in {_keyword(r) for r in self.reasons}:
            return "stopped"
        if not self.accepting:
            return "not_accepting"
        return None

    @property
    def warnings(self) -> tuple[str, ...]:
        keywords = {_keyword(r) for r in self.reasons}
        return tuple(w for w, names in WARNING_REASONS.items() if keywords.intersection(names))

    @property
    def ready(self) -> bool:
        return self.fault is None

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "reasons": list(self.reasons), "accepting": self.accepting,
                "message": self.message, "fault": self.fault, "warnings": list(self.warnings), "live": self.live}


def decode_printer(attrs: Mapping[str, Any]) -> QueueStatus:
    reasons = tuple(r for r in _as_list(attrs.get("printer-state-reasons")) if r != "none")
    state = PRINTER_STATES.get(_as_int(attrs.get("printer-state", 3)), "stopped")  # unreadable: stopped
    return QueueStatus(state, reasons, bool(attrs.get("printer-is-accepting-jobs", True)),
                       str(attrs.get("printer-state-message") or ""))


@dataclass(frozen=True)
class JobStatus:
    state: int
    reasons: tuple[str, ...]
    message: str = ""  # job-printer-state-message

    @property
    def name(self) -> str:
        return JOB_STATES.get(self.state, f"state-{self.state}")

    @property
    def done(self) -> bool:
        return self.state in JOB_DONE


def decode_job(attrs: Mapping[str, Any]) -> JobStatus:
    state = _as_int(attrs.get("job-state", 3))
    return JobStatus(0 if state is None else state, tuple(_as_list(attrs.get("job-state-reasons"))),
                     str(attrs.get("job-printer-state-message") or ""))


def merge_live(queue: QueueStatus, printer: QueueStatus | None) -> QueueStatus:
    """The CUPS queue's status with the printer's own, read just now, in place of CUPS's last-known
    reasons. `printer` None = the printer did not answer: offline. CUPS's own reasons (cups-…) and
    the queue's stopped / rejecting state stay."""
    if printer is None:
        return QueueStatus(queue.state, (*_cups_reasons(queue), "offline-report"), queue.accepting,
                           "the printer does not answer", live=True)
    state = "stopped" if queue.state == "stopped" else printer.state
    return QueueStatus(state, (*_cups_reasons(queue), *printer.reasons), queue.accepting and printer.accepting,
                       printer.message if printer.reasons else queue.message if queue.state == "stopped" else "",
                       live=True)


def _cups_reasons(queue: QueueStatus) -> tuple[str, ...]:
    return tuple(r for r in queue.reasons if r.startswith("cups-") or _keyword(r) == "paused")
