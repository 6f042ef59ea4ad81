"""`kiosk-sim backend-proxy`: a TLS-terminating reverse proxy in front of the reference backend
that injects network faults, so the kiosk's client, cache and outbox can be tested against a
platform that is down, slow, failing or dropping answers, with TLS verification still on.

    kiosk-sim backend-proxy --listen HOST:PORT --upstream https://127.0.0.1:PORT [--pki DIR]
                            [--control HOST:PORT] [--tls-cert FILE --tls-key FILE] [--plain-http]

The proxy serves the set-up CA's server certificate (DIR/server.pem + server.key, the same one the
backend serves; created if missing) and verifies the upstream against DIR/ca.pem. It parses
HTTP/1.1 just enough to apply the mode per request on kept-alive connections:

    up     forward everything
    down   refuse new connections (the listening socket is closed) and cut open ones
    slow   forward, but hold each answer back for `seconds`
    error  answer every request with `status` (5xx) without forwarding it
    drop   forward, then cut the connection in the middle of the answer (the backend has acted
           on the request, the kiosk never hears the answer)

With "count": N a slow, error or drop mode applies to the next N requests only, then the proxy is
up again (deterministic retry tests).

Control API: POST /mode {"mode": …, "seconds": S, "status": 503, "count": N}, GET /mode, GET /state
(mode and counters), GET /requests (recent method, path, status and mode; no bodies).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import ssl
import sys
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from simulators.backend.pki import ensure_pki
from simulators.backend.serving import UsageError, add_server_arguments, server_cert, server_options
from simulators.control import ControlError, ControlServer, announce_ready, wait_forever

MODES = ("up", "down", "slow", "error", "drop")
MAX_HEAD = 64 * 1024
APPLY_TIMEOUT_S = 10.0


class ProxyHttpError(Exception):
    pass


@dataclass(frozen=True)
class Mode:
    mode: str = "up"
    seconds: float = 3.0  # slow: delay per answer
    status: int = 503  # error: the status answered
    count: int | None = None  # slow/error/drop: fault only this many requests, then back to up


def parse_mode(body: dict[str, Any]) -> Mode:
    """A mode from a control request; unspecified fields take their defaults (not the last ones)."""
    current = Mode()
    mode = body.get("mode")
    if mode not in MODES:
        raise ControlError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    seconds = body.get("seconds", current.seconds)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds <= 600:
        raise ControlError("seconds must be a number from 0 to 600")
    status = body.get("status", current.status)
    if isinstance(status, bool) or not isinstance(status, int) or not 500 <= status <= 599:
        raise ControlError("status must be an integer from 500 to 599")
    count = body.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise ControlError("count must be a positive integer (or absent: until the mode is changed)")
    if count is not None and mode in ("up", "down"):
        raise ControlError("count applies to slow, error and drop only")
    return Mode(mode, float(seconds), status, count)


# ---- HTTP/1.1 framing ---------------------------------------------------------------------------

def _headers(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    out: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            out[name.strip().lower()] = value.strip()
    return lines[0], out


async def _read_head(reader: asyncio.StreamReader) -> bytes | None:
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise ProxyHttpError("connection closed inside a message head") from exc
        return None
    except asyncio.LimitOverrunError as exc:
        raise ProxyHttpError("message head too large") from exc


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    """The raw chunked body (sizes, data, trailers), to pass on unchanged."""
    out = bytearray()
    while True:
        line = await reader.readuntil(b"\r\n")
        out += line
        size = int(line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            while True:
                trailer = await reader.readuntil(b"\r\n")
                out += trailer
                if trailer == b"\r\n":
                    return bytes(out)
        out += await reader.readexactly(size + 2)


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str], *, response: bool,
                     no_body: bool = False) -> tuple[bytes, bool]:
    """(body, until_close): until_close when the body ends only at EOF (a response without length)."""
    if no_body:
        return b"", False
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader), False
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"])), False
    if response:
        return await reader.read(), True
    return b"", False


def _error_answer(status: int, reason: str, detail: str) -> bytes:
    body = json.dumps({"error": {"code": "platform_unavailable",
                                 "message": "政务服务平台暂时出现故障，请稍后再试；如急需办理，请到服务窗口或联系工作人员。",
                                 "detail": detail}}, ensure_ascii=False).encode()
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n").encode() + body


def _abort(writer: asyncio.StreamWriter) -> None:
    transport = writer.transport
    if transport is not None and not transport.is_closing():
        transport.abort()


# ---- the proxy ----------------------------------------------------------------------------------

class FaultProxy:
    def __init__(self, host: str, port: int, upstream: str, *, server_tls: ssl.SSLContext | None,
                 upstream_tls: ssl.SSLContext | None) -> None:
        parts = urlsplit(upstream)
        if parts.scheme not in ("https", "http") or not parts.hostname or not parts.port:
            raise ValueError(f"--upstream must be https://HOST:PORT, got {upstream!r}")
        self.host, self.port = host, port
        self.upstream_host, self.upstream_port = parts.hostname, parts.port
        self.server_tls = server_tls
        self.upstream_tls = upstream_tls if parts.scheme == "https" else None
        self.mode = Mode()
        self.counters = {"connections": 0, "requests": 0, "forwarded": 0, "refused": 0, "errors": 0,
                         "dropped": 0, "delayed": 0, "upstream_failures": 0}
        self.recent: deque[dict[str, Any]] = deque(maxlen=500)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)

    # ---- lifecycle (called from the main thread) -------------------------------------------
    def start(self) -> int:
        self._thread.start()
        self._call(self._listen())
        return self.port

    def stop(self) -> None:
        self._call(self._close_all())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def set_mode(self, mode: Mode) -> Mode:
        """Apply a mode; when this returns it is in force (a `down` proxy refuses connections)."""
        self._call(self._apply(mode))
        return mode

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(APPLY_TIMEOUT_S)

    def _count(self, name: str) -> None:
        with self._lock:
            self.counters[name] += 1

    def _take_mode(self) -> Mode:
        """The mode for one request; a counted fault mode falls back to up when used up."""
        with self._lock:
            mode = self.mode
            self.counters["requests"] += 1
            if mode.count is not None:
                left = mode.count - 1
                self.mode = Mode("up", mode.seconds, mode.status) if left == 0 else \
                    Mode(mode.mode, mode.seconds, mode.status, left)
            return mode

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {**asdict(self.mode), "counters": dict(self.counters),
                    "upstream": f"{self.upstream_host}:{self.upstream_port}", "listen": self.port}

    # ---- on the loop ----------------------------------------------------------------------
    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._client, self.host, self.port, ssl=self.server_tls,
                                                  reuse_address=True, limit=MAX_HEAD)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_all(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._clients):
            _abort(writer)

    async def _apply(self, mode: Mode) -> None:
        with self._lock:
            self.mode = mode
        if mode.mode == "down":
            await self._close_all()
        elif self._server is None:
            await self._listen()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._count("connections")
        self._clients.add(writer)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while True:
                head = await _read_head(reader)
                if head is None:
                    return
                request_line, headers = _headers(head)
                body, _ = await _read_body(reader, headers, response=False)
                mode = self._take_mode()
                method, _, rest = request_line.partition(" ")
                entry = {"t": round(time.time(), 3), "method": method, "path": rest.split(" ")[0].split("?")[0],
                         "mode": mode.mode, "status": None}
                self.recent.append(entry)
                if mode.mode == "down":
                    self._count("refused")
                    _abort(writer)
                    return
                if mode.mode == "error":
                    self._count("errors")
                    entry["status"] = mode.status
                    writer.write(_error_answer(mode.status, "Injected Fault", f"fault proxy: mode error {mode.status}"))
                    await writer.drain()
                    continue
                if upstream is None:
                    upstream = await self._open_upstream()
                    if upstream is None:
                        entry["status"] = 502
                        writer.write(_error_answer(502, "Bad Gateway", "fault proxy: upstream unreachable"))
                        await writer.drain()
                        continue
                try:
                    upstream[1].write(head + body)
                    await upstream[1].drain()
                    answer_head = await _read_head(upstream[0])
                    if answer_head is None:
                        raise ProxyHttpError("upstream closed the connection")
                    status_line, answer_headers = _headers(answer_head)
                    status = int(status_line.split(" ")[1])
                    answer_body, until_close = await _read_body(
                        upstream[0], answer_headers, response=True,
                        no_body=method == "HEAD" or status in (204, 304) or 100 <= status < 200)
                except (OSError, ProxyHttpError, asyncio.IncompleteReadError, ValueError, IndexError):
                    self._count("upstream_failures")
                    _abort(upstream[1])
                    upstream = None
                    entry["status"] = 502
                    writer.write(_error_answer(502, "Bad Gateway", "fault proxy: upstream failed mid-request"))
                    await writer.drain()
                    continue
                entry["status"] = status
                self._count("forwarded")
                if until_close or answer_headers.get("connection", "").lower() == "close":
                    upstream[1].close()
                    upstream = None
                if mode.mode == "slow":
                    self._count("delayed")
                    await asyncio.sleep(mode.seconds)
                if mode.mode == "drop":
                    self._count("dropped")
                    cut = answer_head + answer_body[: len(answer_body) // 2] if answer_body \
                        else answer_head[: len(answer_head) // 2]
                    writer.write(cut)
                    await writer.drain()
                    _abort(writer)
                    return
                writer.write(answer_head + answer_body)
                await writer.drain()
                if until_close or headers.get("connection", "").lower() == "close":
                    return
        except (OSError, ProxyHttpError, asyncio.IncompleteReadError, ValueError):
            _abort(writer)
        finally:
            self._clients.discard(writer)
            if upstream is not None:
                upstream[1].close()
            if not writer.is_closing():
                writer.close()

    async def _open_upstream(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        try:
            return await asyncio.wait_for(asyncio.open_connection(
                self.upstream_host, self.upstream_port, ssl=self.upstream_tls,
                server_hostname=self.upstream_host if self.upstream_tls else None, limit=MAX_HEAD), 10)
        except (TimeoutError, OSError):
            self._count("upstream_failures")
            return None


def control_routes(proxy: FaultProxy) -> dict[tuple[str, str], Any]:
    def get_mode(body: dict, query: dict) -> tuple[int, Any]:
        return 200, asdict(proxy.mode)

    def post_mode(body: dict, query: dict) -> tuple[int, Any]:
        return 200, asdict(proxy.set_mode(parse_mode(body)))

    def reset(body: dict, query: dict) -> tuple[int, Any]:
        return 200, asdict(proxy.set_mode(Mode()))  # up

    def state(body: dict, query: dict) -> tuple[int, Any]:
        return 200, proxy.state()

    def requests_(body: dict, query: dict) -> tuple[int, Any]:
        out = list(proxy.recent)
        if query.get("clear") == "1":
            proxy.recent.clear()
        return 200, {"requests": out}

    return {("GET", "/mode"): get_mode, ("POST", "/mode"): post_mode, ("POST", "/reset"): reset,
            ("GET", "/state"): state,
            ("GET", "/requests"): requests_}


def tls_contexts(args: argparse.Namespace) -> tuple[ssl.SSLContext | None, ssl.SSLContext | None]:
    if args.plain_http:
        return None, None
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(*server_cert(args))
    upstream = ssl.create_default_context(cafile=str(ensure_pki(args.pki).ca_pem))
    return server, upstream


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="kiosk-sim backend-proxy", description=__doc__.split("\n\n")[0])
    add_server_arguments(p)  # --plain-http: http on both sides
    p.add_argument("--upstream", required=True, help="the reference backend, https://127.0.0.1:PORT")
    args = p.parse_args(argv)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # refused handshakes are expected here
    try:
        opts = server_options(args)
    except UsageError as exc:
        print(f"kiosk-sim backend-proxy: {exc}", file=sys.stderr)
        return 2
    try:
        server_tls, upstream_tls = tls_contexts(args)
        proxy = FaultProxy(opts.host, opts.port, args.upstream, server_tls=server_tls, upstream_tls=upstream_tls)
        bound = proxy.start()
    except (ValueError, OSError, ssl.SSLError) as exc:
        print(f"kiosk-sim backend-proxy: {exc}", file=sys.stderr)
        return 2
    control = ControlServer(control_routes(proxy), host=opts.control_host, port=opts.control_port).start()
    announce_ready(listen=bound, control=control.port, upstream=proxy.upstream_port,
                   scheme="http" if args.plain_http else "https")
    try:
        wait_forever()
    finally:
        control.stop()
        proxy.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
