"""Run a blocking service or device call off the GUI thread (Anki's CollectionOp pattern).

    run_op(lambda: client.certificate(...), on_success=show, on_failure=show_error)

`fn` runs on a QThreadPool thread; the callbacks run on the GUI thread (queued signal). Failures
carry the exception; `kiosk.services.messages.for_error(exc)` is what residents see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from kiosk.services import messages

log = logging.getLogger(__name__)
_live: set[_Op] = set()  # keep ops alive until their signal has been delivered


class _Op(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, op: _Op, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.op, self.fn = op, fn

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to on_failure on the GUI thread
            log.warning("operation failed: %s: %s", type(exc).__name__, getattr(exc, "detail", exc))
            self.op.failed.emit(exc)
        else:
            # Wrapped: emitting a bare None through Signal(object) corrupts None's refcount in
            # PySide6 ("Fatal Python error: none_dealloc") after enough calls.
            self.op.succeeded.emit((result,))


def run_op(fn: Callable[[], Any], on_success: Callable[[Any], None],
           on_failure: Callable[[Exception], None]) -> _Op:
    op = _Op()
    _live.add(op)

    # The callbacks, connected to the op's own signals, close over the op (and whatever the caller's
    # callbacks hold: a step, its plan): a cycle through Qt that Python's collector cannot see. Once
    # delivered, the op is deleted (its connections with it), so nothing a finished journey held stays.
    def done_ok(wrapped: tuple[Any]) -> None:
        _live.discard(op)
        op.deleteLater()
        on_success(wrapped[0])

    def done_err(exc: Exception) -> None:
        _live.discard(op)
        op.deleteLater()
        on_failure(exc)

    op.succeeded.connect(done_ok)
    op.failed.connect(done_err)
    QThreadPool.globalInstance().start(_Runnable(op, fn))
    return op


def user_message(exc: BaseException) -> str:
    return messages.for_error(exc)
