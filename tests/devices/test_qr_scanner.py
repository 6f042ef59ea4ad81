"""The QR scanner: pure framing/decoding, and the driver against the simulator process."""

from __future__ import annotations

import json
import queue
import socket
import threading
import time

import pytest

from kiosk.devices.model import DeviceState
from kiosk.devices.qr_scanner import (
    DuplicateFilter,
    QrScanner,
    Rejected,
    ScanError,
    ScanFramer,
    decode_payload,
)
from simulators.personas import get_persona
from simulators.process import start_simulator

WAIT = 20.0


# ---- framing ------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [b"\r", b"\n", b"\r\n"])
def test_auto_mode_ends_codes_on_cr_lf_crlf(suffix):
    f = ScanFramer()
    assert f.feed(b"ABC" + suffix + b"DEF" + suffix) == [b"ABC", b"DEF"]


def test_crlf_split_across_reads_counts_once():
    f = ScanFramer()
    assert f.feed(b"ABC\r") == [b"ABC"]
    assert f.feed(b"\nDEF\r") == [b"DEF"]
    assert f.feed(b"\n") == []


def test_code_split_over_many_reads():
    f = ScanFramer()
    out = []
    for piece in (b"EI", b"D1.", b"XYZ", b"\r"):
        out += f.feed(piece)
    assert out == [b"EID1.XYZ"]


def test_fixed_crlf_suffix_keeps_lone_cr_and_lf_as_data():
    f = ScanFramer("\r\n")
    assert f.feed(b"A\rB\nC\r") == []
    assert f.feed(b"\n") == [b"A\rB\nC"]


def test_overlong_frame_is_rejected_once_then_framing_resumes():
    f = ScanFramer(max_len=8)
    assert f.feed(b"0123456789") == [Rejected("code longer than 8 bytes")]
    assert f.feed(b"abcdef") == []
    assert f.feed(b"\rOK\r") == [b"OK"]
    assert f.feed(b"0123456789\r") == [Rejected("code longer than 8 bytes")]


def test_empty_frames_are_ignored():
    assert ScanFramer().feed(b"\r\n\r\n\n\r") == []


def test_bad_suffix_option():
    with pytest.raises(ValueError):
        ScanFramer("tab")


# ---- decoding -----------------------------------------------------------------------------------

def test_utf8_first_then_gbk():
    assert decode_payload("粤省事".encode()).encoding == "utf-8"
    gbk = decode_payload("韶关市浈江区".encode("gbk"))
    assert (gbk.code, gbk.encoding) == ("韶关市浈江区", "gbk")


def test_garbage_is_rejected():
    with pytest.raises(ScanError):
        decode_payload(b"\xff\xfe\x80")
    with pytest.raises(ScanError, match="control"):
        decode_payload(b"AB\x00C")


def test_forced_encoding():
    with pytest.raises(ScanError):
        decode_payload("粤".encode("gbk"), "utf-8")


def test_code_repr_hides_content():
    code = decode_payload(b"EID1.SECRET")
    assert "SECRET" not in repr(code)


def test_duplicate_window():
    now = [100.0]
    d = DuplicateFilter(2.0, clock=lambda: now[0])
    assert d.is_duplicate("A") is False
    now[0] += 1.0
    assert d.is_duplicate("A") is True
    assert d.is_duplicate("B") is False
    now[0] += 2.5
    assert d.is_duplicate("A") is False
    assert DuplicateFilter(0).is_duplicate("A") is False


# ---- driver against the simulator ---------------------------------------------------------------

@pytest.fixture(scope="module")
def sim():
    with start_simulator("scanner") as proc:
        yield proc


def wait_connected(sim, connected: bool = True) -> None:
    deadline = time.monotonic() + WAIT
    while sim.control("GET", "/state")[1]["connected"] is not connected:
        assert time.monotonic() < deadline, "scanner link state did not change"


def wait_link(sim, codes: queue.Queue) -> None:
    """The sim's `connected` may still describe the previous test's link for a moment; only a code
    that arrives proves the new link carries data. Probe until the latest probe arrives (codes
    arrive in order, so older probes are consumed on the way and nothing is left in flight)."""
    deadline = time.monotonic() + WAIT
    n = 0
    while True:
        n += 1
        status, _ = sim.control("POST", "/scan", {"code": f"PROBE-{n}"})
        try:
            while status == 200:
                if codes.get(timeout=1.0).code == f"PROBE-{n}":
                    return
        except queue.Empty:
            pass
        assert time.monotonic() < deadline, "no code got through the scanner link"


@pytest.fixture
def scanner(sim):
    sim.control("POST", "/replug")
    s = QrScanner("scanner", f"socket://127.0.0.1:{sim.ports['listen']}", poll_interval=0.01,
                  duplicate_window_s=0)
    codes: queue.Queue = queue.Queue()
    rejects: queue.Queue = queue.Queue()
    s.events.set_listener(codes.put)
    s.read_errors.set_listener(rejects.put)
    s.open()
    s.enable()
    wait_connected(sim)
    wait_link(sim, codes)
    yield s, codes, rejects
    s.close()


