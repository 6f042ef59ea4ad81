"""ReceiptPrinter against the printer simulator: printing, status before/after, errors, retry, faults."""

import gc
import socket
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.devices.device_url import DeviceUrlError
from kiosk.devices.model import Completion, DeviceError, DeviceState, HealthLevel
from kiosk.devices.receipt_printer import PrintJobError, ReceiptPrinter
from kiosk.services import messages
from kiosk.services.receipts import examples
from simulators.printer.server import PrinterSim
from simulators.process import start_simulator
from tests.simulators.printer_control import receipts, reset, wait_receipts, wait_until

RECEIPTS = examples(datetime(2024, 5, 1, 9, 30))


@pytest.fixture(scope="module")
def sim():
    with start_simulator("printer", "--out", tempfile.mkdtemp(prefix="printer-drv-test-"), "--no-png") as proc:
        yield proc


@pytest.fixture
def fresh_sim(sim):
    reset(sim)
    return sim


@pytest.fixture
def printer(fresh_sim):
    sim = fresh_sim
    p = ReceiptPrinter("printer", f"tcp://127.0.0.1:{sim.ports['listen']}", command_timeout=20,
                       status_timeout_s=5.0)
    p.open()
    p.enable()
    yield p
    p.close()


def test_prints_a_receipt(sim, printer):
    assert printer.status.state == DeviceState.ONLINE
    assert dict(printer.status.extras) == {"online": True, "cover_open": False, "paper": "ok",
                                           "failed_jobs": 0}
    job = printer.print_receipt(RECEIPTS["certificate"]).wait()
    assert job.state == "printed" and job.attempts == 1 and job.status_after.ready
    (entry,) = wait_receipts(sim, 1)
    assert entry["cut"] and "个人社保参保证明" in entry["text"]
    assert Path(entry["bin"]).read_bytes() == job.data
    assert "陈桂英" not in repr(job)  # a job's repr never shows its content


@pytest.mark.parametrize("state,completion,code,device_state", [
    ({"paper": "out"}, Completion.USER_ERROR, "printer.paper_out", DeviceState.USER_ERROR),
    ({"cover_open": True}, Completion.USER_ERROR, "printer.cover_open", DeviceState.USER_ERROR),
    ({"offline": True}, Completion.DEVICE_NOT_READY, "printer.unavailable", DeviceState.HW_ERROR),
])
def test_refuses_to_print_then_retry_succeeds(sim, printer, state, completion, code, device_state):
    sim.control("POST", "/state", state)
    with pytest.raises(PrintJobError) as err:
        printer.print_receipt(RECEIPTS["acceptance"]).wait()
    job = err.value.job
    assert err.value.completion == completion and err.value.code == code
    assert "工作人员" in messages.for_error(err.value)  # the resident is told who can fix it
    assert job.state == "failed" and printer.failed_jobs == [job]
    assert printer.status.state == device_state and printer.status.extras["failed_jobs"] == 1
    assert receipts(sim) == []  # nothing came out of the printer

    sim.control("POST", "/state", {"paper": "ok", "cover_open": False, "offline": False})
    assert printer.retry(job).wait() is job
    assert job.state == "printed" and job.attempts == 2 and printer.failed_jobs == []
    assert printer.status.state == DeviceState.ONLINE
    (entry,) = wait_receipts(sim, 1)
    assert entry["cut"] and Path(entry["bin"]).read_bytes() == job.data


def test_near_end_still_prints_and_says_so(sim, printer):
    sim.control("POST", "/state", {"paper": "near_end"})
    job = printer.print_receipt(RECEIPTS["queue_ticket"]).wait()
    assert job.state == "printed" and job.status_after.paper == "near_end"
    assert printer.status.state == DeviceState.ONLINE and printer.status.extras["paper"] == "near_end"


def test_query_status_and_health(sim, printer):
    assert printer.query_status().wait().to_dict() == {"online": True, "cover_open": False, "paper": "ok"}
    assert printer.check_health(HealthLevel.EXTERNAL).ok
    sim.control("POST", "/state", {"paper": "out"})
    report = printer.check_health(HealthLevel.EXTERNAL)
    assert not report.ok and "'paper': 'out'" in report.text


