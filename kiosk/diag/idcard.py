"""`kiosk-diag idcard read|status --port URL`: the technician's check of the ID-card reader.

    kiosk-diag idcard read   --port URL [--timeout S] [--json]   wait for a card, read it once
    kiosk-diag idcard status --port URL                          SAM id and SAM self-test status

A test card's fields go to stdout only, for the technician; they are never logged or written to a
file. Exit status: 0 ok; 1 read: the card was not read (none placed in time, moved, rejected);
2 bad usage; 3 offline (I/O fault, no answer, SAM error or failed self-test). The message names
the SW3 code or the I/O fault.
"""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.devices.device_url import DeviceUrlError
from kiosk.devices.id_card_fields import IdCardData
from kiosk.devices.id_card_reader import IdCardReader
from kiosk.devices.model import DeviceError, TransportLost
from kiosk.diag import exit_codes
from kiosk.diag.serial_cli import add_port, serial_device_parser
from kiosk.services import messages

LABELS = {
    "card_type": "证件类型", "name": "姓名", "english_name": "英文姓名", "sex": "性别", "nation": "民族",
    "nationality": "国籍", "birth_date": "出生日期", "address": "住址", "id_number": "证件号码",
    "authority": "签发机关", "valid_from": "有效期起", "valid_to": "有效期止", "pass_number": "通行证号码",
    "issue_count": "签发/换证次数",
}


def _parser() -> argparse.ArgumentParser:
    ap, sub, _read = serial_device_parser(
        "idcard", __doc__.splitlines()[0], read_help="wait for a card and read it once",
        timeout_help="seconds to wait for a card", json_help="print the fields as one JSON object",
        example="/dev/ttyUSB0", baudrate=115200)
    add_port(sub.add_parser("status", help="SAM id and SAM status"), "/dev/ttyUSB0", 115200)
    return ap


def _print_card(card: IdCardData, as_json: bool) -> None:
    if as_json:
        print(json.dumps(card.to_json(), ensure_ascii=False))
        return
    for key, value in card.to_json().items():
        print(f"{LABELS[key]} ({key}): {'-' if value is None else value}")
    if card.appended_address:
        print(f"追加住址 (appended_address): {card.appended_address}")
    decoded = "decoded by the WLT plug-in" if card.photo_bmp else "raw, no WLT decoder installed"
    print(f"照片 (photo): {len(card.photo_wlt)} bytes WLT, {decoded}")


def _fail(exc: DeviceError, reading: bool) -> int:
    kind = "I/O fault" if isinstance(exc, TransportLost) else str(exc.completion)
    print(f"kiosk-diag idcard: {kind}: {exc.detail}", file=sys.stderr)
    print(f"  ({messages.for_error(exc)} [{exc.code}])", file=sys.stderr)
    return exit_codes.for_device_error(exc, person_step=reading)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: usage error (2) or --help (0)
        return int(exc.code or 0)
    try:
        reader = IdCardReader("idcard", args.port, baudrate=args.baudrate, command_timeout=5.0,
                              poll_interval=0.1)
    except DeviceUrlError as exc:
        print(f"kiosk-diag idcard: {exc}", file=sys.stderr)
        return 2
    try:
        reader.open()
        if args.command == "read":
            _print_card(reader.read_once(args.timeout), args.json)
        else:
            print(f"SAM id: {reader.sam_id()}")
            print(f"SAM status: ok (SW3=0x{reader.sam_status():02X})")
        return 0
    except DeviceError as exc:
        return _fail(exc, args.command == "read")
    finally:
        reader.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
