"""What the UI keeps beyond its widgets, forgotten when a session ends: Qt's pixmap cache (a photo
drawn once may stay there), the clipboard (lockdown stops copying, this is the second lock), and
temporary files the kiosk made (`tempfile` names starting with TEMP_PREFIX). Widgets clear
themselves (`clear_personal_data`); the flow runner calls `forget()` at every wipe."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QPixmapCache

log = logging.getLogger(__name__)
TEMP_PREFIX = "kiosk-session-"  # name a session's temporary file or folder with this prefix


def forget() -> None:
    QPixmapCache.clear()
    clipboard = QGuiApplication.clipboard() if QGuiApplication.instance() is not None else None
    if clipboard is not None:
        clipboard.clear()
    for path in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        try:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError as exc:
            log.warning("a session's temporary file could not be removed: %s", type(exc).__name__)
