"""A device that sits at the far end of a serial-over-TCP or raw TCP link (ID-card reader, scanner,
printer). One client at a time, like a real serial line or printer port. Unplug closes the link and
stops listening; replug listens again on the same port.

Subclasses implement `serve_client(conn)`; it runs on the connection thread and must return when the
connection closes or `self.unplugged` is set. Use `self.send()` so the wire log sees every byte.
A simulator's `main()` ends with `sim.serve_with_control(host, port, device=…)`.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from simulators.control import ControlServer, WireLog, announce_ready, plug_routes, wait_forever


def close_socket(sock: socket.socket) -> None:
    """Shut a socket down both ways (so a peer blocked in recv() wakes up) and close it."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class TcpDeviceServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.wire = WireLog()
        self.unplugged = threading.Event()
        self._listener: socket.socket | None = None
        self._conn: socket.socket | None = None
        self._lock = threading.Lock()
        self._accept_thread: threading.Thread | None = None

    # ---- lifecycle --------------------------------------------------------------------------
    def start(self) -> TcpDeviceServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(4)
        self.port = sock.getsockname()[1]  # keep the same port across unplug/replug
        self._listener = sock
        self.unplugged.clear()
        self._accept_thread = threading.Thread(target=self._accept_loop, args=(sock,),
                                               name=f"{type(self).__name__}-accept", daemon=True)
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        self.unplug()

    def unplug(self) -> None:
        """Drop the link and refuse new connections until replug()."""
        self.unplugged.set()
        with self._lock:
            for s in (self._conn, self._listener):
                if s is not None:
                    close_socket(s)
            self._conn = self._listener = None

    def replug(self) -> None:
        if self._listener is None:
            self.start()

    def drop_connection(self) -> None:
        """Close the current client link only (a cable glitch); keep listening."""
        with self._lock:
            if self._conn is not None:
                close_socket(self._conn)
                self._conn = None

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self.unplugged.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._conn is not None:  # one client at a time: the newer one wins
                    try:
                        self._conn.close()
                    except OSError:
                        pass
                self._conn = conn
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self.serve_client(conn)
        except OSError:
            pass
        finally:
            with self._lock:
                if self._conn is conn:
                    self._conn = None
            try:
                conn.close()
            except OSError:
                pass

    # ---- I/O helpers ------------------------------------------------------------------------
    def send(self, conn: socket.socket, data: bytes, note: str = "") -> None:
        self.wire.add("out", data, note)
        conn.sendall(data)

    def recv(self, conn: socket.socket, n: int = 4096) -> bytes:
        data = conn.recv(n)
        if data:
            self.wire.add("in", data)
        return data

    def serve_client(self, conn: socket.socket) -> None:
        raise NotImplementedError

    # ---- control routes shared by every TCP device -------------------------------------------
    def control_routes(self) -> dict[tuple[str, str], Any]:
        return {**plug_routes(self), ("GET", "/traffic"): self.wire.handler}

    def make_control(self, port: int = 0) -> ControlServer:
        return ControlServer(self.control_routes(), port=port)

    def serve_with_control(self, control_host: str, control_port: int, **announce: Any) -> None:
        """A simulator process's life after start(): the control API, the READY line, then serve
        until the process is told to stop."""
        control = ControlServer(self.control_routes(), host=control_host, port=control_port).start()
        announce_ready(listen=self.port, control=control.port, **announce)
        try:
            wait_forever()
        finally:
            control.stop()
            self.stop()
