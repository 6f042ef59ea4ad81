"""How long a whole print-flow scenario takes through `kiosk-sim run` (target: <= 15 s).

    .venv/bin/python bench/bench_scenario.py [--rounds N] [SCENARIO.yaml]

Default scenario: tests/scenarios/print_certificate.yaml (two residents print the 参保证明 one
after the other). Starts one hub, then runs the scenario N times in a fresh kiosk each time, and
prints the hub's start, the reset + kiosk start until ready, the steps, and the whole scenario.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 15.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("scenario", nargs="?", type=Path, default=REPO / "tests" / "scenarios" / "print_certificate.yaml")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO))
    from PySide6.QtWidgets import QApplication

    from simulators.process import start_simulator
    from simulators.scenario.cli import hub_devices
    from simulators.scenario.hub_client import HubClient
    from simulators.scenario.runner import run_scenario
    from simulators.scenario.scenario_file import load_scenario

    scenario = load_scenario(args.scenario)
    app = QApplication.instance() or QApplication(["bench"])  # noqa: F841 (must exist)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.monotonic()
        proc = start_simulator("all", "--ephemeral", "--receipts", f"{tmp}/receipts", "--only",
                               ",".join(hub_devices([scenario])), listen="", control="", ready_timeout=120)
        print(f"hub start ({', '.join(hub_devices([scenario]))}): {time.monotonic() - t0:.2f} s (once per run)")
        try:
            hub = HubClient(f"http://127.0.0.1:{proc.ports['control']}")
            t0 = time.monotonic()
            hub.reset()
            print(f"hub reset: {(time.monotonic() - t0) * 1000:.0f} ms (once per scenario)")
            print(f"scenario {args.scenario.name}: {len(scenario.steps)} steps")
            print(f"{'round':>5} {'start s':>8} {'steps s':>8} {'total s':>8} {'taps':>5}")
            totals = []
            for n in range(1, args.rounds + 1):
                result = run_scenario(scenario, hub, Path(tmp) / "shots", emit=lambda line: None)
                if not result.passed:
                    print(result.failure())
                    return 1
                totals.append(result.seconds)
                print(f"{n:5d} {result.start_seconds:8.2f} {result.steps_seconds:8.2f} {result.seconds:8.2f} "
                      f"{result.taps:5d}")
        finally:
            proc.stop()
    worst, median = max(totals), statistics.median(totals)
    verdict = "within" if worst <= TARGET_S else "OVER"
    print(f"median {median:.2f} s, worst {worst:.2f} s: {verdict} the {TARGET_S:.0f} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
