"""Driving deploy/kiosk_release.py as the units do: Debian's python3, a root and a state file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "kiosk_release.py"
# the units run the script with Debian's python3 (standard library only); so do the tests
SYSTEM_PYTHON = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable


def kiosk_release(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([SYSTEM_PYTHON, str(SCRIPT), "--root", str(root), "--state",
                           str(root / "state.json"), *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    if check:
        assert proc.returncode == 0, f"kiosk-release {' '.join(args)}: {proc.stdout}{proc.stderr}"
    return proc


def install(built: Path, root: Path) -> str:
    """Install the built release under root (uv's cache only: set-up filled it from the same lock)."""
    kiosk_release(root, "install", str(built), "--offline")
    return json.loads((built / "release.json").read_text())["version"]
