"""The card side of vsmartcard-vpcd's socket protocol, holding an insertable EmulatedCard.

vpcd (inside pcscd) listens on TCP; the card emulator connects. Every message either way is a
2-byte big-endian length + payload. A 1-byte payload from vpcd is a control message (0 power off,
1 power on, 2 reset, 4 get ATR); anything longer is a C-APDU, answered with length + R-APDU.
vpcd treats "connected and answering the ATR request" as *card present* (it polls the ATR about
every 0.4 s) and a closed connection as *card removed*; so inserting a card = connecting, removing
it = closing the connection. Unplugged = no connection whatever the card state.
"""

from __future__ import annotations

import socket
import struct
import threading
from typing import Any

from simulators.control import WireLog
from simulators.sscard.card import CardRemoved, EmulatedCard, Fault
from simulators.tcp_device import close_socket

CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4
RECONNECT_DELAY = 0.5


class VpcdLink:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.wire = WireLog()
        self.fault = Fault()
        self.plugged = True
        self.powered = False
        self.last_error = ""
        self._card: EmulatedCard | None = None
        self._sock: socket.socket | None = None
        self._seen = threading.Event()  # vpcd has asked the current connection for the ATR
        self._cond = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="vpcd-link", daemon=True)

    # ---- control (any thread) ------------------------------------------------------------------
    def start(self) -> VpcdLink:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._drop_locked()
            self._cond.notify_all()
        self._thread.join(timeout=5)

    def insert(self, card: EmulatedCard, wait: float) -> bool:
        """Put a card in (replacing any); returns True once vpcd has polled it within `wait` s."""
        with self._cond:
            self._drop_locked()  # a card already inside comes out first
            card.fault = self.fault
            self._card = card
            self._cond.notify_all()
        return self._seen.wait(wait) if self.plugged else False

    def remove(self) -> bool:
        with self._cond:
            had = self._card is not None
            self._card = None
            self._drop_locked()
        return had

    def set_fault(self, fault: Fault) -> None:
        with self._cond:
            self.fault = fault
            if self._card is not None:
                self._card.fault = fault
                self._card.answered = 0

    def unplug(self) -> None:
        with self._cond:
            self.plugged = False
            self._drop_locked()

    def replug(self) -> None:
        with self._cond:
            self.plugged = True
            self._cond.notify_all()

    def reset(self) -> None:
        """No card inside, no fault, plugged in."""
        self.remove()
        self.set_fault(Fault())
        self.replug()

    def state(self) -> dict[str, Any]:
        with self._cond:
            card = self._card
            return {"plugged": self.plugged, "connected": self._sock is not None,
                    "seen_by_vpcd": self._seen.is_set(), "powered": self.powered,
                    "persona": card.persona.id if card else None,
                    "padding": card.padding if card else None,
                    "atr": card.atr.hex(" ").upper() if card else None,
                    "fault": self.fault.to_dict(), "vpcd": f"{self.host}:{self.port}",
                    "last_error": self.last_error}

    def _drop_locked(self) -> None:
        sock, self._sock = self._sock, None
        self._seen.clear()
        self.powered = False
        if sock is not None:
            close_socket(sock)

    # ---- the link thread -------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and (self._card is None or not self.plugged):
                    self._cond.wait()
                if self._stop:
                    return
            sock = self._connect()
            if sock is None:
                with self._cond:
                    self._cond.wait(RECONNECT_DELAY)  # vpcd not up yet (pcscd restarting)
                continue
            self._serve(sock)

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=5)
        except OSError as exc:
            self.last_error = f"cannot reach vpcd at {self.host}:{self.port}: {exc}"
            return None
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._cond:
            if self._stop or self._card is None or not self.plugged:  # removed while connecting
                sock.close()
                return None
            self._sock = sock
            self.last_error = ""
        return sock

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                header = _recv_exact(sock, 2)
                payload = _recv_exact(sock, struct.unpack(">H", header)[0])
                answer = self._handle(payload)
                if answer is None:
                    continue
                sock.sendall(struct.pack(">H", len(answer)) + answer)
        except (OSError, EOFError, CardRemoved):
            pass
        finally:
            with self._cond:
                if self._sock is sock:  # vpcd went away (pcscd stopped) or the card was pulled
                    self._drop_locked()
                else:
                    sock.close()

    def _handle(self, payload: bytes) -> bytes | None:
        with self._cond:
            card = self._card
        if card is None:
            raise EOFError
        if len(payload) == 1:
            return self._control(card, payload[0])
        self.wire.add("in", payload)
        try:
            answer = card.process(payload)
        except CardRemoved:
            self.wire.add("in", b"", "card pulled out before answering (remove_mid_read)")
            with self._cond:
                if self._card is card:
                    self._card = None
                self.fault = Fault()  # one-shot: the next card reads normally
            raise
        self.wire.add("out", answer)
        return answer

    def _control(self, card: EmulatedCard, code: int) -> bytes | None:
        if code == CTRL_ATR:
            self._seen.set()  # polled every ~0.4 s: kept out of the traffic log
            return card.atr
        notes = {CTRL_OFF: "power off", CTRL_ON: "power on", CTRL_RESET: "reset"}
        self.wire.add("in", bytes([code]), notes.get(code, "unknown control message"))
        if code in (CTRL_OFF, CTRL_ON, CTRL_RESET):
            card.reset()
            self.powered = code != CTRL_OFF
        return None


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        if hasattr(socket, "TCP_QUICKACK"):
            # Without it Linux delays our ACKs and every APDU round trip with vpcd costs ~40 ms.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf
