"""Start fast (issue 27): building and showing the kiosk window loads none of the heavy libraries the
first frame does not need. They load on first use, off the GUI thread (docs/performance.md).

Checked in a fresh interpreter (`python -c`), since this test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# library → what loads it when it is first needed
LAZY = {
    "escpos": "printing a slip (receipts.py, the printer driver's open)",
    "qrcode": "a slip's QR code",
    "cv2": "the camera's open (worker thread)",
    "numpy": "the camera's open (worker thread)",
    "requests": "the first platform call (thread pool)",
    "urllib3": "the first platform call (thread pool)",
    "smartcard": "the 社保卡 reader's open (worker thread)",
    "pypinyin": "the home search index (thread pool, after the tiles are painted)",
}

PROGRAM = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.app import build_kiosk
from kiosk.config import load_config
cfg = load_config(None, env={"KIOSK_BACKEND__KEY_FILE": sys.argv[1], "KIOSK_LOG_DIR": sys.argv[2]})
kiosk = build_kiosk(cfg)
kiosk.window.show()
app.processEvents()
print(json.dumps(sorted(m for m in sys.argv[3].split(",") if m in sys.modules)))
"""


def test_building_and_showing_the_window_imports_no_heavy_library(tmp_path):
    from kiosk.services.signing import generate_key_file

    generate_key_file(tmp_path / "kiosk.key")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", PROGRAM, str(tmp_path / "kiosk.key"), str(tmp_path / "log"),
                          ",".join(LAZY)], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == [], "loaded at start: " + "; ".join(f"{m} (should wait for {LAZY[m]})" for m in loaded)
