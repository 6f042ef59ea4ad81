"""The exit codes every `kiosk-diag` command uses (the same as `kiosk-diag status`'s verdict).

    0  OK        all online / the check passed
    1  DEGRADED  it works but needs attention (paper near end, an outbox backlog, a clock to fix), or a
                 check that needs a person did not pass (no card presented, a card that could not be read)
    2  USAGE     bad usage or configuration
    3  OFFLINE   a device or the platform cannot be used (not connected, no answer, hardware error,
                 paper out, cover open)

A supervisor or a monitoring script can act on the number alone: 3 means a visit, 1 means a look.
"""

from __future__ import annotations

from kiosk.devices.model import Completion, DeviceError, TransportLost

OK = 0
DEGRADED = 1
USAGE = 2
OFFLINE = 3

HELP = ("Exit status: 0 ok; 1 degraded (works but needs attention, or a check needing a person did not "
        "pass); 2 bad usage or config; 3 offline (the device or the platform cannot be used).")

_VERDICTS = {"online": OK, "degraded": DEGRADED, "offline": OFFLINE}


def for_verdict(verdict: str) -> int:
    """`online` → 0, `degraded` → 1, `offline` → 3 (health.py's verdicts)."""
    return _VERDICTS[verdict]


def for_device_error(exc: DeviceError, *, person_step: bool = False) -> int:
    """How a failed device command ends the command line.

    `person_step`: the command waited for a person (a card placed, a code scanned, a face shown), so
    a timeout or a card-side error means the check did not pass (1), not that the device is gone.
    Without it a timeout or a user error (paper out, cover open) leaves the device unusable (3)."""
    if isinstance(exc, TransportLost) or exc.completion in (Completion.DEVICE_NOT_READY,
                                                            Completion.HARDWARE_ERROR):
        return OFFLINE
    if exc.completion in (Completion.TIMEOUT, Completion.USER_ERROR):
        return DEGRADED if person_step else OFFLINE
    return DEGRADED
