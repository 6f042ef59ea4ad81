"""What a scanned or typed code says, for the pay and progress steps. Pure: no I/O, no Qt.

- a 水电气 bill's barcode is its 户号 (digits);
- a payment order slip's QR (the platform's `lookup_qr`) carries `order_no` and `check`;
- an acceptance receipt's QR (the platform's `progress_qr`) carries `acceptance_no` and `id_last4`.
A payload is only ever data: nothing here opens it; the platform checks the numbers. Anything else
is None, and the screen says which code it expected.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

ACCOUNT = re.compile(r"\d{6,16}")
ORDER_NO = re.compile(r"[A-Z]{2}\d{8,20}")
CHECK_CODE = re.compile(r"\d{6}")
ACCEPTANCE_NO = re.compile(r"[A-Z0-9]{8,32}")
ID_LAST4 = re.compile(r"[0-9X]{4}")


def _query(text: str) -> dict[str, str]:
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return {}
    return {k: v[0] for k, v in parse_qs(parts.query).items() if v}


def account_code(text: str) -> str | None:
    """The 户号 a bill's barcode carries (spaces ignored), or None."""
    digits = "".join(text.split())
    return digits if ACCOUNT.fullmatch(digits) else None


def order_code(text: str) -> tuple[str, str] | None:
    """(order_no, check code) from an order slip's QR, or None."""
    q = _query(text)
    order_no, check = q.get("order_no", "").upper(), q.get("check", "")
    if ORDER_NO.fullmatch(order_no) and CHECK_CODE.fullmatch(check):
        return order_no, check
    return None


def progress_code(text: str) -> tuple[str, str | None] | None:
    """(acceptance_no, the ID number's last 4 or None) from an acceptance receipt's QR, or from a
    bare acceptance number (a receipt's barcode); None for anything else."""
    q = _query(text)
    if "acceptance_no" in q:
        number, last4 = q["acceptance_no"].upper(), q.get("id_last4", "").upper()
        if ACCEPTANCE_NO.fullmatch(number):
            return number, last4 if ID_LAST4.fullmatch(last4) else None
        return None
    bare = text.strip().upper()
    return (bare, None) if ACCEPTANCE_NO.fullmatch(bare) and any(c.isdigit() for c in bare) else None
