"""The technician PIN: stored only as an scrypt hash (config key `technician.pin_hash`).

    line = hash_pin("246810")          # what `kiosk-diag pin set` prints
    verify_pin("246810", line)  → True

Format: `scrypt$N$r$p$<salt>$<key>` (salt and key base64url without padding; N=2^14, r=8, p=1 by
default: ~16 MB and some tens of milliseconds per try, so a copied config file is slow to brute-force,
while the lockout (pin_lockout.py) limits tries at the kiosk). The PIN itself is never stored,
logged or put into an exception message. PINs are 4-12 digits (the screen has a numeric keypad).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
PIN_RE = re.compile(r"^[0-9]{4,12}$")
_MAX_N = 2**20  # refuse hashes that would need more than ~1 GB


class PinHashError(ValueError):
    """A `technician.pin_hash` value that is not a hash this module wrote."""


class PinFormatError(ValueError):
    """A PIN that is not 4-12 digits (the message never repeats the PIN)."""


@dataclass(frozen=True)
class PinHash:
    n: int
    r: int
    p: int
    salt: bytes
    key: bytes


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def check_pin_format(pin: str) -> None:
    if not PIN_RE.fullmatch(pin):
        raise PinFormatError("the PIN must be 4 to 12 digits")


def _derive(pin: str, n: int, r: int, p: int, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=256 * r * n + 2**20)


def hash_pin(pin: str, *, n: int = N, r: int = R, p: int = P, salt: bytes | None = None) -> str:
    check_pin_format(pin)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(_derive(pin, n, r, p, salt))}"


def parse_pin_hash(line: str) -> PinHash:
    parts = line.strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise PinHashError("not of the form scrypt$N$r$p$salt$key")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, key = _unb64(parts[4]), _unb64(parts[5])
    except ValueError as exc:
        raise PinHashError(f"unreadable field ({exc.__class__.__name__})") from None
    if n < 2 or n & (n - 1) or n > _MAX_N or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise PinHashError("scrypt parameters out of range (N a power of two up to 2^20, r 1-32, p 1-16)")
    if len(salt) < 8 or len(key) != KEY_BYTES:
        raise PinHashError(f"expected a salt of at least 8 bytes and a {KEY_BYTES}-byte key")
    return PinHash(n, r, p, salt, key)


def verify_pin(pin: str, line: str) -> bool:
    """True when `pin` matches the stored hash (constant-time compare). Raises PinHashError for a
    malformed hash; a PIN of the wrong shape is simply wrong."""
    stored = parse_pin_hash(line)
    if not PIN_RE.fullmatch(pin):
        return False
    return hmac.compare_digest(_derive(pin, stored.n, stored.r, stored.p, stored.salt), stored.key)
