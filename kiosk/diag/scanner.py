"""`kiosk-diag scanner read --port URL [--timeout S] [--json]`: watch the QR scanner.

Prints each code as it arrives (with --json one object per line: {"code": "…"}); rejected frames
(noise, too long, undecodable) go to stderr. Stops after --timeout seconds or --count codes.
Exit status: 0 at least one code read; 1 none scanned in time; 2 bad usage; 3 offline (the link
cannot be opened or broke).
A scanned payload is only printed, never opened.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import time

from kiosk.devices.device_url import DeviceUrlError
from kiosk.devices.model import DeviceError, DeviceState
from kiosk.devices.qr_scanner import QrScanner, ScannedCode, ScanRejected
from kiosk.diag import exit_codes
from kiosk.diag.serial_cli import serial_device_parser


def _parser() -> argparse.ArgumentParser:
    ap, _sub, read = serial_device_parser(
        "scanner", __doc__.splitlines()[0], read_help="print codes as they are scanned",
        timeout_help="seconds to listen", json_help='one JSON object per code: {"code": "…"}',
        example="/dev/ttyACM0", baudrate=9600)
    read.add_argument("--count", type=int, default=0, help="stop after this many codes (0: until timeout)")
    read.add_argument("--suffix", default="auto", choices=["auto", "cr", "lf", "crlf"])
    read.add_argument("--encoding", default="auto", choices=["auto", "utf-8", "gbk"])
    return ap


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        scanner = QrScanner("scanner", args.port, baudrate=args.baudrate, suffix=args.suffix,
                            encoding=args.encoding, duplicate_window_s=0, poll_interval=0.02)
    except (DeviceUrlError, ValueError) as exc:
        print(f"kiosk-diag scanner: {exc}", file=sys.stderr)
        return 2
    items: queue.Queue[ScannedCode | ScanRejected] = queue.Queue()
    scanner.events.set_listener(items.put)
    scanner.read_errors.set_listener(items.put)
    codes = 0
    try:
        scanner.open()
        scanner.enable()
        deadline = time.monotonic() + args.timeout
        while (remaining := deadline - time.monotonic()) > 0 and not (args.count and codes >= args.count):
            if scanner.status.state != DeviceState.ONLINE:
                print(f"kiosk-diag scanner: I/O fault: {scanner.status.detail}", file=sys.stderr)
                return exit_codes.OFFLINE
            try:
                item = items.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                continue
            if isinstance(item, ScanRejected):
                print(f"kiosk-diag scanner: rejected: {item.detail}", file=sys.stderr)
                continue
            codes += 1
            print(json.dumps({"code": item.code}, ensure_ascii=False) if args.json else item.code, flush=True)
    except DeviceError as exc:
        print(f"kiosk-diag scanner: {exc.completion}: {exc.detail}", file=sys.stderr)
        return exit_codes.for_device_error(exc)
    finally:
        scanner.close()
    if not codes:
        print(f"kiosk-diag scanner: no code scanned within {args.timeout:g} s", file=sys.stderr)
        return exit_codes.DEGRADED
    return exit_codes.OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
