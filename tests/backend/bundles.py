"""A diagnostics bundle for the backend tests (POST /api/v1/kiosk/diagnostics)."""

from __future__ import annotations

import json

KIOSK_ID = "GD-TEST-0001"


def diagnostics_zip(extra: dict[str, str] | None = None) -> bytes:
    """A small diagnostics bundle as the kiosk's collect_logs builds it (manifest + status + a log)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        files = {"manifest.json": json.dumps({"kiosk_id": KIOSK_ID}), "status.json": json.dumps({"verdict": "online"}),
                 "logs/kiosk.log": "2026-11-30 10:00:00 INFO card read ***\n", **(extra or {})}
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()
