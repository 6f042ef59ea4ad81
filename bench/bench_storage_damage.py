"""The storage-damage probe at full width: one flipped byte at every STEP-th position of the outbox
and of the catalogue cache (plus truncation to every STEP-th length), through the same checks as
tests/services/test_storage_damage.py, which tries a seeded sample of them.

    .venv/bin/python bench/bench_storage_damage.py [--outbox-step 64] [--cache-step 509]

Prints, per database and damage: cases, how the file was met (sound, moved aside), entries sent,
quarantined, readable entries lost (must be 0), altered entries sent (must be 0), cases that raised
(must be 0), and cases per second. Exit 1 if any must-be-0 figure is not.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.services.backend_types import BackendError  # noqa: E402
from kiosk.services.catalogue_cache import CatalogueCache  # noqa: E402
from kiosk.services.sqlite_files import moved_aside  # noqa: E402
from tests.services.test_storage_damage import (  # noqa: E402  (the test's damage and oracle)
    ITEMS,
    Source,
    deliver,
    flip,
    make_cache,
    make_outbox,
    quarantined_keys,
    readable_keys,
    truncate,
)

MUST_BE_ZERO = ("lost_readable", "altered_sent", "sent_twice", "raised", "altered_served", "refetched_wrong")


def outbox_case(work: Path, damage) -> Counter:
    db = work / "outbox.sqlite3"
    written = make_outbox(db)
    damage(db)
    can_read = readable_keys(db) & set(written)
    out: Counter = Counter(cases=1)
    try:
        ob, platform = deliver(db)
    except Exception:
        out["raised"] += 1
        return out
    sent = {key: (path, body) for path, body, key in platform.sent}
    kept = quarantined_keys(ob)
    out["moved_aside"] += bool(moved_aside(db))
    out["sent"] += len(sent)
    out["quarantined"] += len(kept)
    out["lost_readable"] += len(can_read - set(sent) - kept)
    out["altered_sent"] += sum(1 for key, (path, body) in sent.items() if (path, body) != ("/ratings", written[key]))
    out["sent_twice"] += len(platform.sent) - len(sent)
    ob.close()
    return out


def cache_case(work: Path, damage) -> Counter:
    path = work / "catalogue.sqlite3"
    make_cache(path)
    damage(path)
    out: Counter = Counter(cases=1)
    source = Source()
    source.down = True
    try:
        down = CatalogueCache(path, source)
        try:
            snap = down.current()
            out["served_down"] += 1
            out["altered_served"] += snap.items != ITEMS
        except BackendError as exc:
            out["said_unavailable"] += exc.code == "no_catalogue"
            out["raised"] += exc.code != "no_catalogue"
        down.close()
        source.down = False
        up = CatalogueCache(path, source)
        out["refetched_wrong"] += up.current().items != ITEMS
        up.close()
    except Exception:
        out["raised"] += 1
    out["moved_aside"] += bool(moved_aside(path))
    return out


def run(name: str, size: int, step: int, case) -> Counter:
    total: Counter = Counter()
    start = time.perf_counter()
    for kind, positions in (("flip", range(0, size, step)), ("truncate", range(0, size, step * 4))):
        for pos in positions:
            with tempfile.TemporaryDirectory(prefix="damage-") as tmp:
                fn = (lambda p, pos=pos: flip(p, pos)) if kind == "flip" else (lambda p, pos=pos: truncate(p, pos))
                figures = case(Path(tmp), fn)
                total += figures
                if any(figures[k] for k in MUST_BE_ZERO):
                    print(f"  {name} {kind} at {pos}: " + ", ".join(f"{k} {figures[k]}" for k in MUST_BE_ZERO
                                                                  if figures[k]), flush=True)
    seconds = time.perf_counter() - start
    figures = ", ".join(f"{k} {v}" for k, v in sorted(total.items()) if k != "cases")
    print(f"{name:8} {total['cases']:>6} cases in {seconds:6.1f} s ({total['cases'] / seconds:5.1f}/s): {figures}",
          flush=True)
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outbox-step", type=int, default=64, help="flip every N-th byte of the outbox (48 KiB)")
    ap.add_argument("--cache-step", type=int, default=509, help="flip every N-th byte of the cache (572 KiB)")
    args = ap.parse_args(argv)
    logging.disable(logging.ERROR)  # every case logs its storage events; the figures are the output
    with tempfile.TemporaryDirectory() as tmp:
        make_outbox(Path(tmp) / "o.sqlite3")
        make_cache(Path(tmp) / "c.sqlite3")
        sizes = {"outbox": (Path(tmp) / "o.sqlite3").stat().st_size, "cache": (Path(tmp) / "c.sqlite3").stat().st_size}
    ob = run("outbox", sizes["outbox"], args.outbox_step, outbox_case)
    cache = run("cache", sizes["cache"], args.cache_step, cache_case)
    bad = sum(ob[k] + cache[k] for k in MUST_BE_ZERO)
    print("must-be-zero figures:", "all zero" if bad == 0 else f"{bad} NOT ZERO")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
