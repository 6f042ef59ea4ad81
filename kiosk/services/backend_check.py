"""Can this kiosk talk to the platform? The checks behind `kiosk-diag backend check`, `kiosk-diag
status` and the technician screen.

In order: reachability (TLS verified with the configured CA bundle), clock skew against the
server's /api/v1/time, whether the kiosk's request signature is accepted, and the catalogue
version. It talks through the kiosk's own BackendClient, so it checks what the kiosk really does
(TLS settings, signatures with the server-corrected clock, plain http only where allowed).
Blocking network I/O: never on the GUI thread.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kiosk.services.backend_client import BackendClient, BackendError
from kiosk.services.signing import KeyFileError, load_key

SKEW_WARN_S = 30


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    value: Any = None
    warning: bool = False  # passed, but a technician should act (e.g. fix NTP)


@dataclass
class Report:
    url: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def verdict(self) -> str:
        """`offline` when the platform cannot be used (unreachable, signature refused, no catalogue);
        `degraded` when it works but the clock needs fixing; else `online`."""
        if any(not c.ok and c.name != "clock skew" for c in self.checks) or not self.checks:
            return "offline"
        if any(not c.ok or c.warning for c in self.checks):
            return "degraded"
        return "online"

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "ok": self.ok, "verdict": self.verdict,
                "checks": [asdict(c) for c in self.checks]}


def run_checks(config: Any) -> Report:
    """The checks, made with the kiosk's own client: the same TLS, signing and clock correction."""
    backend = config.backend
    report = Report(url=backend.url.rstrip("/"))
    try:
        key = load_key(backend.key_file)
    except KeyFileError as exc:
        report.checks.append(Check("signing key", False, str(exc)))
        return report
    try:
        client = BackendClient(backend, config.kiosk_id, key, retries=0)
    except BackendError as exc:
        report.checks.append(Check("reachable", False, exc.detail))
        return report
    try:
        _checks(client, report)
    finally:
        client.close()
    return report


def _failure(exc: BackendError) -> str:
    if exc.code == "tls":
        return f"TLS verification failed: {exc.detail[:300]}"
    return f"{exc.code}: {exc.detail[:300]}"


def _checks(client: BackendClient, report: Report) -> None:
    sent = time.monotonic()
    try:
        t = client.sync_clock()  # the skew it learns signs the calls below, as in the kiosk
    except BackendError as exc:
        report.checks.append(Check("reachable", False, _failure(exc)))
        return
    elapsed_ms = 1000 * (time.monotonic() - sent)
    scheme = urlsplit(client.base).scheme
    report.checks.append(Check("reachable", True, f"{scheme.upper()} OK in {elapsed_ms:.0f} ms"
                               + (" (TLS verified)" if scheme == "https" else " (plain http)")))
    skew = t.skew_s
    report.checks.append(Check("clock skew", abs(skew) <= t.max_skew_s,
                               f"kiosk clock is {-skew:+.1f} s from the server" +
                               (" (over the signature window: requests are signed with the server's time)"
                                if abs(skew) > t.max_skew_s else " (warning: fix NTP)" if abs(skew) > SKEW_WARN_S
                                else ""), round(skew, 3), warning=SKEW_WARN_S < abs(skew) <= t.max_skew_s))
    try:
        client.auth_check()
        report.checks.append(Check("signature", True, "accepted"))
    except BackendError as exc:
        report.checks.append(Check("signature", False, f"rejected: {exc.detail[:300]}" if exc.status == 401
                                   else _failure(exc)))
    try:
        cat = client.fetch_catalogue()
        report.checks.append(Check("catalogue", True, f"version {cat.version}, {len(cat.items or [])} items",
                                   cat.version))
    except BackendError as exc:
        report.checks.append(Check("catalogue", False, f"GET /api/v1/catalog: {_failure(exc)}"))
