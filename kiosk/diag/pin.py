"""`kiosk-diag pin set|status`: the technician PIN.

    kiosk-diag pin set                 read a new PIN twice (hidden on a terminal, else two lines on
                                       stdin), print the config line `pin_hash = "scrypt$…"` for the
                                       [technician] table
    kiosk-diag pin status [--config F] is technician entry locked (5 wrong PINs → 5 minutes)?

The PIN is 4-12 digits. It is never printed, logged or stored; only its scrypt hash is.
Exit status: 0 ok (status: not locked); 1 status: entry is locked; 2 bad usage, the two PINs differ,
or a PIN that is not 4-12 digits.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from kiosk.diag import exit_codes
from kiosk.services.technician_pin import PinFormatError, check_pin_format, hash_pin


def _read_twice() -> tuple[str, str]:
    if sys.stdin.isatty():
        return getpass.getpass("new technician PIN: "), getpass.getpass("again: ")
    first, second = sys.stdin.readline(), sys.stdin.readline()
    return first.rstrip("\r\n"), second.rstrip("\r\n")


def _set() -> int:
    first, second = _read_twice()
    if first != second:
        print("kiosk-diag pin: the two PINs differ; nothing changed", file=sys.stderr)
        return exit_codes.USAGE
    try:
        check_pin_format(first)
    except PinFormatError as exc:
        print(f"kiosk-diag pin: {exc}; nothing changed", file=sys.stderr)
        return exit_codes.USAGE
    print("kiosk-diag pin: put this line into the [technician] table of the kiosk config:", file=sys.stderr)
    print(f'pin_hash = "{hash_pin(first)}"')
    return exit_codes.OK


def _status(config: str | None, as_json: bool) -> int:
    from kiosk.config import load_config_or_exit
    from kiosk.services.pin_lockout import PinLockout

    cfg = load_config_or_exit(config, "kiosk-diag pin")
    lockout = PinLockout.for_config(cfg)
    state = lockout.status()
    info = {"pin_set": cfg.technician.pin_hash is not None, "locked": state.locked,
            "seconds_left": round(state.seconds_left), "tries_left": state.tries_left,
            "state_file": str(lockout.path)}
    if as_json:
        print(json.dumps(info))
    else:
        print(f"technician PIN: {'set' if info['pin_set'] else 'NOT SET (the technician screen stays closed)'}")
        print(f"entry: locked for {info['seconds_left']} s more" if state.locked
              else f"entry: open ({state.tries_left} tries before a {int(lockout.lock_s // 60)}-minute lock)")
        print(f"state: {lockout.path}")
    return exit_codes.DEGRADED if state.locked else exit_codes.OK


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-diag pin", description="the technician PIN",
                                 epilog=exit_codes.HELP)
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("set", help="hash a new PIN (read twice from the terminal or stdin)")
    status = sub.add_parser("status", help="is technician entry locked?")
    status.add_argument("--config", help="kiosk config (default config/kiosk.toml or $KIOSK_CONFIG)")
    status.add_argument("--json", action="store_true")
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command == "set":
        return _set()
    return _status(args.config, args.json)


if __name__ == "__main__":
    sys.exit(main())
