"""Run one scenario in a real kiosk, in this process, against a hub's simulators.

For each scenario: the hub is reset (devices clean, no card, an empty backend database), a kiosk
is built from the real config (`build_kiosk` + `start_kiosk`) pointed at the hub's ports, with its
own log, outbox and catalogue cache, and the runner waits until it shows home with every device
online. Then the steps run in order, one printed line each; the first failure stops the scenario
with a screenshot. The kiosk is torn down before the next scenario. Needs a QApplication.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
from PySide6.QtWidgets import QApplication

from kiosk.config import Config, load_config
from kiosk.devices.model import DeviceState
from kiosk.ui import countdown, find
from kiosk.ui.language_switch import ACCESSIBLE
from simulators.hub import kiosk_env
from simulators.scenario.hub_client import HubClient, StepFailed
from simulators.scenario.scenario_file import Scenario, Step
from simulators.scenario.steps import STEPS, Context

READY_TIMEOUT_S = 30.0  # the kiosk opening its devices and showing home; only bounds a hang
SCREEN_SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}  # the kiosk's touch screen
ELDERLY_TOGGLE = "长者模式"  # the title bar's button


@dataclass
class ScenarioResult:
    scenario: Scenario
    passed: bool = False
    taps: int = 0
    seconds: float = 0.0  # all of it: reset, kiosk start, steps, teardown
    start_seconds: float = 0.0  # reset until the kiosk was ready (bench/bench_scenario.py)
    steps_seconds: float = 0.0  # the steps that passed
    failed_step: Step | None = None  # None with passed False: failed before the first step
    reason: str = ""
    screenshot: Path | None = None
    lines: list[str] = field(default_factory=list)  # what was printed

    def failure(self) -> str:
        s = self.failed_step
        where = f"at step {s.index} (line {s.line}) {s.describe()}" if s else "before the first step"
        shot = f"\n  screenshot: {self.screenshot}" if self.screenshot else ""
        return f'FAIL "{self.scenario.name}" ({self.scenario.path}) {where}: {self.reason}{shot}'


def run_scenario(scenario: Scenario, hub: HubClient, out_dir: Path, *, config_path: Path | None = None,
                 emit: Callable[[str], None] = print) -> ScenarioResult:
    """Run one scenario; never raises for a failing step (the result says what failed)."""
    result = ScenarioResult(scenario)
    shots = out_dir / scenario.path.stem

    def say(line: str) -> None:
        result.lines.append(line)
        emit(line)

    say(f'scenario "{scenario.name}" ({scenario.path})')
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="kiosk-scenario-"))
    kiosk = None
    try:
        hub.reset()
        cfg = _config(scenario, hub, work, config_path)
        kiosk = _start_kiosk(cfg, scenario.orientation)
        ctx = Context(root=kiosk.window, hub=hub, current_screen=lambda: kiosk.window.current,
                      screenshots=shots, receipts_before=hub.newest_receipt_index(),
                      documents_before=hub.newest_document_index())
        _wait_ready(kiosk)
        result.start_seconds = time.monotonic() - started

        def restart() -> None:
            nonlocal kiosk
            _close_kiosk(kiosk)
            kiosk = None
            kiosk = _start_kiosk(cfg, scenario.orientation)  # the same work dir: outbox, cache, state
            ctx.root, ctx.current_screen = kiosk.window, lambda: kiosk.window.current
            _wait_ready(kiosk)

        ctx.restart = restart
        if scenario.mode == "elderly":  # the resident switches it on, as on the real kiosk
            ctx.tap(ctx.find(ELDERLY_TOGGLE))
        if scenario.language != "zh_CN":  # 简 / 繁 / EN on home, as a resident does (for that session)
            ctx.tap(ctx.find(ACCESSIBLE[scenario.language]))
        for step in scenario.steps:
            t0 = time.monotonic()
            try:
                with _qt_exceptions():
                    STEPS[step.kind](ctx, step.arg)
            except Exception as exc:  # a failed check, or the kiosk broke: the scenario stops here
                result.failed_step, result.reason = step, _reason(exc)
                say(f"  {step.index:>3}. {step.describe()} … FAILED")
                result.screenshot = _shoot(ctx, f"failed-step{step.index:02d}")
                break
            took = time.monotonic() - t0
            result.steps_seconds += took
            say(f"  {step.index:>3}. {step.describe()} … ok ({took:.2f} s)")
        else:
            result.passed = True
        result.taps = ctx.taps
    except Exception as exc:  # before the first step: the hub, the config, the kiosk's start
        result.reason = _reason(exc)
        if kiosk is not None:
            result.screenshot = _shoot(Context(kiosk.window, hub, lambda: "", shots), "failed-start")
    finally:
        if kiosk is not None:
            _close_kiosk(kiosk)
        if not result.passed and (work / "log" / "kiosk.log").exists():
            shots.mkdir(parents=True, exist_ok=True)
            shutil.copy(work / "log" / "kiosk.log", shots / "kiosk.log")  # masked: no personal data
        shutil.rmtree(work, ignore_errors=True)
    result.seconds = time.monotonic() - started
    if result.passed:
        say(f'PASS "{scenario.name}": {len(scenario.steps)} steps, taps: {result.taps}, {result.seconds:.1f} s')
    else:
        say(result.failure() + f"\n  taps: {result.taps}, {result.seconds:.1f} s")
    return result


class NotBuilt(Exception):
    """A scenario option whose feature the kiosk does not have yet."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, StepFailed | find.FindError | NotBuilt | ConnectionError):
        return str(exc)
    traceback.print_exception(exc, file=sys.stderr)  # not a failed check: a bug to look into
    return f"{type(exc).__name__}: {exc}"