@pytest.mark.parametrize("suffix", ["\r", "\n", "\r\n"])
def test_scan_with_each_suffix(sim, scanner, suffix):
    s, codes, _ = scanner
    assert sim.control("POST", "/scan", {"code": "HELLO-1", "suffix": suffix})[0] == 200
    assert codes.get(timeout=WAIT).code == "HELLO-1"


def test_persona_eid_token(sim, scanner):
    s, codes, _ = scanner
    sim.control("POST", "/scan", {"persona": "chen_guiying"})
    assert codes.get(timeout=WAIT).code == get_persona("chen_guiying").eid_token


def test_split_frames_and_several_codes(sim, scanner):
    s, codes, _ = scanner
    sim.control("POST", "/scan", {"code": "SPLIT-CODE-0123456789", "split": 5, "suffix": "\r\n"})
    assert codes.get(timeout=WAIT).code == "SPLIT-CODE-0123456789"
    sim.control("POST", "/scan", {"codes": ["ONE", "TWO", "THREE"]})
    assert [codes.get(timeout=WAIT).code for _ in range(3)] == ["ONE", "TWO", "THREE"]
    assert codes.empty()


def test_gbk_payload(sim, scanner):
    s, codes, _ = scanner
    sim.control("POST", "/scan", {"code": "广东省韶关市", "encoding": "gbk", "split": 3})
    got = codes.get(timeout=WAIT)
    assert (got.code, got.encoding) == ("广东省韶关市", "gbk")


def test_garbage_is_reported_and_scanning_continues(sim, scanner):
    s, codes, rejects = scanner
    sim.control("POST", "/garbage", {"bytes": 40})
    assert "neither" in rejects.get(timeout=WAIT).detail
    sim.control("POST", "/scan", {"code": "AFTER-NOISE"})
    assert codes.get(timeout=WAIT).code == "AFTER-NOISE"


def test_duplicate_suppression_with_simulator(sim):
    sim.control("POST", "/replug")
    s = QrScanner("scanner", f"socket://127.0.0.1:{sim.ports['listen']}", poll_interval=0.01,
                  duplicate_window_s=60)
    codes: queue.Queue = queue.Queue()
    s.events.set_listener(codes.put)
    s.open()
    s.enable()
    try:
        wait_connected(sim)
        wait_link(sim, codes)  # `connected` may still describe the previous test's link
        sim.control("POST", "/scan", {"codes": ["SAME", "SAME", "SAME", "OTHER"]})
        assert codes.get(timeout=WAIT).code == "SAME"
        assert codes.get(timeout=WAIT).code == "OTHER"
        assert codes.empty()
    finally:
        s.close()


def test_unplug_goes_offline_and_reopen_recovers(sim, scanner):
    s, codes, _ = scanner
    offline = threading.Event()
    s.add_status_listener(lambda status: status.state == DeviceState.OFFLINE and offline.set())
    sim.control("POST", "/unplug")
    assert offline.wait(WAIT), "the scanner did not notice the unplug"
    sim.control("POST", "/replug")
    s.reopen()
    wait_connected(sim)
    wait_link(sim, codes)
    sim.control("POST", "/scan", {"code": "BACK"})
    assert codes.get(timeout=WAIT).code == "BACK"


def test_scan_without_client_is_409(sim):
    sim.control("POST", "/replug")
    wait_connected(sim, False)
    assert sim.control("POST", "/scan", {"code": "X"})[0] == 409


# ---- kiosk-diag scanner read ------------------------------------------------------------------

def test_cli_prints_one_json_object_per_code(sim):
    import subprocess
    import sys

    sim.control("POST", "/replug")
    wait_connected(sim, False)
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.diag.cli", "scanner", "read", "--port",
                             f"socket://127.0.0.1:{sim.ports['listen']}", "--timeout", "60", "--count", "2",
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_connected(sim)
        sim.control("POST", "/garbage")
        # the noise is reported before any code is sent: rejections and codes reach the CLI through
        # two event queues, so a rejection racing the last code could come after the CLI stopped
        rejected = proc.stderr.readline()
        sim.control("POST", "/scan", {"codes": ["粤省事码-1", "SECOND"], "encoding": "gbk", "split": 4})
        out, err = proc.communicate(timeout=60)
        err = rejected + err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert [json.loads(line) for line in out.splitlines()] == [{"code": "粤省事码-1"}, {"code": "SECOND"}]
    assert "rejected" in err


def test_cli_no_code_and_usage(sim):
    from kiosk.diag import scanner as diag_scanner

    sim.control("POST", "/replug")
    assert diag_scanner.main(["read", "--port", f"socket://127.0.0.1:{sim.ports['listen']}",
                              "--timeout", "0.2"]) == 1
    assert diag_scanner.main(["read", "--port", "nope"]) == 2


def test_reset_plugs_the_scanner_back_in(sim):
    sim.control("POST", "/unplug")
    status, state = sim.control("POST", "/reset")
    assert status == 200 and state["plugged"] is True
    socket.create_connection(("127.0.0.1", sim.ports["listen"]), timeout=10).close()  # listening again
