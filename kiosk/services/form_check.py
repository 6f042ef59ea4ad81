"""Check one form answer against its catalogue field spec, before anything is sent. Pure, no Qt.

`check(spec, raw)` returns the value to send (str, int/float, bool) or raises FieldInvalid with a
message code and its placeholders ("form.phone" → 手机号码应为 11 位数字…). The platform checks
again (`form_invalid`); this is so the resident hears about a typo at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from kiosk.devices.id_card_fields import id_check_digit

PHONE = re.compile(r"^1[3-9]\d{9}$")
RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
DECIMAL = re.compile(r"^\d+(\.\d+)?$")


class FieldInvalid(ValueError):
    def __init__(self, name: str, code: str, **params: Any) -> None:
        super().__init__(f"field {name}: {code}")
        self.name = name
        self.code = code
        self.params = params


def date_precision(spec: Mapping[str, Any]) -> str:
    """"month" for fields asked as year + month (起始年月, start_month), else "day"."""
    return "month" if spec["name"].endswith("month") or "年月" in spec["label"] else "day"


def decimal_number(spec: Mapping[str, Any]) -> bool:
    """A `number` whose bounds are fractional (流转面积 0.1–10000 亩) takes decimals too."""
    return spec["type"] == "number" and any(isinstance(spec.get(k), float) and not float(spec[k]).is_integer()
                                            for k in ("min", "max"))


def _number(spec: Mapping[str, Any], text: str, code: str) -> float | int:
    name, label = spec["name"], spec["label"]
    whole = text.isdigit() or decimal_number(spec) and DECIMAL.match(text)
    if code == "form.money" and not MONEY.match(text) or code == "form.number" and not whole:
        raise FieldInvalid(name, code, label=label)
    value: float | int = float(text) if "." in text else int(text)
    lo, hi = spec.get("min"), spec.get("max")
    if lo is not None and value < lo or hi is not None and value > hi:
        raise FieldInvalid(name, "form.range", label=label, min=_plain(lo), max=_plain(hi))
    return value


def _plain(n: Any) -> str:
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)


def check(spec: Mapping[str, Any], raw: Any) -> Any:
    """The cleaned value of one field, or FieldInvalid. None means "left empty" (allowed if optional)."""
    name, label, kind = spec["name"], spec["label"], spec["type"]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if spec.get("required"):  # tap fields are chosen, keypad fields are typed
            code = "form.choose" if kind in ("select", "checkbox", "date") else "form.required"
            raise FieldInvalid(name, code, label=label)
        return None
    if kind == "checkbox":
        return bool(raw)
    text = str(raw).strip()
    if kind == "select":
        if text not in spec["options"]:
            raise FieldInvalid(name, "form.choose", label=label)
        return text
    if kind == "number":
        return _number(spec, text, "form.number")
    if kind == "money":
        return _number(spec, text, "form.money")
    if kind == "phone":
        if not PHONE.match(text):
            raise FieldInvalid(name, "form.phone", label=label)
        return text
    if kind == "id_number":
        text = text.upper()
        if not RESIDENT_ID.match(text) or id_check_digit(text[:17]) != text[17]:
            raise FieldInvalid(name, "form.id_number", label=label)
        return text
    if kind == "date":
        try:
            if date_precision(spec) == "month":
                date.fromisoformat(text[:7] + "-01")
                return text[:7]
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise FieldInvalid(name, "form.date", label=label) from None
    # text / textarea (asked through the on-screen keyboard, issue 19)
    if "max_length" in spec and len(text) > spec["max_length"]:
        raise FieldInvalid(name, "form.too_long", label=label, max=spec["max_length"])
    if "min_length" in spec and len(text) < spec["min_length"]:
        raise FieldInvalid(name, "form.too_short", label=label, min=spec["min_length"])
    if "pattern" in spec and not re.fullmatch(spec["pattern"], text):
        raise FieldInvalid(name, "form.pattern", label=label)
    return text
