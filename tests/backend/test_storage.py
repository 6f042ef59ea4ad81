"""The reference backend's storage: reset() gives an empty database; DOCUMENT_KINDS lists what the
routes store (scenarios' expect_backend is checked against it)."""

from __future__ import annotations

import re
from pathlib import Path

from simulators.backend.storage import COUNT_KEYS, DOCUMENT_KINDS, Storage

BACKEND = Path(__file__).resolve().parents[2] / "simulators" / "backend"


def test_reset_forgets_documents_blobs_idempotency_and_sequences(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "b.sqlite3")
    storage.put("application", "SQ1", {"x": 1})
    storage.put_blob("M1", b"pdf")
    storage.claim_idempotency("K1", "key", "fp")
    assert storage.next_sequence("SQ") == 1 and storage.next_sequence("SQ") == 2
    assert storage.counts() == {"application": 1, "blobs": 1, "idempotency_keys": 1}
    storage.reset()
    assert storage.counts() == {"blobs": 0, "idempotency_keys": 0}
    assert storage.get("application", "SQ1") is None and storage.get_blob("M1") is None
    assert storage.claim_idempotency("K1", "key", "fp") is None  # newly reserved again
    assert storage.next_sequence("SQ") == 1  # numbering starts over, as in a fresh database
    storage.close()


def test_document_kinds_name_every_kind_the_routes_store() -> None:
    stored = set()
    for path in BACKEND.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        stored |= set(re.findall(r'storage\.put\("(\w+)"', text))
        stored |= set(re.findall(r'_file\(b, request, "(\w+)"', text))
    assert stored and stored <= set(DOCUMENT_KINDS), stored - set(DOCUMENT_KINDS)
    assert set(COUNT_KEYS) == {*DOCUMENT_KINDS, "blobs", "idempotency_keys"}
