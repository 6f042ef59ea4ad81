"""Blocking work off the GUI thread: one background thread per Worker, jobs run in the order given,
results delivered on the GUI thread (a queued signal), like kiosk/ui/ops.py run_op.

The console has two: actions (a tester's clicks, strictly in order: place then lift) and polls
(state, receipts, traffic, the camera thumbnail), so a slow poll never delays a click. Not
QThreadPool.globalInstance(): the scenario runner waits for that pool to be idle, and the console may
be open while it replays a fragment in the same process (the tests do).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal


class Worker(QObject):
    _done = Signal(object)  # (callback, value), emitted on the worker thread

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.pending = 0  # jobs submitted and not yet delivered (GUI thread only)
        self._closed = False
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(self, fn: Callable[[], Any], on_ok: Callable[[Any], None],
               on_fail: Callable[[Exception], None]) -> None:
        if self._closed:
            return
        self.pending += 1

        def run() -> None:
            try:
                value = fn()
            except Exception as exc:  # handed to on_fail on the GUI thread
                self._done.emit((on_fail, exc))
            else:
                self._done.emit((on_ok, value))

        self._pool.submit(run)

    def _deliver(self, done: tuple[Callable[[Any], None], Any]) -> None:
        self.pending -= 1
        if not self._closed:
            callback, value = done
            callback(value)

    def close(self) -> None:
        """Drop queued jobs; a call under way ends by itself (the link's timeout) and is not delivered.
        Closing never waits for it, so a hung hub cannot freeze the window."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
