"""Memory over many residents: one real kiosk (as on a terminal, one long process) serves N scripted
sessions in a row, the shipped scenarios' steps played by the scenario runner's step functions: the
print journey, an expired card, the paper running out mid-print, the platform down then back, an
e-ID code, the reader unplugged. Prints PSS (and its anonymous part), open file descriptors and threads every `--every`
sessions, the PSS slope and the growth; goals (issue 27): growth ≤ 5 % over 2,000 sessions, fds and
threads flat, PSS ≤ 100 MiB with every device open.

    python bench/bench_soak.py [--sessions 2000] [--every 100] [--only SCENARIO.yaml ...]

`--only` plays just the named scenarios of the mix (in turn), e.g. `--only
identity_idcard_face_print.yaml` for the face journey alone; `--skip-alone` leaves out the separate
kiosk process's PSS at the start; `--heap` adds glibc's heap (mallinfo2: bytes in use, bytes free
inside the heap, mmapped chunks) and Python's allocated blocks to every sample, to tell a leak (in
use grows) from fragmentation (free grows) from native memory outside malloc (neither grows).

The first sample (after `--every` sessions: caches, fonts and lazily imported libraries are in) is
the baseline; PSS right after start-up is printed too. Between sessions the hub is reset (devices
clean, an empty platform database) and the kiosk goes home, as after a resident leaves.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo (kiosk, simulators)

from kiosk_harness import SCENARIOS, hub_and_kiosk, kiosk_process_pss, open_fds, pss_mib, pump, run_steps  # noqa: E402

MIX = ["print_certificate.yaml", "print_certificate_expired_card.yaml", "paper_out_mid_print.yaml",
       "backend_down_then_back.yaml", "identity_eid_print.yaml", "identity_idcard_face_print.yaml"]
GROWTH_GOAL, PSS_GOAL = 5.0, 100.0


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
        "keepcost")]


def heap_mib() -> tuple[float, float, float]:
    """glibc's heap over all arenas: (in use, free inside the heap, mmapped chunks) in MiB."""
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = _MallInfo2
    m = libc.mallinfo2()
    return m.uordblks / 2**20, m.fordblks / 2**20, m.hblkhd / 2**20


def pss_anon_mib() -> float:
    """The anonymous part of this process's PSS (its own heap and stacks): unlike the whole PSS it
    does not move when other processes map or unmap the same libraries (a shared machine)."""
    m = re.search(r"^Pss_Anon:\s+(\d+) kB", Path("/proc/self/smaps_rollup").read_text(), re.M)
    return int(m.group(1)) / 1024 if m else float("nan")


def slope_per_1000(xs: list[int], ys: list[float]) -> float:
    if len(xs) < 2:
        return 0.0
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--only", nargs="+", metavar="SCENARIO", choices=MIX,
                    help="play only these scenarios of the mix, in turn (file names in tests/scenarios)")
    ap.add_argument("--heap", action="store_true",
                    help="print glibc's heap (in use / free / mmapped) and Python's blocks per sample")
    ap.add_argument("--skip-alone", action="store_true",
                    help="do not measure a separate kiosk process's PSS first")
    args = ap.parse_args()
    mix = args.only or MIX
    from kiosk.ui import find

    devices = ["idcard", "scanner", "printer", "camera"]
    if not args.skip_alone:
        alone = kiosk_process_pss(devices)
        print(f"PSS of the kiosk process 5 s after home, every device open ({', '.join(devices)}): "
              f"{alone:.1f} MiB (goal ≤ {PSS_GOAL:.0f} MiB): {'meets' if alone <= PSS_GOAL else 'OVER'}")
    if args.only:
        print(f"scenarios: {', '.join(mix)} only")
    with hub_and_kiosk(devices) as run:
        pump(1.0)
        print(f"PSS of this soak process (kiosk + scenario runner) after start-up: {pss_mib():.1f} MiB")
        print(f"{'sessions':>8} {'PSS MiB':>8} {'anon':>6} {'fds':>5} {'threads':>7} {'s/session':>9}"
              + (f" {'heap used':>9} {'heap free':>9} {'mmapped':>8} {'py blocks':>10}" if args.heap else ""))
        xs: list[int] = []
        pss: list[float] = []
        anon: list[float] = []
        fds: list[int] = []
        threads: list[int] = []
        t0 = time.monotonic()
        for n in range(1, args.sessions + 1):
            scenario = SCENARIOS / mix[(n - 1) % len(mix)]
            try:
                run_steps(run, scenario)
            except Exception as exc:  # a slow step under load: say so, go home, carry on
                print(f"  session {n} ({scenario.name}) did not pass: {exc}".splitlines()[0][:300])
            run.kiosk.runner.go_home("done")
            run.hub.reset()
            if not find.wait_until(lambda: run.kiosk.window.current == "home", 10):
                print(f"  session {n}: the kiosk did not come home")
            if n % args.every == 0:
                pump(0.2)
                xs.append(n)
                pss.append(pss_mib())
                anon.append(pss_anon_mib())
                fds.append(open_fds())
                threads.append(threading.active_count())
                heap = ""
                if args.heap:
                    used, free, mapped = heap_mib()
                    heap = f" {used:9.1f} {free:9.1f} {mapped:8.1f} {sys.getallocatedblocks():10d}"
                print(f"{n:8d} {pss[-1]:8.1f} {anon[-1]:6.1f} {fds[-1]:5d} {threads[-1]:7d} "
                      f"{(time.monotonic() - t0) / n:9.2f}{heap}", flush=True)
    if len(xs) < 2:
        print("bench_soak: fewer than two samples; run more sessions (or a smaller --every)")
        return 0
    growth = 100 * (pss[-1] - pss[0]) / pss[0]
    per_1000 = slope_per_1000(xs, pss)
    verdict = "meets" if growth <= GROWTH_GOAL else "OVER"
    print(f"PSS {pss[0]:.1f} → {pss[-1]:.1f} MiB from session {xs[0]} to {xs[-1]}: {growth:+.1f} % "
          f"(goal ≤ {GROWTH_GOAL:.0f} % over 2,000): {verdict}; slope {per_1000:+.2f} MiB per 1,000 sessions")
    print(f"anonymous PSS {anon[0]:.1f} → {anon[-1]:.1f} MiB: {100 * (anon[-1] - anon[0]) / pss[0]:+.1f} % "
          f"of the first PSS; slope {slope_per_1000(xs, anon):+.2f} MiB per 1,000 sessions "
          "(the libraries' share of PSS moves with what else runs on the machine)")
    print(f"open fds {fds[0]} → {fds[-1]}, threads {threads[0]} → {threads[-1]} (goal: flat): "
          f"{'flat' if fds[-1] <= fds[0] and threads[-1] <= threads[0] else 'GROWING'}")
    if args.sessions < 2000:
        print(f"(a short run: {args.sessions} sessions; the goal is stated over 2,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
