"""Shared test set-up. Qt runs offscreen unless the X-server partition set QT_QPA_PLATFORM=xcb."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

pytest_plugins = ["tests.fixtures.hub"]
