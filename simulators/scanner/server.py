"""`kiosk-sim scanner --listen HOST:PORT`: a QR scanner in serial mode, over TCP.

Sends "code + suffix" bytes to the connected kiosk (pyserial `socket://HOST:PORT`). Control routes
(docs/simulators.md, "scanner"):

    POST /scan {"code": "…", "encoding": "utf-8"|"gbk", "suffix": "\\r"|"\\n"|"\\r\\n", "split": N}
    POST /scan {"persona": ID}          scan that persona's e-ID token (粤省事码)
    POST /scan {"codes": ["…", "…"]}    several codes in one write
    POST /garbage {"bytes": N}          line noise that is neither UTF-8 nor GBK, then a suffix
    GET  /state · POST /unplug · POST /replug · POST /reset (plugged in) · GET /traffic[?clear=1]
"""

from __future__ import annotations

import argparse
import os
import socket
import threading
import time
from typing import Any

from simulators.control import ControlError, parse_listen
from simulators.personas import get_persona, load_personas
from simulators.tcp_device import TcpDeviceServer

SUFFIXES = {"\r": b"\r", "\n": b"\n", "\r\n": b"\r\n", "": b"", "cr": b"\r", "lf": b"\n", "crlf": b"\r\n"}
ENCODINGS = ("utf-8", "gbk")
SPLIT_PAUSE = 0.03  # so the pieces of a split code arrive in separate reads


class ScannerSimulator(TcpDeviceServer):
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.scans = 0
        self._conn_ready = threading.Condition()
        self._current: socket.socket | None = None

    def serve_client(self, conn: socket.socket) -> None:
        with self._conn_ready:
            self._current = conn
            self._conn_ready.notify_all()
        try:
            while not self.unplugged.is_set():
                if not self.recv(conn):  # a scanner ignores what the host sends; log it only
                    return
        finally:
            with self._conn_ready:
                if self._current is conn:
                    self._current = None

    def _client(self) -> socket.socket:
        with self._conn_ready:
            if self._current is None or self.unplugged.is_set():
                raise ControlError("no kiosk is connected to the scanner (or it is unplugged)", 409)
            return self._current

    def send_pieces(self, data: bytes, split: int, note: str) -> None:
        conn = self._client()
        split = max(1, min(split, len(data)))
        size = -(-len(data) // split)
        try:
            for i in range(0, len(data), size):
                if i:
                    time.sleep(SPLIT_PAUSE)
                self.send(conn, data[i:i + size], note)
        except OSError as exc:
            raise ControlError(f"the link broke while sending: {exc}", 409) from exc

    # ---- control API --------------------------------------------------------------------------
    def scan(self, body: dict[str, Any]) -> dict[str, Any]:
        encoding = body.get("encoding", "utf-8")
        if encoding not in ENCODINGS:
            raise ControlError(f"encoding must be one of {', '.join(ENCODINGS)}, got {encoding!r}")
        suffix = body.get("suffix", "\r")
        if suffix not in SUFFIXES:
            raise ControlError("suffix must be \"\\r\", \"\\n\", \"\\r\\n\" or \"\"")
        if "persona" in body:
            try:
                codes = [get_persona(str(body["persona"])).eid_token]
            except KeyError as exc:
                raise ControlError(f"unknown persona {body['persona']!r}; valid ids: "
                                   f"{', '.join(load_personas())}", 404) from exc
        elif "codes" in body and isinstance(body["codes"], list):
            codes = [str(c) for c in body["codes"]]
        elif isinstance(body.get("code"), str):
            codes = [body["code"]]
        else:
            raise ControlError('give "code", "codes" or "persona"')
        try:
            data = b"".join(c.encode(encoding) + SUFFIXES[suffix] for c in codes)
        except UnicodeEncodeError as exc:
            raise ControlError(f"code cannot be encoded as {encoding}: {exc.reason}") from exc
        split = int(body.get("split", 1))
        self.send_pieces(data, split, f"scan {len(codes)} code(s), {encoding}, split {split}")
        self.scans += len(codes)
        return {"sent_bytes": len(data), "codes": len(codes)}

    def garbage(self, body: dict[str, Any]) -> dict[str, Any]:
        n = max(1, int(body.get("bytes", 24)))
        # 0xFF is invalid in both UTF-8 and GBK, so the kiosk must reject this frame
        noise = b"\xff" + bytes(b for b in os.urandom(n * 2) if b not in (0x0D, 0x0A))[:n - 1]
        suffix = SUFFIXES.get(body.get("suffix", "\r"), b"\r")
        self.send_pieces(noise + suffix, int(body.get("split", 1)), "garbage")
        return {"sent_bytes": len(noise) + len(suffix)}

    def state(self) -> dict[str, Any]:
        return {"connected": self.connected, "plugged": not self.unplugged.is_set(), "scans": self.scans,
                "port": self.port}

    def control_routes(self) -> dict[tuple[str, str], Any]:
        def reset(body: dict, query: dict) -> tuple[int, Any]:
            self.replug()  # a scanner keeps no other state
            return 200, self.state()

        return {**super().control_routes(),
                ("POST", "/scan"): lambda body, query: (200, self.scan(body)),
                ("POST", "/garbage"): lambda body, query: (200, self.garbage(body)),
                ("POST", "/reset"): reset,
                ("GET", "/state"): lambda body, query: (200, self.state())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-sim scanner", description=__doc__.splitlines()[0])
    ap.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT for the serial-over-TCP link")
    ap.add_argument("--control", default="127.0.0.1:0", help="HOST:PORT for the JSON control API")
    args = ap.parse_args(argv)
    host, port = parse_listen(args.listen)
    chost, cport = parse_listen(args.control)
    sim = ScannerSimulator(host, port).start()
    sim.serve_with_control(chost, cport, device="scanner")
    return 0
