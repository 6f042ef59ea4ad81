"""The service catalogue as data: items/*.json, validated against kiosk/services/catalogue_schema.json.

Each file under ``items/`` is a JSON list of items (one file per department). No item lives in Python.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

ITEMS_DIR = Path(__file__).resolve().parent / "items"
SCHEMA_PACKAGE = "kiosk.services"
SCHEMA_NAME = "catalogue_schema.json"


def load_items(directory: str | Path | None = None) -> list[dict]:
    """Read every ``*.json`` in ``directory`` (default: the bundled items) in sorted file order."""
    folder = Path(directory) if directory is not None else ITEMS_DIR
    items: list[dict] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise ValueError(f"{path.name}: expected a JSON list of items, got {type(data).__name__}")
        items.extend(data)
    return items


def catalogue_version(items: list[dict]) -> str:
    """A stable hash of the catalogue content: first 16 hex digits of sha256 over canonical JSON."""
    canonical = json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def schema() -> dict:
    """The JSON Schema (draft 2020-12) of one catalogue item, shared with the kiosk client."""
    text = resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_NAME).read_text(encoding="utf-8")
    return json.loads(text)
