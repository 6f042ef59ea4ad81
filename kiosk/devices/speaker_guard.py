"""What the speaker refuses to say: anything that may be personal data (pure, no Qt).

Prompts are templates with no personal field, so nothing here should ever trigger; this is the
safety net in the speaker path itself, like the log filter is for logs. A text is refused when it
holds
- a string the session registered as personal (the holder's name and ID number: the same registry
  the log filter masks, kiosk/logging_setup.PersonalDataFilter), or what that filter recognises by
  shape (ID-card, permit and phone numbers, e-ID tokens);
- a run of more than MAX_DIGITS digits (ID, card, phone, account and order numbers, years, dates),
  also in Chinese numerals or full-width digits;
- an amount: a decimal number, a currency sign, or a number followed by 元 / 块.
Small counts stay speakable: "20 秒后返回首页", "第 3 步".
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.logging_setup import PersonalDataFilter

MAX_DIGITS = 3  # "120 秒" is fine; "2026", "1234" and every ID fragment are not

_CHECKS = (
    (re.compile(rf"\d{{{MAX_DIGITS + 1},}}"), "a run of more than 3 digits"),
    (re.compile(r"[〇零一二三四五六七八九两壹贰叁肆伍陆柒捌玖]{4,}"), "a long number in Chinese numerals"),
    (re.compile(r"\d\s*[.,:：]\s*\d"), "a decimal or grouped number (an amount, a time or a date?)"),
    (re.compile(r"[¥$€£]|\d\s*(?:元|块|圆|角)"), "an amount of money"),
)


class SpeechRefused(ValueError):
    """The text may carry personal data; nothing was rendered or recorded. `reason` never quotes it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"refused to speak a text with {reason}")
        self.reason = reason


def refusal(text: str) -> str | None:
    """Why `text` must not be spoken, or None when it may be."""
    plain = unicodedata.normalize("NFKC", text)  # full-width digits and ￥ become ASCII
    for pattern, reason in _CHECKS:
        if pattern.search(plain):
            return reason
    if PersonalDataFilter.mask(text) != text or PersonalDataFilter.mask(plain) != plain:
        return "personal data (a registered name or number of this session)"
    return None


def check(text: str) -> None:
    """Raise SpeechRefused when `text` must not be spoken."""
    reason = refusal(text)
    if reason is not None:
        raise SpeechRefused(reason)
