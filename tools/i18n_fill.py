"""Fill the unfinished zh_HK entries of assets/i18n/kiosk_zh_HK.ts with OpenCC s2hk of the source,
leaving entries already translated (and reviewed) alone. Run after `make i18n`, review the diff;
English (kiosk_en.ts) is written by hand, in Qt Linguist (`.venv/bin/pyside6-linguist`) or an editor.

    .venv/bin/python tools/i18n_fill.py
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from kiosk.services.catalogue_text import to_hk

TS = Path(__file__).resolve().parent.parent / "assets" / "i18n" / "kiosk_zh_HK.ts"


def main() -> int:
    tree = ET.parse(TS)
    filled = 0
    for msg in tree.getroot().iter("message"):
        trans = msg.find("translation")
        if trans is not None and trans.get("type") == "unfinished":
            trans.text = to_hk(msg.findtext("source") or "")
            del trans.attrib["type"]
            filled += 1
    write(tree, TS)
    print(f"{TS.name}: {filled} entries filled by OpenCC s2hk; review them before committing")
    return 0


def write(tree: ET.ElementTree, path: Path) -> None:
    """Write a .ts file as lupdate does (its doctype, UTF-8), so a later lupdate run keeps the diff small."""
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
