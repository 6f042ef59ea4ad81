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
