"""The kiosk's client for the provincial platform API (/api/v1), on requests Sessions.

- Every request is signed (kiosk.services.signing) over the exact target and body that go on the
  wire, with a fresh nonce (X-Nonce) each time it is signed, so the platform can refuse a replay;
  TLS is verified against the configured CA bundle, and every call has a timeout.
- Idempotent calls (GET/HEAD, and writes that carry an Idempotency-Key, which the backend
  deduplicates) are retried with backoff by urllib3 Retry: connection failures, lost answers and
  500/502/503/504. Other writes are retried only when the connection was never made.
- Clock skew: the client keeps `skew_s` (server time − local time), learned from GET /time or from
  the X-Server-Time header of a 401 "timestamp_stale" answer, after which the call is re-signed and
  sent once more. A kiosk whose clock drifts is therefore not locked out.
- Failures become one error type, BackendError (kiosk.services.backend_types), carrying a code,
  the platform's own sentence for the resident when it sent one, and a precise English detail for
  the log (which never holds personal data: bodies and query strings are not logged). The texts
  for the transport codes live in kiosk.services.messages (`backend.offline`, …).
- A Connectivity object (kiosk.services.connectivity) is told after every call whether the
  platform answered, for the offline banner, the catalogue cache and the outbox.
"""

from __future__ import annotations

import logging
import re
import ssl
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kiosk.config import BackendConfig
from kiosk.services import signing
from kiosk.services.backend_types import (
    Ack,
    AuthCheck,
    BackendError,
    CatalogueFetch,
    ServerTime,
)
from kiosk.services.connectivity import Connectivity

if TYPE_CHECKING:  # requests and urllib3 load at the first call, off the GUI thread (~0.05 s)
    import requests
    from urllib3.util.retry import Retry

log = logging.getLogger(__name__)
API = "/api/v1"
QUERY = re.compile(r"\?[^\s)'\"]*")
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_STATUSES = (500, 502, 503, 504)

# ---- retry policy -------------------------------------------------------------------------------

def idempotent_retry(retries: int, backoff_s: float) -> Retry:
    """For requests that may be repeated: connection, read and 5xx failures, with backoff."""
    from urllib3.util.retry import Retry

    return Retry(total=retries, connect=retries, read=retries, status=retries, other=0, redirect=0,
                 backoff_factor=backoff_s, backoff_max=10.0, status_forcelist=RETRY_STATUSES,
                 allowed_methods=None, raise_on_status=False, respect_retry_after_header=True)


def single_shot_retry(retries: int, backoff_s: float) -> Retry:
    """For writes without an Idempotency-Key: only when the request never left the kiosk."""
    from urllib3.util.retry import Retry

    return Retry(total=retries, connect=retries, read=0, status=0, other=0, redirect=0,
                 backoff_factor=backoff_s, backoff_max=10.0, raise_on_status=False)


