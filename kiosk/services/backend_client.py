"""The kiosk's client for the provincial platform API (/api/v1), on a requests Session.

Every request is signed (kiosk.services.signing) over the exact target and body that go on the
wire, TLS is verified against the configured CA bundle, and every call has a timeout. Failures
become one error type, BackendError, carrying a Chinese message for the resident and a precise
detail for the log (which never holds personal data: bodies are not logged).
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

import requests

from kiosk.config import BackendConfig
from kiosk.services import signing

log = logging.getLogger(__name__)
API = "/api/v1"


class BackendError(Exception):
    """One error type for every backend failure. `user_message` is for the resident."""

    def __init__(self, code: str, user_message: str, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.user_message = user_message
        self.detail = detail
        self.status = status


OFFLINE_MESSAGE = "暂时连不上政务服务平台，请稍后再试；如急需办理，请到服务窗口或联系工作人员。"
TLS_MESSAGE = "与政务服务平台的安全连接校验失败，为保护您的信息已停止办理，请联系工作人员。"


class BackendClient:
    def __init__(self, config: BackendConfig, kiosk_id: str, key: bytes) -> None:
        self.config = config
        self.kiosk_id = kiosk_id
        self._key = key
        self.base = config.url.rstrip("/")
        self.session = requests.Session()
        self.session.verify = str(config.ca_bundle) if config.ca_bundle else True
        self.skew_s = 0.0  # server time − local time, learned from the server
        if urlsplit(self.base).scheme == "http" and not (
                config.allow_plain_http and urlsplit(self.base).hostname == "127.0.0.1"):
            raise BackendError("config", OFFLINE_MESSAGE, f"plain http refused for {self.base}")

    def close(self) -> None:
        self.session.close()

    # ---- transport --------------------------------------------------------------------------
    def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                files: Any = None, data: Any = None, idempotency_key: str | None = None,
                headers: dict[str, str] | None = None) -> requests.Response:
        """Send one signed request; returns the response for 2xx/304, raises BackendError otherwise."""
        req = requests.Request(method, self.base + API + path, json=json, params=params, files=files,
                               data=data, headers=headers or {})
        prepared = self.session.prepare_request(req)
        body = prepared.body or b""
        if isinstance(body, str):
            body = body.encode()
        timestamp = int(time.time() + self.skew_s)
        prepared.headers.update(signing.signed_headers(
            self._key, self.kiosk_id, method, prepared.path_url, timestamp, body))
        if idempotency_key:
            prepared.headers["Idempotency-Key"] = idempotency_key
        try:
            resp = self.session.send(prepared, timeout=self.config.timeout_s)
        except requests.exceptions.SSLError as exc:
            log.error("backend TLS verification failed for %s: %s", self.base, exc)
            raise BackendError("tls", TLS_MESSAGE, f"TLS verification failed: {exc}") from exc
        except requests.exceptions.Timeout as exc:
            raise BackendError("timeout", OFFLINE_MESSAGE, f"{method} {path}: timed out") from exc
        except requests.exceptions.ConnectionError as exc:
            raise BackendError("offline", OFFLINE_MESSAGE, f"{method} {path}: {exc}") from exc
        if resp.status_code >= 400:
            raise self._error(method, path, resp)
        return resp

    def _error(self, method: str, path: str, resp: requests.Response) -> BackendError:
        try:
            err = resp.json().get("error", {})
        except ValueError:
            err = {}
        code = err.get("code") or f"http_{resp.status_code}"
        message = err.get("message") or (OFFLINE_MESSAGE if resp.status_code >= 500 else
                                         "平台未能受理本次请求，请核对后重试或联系工作人员。")
        detail = f"{method} {path}: HTTP {resp.status_code} {code}: {err.get('detail', '')}".strip()
        return BackendError(code, message, detail, resp.status_code)

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def post_json(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.request("POST", path, json=body, **kwargs).json()

    # ---- typed calls ------------------------------------------------------------------------
    def server_time(self) -> float:
        data = self.get_json("/time")
        return float(data["epoch"])

    def catalog(self) -> dict[str, Any]:
        return self.get_json("/catalog")