def test_connection_dropped_mid_job_then_retry(sim, printer):
    sim.control("POST", "/fault", {"kind": "drop_mid_job"})
    with pytest.raises(PrintJobError) as err:
        printer.print_receipt(RECEIPTS["payment"]).wait()
    assert err.value.code == "printer.not_finished" and printer.status.state == DeviceState.OFFLINE
    job = err.value.job
    assert printer.failed_jobs == [job]
    assert printer.retry(job).wait().state == "printed"  # reconnects by itself
    partial, full = wait_receipts(sim, 2)
    assert not partial["cut"] and full["cut"]
    assert Path(full["bin"]).read_bytes() == job.data


def test_slow_printer_times_out_then_retry(sim, printer):
    printer.status_timeout = 0.3
    sim.control("POST", "/fault", {"kind": "slow", "seconds": 1.5})
    with pytest.raises(PrintJobError) as err:
        printer.print_receipt(RECEIPTS["item_guide"]).wait()
    assert err.value.completion == Completion.TIMEOUT and err.value.code == "printer.not_finished"
    sim.control("POST", "/fault", {"kind": "none"})
    printer.status_timeout = 5.0
    assert printer.retry(err.value.job).wait().state == "printed"


def test_unplugged_printer_then_replug_and_retry(sim, printer):
    sim.control("POST", "/unplug")
    with pytest.raises(PrintJobError) as err:
        printer.print_receipt(RECEIPTS["query_result"]).wait()
    assert err.value.completion == Completion.HARDWARE_ERROR and err.value.code == "printer.not_finished"
    assert printer.status.state == DeviceState.OFFLINE
    with pytest.raises(PrintJobError):  # still unplugged: fails again, still kept
        printer.retry(err.value.job).wait()
    assert printer.failed_jobs == [err.value.job] and err.value.job.attempts == 2
    sim.control("POST", "/replug")
    assert printer.retry(err.value.job).wait().state == "printed"
    assert printer.status.state == DeviceState.ONLINE


def test_a_failed_job_leaves_only_by_discard(sim, printer):
    sim.control("POST", "/state", {"paper": "out"})
    with pytest.raises(PrintJobError) as err:
        printer.print_receipt(RECEIPTS["queue_ticket"]).wait()
    printer.discard(err.value.job)
    assert printer.failed_jobs == [] and err.value.job.state == "discarded"


def test_open_printer_takes_jobs_until_disabled(fresh_sim):
    sim = fresh_sim
    p = ReceiptPrinter("printer", f"tcp://127.0.0.1:{sim.ports['listen']}", status_timeout_s=5.0)
    try:
        p.open()  # no enable(): an open output device prints
        assert p.print_receipt(RECEIPTS["queue_ticket"]).wait().state == "printed"
        p.disable()
        with pytest.raises(PrintJobError) as err:
            p.print_receipt(RECEIPTS["queue_ticket"]).wait()
        assert err.value.completion == Completion.SEQUENCE_ERROR
        assert p.failed_jobs == [err.value.job]
        p.enable()
        assert p.retry(err.value.job).wait().state == "printed"
    finally:
        p.close()


class _StopsAtTheCut(PrinterSim):
    """Prints the job, then (once) the paper runs out or the cover is opened as the cutter fires."""

    def __init__(self, *args, at_cut: dict, **kw) -> None:
        super().__init__(*args, **kw)
        self.at_cut = at_cut

    def _finish(self, page, end, cut):
        super()._finish(page, end, cut)
        if cut and self.at_cut:
            self.paper = self.at_cut.get("paper", self.paper)
            self.cover_open = self.at_cut.get("cover_open", self.cover_open)
            self.at_cut = {}


