"""`kiosk-sim docprinter --listen HOST:PORT --out DIR`: the A4 document printer behind real CUPS.

Two parts, one process: a private `cupsd -f` on --listen (cups_server.py) with one raw queue "A4",
and the simulated IPP printer that queue prints to (ipp_printer.py), on --printer-listen (ephemeral
by default). The kiosk's device URL is `ipp://127.0.0.1:PORT/printers/A4`. Every printed document is
saved under DIR as NNNN.pdf plus NNNN-<page>.png.

Where CUPS cannot run (not installed, cupsd fails) the printer still starts and the READY line says
why in `cups_unavailable`; the kiosk then sees an A4 printer that does not answer.
Control routes: see docs/simulators.md ("docprinter").
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from simulators.control import (
    ControlError,
    ControlServer,
    announce_ready,
    parse_listen,
    plug_routes,
    wait_forever,
)
from simulators.docprinter.cups_server import CupsServer, CupsStartError, unavailable_reason
from simulators.docprinter.ipp_printer import IppPrinterSim


class DocPrinterSim:
    def __init__(self, printer: IppPrinterSim, cups: CupsServer | None, cups_unavailable: str | None) -> None:
        self.printer = printer
        self.cups = cups
        self.cups_unavailable = cups_unavailable

    def state(self) -> dict[str, Any]:
        cups: dict[str, Any] = {"running": self.cups is not None and self.cups.proc is not None}
        if self.cups is not None:
            cups.update(server=self.cups.server, queue=self.cups.queue, url=self.cups.url)
        if self.cups_unavailable:
            cups["unavailable"] = self.cups_unavailable
        return {**self.printer.state(), "cups": cups}

    def control_routes(self) -> dict[tuple[str, str], Any]:
        p = self.printer

        def set_state(body: dict, query: dict) -> tuple[int, Any]:
            unknown = set(body) - {"media", "toner", "door_open", "jam"}
            if unknown:
                raise ControlError(f"unknown state key(s) {sorted(unknown)}; expected media, toner, door_open, jam")
            for key in ("door_open", "jam"):
                if key in body and not isinstance(body[key], bool):
                    raise ControlError(f"{key} must be true or false")
            try:
                p.set_state(media=body.get("media"), toner=body.get("toner"), door_open=body.get("door_open"),
                            jam=body.get("jam"))
            except ValueError as exc:
                raise ControlError(str(exc)) from exc
            return 200, self.state()

        def reset(body: dict, query: dict) -> tuple[int, Any]:
            p.set_state(media="ok", toner="ok", door_open=False, jam=False)
            p.replug()
            return 200, self.state()

        def documents(body: dict, query: dict) -> tuple[int, Any]:
            return 200, {"documents": list(p.documents)}

        def last_document(body: dict, query: dict) -> tuple[int, Any]:
            if not p.documents:
                raise ControlError("no document printed yet", 404)
            return 200, p.documents[-1]

        def delete_documents(body: dict, query: dict) -> tuple[int, Any]:
            gone, p.documents[:] = list(p.documents), []
            for doc in gone:
                for path in [doc["pdf"], *doc["png"]]:
                    Path(path).unlink(missing_ok=True)
            return 200, {"deleted": len(gone)}

        def requests(body: dict, query: dict) -> tuple[int, Any]:
            out = list(p.requests)
            if query.get("clear") == "1":
                p.requests.clear()
            return 200, {"requests": out}

        return {
            **plug_routes(p),  # unplug = the printer stops answering CUPS (offline)
            ("GET", "/traffic"): p.wire.handler,
            ("GET", "/state"): lambda body, query: (200, self.state()),
            ("POST", "/state"): set_state,
            ("POST", "/reset"): reset,
            ("GET", "/documents"): documents,
            ("GET", "/documents/last"): last_document,
            ("DELETE", "/documents"): delete_documents,
            ("GET", "/requests"): requests,
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-sim docprinter", description=__doc__.splitlines()[0])
    ap.add_argument("--listen", default="127.0.0.1:8631", help="HOST:PORT for cupsd (0 = ephemeral)")
    ap.add_argument("--printer-listen", default="127.0.0.1:0", help="HOST:PORT for the IPP printer itself")
    ap.add_argument("--control", default="127.0.0.1:0", help="HOST:PORT for the JSON control API")
    ap.add_argument("--out", type=Path, default=None, help="directory for the printed NNNN.pdf/.png")
    ap.add_argument("--queue", default="A4", help="CUPS queue name")
    ap.add_argument("--no-cups", action="store_true", help="start the IPP printer only (no cupsd)")
    ap.add_argument("--no-png", action="store_true", help="save PDFs only (faster)")
    args = ap.parse_args(argv)
    try:
        host, port = parse_listen(args.listen)
        phost, pport = parse_listen(args.printer_listen)
        chost, cport = parse_listen(args.control)
    except ValueError as exc:
        ap.error(str(exc))
    if "127.0.0.1" not in (host, phost, chost) or len({host, phost, chost}) != 1:
        ap.error("--listen, --printer-listen and --control must all be on 127.0.0.1")
    out = args.out or Path(tempfile.mkdtemp(prefix="kiosk-docprinter-"))
    out.mkdir(parents=True, exist_ok=True)
    printer = IppPrinterSim(phost, pport, out, render_png=not args.no_png).start()
    cups, reason = None, "--no-cups given" if args.no_cups else unavailable_reason()
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
    if reason is None:
        try:
            cups = CupsServer(root, port, queue=args.queue).start(printer.uri)
        except CupsStartError as exc:
            reason = f"cupsd could not start: {exc}"
            cups = None
    if reason:
        print(f"kiosk-sim docprinter: CUPS unavailable: {reason}", file=sys.stderr)
    sim = DocPrinterSim(printer, cups, reason)
    control = ControlServer(sim.control_routes(), host=chost, port=cport).start()
    announce_ready(listen=cups.port if cups else 0, control=control.port, printer=printer.port,
                   url=cups.url if cups else None, out=str(out), cups_unavailable=reason)
    try:
        wait_forever()
    finally:
        control.stop()
        if cups is not None:
            cups.stop()
        printer.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0
