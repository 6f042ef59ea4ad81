"""Encode a persona as the card's 256-byte text block and a 1024-byte WLT-like photo blob.

Written independently of the kiosk's parser (kiosk/devices/id_card_fields.py) so a shared mistake
cannot hide: both follow docs/device-protocols.md §1. No open WLT codec exists, so the photo blob is opaque
synthetic bytes derived from the persona id (stable across runs, different per persona).
"""

from __future__ import annotations

import hashlib

from simulators.personas import Persona

SPACE = " "


def ucs2_field(text: str | None, width: int) -> bytes:
    """UCS-2LE text padded with spaces to `width` bytes. Raises ValueError when it does not fit."""
    raw = (text or "").encode("utf-16-le")
    if len(raw) > width:
        raise ValueError(f"{len(text or '')} characters do not fit {width} bytes")
    return raw + (SPACE * ((width - len(raw)) // 2)).encode("utf-16-le")


def _yyyymmdd(iso: str) -> str:
    return iso if iso == "长期" else iso.replace("-", "")


def text_block(p: Persona) -> bytes:
    f = ucs2_field
    if p.layout == "resident":
        parts = [f(p.name, 30), f(p.sex_code, 2), f(p.nation_code, 4), f(_yyyymmdd(p.birth_date), 16),
                 f(p.address, 70), f(p.id_number, 36), f(p.authority, 30),
                 f(_yyyymmdd(p.valid_from), 16), f(_yyyymmdd(p.valid_to), 16), f("", 36)]
    elif p.layout == "J":
        parts = [f(p.name, 30), f(p.sex_code, 2), f("", 4), f(_yyyymmdd(p.birth_date), 16),
                 f(p.address, 70), f(p.id_number, 36), f(p.authority, 30),
                 f(_yyyymmdd(p.valid_from), 16), f(_yyyymmdd(p.valid_to), 16), f(p.pass_number, 18),
                 f(p.issue_count, 4), f("", 6), f("J", 2), f("", 6)]
    elif p.layout == "I":
        parts = [f(p.english_name, 120), f(p.sex_code, 2), f(p.id_number, 30), f(p.nationality, 6),
                 f(p.name, 30), f(_yyyymmdd(p.valid_from), 16), f(_yyyymmdd(p.valid_to), 16),
                 f(_yyyymmdd(p.birth_date), 16), f("20", 4), f(p.authority, 8), f("I", 2), f("", 6)]
    elif p.layout == "Y":
        english = p.english_name or ""
        parts = [f(p.name, 30), f(p.sex_code, 2), f(p.issue_count, 4), f(_yyyymmdd(p.birth_date), 16),
                 f(english[:35], 70), f(p.id_number, 36), f("", 30), f(_yyyymmdd(p.valid_from), 16),
                 f(_yyyymmdd(p.valid_to), 16), f(english[35:], 22), f(p.nationality, 6), f("Y", 2),
                 f("", 6)]
    else:
        raise ValueError(f"unknown layout {p.layout!r}")
    block = b"".join(parts)
    assert len(block) == 256, (p.layout, len(block))
    return block


def photo_blob(p: Persona) -> bytes:
    """1024 opaque bytes standing in for the WLT photo."""
    return hashlib.shake_256(b"wlt-photo:" + p.id.encode()).digest(1024)


def card_serial(p: Persona, placement: int) -> bytes:
    """The 8-byte serial the select command answers with. Like a contactless card with a random
    UID, it is fixed while the card stays in the field and new after each placement."""
    return hashlib.sha256(f"card-serial:{p.id}:{placement}".encode()).digest()[:8]


def appended_address_block(p: Persona) -> bytes | None:
    """70 bytes UCS-2LE for 30 03, or None when the card has no appended address."""
    return ucs2_field(p.appended_address, 70) if p.appended_address else None
