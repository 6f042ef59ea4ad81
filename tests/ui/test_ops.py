"""run_op delivers results and failures on the GUI thread; and the Qt binding does not corrupt
refcounts when signals call Python slots (PySide6 6.12.0 did: the kiosk crashed after ~1000 ops)."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal

from kiosk.devices.model import Completion, DeviceError
from kiosk.services import messages
from kiosk.ui.ops import run_op, user_message


class _Emitter(QObject):
    fired = Signal(object)


def test_slot_calls_keep_refcounts_intact(qapp) -> None:
    e = _Emitter()
    e.fired.connect(lambda value: None)  # returns None, like most slots
    before = sys.getrefcount(None)
    for _ in range(3000):
        e.fired.emit(None)
    assert sys.getrefcount(None) >= before - 10


def test_results_arrive_on_the_gui_thread(qtbot) -> None:
    gui = threading.get_ident()
    got: list[tuple[object, int]] = []
    for i in range(200):
        run_op(lambda i=i: None if i % 2 else i, lambda r: got.append((r, threading.get_ident())),
               lambda exc: got.append((exc, threading.get_ident())))
    qtbot.waitUntil(lambda: len(got) == 200, timeout=60_000)
    assert {t for _, t in got} == {gui}
    assert sum(1 for r, _ in got if r is None) == 100


def test_failures_carry_the_exception_and_its_message_code(qtbot) -> None:
    errors: list[Exception] = []

    def fail() -> None:
        raise DeviceError(Completion.USER_ERROR, "paper out", "printer.paper_out")

    run_op(fail, lambda r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=60_000)
    assert user_message(errors[0]) == messages.text("printer.paper_out") == "打印机缺纸，请联系工作人员加纸后重试。"
    assert "工作人员" in user_message(RuntimeError("boom"))


def test_a_delivered_op_is_let_go_with_what_its_callbacks_hold(qtbot) -> None:
    """An op's callbacks are connected to its own signals: a cycle through Qt that Python's collector
    cannot see. Once delivered, the op is deleted, so a finished journey's plan and steps (what the
    callbacks close over) are freed, not kept by every op the session ran (the soak, issue 27)."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.ui import ops

    class Held:  # stands for what a step's callback closes over
        pass

    held = [Held() for _ in range(20)]
    refs = [weakref.ref(h) for h in held]
    done: list[int] = []
    for n, h in enumerate(held):
        run_op(lambda n=n: n, lambda r, h=h: done.append(r), lambda exc, h=h: done.append(-1))
    del held, h
    qtbot.waitUntil(lambda: len(done) == 20)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert not ops._live
    assert [r for r in refs if r() is not None] == []
