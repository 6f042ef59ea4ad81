"""`kiosk-sim idcard --listen HOST:PORT`: a GA/T 467 SAM ID-card reader over TCP.

Speaks the exact frames of docs/device-protocols.md §1 (pyserial `socket://HOST:PORT` on the kiosk side). A placed
card stays on the reader until lifted; after a successful read, find answers 80 until the card is
lifted, as real readers do. Control routes (docs/simulators.md, "idcard"):

    POST /place {"persona": ID}     put that persona's card on the reader (replaces any card)
    POST /lift                      take the card away
    POST /fault {...}               inject a fault (see FAULT_KINDS); {"kind": "none"} clears all
    GET  /state                     card, read state, active faults, link state
    GET  /personas                  the persona ids (and card layouts) that can be placed
    POST /unplug · POST /replug     pull / reinsert the cable (same port)
    POST /reset                     no card, no fault, plugged in
    GET  /traffic[?clear=1]         spy log of the wire bytes
"""

from __future__ import annotations

import argparse
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from simulators.control import ControlError, parse_listen
from simulators.idcard.card_encoding import appended_address_block, card_serial, photo_blob, text_block
from simulators.personas import Persona, get_persona, load_personas
from simulators.tcp_device import TcpDeviceServer

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"

# (CMD, Para) → short name used for fault targeting and the traffic log.
COMMANDS = {
    (0x10, 0xFF): "reset", (0x11, 0xFF): "sam_status", (0x12, 0xFF): "sam_id",
    (0x20, 0x01): "find", (0x20, 0x02): "select", (0x30, 0x01): "read",
    (0x30, 0x03): "address", (0x30, 0x10): "read",
}
FAULT_KINDS = ("checksum", "sw3", "slow", "garbage", "disconnect", "lift_mid_read", "none")
# Which command an SW3 fault hits when the request names none: the code's natural place.
SW3_DEFAULT_TARGET = {0x80: "find", 0x81: "select", 0x41: "read", 0x60: "sam_status"}
TARGETS = ("any", *sorted(set(COMMANDS.values())))
SAM_ID = bytes([5, 0, 1, 0]) + (20200101).to_bytes(4, "little") + (1).to_bytes(4, "little") \
    + (3456789012).to_bytes(4, "little")


def response(sw3: int, data: bytes = b"", corrupt: bool = False) -> bytes:
    body = (3 + len(data) + 1).to_bytes(2, "big") + bytes((0, 0, sw3)) + data
    chk = 0
    for b in body:
        chk ^= b
    return PREAMBLE + body + bytes((chk ^ 0xFF if corrupt else chk,))


@dataclass
class Fault:
    kind: str
    target: str = "any"
    code: int = 0
    seconds: float = 0.0
    nbytes: int = 37
    once: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "on": self.target, "code": f"{self.code:02X}" if self.kind == "sw3" else None,
                "seconds": self.seconds or None, "once": self.once}


def parse_fault(body: dict[str, Any]) -> Fault:
    kind = body.get("kind")
    if kind not in FAULT_KINDS:
        raise ControlError(f"fault kind must be one of {', '.join(FAULT_KINDS)}, got {kind!r}")
    fault = Fault(kind, once=bool(body.get("once", kind != "slow")))
    if kind == "sw3":
        try:
            fault.code = int(str(body.get("code")), 16)
        except ValueError as exc:
            raise ControlError(f"sw3 fault needs a hex code like \"41\", got {body.get('code')!r}") from exc
        if not 0 <= fault.code <= 0xFF:
            raise ControlError("sw3 code must be one byte")
        fault.target = SW3_DEFAULT_TARGET.get(fault.code, "any")
    if kind == "lift_mid_read":
        fault.target = "read"
    if kind == "slow":
        try:
            fault.seconds = float(body.get("seconds", 2.0))
        except (TypeError, ValueError) as exc:
            raise ControlError("slow fault needs a number of seconds") from exc
    if kind == "garbage":
        fault.nbytes = int(body.get("bytes", 37))
    target = body.get("on")
    if target is not None:
        if target not in TARGETS:
            raise ControlError(f"'on' must be one of {', '.join(TARGETS)}, got {target!r}")
        fault.target = target
    return fault


