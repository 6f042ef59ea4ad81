"""How a `kiosk-diag` command reports a device failure: the precise detail and the resident's
Chinese message on stderr, and with --json one object on stdout. Exit status 1."""

from __future__ import annotations

import json
import sys
from typing import Any

from kiosk.devices.model import DeviceError


def report_failure(tool: str, exc: DeviceError, as_json: bool, error: str | None = None,
                   **extra: Any) -> int:
    """`error` defaults to the completion code; `extra` keys go between it and the detail."""
    if as_json:
        print(json.dumps({"error": error or str(exc.completion), **extra, "detail": exc.detail,
                          "user_message": exc.user_message}, ensure_ascii=False))
    print(f"kiosk-diag {tool}: {exc.detail}\n{exc.user_message}", file=sys.stderr)
    return 1
