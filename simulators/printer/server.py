"""`kiosk-sim printer --listen HOST:PORT --out DIR`: an ESC/POS receipt printer on raw TCP (port 9100 style).

It parses the byte stream (escpos_parser), answers DLE EOT / GS r truthfully from its state, and saves
every receipt (ended by a cut, by the next ESC @ or by the connection closing) as NNNN.bin (the bytes),
NNNN.txt (plain text) and NNNN.png (what the paper looks like, render.py) under DIR.

While the paper is out, the cover open or the printer offline, it prints nothing: job bytes are
discarded (a real printer stops) and the receipt in progress is marked incomplete.

Automatic status back (ASB, Epson's `GS a n`; many Chinese models have it on by a memory switch):
when on (`GS a n` with n != 0 from the host, or `auto_status_back` in POST /state), the printer sends
a 4-byte status block by itself — when it is switched on, on every new connection and whenever paper,
cover or online state changes — unasked, in the same stream as the DLE EOT replies. First byte
0xx1xx00 (bit 3 offline, bit 5 cover open), the others 0xx0xxxx (third byte: bits 0-1 paper near
end, bits 2-3 paper end): never a valid DLE EOT reply, which a driver must skip.
Control routes: see docs/simulators.md ("printer").
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulators.control import ControlError, announce_ready, parse_listen, wait_forever
from simulators.printer.escpos_parser import Cut, EscPosParser, QrCode, Raster, Reset, StatusQuery, TextLine
from simulators.tcp_device import TcpDeviceServer

PAPER_STATES = ("ok", "near_end", "out")
PAPER_DOTS = {58: 384, 80: 576}
DROP_AFTER_LINES = 3  # drop_mid_job: lines printed before the link goes
FAULT_KINDS = ("none", "slow", "drop_mid_job", "paper_out_after_lines")
NO_FAULT: dict[str, Any] = {"kind": "none", "seconds": 0.0}


def page_text(blocks: list) -> str:
    lines = []
    for b in blocks:
        if isinstance(b, TextLine):
            lines.append(b.text.rstrip())
        elif isinstance(b, QrCode):
            lines.append(f"[QR {b.payload.decode('utf-8', errors='replace')}]")
        elif isinstance(b, Raster):
            lines.append(f"[image {b.width_bytes * 8 * b.scale_x}x{b.height * b.scale_y}]")
    return "\n".join(lines).strip("\n") + "\n"


@dataclass
class _Page:
    """The receipt being printed on one connection, and the bytes since it began."""

    blocks: list = field(default_factory=list)
    incomplete: bool = False
    stream: bytearray = field(default_factory=bytearray)  # received bytes from `base` on
    base: int = 0
    start: int = 0


class PrinterSim(TcpDeviceServer):
    def __init__(self, host: str, port: int, out_dir: Path, paper_mm: int = 80,
                 chinese_at_power_on: bool = True, render_png: bool = True) -> None:
        super().__init__(host, port)
        self.out_dir = out_dir
        self.paper_mm = paper_mm
        self.chinese_at_power_on = chinese_at_power_on
        self.render_png = render_png
        self.paper = "ok"
        self.cover_open = False
        self.offline = False
        self.auto_status_back = False
        self.asb_blocks_sent = 0
        self._send_lock = threading.Lock()  # status replies (connection thread) and ASB (control thread)
        self.fault: dict[str, Any] = NO_FAULT
        self.discarded_bytes = 0
        self.receipts: list[dict[str, Any]] = []
        self._state_lock = threading.Lock()
        self._next_index: int | None = None  # after the receipts already in out_dir; read at the first save

    # ---- status bytes (docs/device-protocols.md §4) -------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self.paper != "out" and not self.cover_open and not self.offline

    def status_byte(self, n: int) -> int | None:
        b = 0x12
        if n == 1:
            return b | (0x08 if not self.ready else 0)
        if n == 2:
            return b | (0x04 if self.cover_open else 0) | (0x20 if self.paper == "out" else 0)
        if n == 3:
            return b
        if n == 4:
            return b | {"ok": 0, "near_end": 0x0C, "out": 0x60}[self.paper]
        return None

    def asb_block(self) -> bytes:
        paper = {"ok": 0x00, "near_end": 0x03, "out": 0x0F}[self.paper]
        return bytes([0x10 | (0x08 if not self.ready else 0) | (0x20 if self.cover_open else 0), 0x00, paper, 0x00])

    def _send_status(self, conn, data: bytes, note: str) -> None:
        with self._send_lock:
            self.send(conn, data, note)

    def push_asb(self, why: str) -> None:
        """Automatic status back: send the status block to the connected host, unasked."""
        conn = self._conn
        if not self.auto_status_back or conn is None:
            return
        try:
            self._send_status(conn, self.asb_block(), f"asb ({why})")
            self.asb_blocks_sent += 1
        except OSError:
            pass  # the host went away; the next connection gets a block when it comes

    def gs_r_byte(self, n: int) -> int | None:
        if n in (1, 49):
            return {"ok": 0x00, "near_end": 0x03, "out": 0x0C}[self.paper]
        return 0x00 if n in (2, 50) else None

    # ---- the connection ---------------------------------------------------------------------
    def serve_client(self, conn) -> None:
        parser = EscPosParser(self.chinese_at_power_on)
        page = _Page()
        self.push_asb("connected")
        try:
            while not self.unplugged.is_set():
                data = self.recv(conn)
                if not data:
                    break
                if self.fault["kind"] == "slow" and self.unplugged.wait(float(self.fault["seconds"])):
                    break
                if self.fault["kind"] == "drop_mid_job":
                    if self._handle_until_dropped(conn, parser, page, data):
                        break
                    continue
                self._handle(conn, parser, page, data)
        finally:  # whatever was printed before the link went is on the paper: keep it, uncut
            page.blocks += parser.flush()
            self._finish(page, parser.position, cut=False)

    def _handle_until_dropped(self, conn, parser: EscPosParser, page: _Page, data: bytes) -> bool:
        """Fault: print a few lines of the job, then hang up (the rest of the job is lost). One shot."""
        for start in range(0, len(data), 64):
            self._handle(conn, parser, page, data[start:start + 64])
            if sum(isinstance(b, TextLine) and bool(b.glyphs) for b in page.blocks) >= DROP_AFTER_LINES:
                self.fault = NO_FAULT
                self.wire.add("in", b"", "fault: connection dropped mid-job")
                self.drop_connection()
                return True
        return False

    def _handle(self, conn, parser: EscPosParser, page: _Page, data: bytes) -> None:
        page.stream += data
        dropped = False
        for block in parser.feed(data):
            if isinstance(block, StatusQuery) and block.kind == "gs_a":
                self.auto_status_back = block.n != 0
                self.push_asb("enabled by GS a")
            elif isinstance(block, StatusQuery):
                byte = (self.status_byte if block.kind == "dle_eot" else self.gs_r_byte)(block.n)
                if byte is not None:
                    self._send_status(conn, bytes([byte]), f"{block.kind} {block.n}")
            elif isinstance(block, Reset):
                self._finish(page, block.at, cut=False)
            elif not self.ready:  # a stopped printer prints nothing: the job's content is lost
                dropped = True
                page.incomplete = page.incomplete or bool(page.blocks)
            elif isinstance(block, Cut):
                self._finish(page, block.at, cut=True)
            else:
                page.blocks.append(block)
                if isinstance(block, TextLine) and block.glyphs:
                    self._line_printed()
        if dropped:
            self.discarded_bytes += len(data)

    def _line_printed(self) -> None:
        """Fault paper_out_after_lines: the roll ends after N more printed lines, in the middle of a
        job; from then on the printer reports paper out (DLE EOT) and prints nothing. One shot."""
        with self._state_lock:
            if self.fault["kind"] != "paper_out_after_lines":
                return
            left = self.fault["lines"] - 1
            self.fault = NO_FAULT if left <= 0 else {**self.fault, "lines": left}
            if left <= 0:
                self.paper = "out"
                self.wire.add("in", b"", "fault: paper ran out mid-job")
        if left <= 0:
            self.push_asb("paper ran out")

    def reset(self) -> None:
        """Plugged in, paper in, cover closed, online, no fault. The receipts stay (a scenario
        compares with those printed since it started)."""
        self.replug()
        with self._state_lock:
            self.paper, self.cover_open, self.offline, self.fault = "ok", False, False, NO_FAULT
            self.auto_status_back, self.asb_blocks_sent = False, 0
            self.discarded_bytes = 0

    def _finish(self, page: _Page, end: int, cut: bool) -> None:
        """Save the receipt in progress, if anything was printed on it, and start a new one."""
        raw = bytes(page.stream[page.start - page.base:end - page.base])
        if any(not (isinstance(b, TextLine) and not b.glyphs) for b in page.blocks):
            self._save(page.blocks, raw, cut, page.incomplete)
        page.blocks, page.incomplete = [], False
        del page.stream[:end - page.base]
        page.base = page.start = end

    def _save(self, blocks: list, raw: bytes, cut: bool, incomplete: bool) -> None:
        with self._state_lock:
            if self._next_index is None:
                self._next_index = 1 + max(
                    (int(p.stem) for p in self.out_dir.glob("[0-9][0-9][0-9][0-9].bin")), default=0)
            index = self._next_index
            self._next_index += 1
        stem = self.out_dir / f"{index:04d}"
        text = page_text(blocks)
        stem.with_suffix(".bin").write_bytes(raw)
        stem.with_suffix(".txt").write_text(text, encoding="utf-8")
        png = None
        if self.render_png:
            from simulators.printer.render import render_png

            png = stem.with_suffix(".png")
            render_png(blocks, PAPER_DOTS[self.paper_mm], self.paper_mm, cut=cut).save(png)
        entry = {"index": index, "time": round(time.time(), 3), "text": text,
                 "png": str(png) if png else None, "txt": str(stem.with_suffix(".txt")),
                 "bin": str(stem.with_suffix(".bin")), "cut": cut, "incomplete": incomplete,
                 "qr": [b.payload.decode("utf-8", errors="replace") for b in blocks if isinstance(b, QrCode)]}
        with self._state_lock:
            self.receipts.append(entry)

    # ---- control API ------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {"paper": self.paper, "cover_open": self.cover_open, "offline": self.offline,
                "auto_status_back": self.auto_status_back, "asb_blocks_sent": self.asb_blocks_sent,
                "fault": dict(self.fault), "plugged": not self.unplugged.is_set(),
                "connected": self.connected, "paper_mm": self.paper_mm, "out": str(self.out_dir),
                "receipts": len(self.receipts), "discarded_bytes": self.discarded_bytes}

    def control_routes(self) -> dict[tuple[str, str], Any]:
        routes = super().control_routes()

        def get_receipts(body: dict, query: dict) -> tuple[int, Any]:
            with self._state_lock:
                return 200, {"receipts": list(self.receipts)}

        def last_receipt(body: dict, query: dict) -> tuple[int, Any]:
            with self._state_lock:
                if not self.receipts:
                    raise ControlError("no receipt printed yet", 404)
                return 200, self.receipts[-1]

        def delete_receipts(body: dict, query: dict) -> tuple[int, Any]:
            with self._state_lock:
                gone = list(self.receipts)
                self.receipts.clear()
            for entry in gone:
                for key in ("png", "txt", "bin"):
                    if entry[key]:
                        Path(entry[key]).unlink(missing_ok=True)
            return 200, {"deleted": len(gone)}

        def set_state(body: dict, query: dict) -> tuple[int, Any]:
            unknown = set(body) - {"paper", "cover_open", "offline", "auto_status_back"}
            if unknown:
                raise ControlError(f"unknown state key(s) {sorted(unknown)}; expected paper, cover_open, offline, "
                                   "auto_status_back")
            if "paper" in body and body["paper"] not in PAPER_STATES:
                raise ControlError(f"paper must be one of {', '.join(PAPER_STATES)}")
            for key in ("cover_open", "offline", "auto_status_back"):
                if key in body and not isinstance(body[key], bool):
                    raise ControlError(f"{key} must be true or false")
            before = (self.paper, self.cover_open, self.offline, self.auto_status_back)
            self.paper = body.get("paper", self.paper)
            self.cover_open = body.get("cover_open", self.cover_open)
            self.offline = body.get("offline", self.offline)
            self.auto_status_back = body.get("auto_status_back", self.auto_status_back)
            if (self.paper, self.cover_open, self.offline, self.auto_status_back) != before:
                self.push_asb("state changed")  # sent before this answer: the host has it in its buffer
            return 200, self.state()

        def set_fault(body: dict, query: dict) -> tuple[int, Any]:
            kind = body.get("kind")
            if kind not in FAULT_KINDS:
                raise ControlError(f"kind must be one of {', '.join(FAULT_KINDS)}")
            seconds = body.get("seconds", 2.0 if kind == "slow" else 0.0)
            if not isinstance(seconds, (int, float)) or not 0 <= seconds <= 120:
                raise ControlError("seconds must be a number from 0 to 120")
            fault: dict[str, Any] = {"kind": kind, "seconds": float(seconds)}
            if kind == "paper_out_after_lines":
                lines = body.get("lines")
                if isinstance(lines, bool) or not isinstance(lines, int) or lines < 1:
                    raise ControlError("paper_out_after_lines needs \"lines\": a whole number >= 1")
                fault["lines"] = lines
            self.fault = fault
            return 200, self.state()

        def reset(body: dict, query: dict) -> tuple[int, Any]:
            self.reset()
            return 200, self.state()

        routes.update({
            ("GET", "/receipts"): get_receipts,
            ("GET", "/receipts/last"): last_receipt,
            ("DELETE", "/receipts"): delete_receipts,
            ("GET", "/state"): lambda body, query: (200, self.state()),
            ("POST", "/state"): set_state,
            ("POST", "/fault"): set_fault,
            ("POST", "/reset"): reset,
        })
        return routes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-sim printer", description=__doc__.splitlines()[0])
    ap.add_argument("--listen", default="127.0.0.1:9100", help="HOST:PORT for the printer (0 = ephemeral)")
    ap.add_argument("--control", default="127.0.0.1:0", help="HOST:PORT for the JSON control API")
    ap.add_argument("--out", type=Path, default=None, help="directory for NNNN.bin/.txt/.png receipts")
    ap.add_argument("--paper", type=int, choices=sorted(PAPER_DOTS), default=80, help="paper width in mm")
    ap.add_argument("--ascii-at-power-on", action="store_true",
                    help="start in ASCII mode (Chinese text then needs FS &), like some imported models")
    ap.add_argument("--no-png", action="store_true", help="save .txt and .bin only (faster)")
    args = ap.parse_args(argv)
    try:
        host, port = parse_listen(args.listen)
        chost, cport = parse_listen(args.control)
    except ValueError as exc:
        ap.error(str(exc))
    if chost != "127.0.0.1":
        ap.error("--control must be on 127.0.0.1")
    out = args.out or Path(tempfile.mkdtemp(prefix="kiosk-printer-"))
    out.mkdir(parents=True, exist_ok=True)
    sim = PrinterSim(host, port, out, args.paper, not args.ascii_at_power_on, not args.no_png).start()
    control = sim.make_control(cport).start()
    announce_ready(listen=sim.port, control=control.port, out=str(out))
    wait_forever()
    control.stop()
    sim.stop()
    return 0