class IdCardSimulator(TcpDeviceServer):
    def __init__(self, host: str = "127.0.0.1", port: int = 0, read_delay: float = 0.0) -> None:
        super().__init__(host, port)
        self.read_delay = read_delay  # a real SAM takes ~0.5–1 s for 30 01
        self._state_lock = threading.Lock()
        self.card: Persona | None = None
        self.read_done = False  # find answers 80 until the card is lifted
        self.selected = False
        self.reads = 0
        self.placements = 0
        self.faults: list[Fault] = []

    # ---- card handling (control thread) ------------------------------------------------------
    def place(self, persona: Persona) -> None:
        with self._state_lock:
            self.card, self.read_done, self.selected = persona, False, False
            self.placements += 1

    def lift(self) -> None:
        with self._state_lock:
            self.card, self.read_done, self.selected = None, False, False

    def reset(self) -> None:
        """No card, no fault, cable in: how every scenario starts."""
        self.lift()
        with self._state_lock:
            self.faults.clear()
        self.replug()

    def add_fault(self, fault: Fault) -> None:
        if fault.kind == "none":
            with self._state_lock:
                self.faults.clear()
            return
        if fault.kind == "disconnect":
            self.drop_connection()
            return
        with self._state_lock:
            self.faults.append(fault)

    def _take_faults(self, command: str) -> list[Fault]:
        """Faults that hit this command; `once` faults are used up."""
        with self._state_lock:
            hit = [f for f in self.faults if f.target in ("any", command)]
            self.faults = [f for f in self.faults if not (f.once and f in hit)]
        return hit

    # ---- wire (connection thread) -------------------------------------------------------------
    def serve_client(self, conn: socket.socket) -> None:
        buf = bytearray()
        while not self.unplugged.is_set():
            data = self.recv(conn)
            if not data:
                return
            buf += data
            while True:
                request = self._take_request(conn, buf)
                if request is None:
                    break
                self._answer(conn, *request)

    def _take_request(self, conn: socket.socket, buf: bytearray) -> tuple[int, int] | None:
        """Cut one request out of `buf`; answers framing errors itself (SW3 10 / 11)."""
        while True:
            idx = buf.find(PREAMBLE)
            if idx < 0:
                del buf[:max(0, len(buf) - 4)]
                return None
            del buf[:idx]
            if len(buf) < 7:
                return None
            length = int.from_bytes(buf[5:7], "big")
            if length < 3 or length > 1024:
                del buf[:5]
                self.send(conn, response(0x11), "length error")
                continue
            if len(buf) < 7 + length:
                return None
            frame = bytes(buf[:7 + length])
            del buf[:7 + length]
            chk = 0
            for b in frame[5:-1]:
                chk ^= b
            if chk != frame[-1]:
                self.send(conn, response(0x10), "checksum error")
                continue
            return frame[7], frame[8]

    def _answer(self, conn: socket.socket, cmd: int, para: int) -> None:
        name = COMMANDS.get((cmd, para), "unknown")
        faults = self._take_faults(name)
        delay = sum(f.seconds for f in faults if f.kind == "slow")
        if name == "read":
            delay += self.read_delay
        if delay:
            time.sleep(delay)
        sw3_fault = next((f for f in faults if f.kind in ("sw3", "lift_mid_read")), None)
        if sw3_fault is not None:
            if sw3_fault.kind == "lift_mid_read":
                self.lift()
            sw3, data = (sw3_fault.code if sw3_fault.kind == "sw3" else 0x41), b""
        else:
            sw3, data = self._execute(name, (cmd, para))
        frame = response(sw3, data, corrupt=any(f.kind == "checksum" for f in faults))
        for f in faults:
            if f.kind == "garbage":
                noise = bytes(b for b in os.urandom(f.nbytes * 2) if b != 0xAA)[:f.nbytes]
                self.send(conn, noise, "garbage")
        self.send(conn, frame, f"{name} → SW3 {sw3:02X}")

    def _execute(self, name: str, cmd: tuple[int, int]) -> tuple[int, bytes]:
        with self._state_lock:
            card = self.card
            if name == "reset":
                self.selected = False
                return 0x90, b""
            if name == "sam_status":
                return 0x90, b""
            if name == "sam_id":
                return 0x90, SAM_ID
            if name == "find":
                return (0x9F, bytes(4)) if card is not None and not self.read_done else (0x80, b"")
            if name == "select":
                if card is None:
                    return 0x81, b""
                self.selected = True
                return 0x90, card_serial(card, self.placements)
            if name not in ("read", "address"):
                return 0x21, b""  # command error
            if card is None or not self.selected:
                return 0x41, b""
            if name == "address":
                block = appended_address_block(card)
                return (0x90, block) if block else (0x91, b"")
            if name == "read":
                text, photo = text_block(card), photo_blob(card)
                if cmd == (0x30, 0x10):  # no fingerprint on the card: fp-len 0
                    data = (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + bytes(2) + text + photo
                else:
                    data = (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + text + photo
                self.read_done = True
                self.reads += 1
                return 0x90, data
            raise AssertionError(name)

    # ---- control API --------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        with self._state_lock:
            return {"card": self.card.id if self.card else None, "read_done": self.read_done,
                    "selected": self.selected, "reads": self.reads,
                    "faults": [f.to_json() for f in self.faults], "connected": self.connected,
                    "plugged": not self.unplugged.is_set(), "port": self.port}

    def control_routes(self) -> dict[tuple[str, str], Any]:
        def place(body: dict, query: dict) -> tuple[int, Any]:
            pid = body.get("persona")
            try:
                persona = get_persona(str(pid))
            except KeyError as exc:
                raise ControlError(f"unknown persona {pid!r}; valid ids: {', '.join(load_personas())}",
                                   404) from exc
            self.place(persona)
            return 200, self.state()

        def lift(body: dict, query: dict) -> tuple[int, Any]:
            self.lift()
            return 200, self.state()

        def fault(body: dict, query: dict) -> tuple[int, Any]:
            self.add_fault(parse_fault(body))
            return 200, self.state()

        def reset(body: dict, query: dict) -> tuple[int, Any]:
            self.reset()
            return 200, self.state()

        return {**super().control_routes(),
                ("POST", "/place"): place, ("POST", "/lift"): lift, ("POST", "/fault"): fault,
                ("POST", "/reset"): reset,
                ("GET", "/state"): lambda body, query: (200, self.state()),
                ("GET", "/personas"): lambda body, query: (200, {"personas": [
                    {"id": p.id, "layout": p.layout} for p in load_personas().values()]})}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-sim idcard", description=__doc__.splitlines()[0])
    ap.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT for the serial-over-TCP link")
    ap.add_argument("--control", default="127.0.0.1:0", help="HOST:PORT for the JSON control API")
    ap.add_argument("--read-delay", type=float, default=0.0,
                    help="seconds the SAM takes to answer a card read (real modules: 0.5-1)")
    ap.add_argument("--persona", help="place this persona's card at start")
    args = ap.parse_args(argv)
    host, port = parse_listen(args.listen)
    chost, cport = parse_listen(args.control)
    sim = IdCardSimulator(host, port, read_delay=args.read_delay).start()
    if args.persona:
        sim.place(get_persona(args.persona))
    sim.serve_with_control(chost, cport, device="idcard")
    return 0
