"""Issue 16, case 10: a printer with automatic status back (ASB) sends status blocks unasked. The
driver flushes pending input before each DLE EOT query and skips bytes that cannot be a reply, so a
healthy printer is never reported faulty by a stale byte, and a real fault still reads as one."""

from __future__ import annotations

import socket
import tempfile
from datetime import datetime

import pytest

from kiosk.devices.printer_status import is_status_reply
from kiosk.devices.receipt_printer import ReceiptPrinter
from kiosk.services.receipts import examples
from simulators.process import start_simulator
from tests.simulators.printer_control import reset, wait_receipts, wait_until

RECEIPT = examples(datetime(2024, 5, 1, 9, 30))["certificate"]


@pytest.fixture(scope="module")
def sim():
    with start_simulator("printer", "--out", tempfile.mkdtemp(prefix="printer-asb-"), "--no-png") as proc:
        yield proc


@pytest.fixture
def printer(sim):
    reset(sim)
    p = ReceiptPrinter("printer", f"tcp://127.0.0.1:{sim.ports['listen']}", command_timeout=20,
                       status_timeout_s=5.0)
    p.open()
    p.enable()
    wait_until(lambda: sim.control("GET", "/state")[1]["connected"], "the driver's connection")
    yield p
    p.close()
    sim.control("POST", "/state", {"auto_status_back": False})


def asb_sent(sim) -> int:
    return sim.control("GET", "/state")[1]["asb_blocks_sent"]


def test_status_blocks_sent_unasked_do_not_read_as_a_fault(sim, printer):
    sim.control("POST", "/state", {"auto_status_back": True})  # one block when switched on
    sim.control("POST", "/state", {"paper": "out"})  # one block: paper end
    sim.control("POST", "/state", {"paper": "ok"})  # one block: back to normal
    assert asb_sent(sim) == 3  # 12 bytes wait in the driver's socket, unread
    status = printer.query_status().wait()
    assert status.ready and status.paper == "ok" and status.online
    job = printer.print_receipt(RECEIPT).wait()
    assert job.state == "printed" and job.status_after.ready
    assert len(wait_receipts(sim, 1)) == 1


def test_a_real_fault_still_reads_as_one_between_status_blocks(sim, printer):
    sim.control("POST", "/state", {"auto_status_back": True, "cover_open": True})
    status = printer.query_status().wait()
    assert status.cover_open and not status.ready
    sim.control("POST", "/state", {"cover_open": False, "paper": "near_end"})
    status = printer.query_status().wait()
    assert status.ready and status.paper == "near_end"


def test_the_simulator_turns_asb_on_with_gs_a_and_its_blocks_are_never_replies(sim):
    reset(sim)
    sim.control("POST", "/state", {"paper": "out", "cover_open": True})
    with socket.create_connection(("127.0.0.1", sim.ports["listen"]), timeout=10) as conn:
        conn.sendall(b"\x1d\x61\xff")  # GS a 255: every status change, and one block now
        block = b""
        while len(block) < 4:
            block += conn.recv(4 - len(block))
        assert block[0] & 0x93 == 0x10 and block[0] & 0x28 == 0x28  # offline, cover open
        assert block[2] & 0x0C == 0x0C  # paper end
        assert not any(is_status_reply(b) for b in block)
        conn.sendall(b"\x10\x04\x04")  # DLE EOT 4 is still answered with one reply byte
        reply = conn.recv(1)
        assert is_status_reply(reply[0]) and reply[0] & 0x60 == 0x60
        conn.sendall(b"\x1d\x61\x00")  # GS a 0: off
        wait_until(lambda: not sim.control("GET", "/state")[1]["auto_status_back"], "ASB off")
    reset(sim)
