"""`kiosk-diag backend check [--config FILE] [--json]`: can this kiosk talk to the platform?

Reports reachability (TLS verified with the configured CA bundle), clock skew against the server,
whether the kiosk's request signature is accepted, and the catalogue version, through the kiosk's
own BackendClient (kiosk/services/backend_check.py).

Exit status: 0 all checks pass; 1 degraded (the clock is more than 30 s off: fix NTP); 2 bad usage
or config; 3 offline (unreachable, TLS or signature refused, no catalogue).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.diag import exit_codes
from kiosk.services.backend_check import Report, run_checks


def _print(report: Report) -> None:
    print(f"backend {report.url}")
    for c in report.checks:
        mark = "FAIL" if not c.ok else "WARN" if c.warning else "OK  "
        print(f"  {mark} {c.name:<12} {c.detail}")
    print("result: " + {"online": "all checks passed", "degraded": "works, needs attention",
                        "offline": "FAILED"}[report.verdict])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-diag backend", description=__doc__.split("\n\n")[0],
                                     epilog=exit_codes.HELP)
    parser.add_argument("command", choices=["check"])
    parser.add_argument("--config", type=Path, default=None, help="kiosk TOML (default: config/kiosk.toml)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exit_codes.USAGE if exc.code else exit_codes.OK
    from kiosk.config import ConfigError, load_config

    try:
        config = load_config(args.config)
    except (ConfigError, OSError) as exc:
        print(f"kiosk-diag backend: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    report = run_checks(config)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        _print(report)
    return exit_codes.for_verdict(report.verdict)


if __name__ == "__main__":
    raise SystemExit(main())
