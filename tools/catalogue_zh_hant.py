"""Write each catalogue item's `zh_Hant` object: its Chinese text in 繁體 (Hong Kong), by OpenCC
s2hk (kiosk/services/catalogue_text.py hant_of). Run after editing an item, then review the diff:

    .venv/bin/python tools/catalogue_zh_hant.py            # rewrite simulators/backend/catalogue/items/*.json
    .venv/bin/python tools/catalogue_zh_hant.py --check    # exit 1 when an item's zh_Hant is stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.services.catalogue_text import hant_of

ITEMS = Path(__file__).resolve().parent.parent / "simulators" / "backend" / "catalogue" / "items"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path in sorted(ITEMS.glob("*.json")):
        items = json.loads(path.read_text(encoding="utf-8"))
        changed = False
        for item in items:
            hant = hant_of({k: v for k, v in item.items() if k != "zh_Hant"})
            if item.get("zh_Hant") != hant:
                stale.append(item["id"])
                item["zh_Hant"] = hant
                changed = True
        if changed and not check:
            path.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if check and stale:
        print(f"zh_Hant stale for {len(stale)} items (run tools/catalogue_zh_hant.py): {', '.join(stale)}")
        return 1
    print(f"zh_Hant: {len(stale)} items {'stale' if check else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
