"""`kiosk-diag sscard read [--reader NAME] [--timeout S] [--json]`: read a 社保卡 through PC/SC.

Waits up to --timeout seconds for a card in the first reader whose name contains NAME (default: the
configured sscard reader, else any reader), reads its public data and prints it on stdout (for the
technician; nothing is logged). Exit status: 0 read ok; 1 the card was not read (none inserted,
the wrong card, removed, unreadable); 2 bad usage; 3 offline (no PC/SC service, no such reader,
reader error).
"""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.devices.device_url import parse_smartcard_url
from kiosk.devices.model import DeviceError
from kiosk.diag import exit_codes
from kiosk.diag.failure import report_failure

OFFLINE_REASONS = ("no_reader", "no_service")

LABELS = {"card_number": "社会保障卡号", "id_number": "社会保障号码", "name": "姓名", "sex": "性别",
          "birth_date": "出生日期", "issue_date": "发卡日期", "expiry_date": "有效期至",
          "region_code": "发卡地区"}


def configured_reader() -> str:
    """The reader substring from the kiosk config, or '' (any reader) when there is none."""
    try:
        from kiosk.config import ConfigError, load_config

        dev = load_config().device("sscard")
    except (ConfigError, OSError):
        return ""
    if dev is None:
        return ""
    try:
        return parse_smartcard_url(dev.url)
    except ValueError:
        return ""


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kiosk-diag sscard", description="社保卡 over PC/SC", epilog=exit_codes.HELP)
    sub = ap.add_subparsers(dest="command", required=True)
    read = sub.add_parser("read", help="wait for a card and read its public data (EF05, EF06)")
    read.add_argument("--reader", help="reader-name substring (default: the configured reader)")
    read.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a card (%(default)s)")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    return ap


def fail(exc: DeviceError, as_json: bool) -> int:
    reason = getattr(exc, "reason", None)
    status = exit_codes.OFFLINE if reason in OFFLINE_REASONS or reason is None else exit_codes.DEGRADED
    return report_failure("sscard", exc, as_json, reason, status=status, completion=str(exc.completion))


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.timeout <= 0:
        print("kiosk-diag sscard: --timeout must be positive", file=sys.stderr)
        return 2
    from kiosk.devices.sscard_reader import SocialSecurityCardReader  # needs pyscard

    reader_filter = configured_reader() if args.reader is None else args.reader
    device = SocialSecurityCardReader("sscard", f"pcsc:{reader_filter}", command_timeout=10.0)
    try:
        device.open()
        data = device.read_card(timeout=args.timeout).wait()
    except DeviceError as exc:
        return fail(exc, args.json)
    finally:
        device.close()
    fields = data.to_dict()
    if args.json:
        print(json.dumps(fields, ensure_ascii=False))
    else:
        print(f"读卡器: {device.reader_name}")
        for key, value in fields.items():
            print(f"{LABELS[key]}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
