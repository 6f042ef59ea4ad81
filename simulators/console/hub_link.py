"""The console's handle on a running hub's control API (docs/simulators.md). No Qt.

Every call blocks, so it must never run on the GUI thread: `call()` refuses to (RuntimeError), which
makes the rule checkable rather than a convention. Failures are of two kinds the window tells
apart: `HubUnreachable` (nobody answers: the hub is not running, or went away) and `HubRefused`
(the hub or a simulator answered with an error, e.g. 409 "no kiosk is connected to the scanner").
"""

from __future__ import annotations

import threading
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

from simulators.process import http_json

CALL_TIMEOUT_S = 15.0  # the 社保卡 insert waits up to 5 s for vpcd; a hung hub must not hang a worker forever


class HubUnreachable(ConnectionError):
    """No hub answers at the URL (refused, reset, timed out), or what answers is not a hub.
    `reason`: the cause alone (e.g. "[Errno 111] Connection refused"), for the console's banner."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class HubRefused(Exception):
    """The hub answered 4xx/5xx; `error` is its {"error": …} text (English, precise)."""

    def __init__(self, method: str, path: str, status: int, error: str) -> None:
        super().__init__(f"{method} {path} → {status}: {error}")
        self.status, self.error, self.path = status, error, path


def _off_gui_thread() -> None:
    if threading.current_thread() is threading.main_thread():
        raise RuntimeError("a control-API call on the GUI thread: run it on the console's worker")


class HubLink:
    def __init__(self, url: str, timeout_s: float = CALL_TIMEOUT_S) -> None:
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self.host = urlsplit(self.url).hostname or "127.0.0.1"
        self.ports: dict[str, Any] = {}

    def connect(self) -> dict[str, Any]:
        """GET /ports: which simulators this hub runs, on which ports. Raises HubUnreachable."""
        ports = self.call("GET", "/ports")
        if not isinstance(ports, dict) or "control" not in ports:
            raise HubUnreachable(f"{self.url}/ports is not a kiosk-sim hub's answer: {str(ports)[:200]}")
        self.ports = ports
        return ports

    def devices(self) -> list[str]:
        """The simulators of this hub a tester drives (the backend's own server is behind the proxy)."""
        return [name for name in self.ports if name not in ("control", "backend-server")]

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             query: dict[str, Any] | None = None) -> Any:
        _off_gui_thread()
        url = self.url + path + (f"?{urlencode(query)}" if query else "")
        try:
            status, payload = http_json(method, url, body if method != "GET" else None, self.timeout_s)
        except OSError as exc:  # refused, reset, timed out: the hub is not there (any more)
            reason = str(getattr(exc, "reason", exc))
            raise HubUnreachable(f"no hub answers at {self.url} ({reason})", reason) from exc
        except ValueError as exc:  # an answer that is not JSON: something else listens there
            raise HubUnreachable(f"{self.url} answers, but not as a kiosk-sim hub ({exc})") from exc
        if status >= 400:
            error = payload.get("error") if isinstance(payload, dict) else payload
            raise HubRefused(method, path, status, str(error))
        return payload

    def snapshot_jpeg(self) -> bytes:
        """The camera's current frame (its stream port's GET /snapshot.jpg), for the thumbnail."""
        _off_gui_thread()
        port = self.ports["camera"]["listen"]
        try:
            with urllib.request.urlopen(f"http://{self.host}:{port}/snapshot.jpg", timeout=self.timeout_s) as resp:
                return resp.read()
        except OSError as exc:
            raise HubRefused("GET", "/snapshot.jpg", 503, f"camera stream: {getattr(exc, 'reason', exc)}") from exc
