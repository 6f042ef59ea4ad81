"""The command line shared by the serial-device diagnostics (`kiosk-diag idcard`, `kiosk-diag scanner`):
a `read` sub-command with `--port URL [--baudrate N] [--timeout S] [--json]`."""

from __future__ import annotations

import argparse

from kiosk.diag import exit_codes


def add_port(parser: argparse.ArgumentParser, example: str, baudrate: int) -> None:
    parser.add_argument("--port", required=True, help=f"pyserial URL, e.g. {example} or socket://HOST:PORT")
    parser.add_argument("--baudrate", type=int, default=baudrate, help="serial speed (default %(default)s)")


def serial_device_parser(device: str, description: str, *, read_help: str, timeout_help: str,
                         json_help: str, example: str, baudrate: int
                         ) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction, argparse.ArgumentParser]:
    """`kiosk-diag DEVICE read …`; returns the parser, its sub-parsers and the `read` parser so the
    caller can add its own options and sub-commands."""
    ap = argparse.ArgumentParser(prog=f"kiosk-diag {device}", description=description, epilog=exit_codes.HELP)
    sub = ap.add_subparsers(dest="command", required=True)
    read = sub.add_parser("read", help=read_help)
    add_port(read, example, baudrate)
    read.add_argument("--timeout", type=float, default=30.0, help=f"{timeout_help} (default 30)")
    read.add_argument("--json", action="store_true", help=json_help)
    return ap, sub, read
