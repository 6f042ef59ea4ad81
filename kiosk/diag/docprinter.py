"""`kiosk-diag docprinter status|test [--url URL] [--json]`: the A4 document printer through CUPS.

    status  the CUPS queue: printer-state, printer-state-reasons, the fault and warnings; with --json
            one object {"state", "reasons", "accepting", "message", "fault", "warnings"}
    test    print the A4 test page (text, a table, a QR, the seal) and follow the job to completion;
            --save FILE also writes the PDF

--url defaults to the configured A4 printer (ipp://HOST:PORT/printers/NAME or cups:NAME).
CUPS learns the printer's own faults (paper, door) while it prints: `status` shows them as of the
last job; `test` finds out now. Exit status (kiosk/diag/exit_codes.py): 0 ok (status: ready, no
warning); 1 degraded (status: a warning such as toner low); 2 bad usage; 3 offline (not ready, a
fault, the printer or CUPS unreachable).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from kiosk.devices.device_url import DeviceUrlError, parse_docprinter_url
from kiosk.devices.model import DeviceError
from kiosk.diag import exit_codes
from kiosk.diag.failure import report_failure
from kiosk.services import messages


def configured() -> tuple[str | None, float, str]:
    """(url, timeout, kiosk id) of the configured A4 printer; (None, 60, "") without one."""
    try:
        from kiosk.config import ConfigError, load_config

        cfg = load_config()
    except (ConfigError, OSError):
        return None, 60.0, ""
    dev = cfg.device("docprinter")
    return (dev.url, dev.timeout_s, cfg.kiosk_id) if dev else (None, 60.0, cfg.kiosk_id)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kiosk-diag docprinter", description="A4 document printer (CUPS)",
                                 epilog=exit_codes.HELP)
    sub = ap.add_subparsers(dest="command", required=True)
    for name, text in (("status", "read the CUPS queue status"), ("test", "print the A4 test page")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--url", help="ipp://HOST:PORT/printers/NAME or cups:NAME (default: configured)")
        cmd.add_argument("--timeout", type=float, help="seconds for the job (default: configured or 60)")
        cmd.add_argument("--json", action="store_true", help="print one JSON object")
        if name == "test":
            cmd.add_argument("--save", type=Path, help="also write the test page PDF here")
    return ap


def _fail(exc: DeviceError, as_json: bool) -> int:
    return report_failure("docprinter", exc, as_json, error=exc.code)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    url, timeout, kiosk_id = configured()
    url = args.url or url
    timeout = args.timeout if args.timeout is not None else timeout
    if not url:
        print("kiosk-diag docprinter: no --url and no docprinter in the config", file=sys.stderr)
        return 2
    if timeout <= 0:
        print("kiosk-diag docprinter: --timeout must be positive", file=sys.stderr)
        return 2
    try:
        parse_docprinter_url(url)
    except DeviceUrlError as exc:
        print(f"kiosk-diag docprinter: {exc}", file=sys.stderr)
        return 2
    from kiosk.devices.doc_printer import DocPrinter

    printer = DocPrinter("docprinter", url, command_timeout=timeout)
    try:
        printer.open()
        if args.command == "status":
            status = printer.query_status().wait()
            out = status.to_dict()
            if args.json:
                print(json.dumps(out, ensure_ascii=False))
            else:
                print(f"queue: {printer.target.queue} ({url})\nstate: {out['state']}\n"
                      f"reasons: {', '.join(out['reasons']) or 'none'}\naccepting jobs: {out['accepting']}\n"
                      f"message: {out['message'] or '-'}\nfault: {out['fault'] or 'none'}"
                      + (f" ({messages.text('docprinter.' + out['fault'])})" if out["fault"] else "")
                      + f"\nwarnings: {', '.join(out['warnings']) or 'none'}")
            if not status.ready:
                return exit_codes.OFFLINE
            return exit_codes.DEGRADED if out["warnings"] else exit_codes.OK
        from kiosk.services.a4_documents import render_pdf, test_page

        pdf = render_pdf(test_page(printed_at=datetime.now(), kiosk_id=kiosk_id, url=url))
        if args.save:
            args.save.write_bytes(pdf)
        job = printer.print_pdf(pdf, "test_page").wait()
        result = {"printed": True, "bytes": len(pdf), "cups_job_id": job.cups_job_id,
                  "seconds": round(job.seconds, 2)}
        print(json.dumps(result) if args.json else
              f"A4 test page printed: CUPS job {job.cups_job_id}, {len(pdf)} bytes, {job.seconds:.1f} s")
        return 0
    except DeviceError as exc:
        return _fail(exc, args.json)
    finally:
        printer.close()
