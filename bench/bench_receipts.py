"""How long building a receipt's ESC/POS bytes takes (target: <= 20 ms per receipt).

    .venv/bin/python bench/bench_receipts.py [--rounds N]

Prints the median and the 95th percentile per template and profile. The first call (python-escpos
loading its capability profiles) is reported separately: it happens once per process.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime

from kiosk.devices.printer_profiles import PROFILES, get_profile
from kiosk.services.receipts import examples, printer_test_page, receipt_to_escpos

TARGET_MS = 20.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=50)
    args = ap.parse_args()
    when = datetime(2024, 5, 1, 9, 30)
    receipts = {**examples(when), "test_page": printer_test_page(printed_at=when)}
    start = time.perf_counter()
    receipt_to_escpos(receipts["certificate"], get_profile("80mm"))
    print(f"first call (loads python-escpos profiles): {(time.perf_counter() - start) * 1000:.1f} ms")
    worst = 0.0
    print(f"{'receipt':14} {'profile':7} {'bytes':>6} {'median ms':>10} {'p95 ms':>8}")
    for profile_name in PROFILES:
        profile = get_profile(profile_name)
        for kind, receipt in receipts.items():
            times = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                data = receipt_to_escpos(receipt, profile)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
            worst = max(worst, median)
            print(f"{kind:14} {profile_name:7} {len(data):6d} {median:10.2f} {p95:8.2f}")
    verdict = "within" if worst <= TARGET_MS else "OVER"
    print(f"worst median {worst:.2f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
