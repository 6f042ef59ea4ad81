"""Logging: a rotating file plus the console, with a filter that masks personal data.

Code must not log personal data in the first place; the filter is the safety net. It masks
ID-card / permit numbers, phone numbers, and any name registered for the current session
(`PersonalDataFilter.register_names`, called by the session when a card is read, cleared at wipe).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

# 18-character resident / permit numbers (last may be X), 15-char first-generation numbers and
# 'I'-card permit numbers (3 letters + 12 digits), HK/Macao pass numbers, mainland mobile numbers,
# e-ID tokens.
_PATTERNS = [
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])[A-Z]{3}\d{12}(?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])[HM]\d{8,10}(?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])"),
    re.compile(r"EID1\.[A-Z0-9]{8,}"),  # e-ID / 粤省事码 tokens (what a scanned code carries)
]
MASK = "***"


class PersonalDataFilter(logging.Filter):
    """Rewrites every record's message with personal data masked (args are folded in first)."""

    _names: set[str] = set()
    _lock = threading.Lock()

    @classmethod
    def register_names(cls, *names: str | None) -> None:
        with cls._lock:
            cls._names.update(n for n in names if n and len(n) >= 2)

    @classmethod
    def clear_names(cls) -> None:
        with cls._lock:
            cls._names.clear()

    @classmethod
    def mask(cls, text: str) -> str:
        for pattern in _PATTERNS:
            text = pattern.sub(MASK, text)
        with cls._lock:
            names = sorted(cls._names, key=len, reverse=True)
        for name in names:
            text = text.replace(name, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        record.msg = self.mask(message)
        record.args = None
        return True


FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def setup_logging(log_dir: Path | None, level: int = logging.INFO, console: bool = True) -> None:
    """Configure the root logger once: rotating file (5 × 2 MB) + console, both masked."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.setLevel(level)
    mask = PersonalDataFilter()
    handlers: list[logging.Handler] = []
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"))
    if console:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        h.setFormatter(logging.Formatter(FORMAT))
        h.addFilter(mask)  # on the handler, so records from every logger pass through it
        h._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(h)