def _shoot(ctx: Context, name: str) -> Path | None:
    try:
        return ctx.save_screenshot(name)
    except StepFailed:
        return None


# ---- the kiosk ----------------------------------------------------------------------------------
def _config(scenario: Scenario, hub: HubClient, work: Path, config_path: Path | None) -> Config:
    """The real config, pointed at the hub, with this scenario's own log, outbox and cache."""
    env = {k: v for k, v in os.environ.items() if k.startswith("KIOSK_")}
    base = load_config(config_path, env=env)
    env.update(kiosk_env(hub.ports, tuple(base.devices)))
    env.update({"KIOSK_LOG_DIR": str(work / "log"),
                "KIOSK_BACKEND__OUTBOX_DB": str(work / "outbox.sqlite3"),
                "KIOSK_BACKEND__CACHE_DB": str(work / "catalogue.sqlite3"),
                "KIOSK_STATE_DIR": str(work / "state")})  # e.g. the technician PIN lockout
    if scenario.orientation != "landscape":
        key = _config_key(base, "orientation")
        if key is None:
            raise NotBuilt(f"orientation: {scenario.orientation} is not built yet "
                           "(the kiosk config has no orientation setting)")
        env["KIOSK_" + "__".join(key).upper()] = scenario.orientation
    return load_config(config_path, env=env)


def _config_key(cfg: Any, name: str, prefix: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Where the config dataclasses have a field `name` (e.g. ("display", "orientation"))."""
    for f in fields(cfg):
        if f.name == name:
            return (*prefix, name)
        value = getattr(cfg, f.name)
        if is_dataclass(value) and not isinstance(value, type):
            found = _config_key(value, name, (*prefix, f.name))
            if found:
                return found
    return None


def _start_kiosk(cfg: Config, orientation: str) -> Any:
    from kiosk.app import build_kiosk, start_kiosk
    from kiosk.logging_setup import setup_logging
    from kiosk.ui.fonts import load_ui_font

    setup_logging(cfg.log_dir, console=False)
    load_ui_font()
    kiosk = build_kiosk(cfg)
    kiosk.window.show_kiosk(windowed=True)
    kiosk.window.resize(*SCREEN_SIZES[orientation])
    start_kiosk(kiosk)
    return kiosk


def _wait_ready(kiosk: Any) -> None:
    """A resident walks up to a kiosk that shows home, has loaded its items and has its devices
    working: every start-up operation (open the devices, fetch the catalogue) has finished."""
    devices = kiosk.devices.devices
    pool = QThreadPool.globalInstance()

    def ready() -> bool:
        return (kiosk.window.current == "home" and pool.activeThreadCount() == 0
                and all(d.status.state == DeviceState.ONLINE for d in devices.values()))

    if not find.wait_until(ready, READY_TIMEOUT_S):
        not_online = ", ".join(f"{i} {d.status.state}" for i, d in devices.items()
                               if d.status.state != DeviceState.ONLINE)
        raise StepFailed(f"the kiosk was not ready within {READY_TIMEOUT_S:g} s: screen "
                         f"{kiosk.window.current!r}; devices not online: {not_online or 'none'}")


def _close_kiosk(kiosk: Any) -> None:
    app = QApplication.instance()
    countdown.stop_all()
    watcher = getattr(kiosk.window, "watcher", None)
    if watcher is not None and app is not None:
        app.removeEventFilter(watcher)
    pool = QThreadPool.globalInstance()
    pool.waitForDone(15_000)  # ops still running deliver to a window that is still there
    QApplication.processEvents()
    kiosk.close()
    pool.waitForDone(15_000)
    QApplication.processEvents()
    kiosk.window.close()
    kiosk.window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()


@contextmanager
def _qt_exceptions() -> Iterator[None]:
    """An exception in a kiosk slot (Qt prints it and carries on) fails the step instead."""
    caught: list[BaseException] = []
    previous = sys.excepthook
    sys.excepthook = lambda kind, exc, tb: caught.append(exc)
    try:
        yield
    finally:
        sys.excepthook = previous
    if caught:
        raise StepFailed(f"the kiosk raised {type(caught[0]).__name__}: {caught[0]} in a Qt callback")
