"""Save a screenshot of the whole X display ($DISPLAY) to a PNG: `python tools/xshot.py out.png`."""

import os
import sys

os.environ["QT_QPA_PLATFORM"] = "xcb"
from PySide6.QtGui import QGuiApplication  # noqa: E402

app = QGuiApplication(sys.argv[:1])
pixmap = app.primaryScreen().grabWindow(0)
out = sys.argv[1] if len(sys.argv) > 1 else "screenshot.png"
if not pixmap.save(out):
    sys.exit(f"xshot: could not save {out}")
print(out)
