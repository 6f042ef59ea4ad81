"""Start a simulator as a child process and wait for its READY line (used by the hub and by tests).

    with start_simulator("idcard") as sim:          # ephemeral ports
        sim.ports["listen"], sim.control("POST", "/place", {"persona": "chen_guiying"})
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from typing import Any


class SimulatorStartError(RuntimeError):
    pass


class SimProcess:
    def __init__(self, name: str, proc: subprocess.Popen[str], ports: dict[str, Any]) -> None:
        self.name = name
        self.proc = proc
        self.ports = ports

    @property
    def control_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['control']}"

    def control(self, method: str, path: str, body: dict[str, Any] | None = None,
                timeout: float = 10.0) -> tuple[int, Any]:
        """Call the child's control API; returns (status, json)."""
        return http_json(method, self.control_url + path, body, timeout)

    def stop(self, timeout: float = 5.0) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> SimProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def http_json(method: str, url: str, body: dict[str, Any] | None = None,
              timeout: float = 10.0) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw)
        except json.JSONDecodeError:
            return exc.code, {"error": raw.decode(errors="replace")}


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the parent dies, so a crashed test run or hub
    never leaves simulators holding ports (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except OSError:
        pass


def start_simulator(name: str, *args: str, listen: str = "127.0.0.1:0", control: str = "127.0.0.1:0",
                    env: dict[str, str] | None = None, ready_timeout: float = 60.0) -> SimProcess:
    """Run `kiosk-sim NAME --listen … --control … ARGS` and wait for its READY line.

    The child dies with the thread that started it (PR_SET_PDEATHSIG): call this from a thread
    that lives as long as the simulator should (the main thread, a pytest fixture)."""
    cmd = [sys.executable, "-m", "simulators.cli", name]
    if listen:
        cmd += ["--listen", listen]
    if control:
        cmd += ["--control", control]
    cmd += list(args)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=None, text=True,
                            env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
                            preexec_fn=_die_with_parent)
    result: dict[str, Any] = {}

    def read_ready() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("READY "):
                result.update(json.loads(line[6:]))
                break
        # keep draining so the child never blocks on a full pipe
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # type: ignore[union-attr]

    reader = threading.Thread(target=read_ready, daemon=True)
    reader.start()
    reader.join(ready_timeout)
    if not result:
        proc.kill()
        proc.wait()
        raise SimulatorStartError(f"simulator {name!r} did not become ready (exit {proc.returncode}); "
                                  f"command: {' '.join(cmd)}")
    return SimProcess(name, proc, result)
