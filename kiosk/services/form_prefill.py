"""Pre-fill a form from what is already known of the resident. Pure, no Qt, no I/O.

Two sources, both already in the Session: the identity read from the card (name, ID number, and the
address where the reader gave one) and the platform's answer to GET /applications/prefill (name, ID
number, registered mobile number, household address; kiosk.services.service_desk.form_prefill).
A field is pre-filled when its catalogue `name` says it holds the resident's own datum (FIELD_KEYS;
`related_id_number`, `deceased_id_number`… are someone else's and are never pre-filled), and only
with a value that passes the field's own check (kiosk/services/form_check.py). The form shows these
values for checking, never asks to retype them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.services.form_check import FieldInvalid, check

# Field names (catalogue vocabulary, like the certificate's line keys) → the resident's own datum.
FIELD_KEYS = {
    "id_number": "id_number",
    "phone": "phone",
    "address": "address",
    "residence_address": "address",
    "mail_address": "address",
}


@dataclass(frozen=True)
class Prefilled:
    value: Any
    source: str  # where it comes from, shown beside it (身份证件, 实名登记手机号, 户籍登记地址)

    def __repr__(self) -> str:  # the value is personal data
        return f"Prefilled(source={self.source!r})"


def known_values(identity: Any, platform: Iterable[Mapping[str, Any]] | None) -> dict[str, Prefilled]:
    """Datum key → value: the platform's answer first, the card's where the platform gave none."""
    out: dict[str, Prefilled] = {}
    for entry in platform or ():
        key, value = entry.get("key"), entry.get("value")
        if isinstance(key, str) and isinstance(value, str) and value.strip():
            out[key] = Prefilled(value.strip(), str(entry.get("source") or "政务服务平台"))
    if identity is not None:
        card = {"name": getattr(identity, "name", ""), "id_number": getattr(identity, "id_number", ""),
                "address": (getattr(identity, "extras", None) or {}).get("address", "")}
        for key, value in card.items():
            if isinstance(value, str) and value.strip() and key not in out:
                out[key] = Prefilled(value.strip(), "身份证件")
    return out


def prefill(fields: Iterable[Mapping[str, Any]], known: Mapping[str, Prefilled]) -> dict[str, Prefilled]:
    """Field name → the checked value to show, for every field that holds a known datum of the
    resident. A field with a catalogue default keeps its default (the item says what to assume)."""
    out: dict[str, Prefilled] = {}
    for spec in fields:
        key = FIELD_KEYS.get(spec["name"])
        if key is None or key not in known or "default" in spec:
            continue
        try:
            value = check(spec, known[key].value)
        except FieldInvalid:
            continue  # e.g. an address longer than the field allows: the resident types it
        if value is not None:
            out[spec["name"]] = Prefilled(value, known[key].source)
    return out


def wants_platform(fields: Iterable[Mapping[str, Any]]) -> bool:
    """Whether asking the platform could fill anything the card cannot (phone, address)."""
    return any(FIELD_KEYS.get(f["name"]) in ("phone", "address") and "default" not in f for f in fields)
