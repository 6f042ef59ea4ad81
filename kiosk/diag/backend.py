"""`kiosk-diag backend check [--config FILE] [--json]`: can this kiosk talk to the platform?

Reports, in order: reachability (TLS verified with the configured CA bundle), clock skew against
the server's /api/v1/time, whether the kiosk's request signature is accepted, and the catalogue
version. It talks through the kiosk's own BackendClient, so it checks what the kiosk really does
(TLS settings, signatures with the server-corrected clock, plain http only where allowed). Exit 0 when all pass, 1 when the backend or one check fails, 2 for bad usage or config.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
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


@dataclass
class Report:
    url: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


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
                                else ""), round(skew, 3)))
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


def _print(report: Report) -> None:
    print(f"backend {report.url}")
    for c in report.checks:
        print(f"  {'OK  ' if c.ok else 'FAIL'} {c.name:<12} {c.detail}")
    print("result: " + ("all checks passed" if report.ok else "FAILED"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-diag backend", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check"])
    parser.add_argument("--config", type=Path, default=None, help="kiosk TOML (default: config/kiosk.toml)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    from kiosk.config import ConfigError, load_config

    try:
        config = load_config(args.config)
    except (ConfigError, OSError) as exc:
        print(f"kiosk-diag backend: {exc}", file=sys.stderr)
        return 2
    report = run_checks(config)
    if args.json:
        print(json.dumps({"url": report.url, "ok": report.ok, "checks": [asdict(c) for c in report.checks]},
                         ensure_ascii=False))
    else:
        _print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
