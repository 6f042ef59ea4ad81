"""What the platform client returns and raises, in a module of its own so that the users of those
types (catalogue cache, outbox, service desk, messages) do not import the transport.

`BackendError.code` is one of:
- a transport code, set by the client when there is no HTTP answer to read: `offline`, `timeout`,
  `broken`, `tls`, `tls_config`, `config`, `bad_answer`;
- the platform's own error code from its error body (`form_invalid`, `session_required`,
  `signature_invalid`, `slot_full`, …; `http_<status>` when the body names none);
- a kiosk-side code of the service layer (`no_catalogue`, `auth_method_not_built`).
Flows branch on it. What the resident reads comes from `kiosk.services.messages.for_error`: the
platform's own sentence (`platform_message`) when it sent one, else the text of `backend.<code>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Transport codes (no HTTP answer) that the outbox retries later; HTTP answers decide by status.
RETRYABLE_CODES = frozenset({"offline", "timeout", "broken", "server", "idempotency_in_progress"})
RETRYABLE_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
UNREACHABLE_CODES = frozenset({"offline", "timeout", "broken", "tls", "tls_config"})


class BackendError(Exception):
    """One error type for every backend failure.

    `detail` is precise English for the log (never personal data); `status` the HTTP status when
    the platform answered; `platform_message` the platform's own Chinese sentence for the resident
    (the `message` of its error body), when it sent one; `field` the form field's name the platform
    refused (`form_invalid`), so the form shows the sentence on that field's page."""

    def __init__(self, code: str, detail: str, status: int | None = None,
                 platform_message: str | None = None, field: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status
        self.platform_message = platform_message
        self.field = field

    @property
    def retryable(self) -> bool:
        """Worth sending again later (the network or the server failed, not the request)."""
        if self.status is not None:
            return self.status in RETRYABLE_STATUSES and self.code != "idempotency_key_reused"
        return self.code in RETRYABLE_CODES

    @property
    def offline(self) -> bool:
        """The platform could not be used at all (as opposed to refusing this one request)."""
        return self.code in UNREACHABLE_CODES or (self.status is not None and self.status >= 500)


@dataclass(frozen=True)
class ServerTime:
    epoch_s: float
    skew_s: float  # server − local, as now applied to signatures
    max_skew_s: int


@dataclass(frozen=True)
class CatalogueFetch:
    """GET /catalog: `changed` False means the kiosk's copy (its ETag) is current."""

    changed: bool
    etag: str | None
    version: str | None = None
    items: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class Ack:
    """The backend's answer to a write: `replayed` when it was a repeat of an earlier request."""

    status: int
    body: Any
    replayed: bool


@dataclass(frozen=True)
class AuthCheck:
    kiosk_id: str
    server_time: str
