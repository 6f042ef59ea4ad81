"""`kiosk-diag`: the technician CLI. One module per device or subsystem, each with `main(argv) -> int`.

    kiosk-diag status [--json]                          every device, the platform, catalogue, outbox, disk
    kiosk-diag idcard  read|status  --port URL          ID-card reader (GA/T 467 SAM)
    kiosk-diag scanner read --port URL                  QR scanner
    kiosk-diag printer test|status --url URL            receipt printer
    kiosk-diag docprinter status|test --url URL         A4 printer through CUPS
    kiosk-diag camera snapshot --source SRC --out F     camera
    kiosk-diag sscard read [--reader NAME]              社保卡 over PC/SC
    kiosk-diag speaker test|say TEXT [--url URL]        voice guidance (espeak-ng → WAV, both voices)
    kiosk-diag backend check                            reference backend / platform
    kiosk-diag outbox                                   the submission outbox
    kiosk-diag config                                   validate and print the effective config
    kiosk-diag pin set|status                           the technician PIN (hash) and its lockout

Exit status, the same for every command (kiosk/diag/exit_codes.py):
  0  ok: all online / the check passed
  1  degraded: works but needs attention (paper near end, an outbox backlog, the clock), or a check
     that needs a person did not pass (no card presented, a card that could not be read)
  2  bad usage or configuration
  3  offline: a device or the platform cannot be used (not connected, hardware error, paper out)

Personal data from a test card is printed on stdout for the technician and never logged.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "status": "kiosk.diag.status",
    "idcard": "kiosk.diag.idcard",
    "scanner": "kiosk.diag.scanner",
    "printer": "kiosk.diag.printer",
    "docprinter": "kiosk.diag.docprinter",
    "camera": "kiosk.diag.camera",
    "sscard": "kiosk.diag.sscard",
    "speaker": "kiosk.diag.speaker",
    "backend": "kiosk.diag.backend",
    "outbox": "kiosk.diag.outbox",
    "config": "kiosk.diag.config_check",
    "pin": "kiosk.diag.pin",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    if argv[0] not in COMMANDS:
        print(f"kiosk-diag: unknown command {argv[0]!r}; try kiosk-diag --help", file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(COMMANDS[argv[0]])
    except ModuleNotFoundError as exc:
        print(f"kiosk-diag {argv[0]}: not built yet ({exc.name})", file=sys.stderr)
        return 2
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