def _session(verify: str | bool, retry: Retry) -> requests.Session:
    import requests
    from requests.adapters import HTTPAdapter

    s = requests.Session()
    s.verify = verify
    s.trust_env = False  # no proxies or CA bundles from the environment: the config decides
    adapter = HTTPAdapter(max_retries=retry)
    s.mount("https://", adapter)
    s.mount("http://", adapter)
    return s


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (requests → urllib3 MaxRetryError.reason → ssl/socket)."""
    out: list[BaseException] = []
    stack = [exc]
    while stack:
        e = stack.pop()
        if any(e is seen for seen in out):
            continue
        out.append(e)
        stack.extend(x for x in (e.__cause__, e.__context__, getattr(e, "reason", None))
                     if isinstance(x, BaseException))
        stack.extend(a for a in e.args if isinstance(a, BaseException))
    return out


def _is_cert_failure(exc: BaseException) -> bool:
    """True when TLS failed because the certificate is not trusted (wrong CA, expired, wrong
    host), as opposed to a connection that broke during the handshake."""
    for e in _causes(exc):
        text = str(e)
        if isinstance(e, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in text \
                or "certificate verify failed" in text or "hostname mismatch" in text.lower():
            return True
    return False


def _is_timeout(exc: BaseException) -> bool:
    # urllib3's NewConnectionError (refused, unreachable) subclasses ConnectTimeoutError: not a timeout.
    import urllib3

    return any(isinstance(e, urllib3.exceptions.TimeoutError | TimeoutError)
               and not isinstance(e, urllib3.exceptions.NewConnectionError) for e in _causes(exc))


# ---- the client ---------------------------------------------------------------------------------

class BackendClient:
    def __init__(self, config: BackendConfig, kiosk_id: str, key: bytes, *,
                 connectivity: Connectivity | None = None, retries: int = 3, backoff_s: float = 0.3) -> None:
        self.config = config
        self.kiosk_id = kiosk_id
        self._key = key
        self.base = config.url.rstrip("/")
        self.connectivity = connectivity or Connectivity()
        self.retries = retries
        self.backoff_s = backoff_s
        self.skew_s = 0.0  # server time − local time, learned from the server
        parts = urlsplit(self.base)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise BackendError("config", f"backend url must be https://HOST[:PORT], got {self.base}")
        if parts.scheme == "http" and not (config.allow_plain_http and parts.hostname == "127.0.0.1"):
            raise BackendError("config", f"plain http refused for {self.base}")
        self._verify: str | bool = str(config.ca_bundle) if config.ca_bundle else True
        self._sessions: tuple[requests.Session, requests.Session] | None = None  # made at the first call
        self._sessions_lock = threading.Lock()

    def _both(self) -> tuple[requests.Session, requests.Session]:
        """(idempotent, single-shot) sessions, made on first use: constructing the client on the GUI
        thread imports nothing of requests."""
        with self._sessions_lock:
            if self._sessions is None:
                self._sessions = (_session(self._verify, idempotent_retry(self.retries, self.backoff_s)),
                                  _session(self._verify, single_shot_retry(self.retries, self.backoff_s)))
            return self._sessions

    @property
    def session(self) -> requests.Session:
        return self._both()[0]

    def close(self) -> None:
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, None
        for s in sessions or ():
            s.close()

    # ---- transport --------------------------------------------------------------------------
    def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                files: Any = None, data: Any = None, idempotency_key: str | None = None,
                headers: dict[str, str] | None = None) -> requests.Response:
        """Send one signed request; returns the response for 2xx/304, raises BackendError otherwise."""
        import requests

        method = method.upper()
        req = requests.Request(method, self.base + API + path, json=json, params=params, files=files,
                               data=data, headers=headers or {})
        resp = self._send(req, path, idempotency_key)
        refusal = _error_code(resp) if resp.status_code == 401 else None
        if refusal == "timestamp_stale":
            if self._learn_skew_from_header(resp):
                resp = self._send(req, path, idempotency_key)  # re-signed with the corrected clock
        elif refusal == "nonce_reused" and (method in IDEMPOTENT_METHODS or idempotency_key is not None):
            # urllib3 retried the very same bytes after a lost answer: the platform saw them once
            # and refuses a replay. Safe to repeat signed afresh (the key deduplicates a write).
            resp = self._send(req, path, idempotency_key)
        if resp.status_code >= 500:
            self.connectivity.mark_offline("server")
        else:
            self.connectivity.mark_online()  # a 4xx is an answer too: the platform is there
        if resp.status_code >= 400:
            raise self._error(method, path, resp)
        return resp

    def _send(self, req: requests.Request, path: str, idempotency_key: str | None) -> requests.Response:
        import requests

        idempotent = req.method in IDEMPOTENT_METHODS or idempotency_key is not None
        session = self._both()[0 if idempotent else 1]
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            prepared = self._sign(session.prepare_request(req), idempotency_key)
            try:
                return session.send(prepared, timeout=self.config.timeout_s)
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
                # The answer broke off mid-body: urllib3 Retry does not cover reading the body.
                if attempt + 1 < attempts:
                    time.sleep(min(10.0, self.backoff_s * 2 ** attempt))
                    continue
                raise self._transport_error("broken", req.method, path, f"answer broke off: {exc}") from exc
            except requests.exceptions.SSLError as exc:
                if _is_cert_failure(exc):
                    log.error("backend TLS verification failed for %s: %s", self.base, exc)
                    raise self._transport_error("tls", req.method, path,
                                                f"TLS certificate verification failed: {exc}") from exc
                raise self._transport_error("broken", req.method, path, f"TLS connection broke: {exc}") from exc
            except requests.exceptions.Timeout as exc:
                raise self._transport_error("timeout", req.method, path,
                                            f"no answer within {self.config.timeout_s} s") from exc
            except requests.exceptions.ConnectionError as exc:
                if _is_timeout(exc):  # read timeouts after Retry gave up arrive as ConnectionError
                    raise self._transport_error("timeout", req.method, path,
                                            f"no answer within {self.config.timeout_s} s") from exc
                raise self._transport_error("offline", req.method, path, str(exc)) from exc
            except OSError as exc:  # requests raises a bare OSError for a missing CA bundle file
                if self.config.ca_bundle is not None and not Path(self.config.ca_bundle).is_file():
                    raise self._transport_error("tls_config", req.method, path,
                                                f"CA bundle {self.config.ca_bundle} not found") from exc
                raise self._transport_error("offline", req.method, path, str(exc)) from exc
        raise AssertionError("unreachable")

    def _sign(self, prepared: requests.PreparedRequest, idempotency_key: str | None) -> requests.PreparedRequest:
        body = prepared.body or b""
        if isinstance(body, str):
            body = body.encode()
        timestamp = int(time.time() + self.skew_s)
        prepared.headers.update(signing.signed_headers(
            self._key, self.kiosk_id, prepared.method or "GET", prepared.path_url, timestamp, body))
        if idempotency_key:
            prepared.headers["Idempotency-Key"] = idempotency_key
        return prepared

    def _transport_error(self, code: str, method: str | None, path: str, detail: str) -> BackendError:
        self.connectivity.mark_offline(code)
        detail = QUERY.sub("?…", detail)  # urllib3 quotes the URL; a query may carry personal data
        return BackendError(code, f"{method} {path}: {detail}")

    def _learn_skew_from_header(self, resp: requests.Response) -> bool:
        raw = resp.headers.get("X-Server-Time", "")
        try:
            server = float(raw)
        except ValueError:
            return False
        old, self.skew_s = self.skew_s, server - time.time()
        log.warning("kiosk clock corrected from the server: skew %+.0f s (was %+.0f s)", self.skew_s, old)
        return True

    def _error(self, method: str, path: str, resp: requests.Response) -> BackendError:
        try:
            payload = resp.json()
            err = payload.get("error", {}) if isinstance(payload, dict) else {}
        except ValueError:
            err = {}
        if not isinstance(err, dict):
            err = {}
        status = resp.status_code
        code = str(err.get("code") or f"http_{status}")
        message = err.get("message")  # the platform's own sentence for the resident
        platform_message = message if isinstance(message, str) and message.strip() else None
        detail = f"{method} {path}: HTTP {status} {code}: {err.get('detail', '')}".strip()
        if status == 401 and code.startswith(("signature", "timestamp")):
            log.error("backend refused the kiosk's signature: %s", detail)
        field = err.get("field")  # form_invalid: which form field the platform refused
        return BackendError(code, detail, status, platform_message, field if isinstance(field, str) else None)

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return self._json(self.request("GET", path, **kwargs), "GET", path)

    def post_json(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self._json(self.request("POST", path, json=body, **kwargs), "POST", path)

    @staticmethod
    def _json(resp: requests.Response, method: str, path: str) -> Any:
        try:
            return resp.json()
        except ValueError as exc:
            raise BackendError("bad_answer", f"{method} {path}: HTTP {resp.status_code} answer is not JSON "
                               f"({resp.headers.get('Content-Type', 'no content type')})") from exc

    # ---- typed calls ------------------------------------------------------------------------
    def sync_clock(self) -> ServerTime:
        """Learn the skew from GET /time (midpoint of the round trip)."""
        before = time.time()
        data = self.get_json("/time")
        after = time.time()
        try:
            epoch, max_skew = float(data["epoch_s"]), int(data.get("max_skew_s", signing.MAX_SKEW_S))
        except (KeyError, TypeError, ValueError) as exc:
            raise BackendError("bad_answer", f"GET /time: no epoch_s in {data!r}") from exc
        self.skew_s = epoch - (before + after) / 2
        return ServerTime(epoch, self.skew_s, max_skew)

    def server_time(self) -> float:
        """The server's clock now (and the skew is updated)."""
        return self.sync_clock().epoch_s

    def fetch_catalogue(self, etag: str | None = None) -> CatalogueFetch:
        """GET /catalog with If-None-Match: unchanged (304) or the whole new catalogue."""
        headers = {"If-None-Match": etag} if etag else None
        resp = self.request("GET", "/catalog", headers=headers)
        new_etag = resp.headers.get("ETag") or etag
        if resp.status_code == 304:
            return CatalogueFetch(False, new_etag)
        data = self._json(resp, "GET", "/catalog")
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise BackendError("bad_answer", "GET /catalog: no items list in the answer")
        return CatalogueFetch(True, new_etag, str(data.get("version") or ""), data["items"])

    def submit(self, path: str, body: Any, *, idempotency_key: str,
               headers: dict[str, str] | None = None) -> Ack:
        """An idempotent write (POST with an Idempotency-Key); the outbox sends its entries this way."""
        resp = self.request("POST", path, json=body, idempotency_key=idempotency_key, headers=headers)
        return Ack(resp.status_code, self._json(resp, "POST", path),
                   resp.headers.get("Idempotent-Replayed", "").lower() == "true")

    def auth_check(self) -> AuthCheck:
        data = self.get_json("/kiosk/auth-check")
        return AuthCheck(str(data.get("kiosk_id", "")), str(data.get("server_time", "")))

    def upload_diagnostics(self, bundle: bytes, *, command_id: str) -> dict[str, Any]:
        """POST /kiosk/diagnostics: a masked diagnostics bundle (zip) that a fleet command asked
        for; the command id is its Idempotency-Key, so a retried upload is filed once.
        Returns {"bundle_no", "bytes", "sha256"}."""
        resp = self.request("POST", "/kiosk/diagnostics", data=bundle, idempotency_key=command_id,
                            headers={"Content-Type": "application/zip", "X-Command-Id": command_id})
        body = self._json(resp, "POST", "/kiosk/diagnostics")
        return {k: body.get(k) for k in ("bundle_no", "bytes", "sha256")}


def _error_code(resp: requests.Response) -> str | None:
    try:
        err = resp.json().get("error", {})
        return err.get("code") if isinstance(err, dict) else None
    except (ValueError, AttributeError):
        return None
