"""Start-up: the real kiosk against a minimal Qt window with the same home screen, in turns, on Xvfb.

Both print `startup <seconds> tiles painted` (kiosk/startup_trace.py, KIOSK_TRACE_STARTUP=exit): the
time from process start to the home screen painted with its tiles. Prints both medians, the paired
ratio (kiosk / floor, run by run) and the kiosk's phase marks (where its time goes). Goal (issue 27):
warm start ≤ 0.30 s here, ≤ 1.8× the floor. Needs Xvfb (apt xvfb); starts a backend with the hub.

    python bench/bench_startup.py [RUNS]
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from simulators.process import start_simulator  # noqa: E402

MARK = re.compile(r"^startup\s+([\d.]+) s\s+(.+)$")
GOAL_S, GOAL_RATIO = 0.30, 1.8


def run(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=REPO)
    marks = {m.group(2): float(m.group(1)) for line in out.stderr.splitlines() if (m := MARK.match(line))}
    if "tiles painted" not in marks:
        raise SystemExit(f"bench_startup: {cmd[1]} did not paint its tiles:\n{out.stderr[-2000:]}")
    return marks


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 9
    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    xvfb = subprocess.Popen(["Xvfb", ":93", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hub = start_simulator("all", "--ephemeral", "--state", str(tmp / "state.json"), "--only", "backend",
                          listen="", control="")
    try:
        ports = json.loads((tmp / "state.json").read_text())
        env = {**os.environ, "DISPLAY": ":93", "QT_QPA_PLATFORM": "xcb", "KIOSK_TRACE_STARTUP": "exit",
               "KIOSK_BACKEND__URL": f"https://127.0.0.1:{ports['backend']['listen']}",
               "KIOSK_BACKEND__CACHE_DB": str(tmp / "cache.sqlite3"),
               "KIOSK_BACKEND__OUTBOX_DB": str(tmp / "outbox.sqlite3"), "KIOSK_LOG_DIR": str(tmp / "log")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a warm start: bytecode cached, as on a kiosk
        kiosk_cmd = [str(REPO / ".venv/bin/python"), "-m", "kiosk.app", "--windowed"]
        floor_cmd = [str(REPO / ".venv/bin/python"), str(REPO / "bench/startup_floor.py")]
        run(kiosk_cmd, env), run(floor_cmd, env)  # warm the caches (bytecode, fonts, the catalogue cache)
        kiosk, floor, phases = [], [], []
        for _ in range(runs):
            k = run(kiosk_cmd, env)
            f = run(floor_cmd, env)
            kiosk.append(k["tiles painted"])
            floor.append(f["tiles painted"])
            phases.append(k)
        ratios = [k / f for k, f in zip(kiosk, floor, strict=True)]
        print(f"kiosk start → tiles painted, median of {runs}: {statistics.median(kiosk):.3f} s "
              f"(goal ≤ {GOAL_S:.2f} s)")
        print(f"Qt floor (same home screen):            {statistics.median(floor):.3f} s")
        print(f"paired ratio kiosk/floor, median:       {statistics.median(ratios):.2f}× (goal ≤ {GOAL_RATIO}×)")
        print("where the kiosk's time goes (median of each phase mark, seconds from process start):")
        for name in phases[0]:
            print(f"  {statistics.median(p[name] for p in phases if name in p):7.3f}  {name}")
    finally:
        hub.stop()
        xvfb.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
