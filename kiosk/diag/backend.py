"""`kiosk-diag backend check [--config FILE] [--json]`: can this kiosk talk to the platform?

Reports, in order: reachability (TLS verified with the configured CA bundle), clock skew against
the server's /api/v1/time, whether the kiosk's request signature is accepted, and the catalogue
version. Exit 0 when all pass, 1 when the backend or one check fails, 2 for bad usage or config.
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

import requests

from kiosk.services.signing import MAX_SKEW_S, KeyFileError, load_key, signed_headers

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


def _verify(backend: Any) -> str | bool:
    if urlsplit(backend.url).scheme == "http":
        return False
    return str(backend.ca_bundle) if backend.ca_bundle else True


def _signed_get(session: requests.Session, base: str, path: str, key: bytes, kiosk_id: str, timeout: float,
                skew_s: float) -> requests.Response:
    # sign with the server-corrected clock, as the kiosk's client does
    headers = signed_headers(key, kiosk_id, "GET", path, int(time.time() + skew_s), b"")
    return session.get(base + path, headers=headers, timeout=timeout, verify=session.verify)


def _error_detail(r: requests.Response) -> str:
    try:
        return r.json()["error"]["detail"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {r.status_code}"


def run_checks(config: Any) -> Report:
    backend = config.backend
    base = backend.url.rstrip("/")
    report = Report(url=base)
    session = requests.Session()
    session.verify = _verify(backend)
    try:
        key = load_key(backend.key_file)
    except KeyFileError as exc:
        report.checks.append(Check("signing key", False, str(exc)))
        return report

    sent = time.time()
    try:
        # verify= per request: a session-level value loses to REQUESTS_CA_BUNDLE in the environment
        r = session.get(base + "/api/v1/time", timeout=backend.timeout_s, verify=session.verify)
    except requests.exceptions.SSLError as exc:
        report.checks.append(Check("reachable", False, f"TLS verification failed: {exc.__class__.__name__}: "
                                                       f"{str(exc)[:200]}"))
        return report
    except requests.RequestException as exc:
        report.checks.append(Check("reachable", False, f"{exc.__class__.__name__}: {str(exc)[:200]}"))
        return report
    received = time.time()
    if r.status_code != 200:
        report.checks.append(Check("reachable", False, f"GET /api/v1/time answered HTTP {r.status_code}"))
        return report
    scheme = urlsplit(base).scheme
    report.checks.append(Check("reachable", True, f"{scheme.upper()} OK in {1000 * (received - sent):.0f} ms"
                               + (" (TLS verified)" if scheme == "https" else " (plain http)")))

    server = float(r.json()["epoch_s"])
    skew = server - (sent + received) / 2
    report.checks.append(Check("clock skew", abs(skew) <= MAX_SKEW_S,
                               f"kiosk clock is {-skew:+.1f} s from the server" +
                               (" (over the signature window: requests are signed with the server's time)"
                                if abs(skew) > MAX_SKEW_S else " (warning: fix NTP)" if abs(skew) > SKEW_WARN_S
                                else ""), round(skew, 3)))

    try:
        auth = _signed_get(session, base, "/api/v1/kiosk/auth-check", key, config.kiosk_id, backend.timeout_s, skew)
        ok = auth.status_code == 200
        report.checks.append(Check("signature", ok, "accepted" if ok else f"rejected: {_error_detail(auth)}"))
        cat = _signed_get(session, base, "/api/v1/catalog", key, config.kiosk_id, backend.timeout_s, skew)
        if cat.status_code == 200:
            doc = cat.json()
            report.checks.append(Check("catalogue", True, f"version {doc['version']}, {len(doc['items'])} items",
                                       doc["version"]))
        else:
            report.checks.append(Check("catalogue", False, f"GET /api/v1/catalog: {_error_detail(cat)}"))
    except requests.RequestException as exc:
        report.checks.append(Check("signature", False, f"{exc.__class__.__name__}: {str(exc)[:200]}"))
    return report


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
