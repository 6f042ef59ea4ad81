"""`kiosk-sim`: the simulators and the reference backend.

    kiosk-sim all [--config FILE] [--ephemeral] [--state FILE]    every simulator + backend + control API
    kiosk-sim idcard  --listen HOST:PORT                          GA/T 467 SAM frames over TCP
    kiosk-sim scanner --listen HOST:PORT                          QR scanner (serial over TCP)
    kiosk-sim printer --listen HOST:PORT --out DIR                ESC/POS printer (TCP 9100 style)
    kiosk-sim docprinter --listen HOST:PORT --out DIR             A4 printer: private cupsd + IPP printer
    kiosk-sim camera  --listen HOST:PORT                          MJPEG camera
    kiosk-sim sscard  [--vpcd HOST:PORT]                          社保卡 emulator for pcscd's vpcd
    kiosk-sim backend --listen HOST:PORT                          the reference platform (HTTPS)
    kiosk-sim broker  --listen 127.0.0.1:PORT --ops-password-file F   Mosquitto: TLS, per-kiosk logins, ACLs
    kiosk-sim fleet   --broker mqtts://… --ops-password-file F       the operations centre and its page
    kiosk-sim run SCENARIO.yaml … [--hub URL] [--screenshots DIR] [--junit FILE]
                                                                  replay resident visits (docs/scenarios.md)
    kiosk-sim console [--hub URL]                                 the tester console: a window on the hub

Each simulator module exposes `main(argv) -> int`; each process prints one READY line (control.py).
"""

from __future__ import annotations

import importlib
import sys

SIMULATORS = {
    "all": "simulators.hub",
    "idcard": "simulators.idcard.server",
    "scanner": "simulators.scanner.server",
    "printer": "simulators.printer.server",
    "docprinter": "simulators.docprinter.server",
    "camera": "simulators.camera.server",
    "sscard": "simulators.sscard.server",
    "backend": "simulators.backend.server",
    "backend-proxy": "simulators.fault_proxy",
    "broker": "simulators.fleet.broker",
    "fleet": "simulators.fleet.ops",
    "run": "simulators.scenario.cli",
    "console": "simulators.console.cli",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in SIMULATORS:
        print(__doc__.strip(), file=sys.stderr if argv and argv[0] not in ("-h", "--help") else sys.stdout)
        if argv and argv[0] not in ("-h", "--help"):
            print(f"\nkiosk-sim: unknown simulator {argv[0]!r}", file=sys.stderr)
            return 2
        return 0 if argv else 2
    module = importlib.import_module(SIMULATORS[argv[0]])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
