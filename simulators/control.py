"""Shared plumbing for simulator processes: a JSON control API, a wire-traffic log, the READY line.

Every simulator process (`kiosk-sim idcard …`) serves its control API on an ephemeral HTTP port on
127.0.0.1 and prints one line `READY {"listen": PORT, "control": PORT, …}` on stdout once bound.
The hub reads that line and forwards `/<device-id>/<path>` of its own API to the child's `/<path>`.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# A handler gets (json body or {}, query dict) and returns (status, json-able body).
Handler = Callable[[dict[str, Any], dict[str, str]], tuple[int, Any]]
# A fallback gets (method, path, json body, query) for paths no route matches (the hub forwards them).
Fallback = Callable[[str, str, dict[str, Any], dict[str, str]], tuple[int, Any]]


class ControlError(Exception):
    """Raised by a handler for a client mistake; becomes a 400 with {"error": message}."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class ControlServer:
    """A tiny JSON-over-HTTP control server. Routes are keyed by (METHOD, path)."""

    def __init__(self, routes: dict[tuple[str, str], Handler], host: str = "127.0.0.1",
                 port: int = 0, fallback: Fallback | None = None) -> None:
        self.routes = dict(routes)
        self.fallback = fallback
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: Any) -> None:  # quiet
                pass

            def _dispatch(self, method: str) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw.strip() else {}
                    if not isinstance(body, dict):
                        raise ControlError("body must be a JSON object")
                    handler = server.routes.get((method, parts.path))
                    if handler is not None:
                        status, payload = handler(body, query)
                    elif server.fallback is not None:
                        status, payload = server.fallback(method, parts.path, body, query)
                    else:
                        raise ControlError(f"no such control route: {method} {parts.path}", 404)
                except json.JSONDecodeError as exc:
                    status, payload = 400, {"error": f"invalid JSON body: {exc}"}
                except ControlError as exc:
                    status, payload = exc.status, {"error": str(exc)}
                except Exception as exc:  # a simulator bug: report it, keep serving
                    status, payload = 500, {"error": f"{type(exc).__name__}: {exc}"}
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._dispatch("GET")

            def do_POST(self) -> None:
                self._dispatch("POST")

            def do_DELETE(self) -> None:
                self._dispatch("DELETE")

        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    def add(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def start(self) -> ControlServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="control", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class WireLog:
    """A bounded spy log of wire traffic, returned by the control API at GET /traffic."""

    def __init__(self, maxlen: int = 2000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def add(self, direction: str, data: bytes, note: str = "") -> None:
        entry = {"t": round(time.time(), 4), "dir": direction, "hex": data.hex(" "), "len": len(data)}
        if note:
            entry["note"] = note
        with self._lock:
            self._entries.append(entry)

    def entries(self, clear: bool = False) -> list[dict[str, Any]]:
        with self._lock:
            out = list(self._entries)
            if clear:
                self._entries.clear()
        return out

    def handler(self, body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        """GET /traffic[?clear=1][&since=T]: `since` keeps the entries stamped T or later, so a live
        view (the tester console) asks for what is new without reading or emptying the whole log."""
        entries = self.entries(clear=query.get("clear") == "1")
        if "since" in query:
            try:
                since = float(query["since"])
            except ValueError:
                raise ControlError(f"since must be a time stamp t from this log, got {query['since']!r}") from None
            entries = [e for e in entries if e["t"] >= since]
        return 200, {"traffic": entries}


def plug_routes(device: Any) -> dict[tuple[str, str], Handler]:
    """POST /unplug and /replug for any simulator with unplug(), replug() and a `port` it keeps."""

    def unplug(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        device.unplug()
        return 200, {"plugged": False}

    def replug(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        try:
            device.replug()
        except OSError as exc:
            raise ControlError(f"cannot listen again on port {device.port}: {exc}", 409) from exc
        return 200, {"plugged": True}

    return {("POST", "/unplug"): unplug, ("POST", "/replug"): replug}


def announce_ready(**ports: Any) -> None:
    """Tell the hub (or a person) which ports this process bound; one line on stdout."""
    sys.stdout.write("READY " + json.dumps(ports) + "\n")
    sys.stdout.flush()


def parse_listen(value: str) -> tuple[str, int]:
    """'HOST:PORT' → (host, port); port 0 = ephemeral."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"--listen expects HOST:PORT, got {value!r}")
    return host or "127.0.0.1", int(port)


def wait_forever(stop: threading.Event | None = None) -> None:
    """Block the main thread until SIGTERM/SIGINT (the hub stops children with SIGTERM)."""
    import signal

    stop = stop or threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
