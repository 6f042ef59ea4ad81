"""Request signing shared by the kiosk client and the reference backend (HMAC-SHA256).

canonical = METHOD "\n" PATH[?QUERY] "\n" TIMESTAMP "\n" NONCE "\n" hex(sha256(body))
headers:    X-Kiosk-Id, X-Timestamp (unix seconds), X-Nonce (fresh random per request),
            X-Signature = hex(hmac_sha256(key, canonical))
The backend rejects a signature that does not verify, a timestamp more than MAX_SKEW_S away from
its clock (the client corrects its clock from the server's time, see backend_client), and a nonce it
has already seen within that window: a captured request cannot be sent again (replay).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path

MAX_SKEW_S = 300
HEADER_KIOSK = "X-Kiosk-Id"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_NONCE = "X-Nonce"
HEADER_SIGNATURE = "X-Signature"
NONCE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,128}")


class KeyFileError(ValueError):
    pass


def new_nonce() -> str:
    return secrets.token_hex(16)


def canonical(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> bytes:
    return "\n".join([method.upper(), path, str(int(timestamp)), nonce, hashlib.sha256(body).hexdigest()]).encode()


def sign(key: bytes, method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    return hmac.new(key, canonical(method, path, timestamp, nonce, body), hashlib.sha256).hexdigest()


def verify(key: bytes, method: str, path: str, timestamp: int, nonce: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(key, method, path, timestamp, nonce, body), signature or "")


def signed_headers(key: bytes, kiosk_id: str, method: str, path: str, timestamp: int,
                   body: bytes, nonce: str | None = None) -> dict[str, str]:
    """The four signature headers; a fresh nonce unless one is given."""
    nonce = new_nonce() if nonce is None else nonce
    return {
        HEADER_KIOSK: kiosk_id,
        HEADER_TIMESTAMP: str(int(timestamp)),
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: sign(key, method, path, timestamp, nonce, body),
    }


def load_key(path: Path) -> bytes:
    """The key file holds 64 hex characters (32 bytes), as written by generate_key_file()."""
    try:
        text = Path(path).read_text().strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not text"
        raise KeyFileError(f"cannot read key file {path}: {reason}") from exc
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise KeyFileError(f"key file {path} must hold 64 hex characters") from exc
    if len(key) != 32:
        raise KeyFileError(f"key file {path} must hold 64 hex characters, found {len(text)}")
    return key


def generate_key_file(path: Path) -> bool:
    """Create a development key if none exists (set-up calls this). Returns True if created."""
    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_hex(32) + "\n")
    path.chmod(0o600)
    return True
