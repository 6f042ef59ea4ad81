"""How a `kiosk-diag` command reports a device failure: the precise detail and the text the resident
would see (its message code looked up in kiosk.services.messages) on stderr, and with --json one
object on stdout. The exit status follows exit_codes.py: 3 when the device cannot be used, 1 when
a check that needs a person did not pass."""

from __future__ import annotations

import json
import sys
from typing import Any

from kiosk.devices.model import DeviceError
from kiosk.diag import exit_codes
from kiosk.services import messages


def report_failure(tool: str, exc: DeviceError, as_json: bool, error: str | None = None, *,
                   status: int | None = None, **extra: Any) -> int:
    """`error` defaults to the completion code; `extra` keys go between it and the detail.
    `status`: the exit status (default: exit_codes.for_device_error)."""
    text = messages.for_error(exc)
    if as_json:
        print(json.dumps({"error": error or str(exc.completion), **extra, "detail": exc.detail,
                          "code": exc.code, "message": text}, ensure_ascii=False))
    print(f"kiosk-diag {tool}: {exc.detail}\n{text} [{exc.code}]", file=sys.stderr)
    return exit_codes.for_device_error(exc) if status is None else status
