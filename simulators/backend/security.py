"""ASGI middleware in front of every /api/v1 route: HMAC signature check, then idempotent writes.

Signature (kiosk.services.signing): the kiosk signs METHOD, the request target exactly as sent
(path plus "?query" when there is one), X-Timestamp, X-Nonce and sha256(body). A request is rejected
with 401 when a header is missing, the timestamp is more than MAX_SKEW_S from the server clock (the
answer carries X-Server-Time so the kiosk can correct its clock) or the signature does not verify.
Public routes (server time, catalogue reads) are published openly and skip the check.

Replay: the nonce of every signed request is kept (per kiosk) for as long as its timestamp stays in
the window; the same nonce again is refused with 401 `nonce_reused`, so a captured request, even a
write without an Idempotency-Key, runs once. A nonce whose request ended in a server error (>= 500)
is forgotten, like an idempotency key, so the client's retry of the same bytes runs again.

Idempotency: a write (POST/PUT/PATCH/DELETE) that carries an Idempotency-Key is run once per
(kiosk, key). A repeat with the same method, target and body gets the first answer again, with
"Idempotent-Replayed: true", and nothing new is stored. The same key with a different request is
refused (422); a repeat while the first is still running gets 409. Answers >= 500 are not kept, so
a retry after a server failure runs again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Any

from kiosk.services import signing
from simulators.backend.errors import error_bytes
from simulators.backend.storage import Storage

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API_PREFIX = "/api/v1/"
PUBLIC_GET = re.compile(r"^/api/v1/(time|catalog|catalog/[^/]+)$")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
MAX_BODY = 12 * 1024 * 1024


def is_public(method: str, path: str) -> bool:
    return method in ("GET", "HEAD") and PUBLIC_GET.match(path) is not None


class SignedApiMiddleware:
    def __init__(self, app: ASGIApp, *, key: bytes, storage: Storage,
                 clock: Callable[[], float]) -> None:
        self.app, self.key, self.storage, self.clock = app, key, storage, clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if is_public(method, scope["path"]):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            await _send_error(send, 413, "body_too_large", "上传的内容过大，请压缩后重试。",
                              f"request body exceeds {MAX_BODY} bytes")
            return
        headers = _headers(scope)
        target = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        rejection = self._check_signature(method, target, body, headers)
        if rejection is not None:
            await _send_raw(send, 401, rejection[0], rejection[1])
            return
        kiosk_id = headers[signing.HEADER_KIOSK.lower()]
        nonce = headers[signing.HEADER_NONCE.lower()]
        expires = int(headers[signing.HEADER_TIMESTAMP.lower()]) + signing.MAX_SKEW_S + 1
        if not self.storage.claim_nonce(kiosk_id, nonce, expires, self.clock()):
            await _send_error(send, 401, "nonce_reused", "这次请求与之前的请求重复，已被拒绝。请重新操作；如仍失败请联系工作人员。",
                              f"{signing.HEADER_NONCE} was already used by a request within the last "
                              f"{signing.MAX_SKEW_S} s: a replay")
            return
        status = {"code": 500}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self._signed(scope, _replayer(body, receive), watch, kiosk_id, method, target, body, headers)
        finally:
            if status["code"] >= 500:
                self.storage.release_nonce(kiosk_id, nonce)

    async def _signed(self, scope: Scope, receive: Receive, send: Send, kiosk_id: str, method: str,
                      target: str, body: bytes, headers: dict[str, str]) -> None:
        scope.setdefault("state", {})["kiosk_id"] = kiosk_id
        idem_key = headers.get("idempotency-key")
        if method not in WRITE_METHODS or idem_key is None:
            await self.app(scope, receive, send)
            return
        if not IDEMPOTENCY_KEY.match(idem_key):
            await _send_error(send, 400, "idempotency_key_invalid", "请求编号格式不正确，请重试；如仍失败请联系工作人员。",
                              "Idempotency-Key must be 1-200 printable ASCII characters without spaces")
            return
        await self._idempotent(scope, receive, send, kiosk_id, idem_key, _fingerprint(method, target, body))

    def _check_signature(self, method: str, target: str, body: bytes,
                         headers: dict[str, str]) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
        now = self.clock()
        kiosk = headers.get(signing.HEADER_KIOSK.lower())
        stamp = headers.get(signing.HEADER_TIMESTAMP.lower())
        nonce = headers.get(signing.HEADER_NONCE.lower())
        signature = headers.get(signing.HEADER_SIGNATURE.lower())
        time_header = [(b"x-server-time", str(int(now)).encode())]
        if not kiosk or not stamp or not nonce or not signature:
            missing = [h for h, v in ((signing.HEADER_KIOSK, kiosk), (signing.HEADER_TIMESTAMP, stamp),
                                      (signing.HEADER_NONCE, nonce), (signing.HEADER_SIGNATURE, signature)) if not v]
            return error_bytes("signature_missing", "终端请求未签名，请联系工作人员检查终端配置。",
                               f"missing header(s): {', '.join(missing)}"), time_header
        if not signing.NONCE_PATTERN.fullmatch(nonce):
            return error_bytes("nonce_invalid", "终端请求签名无效，请联系工作人员检查终端配置。",
                               f"{signing.HEADER_NONCE} must be 16-128 letters, digits, '-' or '_'"), time_header
        if not re.fullmatch(r"-?\d{1,12}", stamp):
            return error_bytes("timestamp_invalid", "终端时间格式不正确，请联系工作人员检查终端时钟。",
                               f"{signing.HEADER_TIMESTAMP} must be integer unix seconds"), time_header
        skew = int(stamp) - now
        if abs(skew) > signing.MAX_SKEW_S:
            return error_bytes("timestamp_stale", "终端时间与服务器不一致，请稍后重试；如仍失败请联系工作人员校准时间。",
                               f"timestamp is {skew:+.0f} s from server time {int(now)}; "
                               f"allowed ±{signing.MAX_SKEW_S} s"), time_header
        if not signing.verify(self.key, method, target, int(stamp), nonce, body, signature):
            return error_bytes("signature_invalid", "终端请求签名无效，请联系工作人员检查终端密钥。",
                               "HMAC-SHA256 over method, target, timestamp, nonce and body hash does not verify"
                               ), time_header
        return None

    async def _idempotent(self, scope: Scope, receive: Receive, send: Send, kiosk_id: str,
                          key: str, fingerprint: str) -> None:
        stored = self.storage.claim_idempotency(kiosk_id, key, fingerprint)
        if stored is not None:
            if stored["fingerprint"] != fingerprint:
                await _send_error(send, 422, "idempotency_key_reused", "请求编号重复，请返回重新办理。",
                                  "Idempotency-Key was already used for a different request")
            elif stored["state"] != "done":
                await _send_error(send, 409, "idempotency_in_progress", "上一次提交仍在处理中，请稍候再查看结果。",
                                  "a request with this Idempotency-Key is still being processed")
            else:
                await _send_raw(send, stored["status"], stored["body"],
                                [(b"content-type", stored["content_type"].encode()),
                                 (b"idempotent-replayed", b"true")])
            return
        captured: dict[str, Any] = {"status": 500, "content_type": "application/json", "body": b""}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        captured["content_type"] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            self.storage.release_idempotency(kiosk_id, key)
            raise
        if captured["status"] >= 500:
            self.storage.release_idempotency(kiosk_id, key)
        else:
            self.storage.complete_idempotency(kiosk_id, key, captured["status"],
                                              captured["content_type"], captured["body"])


def _fingerprint(method: str, target: str, body: bytes) -> str:
    return hashlib.sha256(f"{method}\n{target}\n".encode() + hashlib.sha256(body).digest()).hexdigest()


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replayer(body: bytes, upstream: Receive) -> Receive:
    """Give the app the body we already read, then pass through (a later disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive


async def _send_raw(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    names = {n.lower() for n, _ in headers}
    if b"content-type" not in names:
        headers = [*headers, (b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _send_error(send: Send, status: int, code: str, message: str, detail: str) -> None:
    await _send_raw(send, status, error_bytes(code, message, detail), [])
