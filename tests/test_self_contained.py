"""Nothing in the repository points outside it: the rules and numbers the code relies on live in docs/
(docs/vocabulary.md, docs/ui-rules.md, docs/device-protocols.md, docs/environment.md)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"\.\./shared|/work/|(?<![\w/-])(design|services|devices|environment)\.md")


def test_no_file_cites_a_document_outside_the_repository() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        if name.endswith((".lock", ".png", ".jpg", ".json")):
            continue
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line) and "OUTSIDE = re.compile" not in line:
                found.append(f"{name}:{n}: {line.strip()[:100]}")
    assert found == []
