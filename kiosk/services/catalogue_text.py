"""A catalogue item's text in the session's language (no Qt: the UI passes the language in).

- zh_CN: the item as the platform sends it.
- zh_HK: the item's `zh_Hant` object, the same shape as the item holding only its Chinese text in
  繁體 (Hong Kong), produced by tools/catalogue_zh_hant.py with OpenCC's s2hk and reviewed in the data;
  a text the object lacks is converted here with the same converter.
- en: `name_en` for the name. The platform's free text (conditions, materials, steps, FAQ…) exists
  only in Chinese; `chinese_only(item, "en")` says so and the English guide shows that plainly.

`localized(item, language)` is for display only: what goes back to the platform (form option
values, material names in a submission) always comes from the original item. `shown_text(item, text,
language)` is the same for one string a screen shows (a material's name, a field's label, an option,
the hall): the item's own text in `language`, and anything that is not the item's text (the
platform's own answers, personal data) unchanged.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

# What tools/catalogue_zh_hant.py leaves out of zh_Hant: identifiers and the search words (the
# search index matches 简体 input by pinyin) and the fields that go back to the platform as values.
NOT_TEXT = {"id", "name_en", "zh_Hant", "aliases", "keywords", "flow", "auth_methods", "payment_methods",
            "hardware", "network_policy", "tags", "delivery", "kind", "form", "type_key"}


@cache
def _s2hk() -> Any:
    import opencc  # noqa: PLC0415 (only when 繁體 is asked for)
    return opencc.OpenCC("s2hk")


# The review of OpenCC's output: phrase fixes kept as data beside this module.
REVIEWED: dict[str, str] = {k: v for k, v in json.loads(
    (Path(__file__).with_name("zh_hant_reviewed.json")).read_text(encoding="utf-8")).items() if not k.startswith("_")}


def to_hk(text: str) -> str:
    """Simplified → Traditional (Hong Kong) with OpenCC s2hk, then the reviewed corrections."""
    out = _s2hk().convert(text)
    for wrong, right in REVIEWED.items():
        out = out.replace(wrong, right)
    return out


def hant_of(value: Any) -> Any:
    """The zh_Hant mirror of an item's value: every Chinese string converted, identifiers left out."""
    if isinstance(value, str):
        return to_hk(value)
    if isinstance(value, list):
        return [hant_of(v) for v in value]
    if isinstance(value, dict):
        return {k: hant_of(v) for k, v in value.items() if k not in NOT_TEXT and _has_chinese(v)}
    return value


def _has_chinese(value: Any) -> bool:
    if isinstance(value, str):
        return any(0x3400 <= ord(ch) <= 0x9FFF for ch in value)  # CJK, by code point
    if isinstance(value, list):
        return any(_has_chinese(v) for v in value)
    if isinstance(value, dict):
        return any(_has_chinese(v) for v in value.values())
    return False


def _overlay(base: Any, hant: Any) -> Any:
    if isinstance(base, dict) and isinstance(hant, dict):
        return {k: (_overlay(v, hant[k]) if k in hant else v) for k, v in base.items()}
    if isinstance(base, list) and isinstance(hant, list) and len(base) == len(hant):
        return [_overlay(b, h) for b, h in zip(base, hant, strict=True)]
    if isinstance(base, str) and isinstance(hant, str):
        return hant
    return base


def localized(item: dict[str, Any], language: str) -> dict[str, Any]:
    """The item with its text in `language` where the catalogue has it (for display only)."""
    if language == "zh_HK":
        hant = item.get("zh_Hant")
        return _overlay(item, hant if isinstance(hant, dict) else hant_of(item))
    out = copy.copy(item)
    if language == "en" and item.get("name_en"):
        out["name"] = item["name_en"]
    return out


def item_text(item: dict[str, Any], field: str, language: str) -> str:
    """One top-level text of an item (e.g. its name) in `language`."""
    if language == "en":
        return str(item.get(f"{field}_en") or item.get(field, ""))
    if language == "zh_HK":
        hant = item.get("zh_Hant")
        if isinstance(hant, dict) and isinstance(hant.get(field), str):
            return hant[field]
        return to_hk(str(item.get(field, "")))
    return str(item.get(field, ""))


def _pairs(base: Any, hant: Any, out: dict[str, str]) -> None:
    if isinstance(base, str):
        if _has_chinese(base):
            out.setdefault(base, hant if isinstance(hant, str) else to_hk(base))
    elif isinstance(base, list):
        hl = hant if isinstance(hant, list) and len(hant) == len(base) else [None] * len(base)
        for b, h in zip(base, hl, strict=True):
            _pairs(b, h, out)
    elif isinstance(base, dict):
        hd = hant if isinstance(hant, dict) else {}
        for k, v in base.items():
            if k not in ("zh_Hant", "name_en"):
                _pairs(v, hd.get(k), out)


_HK_TEXTS: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}


def hk_texts(item: dict[str, Any]) -> dict[str, str]:
    """Every Chinese string of the item → its 繁體: the item's reviewed `zh_Hant` where it has the
    string, else OpenCC s2hk (kept for the last few items asked)."""
    held = _HK_TEXTS.get(id(item))
    if held is not None and held[0] is item:
        return held[1]
    out: dict[str, str] = {}
    hant = item.get("zh_Hant")
    _pairs(item, hant if isinstance(hant, dict) else None, out)
    if len(_HK_TEXTS) > 8:
        _HK_TEXTS.clear()
    _HK_TEXTS[id(item)] = (item, out)
    return out


def shown_text(item: dict[str, Any] | None, text: str, language: str) -> str:
    """One of the item's strings as a screen shows it in `language` (display only): zh_HK its 繁體
    (`hk_texts`), en the item's English where the catalogue has one (`name_en`); a string that is
    not the item's own (the platform's answer, personal data) comes back as it is."""
    if not item or not text or language == "zh_CN":
        return text
    if language == "zh_HK":
        return hk_texts(item).get(text, text)
    if language == "en" and text == item.get("name") and item.get("name_en"):
        return str(item["name_en"])
    return text


def chinese_only(item: dict[str, Any], language: str) -> bool:
    """The item's free text is shown in Chinese in this language (English: the platform has none)."""
    return language == "en"
