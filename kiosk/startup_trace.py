"""Start-up timeline: with KIOSK_TRACE_STARTUP=1 the kiosk prints monotonic phase marks to stderr,
measured from the process start (from /proc, so interpreter start and imports count):

    startup   0.412 s  imports
    startup   0.431 s  config
    …
    startup   0.702 s  tiles painted

KIOSK_TRACE_STARTUP=exit also quits once the tiles are painted (bench/bench_startup.py). Without the
variable every call here is a no-op.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

MODE = os.environ.get("KIOSK_TRACE_STARTUP", "")
ENABLED = MODE in ("1", "exit")
_marks: list[tuple[str, float]] = []


def _process_start_monotonic() -> float:
    """The process start on the CLOCK_MONOTONIC scale (Linux: field 22 of /proc/self/stat)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # starttime, in clock ticks since boot
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        since_start = uptime - ticks / os.sysconf("SC_CLK_TCK")
        return time.monotonic() - since_start
    except (OSError, ValueError, IndexError):
        return time.monotonic()


_START = _process_start_monotonic() if ENABLED else 0.0


def mark(phase: str) -> None:
    if not ENABLED:
        return
    t = time.monotonic() - _START
    _marks.append((phase, t))
    print(f"startup {t:8.3f} s  {phase}", file=sys.stderr, flush=True)


def marks() -> list[tuple[str, float]]:
    return list(_marks)


def watch_paints(window: object, home_loaded: Callable[[], bool], quit_app: Callable[[], None]) -> None:
    """Mark the first paint, and the first paint once home shows its tiles (then quit in exit mode)."""
    if not ENABLED:
        return
    from PySide6.QtCore import QEvent, QObject

    class _Painted(QObject):
        def __init__(self) -> None:
            super().__init__(window)  # type: ignore[arg-type]
            self.first = True

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.Paint:
                if self.first:
                    self.first = False
                    mark("first paint")
                elif home_loaded():
                    mark("tiles painted")
                    from PySide6.QtWidgets import QApplication

                    QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
                    if MODE == "exit":
                        quit_app()
            return False

    from PySide6.QtWidgets import QApplication

    QApplication.instance().installEventFilter(_Painted())  # type: ignore[union-attr]
