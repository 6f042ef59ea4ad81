"""`kiosk-diag printer test|status [--url URL] [--profile 58mm|80mm]`: the receipt printer.

    test    print a test page: Chinese in every size, a punctuation-only line, ¥, a QR code, a cut
    status  DLE EOT status; with --json one object {"online": bool, "cover_open": bool,
            "paper": "ok"|"near_end"|"out"}

--url defaults to the configured printer (tcp://HOST:PORT, usb://VID:PID, serial:///dev/ttyS0?baudrate=…).
Exit status: 0 ok (status: ready, paper ok); 1 degraded (status: paper near end); 2 bad usage;
3 offline (not connected, no answer, paper out, cover open, printer error).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from kiosk.devices.device_url import DeviceUrlError, parse_printer_url
from kiosk.devices.model import DeviceError
from kiosk.diag import exit_codes
from kiosk.diag.failure import report_failure


def configured_printer() -> tuple[str | None, dict[str, Any]]:
    """(url, options) of the configured printer, or (None, {}) without a usable config."""
    try:
        from kiosk.config import ConfigError, load_config

        dev = load_config().device("printer")
    except (ConfigError, OSError):
        return None, {}
    return (None, {}) if dev is None else (dev.url, dict(dev.options))


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kiosk-diag printer", description="ESC/POS receipt printer",
                                 epilog=exit_codes.HELP)
    sub = ap.add_subparsers(dest="command", required=True)
    for name, text in (("test", "print the test page"), ("status", "read the DLE EOT status")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--url", help="printer URL (default: the configured printer)")
        cmd.add_argument("--profile", choices=("58mm", "80mm"), help="paper profile (default: configured)")
        cmd.add_argument("--timeout", type=float, default=15.0, help="seconds per command (%(default)s)")
        cmd.add_argument("--json", action="store_true", help="print one JSON object")
    return ap


def fail(exc: DeviceError, as_json: bool) -> int:
    return report_failure("printer", exc, as_json)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    url, options = configured_printer()
    if args.url:
        url, options = args.url, {k: v for k, v in options.items() if k != "profile"}
    if args.profile:
        options["profile"] = args.profile
    if not url:
        print("kiosk-diag printer: no --url and no printer in the config", file=sys.stderr)
        return 2
    if args.timeout <= 0:
        print("kiosk-diag printer: --timeout must be positive", file=sys.stderr)
        return 2
    try:
        parse_printer_url(url)
        from kiosk.devices.receipt_printer import ReceiptPrinter

        printer = ReceiptPrinter("printer", url, command_timeout=args.timeout, **options)
    except (DeviceUrlError, ValueError, TypeError) as exc:
        print(f"kiosk-diag printer: {exc}", file=sys.stderr)
        return 2
    try:
        printer.open()
        printer.enable()
        if args.command == "status":
            status = printer.query_status().wait()
            print(json.dumps(status.to_dict()) if args.json else
                  f"online: {status.online}\ncover open: {status.cover_open}\npaper: {status.paper}")
            if not status.ready:
                return exit_codes.OFFLINE
            return exit_codes.DEGRADED if status.paper == "near_end" else exit_codes.OK
        from kiosk.services.receipts import printer_test_page

        job = printer.print_receipt(printer_test_page(printed_at=datetime.now(), url=url)).wait()
        after = job.status_after.to_dict() if job.status_after else {}
        if args.json:
            print(json.dumps({"printed": True, "bytes": len(job.data), "status": after}))
        else:
            print(f"test page printed ({len(job.data)} bytes, profile {printer.profile.name}); status {after}")
        return 0
    except DeviceError as exc:
        return fail(exc, args.json)
    finally:
        printer.close()
