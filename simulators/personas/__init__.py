"""The shared registry of synthetic residents (personas).

Every simulator (ID-card reader, 社保卡 emulator, camera, scanner e-ID) and the reference backend
read this one registry; scenarios name personas by ``id``. All data in ``personas.json`` is
invented: no real person's name, number, address or phone.

Field conventions (docs/device-protocols.md §1 and §2):

* ``layout`` is the ID-card text layout: ``"resident"`` (居民身份证), ``"J"`` (港澳台居民居住证),
  ``"I"`` (外国人永久居留身份证, 2017) or ``"Y"`` (外国人永久居留身份证, 2023).
* Dates are ISO ``YYYY-MM-DD``; the card writes them as ``YYYYMMDD``. ``valid_to`` may be ``"长期"``.
* ``id_number``: resident and J cards carry an 18-character number with an ISO 7064 MOD 11-2
  check digit (J: 810000/820000/830000 + birth date + sequence). Y cards carry the 2023 18-character
  number: ``9`` + 2-digit province of acceptance + 3-digit GB/T 2659 numeric nationality + birth date
  + 3-digit sequence (odd = male) + MOD 11-2 check digit. I cards carry the 15-character 2017 permit
  number (3 letters + 12 digits).
* ``authority``: the issuing authority text; on I cards the 4-character authority *code*; on Y
  cards ``None`` (the 2023 text layout has no authority field).
* ``issue_count``: J cards' 签发次数; Y cards' renewal count (换证次数).
* ``sscard``: the 社保卡 data readable without PIN (EF05/EF06). The card's name field is GBK, so a
  persona whose name is not GBK-encodable has no 社保卡: ``lan_yan`` (蓝䶮, U+4DAE, CJK Extension A)
  is one — 䶮 exists only in GB18030 (bytes FE 9F), not in GBK.

The registry needs no Qt and no kiosk imports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path

__all__ = [
    "LAYOUTS",
    "Persona",
    "SocialSecurityCard",
    "by_eid_token",
    "by_id_number",
    "get_persona",
    "id_check_digit",
    "load_personas",
    "personas_path",
]

LAYOUTS = ("resident", "J", "I", "Y")
FACE_PHOTOS = ("astronaut", "grace_hopper")
LONG_TERM = "长期"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need exactly 17 ASCII digits, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class SocialSecurityCard:
    """社会保障卡 data readable over PC/SC without PIN (EF05 card data, EF06 holder data)."""

    card_number: str  # EF05 tag 07, 9 characters
    card_identifier: str  # EF05 tag 01, 16 characters, first 6 = region code
    card_type: str  # EF05 tag 02, "1"
    spec_version: str  # EF05 tag 03, "3.00"
    issuing_institution: str  # EF05 tag 04, 12 characters
    issue_date: str  # EF05 tag 05, YYYY-MM-DD (4 bytes BCD on the card)
    expiry_date: str  # EF05 tag 06, YYYY-MM-DD
    region_code: str  # 6 digits
    birthplace: str  # EF06 tag 0C, 6-digit region code

    def expired(self, on: date) -> bool:
        return date.fromisoformat(self.expiry_date) < on


@dataclass(frozen=True)
class Persona:
    id: str
    layout: str
    name: str
    english_name: str | None
    sex_code: str
    nation_code: str | None
    nationality: str | None
    birth_date: str
    address: str | None
    appended_address: str | None
    id_number: str
    authority: str | None
    valid_from: str
    valid_to: str
    pass_number: str | None
    issue_count: str | None
    phone: str
    eid_token: str
    face_photo: str
    sscard: SocialSecurityCard | None

    @property
    def birth(self) -> date:
        return date.fromisoformat(self.birth_date)

    def age(self, on: date | None = None) -> int:
        """Age in whole years on ``on`` (default: today)."""
        on = on or date.today()
        b = self.birth
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))

    @property
    def elderly(self) -> bool:
        """60 or older today (长者模式 candidates)."""
        return self.age() >= 60

    @property
    def long_term(self) -> bool:
        return self.valid_to == LONG_TERM

    def card_expired(self, on: date) -> bool:
        """True when the ID card is past its validity on ``on`` (the last valid day still counts)."""
        if self.long_term:
            return False
        return date.fromisoformat(self.valid_to) < on

    @property
    def is_foreigner(self) -> bool:
        return self.layout in ("I", "Y")


def personas_path() -> Path:
    return Path(__file__).with_name("personas.json")


def _persona_from_json(raw: dict) -> Persona:
    names = {f.name for f in fields(Persona)}
    unknown = set(raw) - names
    missing = names - set(raw)
    if unknown or missing:
        raise ValueError(
            f"persona {raw.get('id')!r}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}"
        )
    data = dict(raw)
    if data["sscard"] is not None:
        data["sscard"] = SocialSecurityCard(**data["sscard"])
    persona = Persona(**data)
    _check(persona)
    return persona


def _check(p: Persona) -> None:
    """Cheap consistency checks so a bad edit of personas.json fails at load time."""
    problems = []
    if p.layout not in LAYOUTS:
        problems.append(f"layout {p.layout!r} not in {LAYOUTS}")
    if p.face_photo not in FACE_PHOTOS:
        problems.append(f"face_photo {p.face_photo!r} not in {FACE_PHOTOS}")
    if p.sex_code not in ("0", "1", "2", "9"):
        problems.append(f"sex_code {p.sex_code!r}")
    date.fromisoformat(p.birth_date)
    date.fromisoformat(p.valid_from)
    if not p.long_term:
        date.fromisoformat(p.valid_to)
    if len(p.id_number) == 18 and p.id_number[:17].isdigit():
        if id_check_digit(p.id_number[:17]) != p.id_number[17]:
            problems.append(f"id_number {p.id_number} has a wrong check digit")
    elif p.layout != "I":
        problems.append(f"id_number {p.id_number!r} is not 17 digits + check character")
    if problems:
        raise ValueError(f"persona {p.id!r}: " + "; ".join(problems))


@lru_cache(maxsize=1)
def _load() -> tuple[Persona, ...]:
    doc = json.loads(personas_path().read_text(encoding="utf-8"))
    personas = tuple(_persona_from_json(raw) for raw in doc["personas"])
    for attr in ("id", "id_number", "eid_token"):
        values = [getattr(p, attr) for p in personas]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise ValueError(f"duplicate persona {attr}: {dupes}")
    return personas


def load_personas() -> dict[str, Persona]:
    """All personas by id (a fresh dict over cached, immutable personas)."""
    return {p.id: p for p in _load()}


def get_persona(persona_id: str) -> Persona:
    for p in _load():
        if p.id == persona_id:
            return p
    valid = ", ".join(p.id for p in _load())
    raise KeyError(f"unknown persona {persona_id!r}; valid ids: {valid}")


def by_id_number(id_number: str) -> Persona | None:
    wanted = id_number.strip().upper()
    return next((p for p in _load() if p.id_number.upper() == wanted), None)


def by_eid_token(token: str) -> Persona | None:
    wanted = token.strip()
    return next((p for p in _load() if p.eid_token == wanted), None)
