"""Where assets/ (theme, receipt logo, sounds) is: the repository's top-level folder in a checkout;
in an installed wheel (a kiosk release) the copy setuptools puts under
<venv>/share/village-kiosk/assets (pyproject.toml [tool.setuptools.data-files])."""

from __future__ import annotations

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent / "assets"
_INSTALLED = Path(sys.prefix) / "share" / "village-kiosk" / "assets"
ASSETS = _CHECKOUT if _CHECKOUT.is_dir() else _INSTALLED