@pytest.mark.parametrize("at_cut,code,extra", [
    ({"paper": "out"}, "printer.paper_ran_out", ("paper", "out")),
    ({"cover_open": True}, "printer.cover_opened", ("cover_open", True)),
])
def test_paper_out_or_cover_open_during_the_job_is_an_error_then_retry(at_cut, code, extra):
    sim = _StopsAtTheCut("127.0.0.1", 0, Path(tempfile.mkdtemp()), render_png=False, at_cut=at_cut).start()
    p = ReceiptPrinter("printer", f"tcp://127.0.0.1:{sim.port}", status_timeout_s=5.0)
    try:
        p.open()
        p.enable()
        with pytest.raises(PrintJobError) as err:
            p.print_receipt(RECEIPTS["certificate"]).wait()
        job = err.value.job
        assert err.value.completion == Completion.USER_ERROR and err.value.code == code
        assert "不完整" in messages.for_error(err.value)  # the slip may be cut short: say so
        assert p.failed_jobs == [job] and p.status.extras[extra[0]] == extra[1]
        sim.paper, sim.cover_open = "ok", False  # staff loaded paper / closed the cover
        assert p.retry(job).wait().state == "printed" and p.failed_jobs == []
        assert [r["cut"] for r in sim.receipts] == [True, True]  # the slip was printed again in full
    finally:
        p.close()
        sim.stop()


# ---- no I/O in the constructor or finaliser; other connectors --------------------------------
def test_constructor_does_no_io_and_validates():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.3)
        p = ReceiptPrinter("printer", f"tcp://127.0.0.1:{listener.getsockname()[1]}", profile="58mm")
        with pytest.raises(TimeoutError):
            listener.accept()
    assert p.profile.columns == 32 and p.status.state == DeviceState.CLOSED
    with pytest.raises(DeviceUrlError):
        ReceiptPrinter("printer", "lpt://1")
    with pytest.raises(ValueError):
        ReceiptPrinter("printer", "tcp://127.0.0.1:9100", profile="76mm")


def test_finaliser_of_a_connector_is_silent(monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    for url in ("usb://0416:5011", "tcp://127.0.0.1:9", "serial:///dev/null"):
        conn = ReceiptPrinter("printer", url)._make_connector()
        del conn
        gc.collect()
    assert unraisable == []


def test_usb_without_pyusb_is_a_clear_error():
    pytest.importorskip("escpos.printer")
    try:
        import usb  # noqa: F401
        pytest.skip("pyusb is installed here")
    except ImportError:
        pass
    p = ReceiptPrinter("printer", "usb://0416:5011")
    with pytest.raises(DeviceError) as err:
        p.open()
    assert err.value.completion == Completion.DEVICE_NOT_READY and err.value.code == "printer.unavailable"
    assert "usb://0416:5011" in err.value.detail
    assert p.status.state == DeviceState.NO_DEVICE
    p.close()


def test_serial_connector_over_a_pty():
    import os
    import tty

    from simulators.printer.escpos_parser import EscPosParser, StatusQuery

    main_fd, sub_fd = os.openpty()
    tty.setraw(sub_fd)
    received = bytearray()
    stop = threading.Event()

    def printer_end():  # answers every DLE EOT with "ready", keeps the job bytes
        parser = EscPosParser()
        os.set_blocking(main_fd, False)
        while not stop.is_set():
            try:
                data = os.read(main_fd, 4096)
            except BlockingIOError:
                stop.wait(0.01)
                continue
            except OSError:
                return
            received.extend(data)
            for block in parser.feed(data):
                if isinstance(block, StatusQuery):
                    os.write(main_fd, b"\x12")

    thread = threading.Thread(target=printer_end, daemon=True)
    thread.start()
    p = ReceiptPrinter("printer", f"serial://{os.ttyname(sub_fd)}?baudrate=115200", status_timeout_s=5.0)
    try:
        p.open()
        p.enable()
        job = p.print_receipt(RECEIPTS["queue_ticket"]).wait()
        assert job.state == "printed"
        wait_until(lambda: job.data in bytes(received), "the job bytes on the serial line")
    finally:
        p.close()
        stop.set()
        thread.join(5)
        os.close(main_fd)
        os.close(sub_fd)
