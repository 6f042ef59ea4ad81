"""What bench_idle, bench_soak and bench_latency share: a hub with the simulators, one real kiosk in
this process built the scenario runner's way (simulators/scenario/runner.py: real config pointed at
the hub, `build_kiosk` + `start_kiosk`, ready = home with every device online), the runner's step
functions to drive it, and per-thread CPU and PSS from /proc.

Not a benchmark itself (its name does not start with bench_).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "tests" / "scenarios"
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Running:
    kiosk: Any
    hub: Any  # simulators.scenario.hub_client.HubClient
    ctx: Any  # simulators.scenario.steps.Context
    work: Path


def pcscd_available() -> bool:
    return Path("/run/pcscd/pcscd.comm").exists()


@contextmanager
def hub_and_kiosk(devices: list[str], *, scenario: str = "print_certificate.yaml") -> Iterator[Running]:
    """A hub running `devices` (plus the backend), and a kiosk built against it, ready on home."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from simulators.process import start_simulator
    from simulators.scenario import runner
    from simulators.scenario.hub_client import HubClient
    from simulators.scenario.scenario_file import load_scenario
    from simulators.scenario.steps import Context

    app = QApplication.instance() or QApplication(["bench"])  # noqa: F841 (must exist)
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    only = ",".join(dict.fromkeys(["backend", *devices]))
    proc = start_simulator("all", "--ephemeral", "--receipts", str(work / "receipts"), "--only", only,
                           listen="", control="", ready_timeout=120)
    kiosk = None
    try:
        hub = HubClient(f"http://127.0.0.1:{proc.ports['control']}")
        hub.reset()
        cfg = runner._config(load_scenario(SCENARIOS / scenario), hub, work, None)
        kiosk = runner._start_kiosk(cfg, "landscape")
        ctx = Context(root=kiosk.window, hub=hub, current_screen=lambda: kiosk.window.current,
                      screenshots=work / "shots", receipts_before=hub.newest_receipt_index())
        runner._wait_ready(kiosk)
        yield Running(kiosk, hub, ctx, work)
    finally:
        if kiosk is not None:
            runner._close_kiosk(kiosk)
        proc.stop()


def run_steps(running: Running, scenario_file: Path) -> None:
    """Play one scenario's steps on the running kiosk (the runner's own step functions)."""
    from simulators.scenario.scenario_file import load_scenario
    from simulators.scenario.steps import STEPS

    for step in load_scenario(scenario_file).steps:
        STEPS[step.kind](running.ctx, step.arg)


def pump(seconds: float) -> None:
    """Let the kiosk's event loop run for `seconds` (nothing else happens on the GUI thread)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def thread_cpu() -> dict[str, float]:
    """CPU seconds (user + system) of every thread of this process, by name: Python threads by
    their threading name, Qt's by the OS name (e.g. "Thread (pooled)"), the GUI thread as MainThread."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    out: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            comm = (task / "comm").read_text().strip()
            try:  # nanoseconds on the CPU (schedstat); stat's utime+stime has only 10 ms ticks
                cpu = int((task / "schedstat").read_text().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK
        except OSError:
            continue  # the thread ended meanwhile
        name = names.get(int(task.name), comm)
        out[name] = out.get(name, 0.0) + cpu
    return out


def cpu_over(seconds: float) -> dict[str, float]:
    """CPU seconds per thread name spent while the event loop ran idle for `seconds`."""
    before = thread_cpu()
    pump(seconds)
    after = thread_cpu()
    return {n: after[n] - before.get(n, 0.0) for n in after if after[n] - before.get(n, 0.0) > 0}


def pss_mib(pid: int | str = "self") -> float:
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    m = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) / 1024 if m else float("nan")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def kiosk_process_pss(devices: list[str], settle_s: float = 5.0) -> float:
    """PSS of a real `kiosk` process (python -m kiosk.app on Xvfb when there is one, else offscreen)
    with `devices` simulated, `settle_s` after home shows its tiles (its devices then open)."""
    import json
    import subprocess
    import time

    from simulators.hub import kiosk_env
    from simulators.process import start_simulator

    work = Path(tempfile.mkdtemp(prefix="kiosk-pss-"))
    proc = start_simulator("all", "--ephemeral", "--state", str(work / "state.json"), "--only",
                           ",".join(dict.fromkeys(["backend", *devices])), listen="", control="",
                           ready_timeout=120)
    try:
        ports = json.loads((work / "state.json").read_text())
        from kiosk.config import load_config

        env = {**os.environ, **kiosk_env(ports, tuple(load_config(None, env={}).devices)),
               "QT_QPA_PLATFORM": "offscreen", "KIOSK_TRACE_STARTUP": "1",
               "KIOSK_LOG_DIR": str(work / "log"), "KIOSK_BACKEND__CACHE_DB": str(work / "cache.sqlite3"),
               "KIOSK_BACKEND__OUTBOX_DB": str(work / "outbox.sqlite3")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        kiosk = subprocess.Popen([str(REPO / ".venv/bin/python"), "-m", "kiosk.app", "--windowed"], cwd=REPO,
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            assert kiosk.stderr is not None
            for line in kiosk.stderr:
                if "tiles painted" in line:
                    break
            else:
                raise RuntimeError("the kiosk exited before painting its tiles")
            threading.Thread(target=kiosk.stderr.read, daemon=True).start()  # keep its pipe drained
            time.sleep(settle_s)  # a measurement interval, not synchronisation
            return pss_mib(kiosk.pid)
        finally:
            kiosk.terminate()
            kiosk.wait(10)
    finally:
        proc.stop()
