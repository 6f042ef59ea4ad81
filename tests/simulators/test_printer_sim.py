"""The ESC/POS printer simulator: stream parser, renderer round trip, control API, states and faults."""

import socket
import tempfile
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.devices.printer_profiles import PROFILES, get_profile
from kiosk.services.receipts import examples, printable, receipt_to_escpos
from simulators.printer.escpos_parser import (
    Cut,
    EscPosParser,
    Feed,
    QrCode,
    Raster,
    Reset,
    StatusQuery,
    TextLine,
)
from simulators.printer.render import face_index, render_png
from simulators.printer.server import page_text
from simulators.process import start_simulator
from tests.simulators.printer_control import receipts, reset, wait_receipts

EXAMPLES = examples(datetime(2024, 5, 1, 9, 30))


def parse(data: bytes, **kw) -> list:
    p = EscPosParser(**kw)
    return p.feed(data) + p.flush()


def texts(blocks) -> list[str]:
    return [b.text for b in blocks if isinstance(b, TextLine)]


# ---- parser ---------------------------------------------------------------------------------
def test_split_anywhere_gives_the_same_blocks():
    data = receipt_to_escpos(EXAMPLES["certificate"], get_profile("80mm"))
    whole = parse(data)
    for step in (1, 2, 3, 7, 64):
        p = EscPosParser()
        pieces = []
        for i in range(0, len(data), step):
            pieces += p.feed(data[i:i + step])
        assert pieces + p.flush() == whole
        assert p.pending == 0 and not p.unknown


def test_sizes_alignment_bold():
    c = "中".encode("gb18030")
    blocks = parse(b"\x1b!\x30A" + c + b"\n"  # ESC !: ASCII double width + height only
                   b"\x1b!\x00\x1c!\x0cA" + c + b"\n"  # FS !: Chinese double width + height only
                   b"\x1c!\x00\x1d!\x21\x1ba\x02\x1bE\x01A" + c + b"\n")  # GS !: both 3x2
    a1, a2, a3 = [b for b in blocks if isinstance(b, TextLine)]
    assert [(g.w, g.h) for g in a1.glyphs] == [(2, 2), (1, 1)]
    assert [(g.w, g.h) for g in a2.glyphs] == [(1, 1), (2, 2)]
    assert [(g.w, g.h, g.bold) for g in a3.glyphs] == [(3, 2, True), (3, 2, True)]
    assert (a1.align, a3.align) == ("left", "right")
    assert [g.wide for g in a3.glyphs] == [False, True]


def test_chinese_mode_switches_and_gb18030_forms():
    text = "䶮é中：¥"  # Ext-A (2 bytes FE 9F), 4-byte é, 2-byte 中
    raw = text.encode("gb18030")
    assert texts(parse(raw + b"\n")) == [text]
    # a printer that powers up in ASCII mode prints code-page characters until FS &
    garbled = texts(parse(raw + b"\n", chinese_at_power_on=False))[0]
    assert garbled != text and len(garbled) == len(raw)
    assert texts(parse(b"\x1c&" + raw + b"\n", chinese_at_power_on=False)) == [text]
    assert texts(parse(b"\x1c." + "中".encode("gb18030") + b"\n"))[0] != "中"
    assert texts(parse(b"\x1b@" + raw + b"\n", chinese_at_power_on=False))[0] != text  # ESC @ resets


def test_qr_raster_cut_status_and_reset():
    payload = b"https://example.invalid/p?q=1"
    n = len(payload) + 3
    data = (b"\x1b@" + b"\x1d(k\x04\x001A2\x00" + b"\x1d(k\x03\x001C\x07" + b"\x1d(k\x03\x001E3"
            + b"\x1d(k" + bytes([n, 0]) + b"1P0" + payload + b"\x1d(k\x03\x001Q0"
            + b"\x1dv0\x00\x02\x00\x03\x00" + b"\xff\x00" * 3
            + b"\x10\x04\x04" + b"\x1dr\x01" + b"\x1bd\x03" + b"\x1dVB\x05")
    blocks = parse(data)
    kinds = [type(b) for b in blocks]
    assert kinds == [Reset, QrCode, Raster, StatusQuery, StatusQuery, Feed, Feed, Cut]
    qr = blocks[1]
    assert (qr.payload, qr.module, qr.ec) == (payload, 7, "H")
    assert (blocks[2].width_bytes, blocks[2].height) == (2, 3)
    assert (blocks[3].kind, blocks[3].n, blocks[4].kind) == ("dle_eot", 4, "gs_r")
    assert blocks[-1].partial and blocks[-1].at == len(data)


def test_unknown_and_skipped_commands_never_print_their_parameters():
    data = (b"\x1b3A" + b"\x1dB\x01" + b"\x1dk\x04123\x00" + b"\x1bp\x00AB" + b"\x1b*!\x02\x00" + b"\xff" * 6
            + b"\x1d(L\x03\x000pA" + b"\x1b~" + b"ok\n")
    p = EscPosParser()
    blocks = p.feed(data) + p.flush()
    assert texts(blocks) == ["ok"]
    assert p.unknown == ["ESC 0x7e"]


# ---- renderer round trip --------------------------------------------------------------------
def squash(text: str) -> str:
    return "".join(printable(text).split())


@pytest.mark.parametrize("profile_name", sorted(PROFILES))
@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_render_round_trip(kind, profile_name):
    receipt, profile = EXAMPLES[kind], get_profile(profile_name)
    blocks = parse(receipt_to_escpos(receipt, profile))
    printed = squash(page_text(blocks))
    for line in receipt.plain_text().splitlines():  # every line of the receipt, in order
        pos = printed.find(squash(line))
        assert pos >= 0, line
        printed = printed[pos + len(squash(line)):]
    image = render_png([b for b in blocks if not isinstance(b, (StatusQuery, Reset, Cut))],
                       profile.dots, profile.paper_mm)
    assert image.width == profile.paper_mm * 8
    if receipt.qr:
        decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(np.array(image.convert("RGB")))
        assert decoded == receipt.qr


def test_render_uses_the_simplified_chinese_face():
    assert face_index("Noto Sans CJK SC") == 2  # index 0 is the Japanese face


def test_large_text_is_drawn_larger():
    one = render_png(parse("中\n".encode("gb18030")), 576, 80)
    big = render_png(parse(b"\x1d!\x22" + "中\n".encode("gb18030")), 576, 80)
    ink = lambda im: int((np.array(im) < 128).sum())  # noqa: E731
    assert ink(big) > 4 * ink(one) > 0


# ---- the simulator process ------------------------------------------------------------------
@pytest.fixture(scope="module")
def sim():
    out = tempfile.mkdtemp(prefix="printer-sim-test-")
    with start_simulator("printer", "--out", out) as proc:
        proc.out = Path(out)
        yield proc


@pytest.fixture
def printer(sim):
    reset(sim)
    return sim


def connect(sim, timeout=10.0) -> socket.socket:
    return socket.create_connection(("127.0.0.1", sim.ports["listen"]), timeout=timeout)


def status_bytes(sock) -> tuple[int, int, int]:
    out = []
    for n in (1, 2, 4):
        sock.sendall(bytes([0x10, 0x04, n]))
        out.append(sock.recv(1)[0])
    return tuple(out)


@pytest.mark.parametrize("state,expected", [
    ({}, (0x12, 0x12, 0x12)),
    ({"paper": "near_end"}, (0x12, 0x12, 0x1E)),
    ({"paper": "out"}, (0x1A, 0x32, 0x72)),
    ({"cover_open": True}, (0x1A, 0x16, 0x12)),
    ({"offline": True}, (0x1A, 0x12, 0x12)),
])
def test_dle_eot_answers_follow_the_state(printer, state, expected):
    assert printer.control("POST", "/state", state)[0] == 200
    with connect(printer) as s:
        assert status_bytes(s) == expected


def test_receipts_are_saved_as_bin_txt_png(printer):
    data = receipt_to_escpos(EXAMPLES["acceptance"], get_profile("80mm"))
    with connect(printer) as s:
        s.sendall(data)
        assert status_bytes(s) == (0x12, 0x12, 0x12)
    (entry,) = wait_receipts(printer, 1)
    assert entry["cut"] and not entry["incomplete"]
    assert Path(entry["bin"]).read_bytes() == data
    assert "受理凭证" in Path(entry["txt"]).read_text(encoding="utf-8") == entry["text"]
    assert entry["qr"] == [EXAMPLES["acceptance"].qr]
    img = cv2.imread(entry["png"])
    assert cv2.QRCodeDetector().detectAndDecode(img)[0] == EXAMPLES["acceptance"].qr
    assert printer.control("GET", "/receipts/last")[1]["index"] == entry["index"]
    assert printer.control("DELETE", "/receipts")[1] == {"deleted": 1}
    assert not Path(entry["png"]).exists()
    assert printer.control("GET", "/receipts/last")[0] == 404


@pytest.mark.parametrize("state", [{"paper": "out"}, {"cover_open": True}, {"offline": True}])
def test_a_stopped_printer_prints_nothing(printer, state):
    printer.control("POST", "/state", state)
    with connect(printer) as s:
        s.sendall(receipt_to_escpos(EXAMPLES["queue_ticket"], get_profile("80mm")))
        status_bytes(s)  # answered after the job bytes were handled
    assert printer.control("GET", "/state")[1]["discarded_bytes"] > 0
    assert receipts(printer) == []


def test_drop_mid_job_leaves_a_torn_partial_receipt(printer):
    printer.control("POST", "/fault", {"kind": "drop_mid_job"})
    data = receipt_to_escpos(EXAMPLES["certificate"], get_profile("80mm"))
    with connect(printer) as s:
        s.sendall(data)
        assert s.recv(16) == b""  # the printer hung up
    (entry,) = wait_receipts(printer, 1)
    assert not entry["cut"] and len(Path(entry["bin"]).read_bytes()) < len(data)
    assert printer.control("GET", "/state")[1]["fault"]["kind"] == "none"  # one shot


def test_slow_printer_answers_late(printer):
    printer.control("POST", "/fault", {"kind": "slow", "seconds": 1.0})
    with connect(printer, timeout=0.2) as s:
        s.sendall(b"\x10\x04\x01")
        with pytest.raises(TimeoutError):
            s.recv(1)
        s.settimeout(30)
        assert s.recv(1) == b"\x12"


def test_unplug_and_replug_keep_the_port(printer):
    assert printer.control("POST", "/unplug")[1] == {"plugged": False}
    with pytest.raises(OSError):
        connect(printer).close()
    assert printer.control("POST", "/replug")[1] == {"plugged": True}
    with connect(printer) as s:
        assert status_bytes(s)[0] == 0x12


def test_control_validation(printer):
    assert printer.control("POST", "/state", {"paper": "low"})[0] == 400
    assert printer.control("POST", "/state", {"cover_open": "yes"})[0] == 400
    assert printer.control("POST", "/state", {"jammed": True})[0] == 400
    assert printer.control("POST", "/fault", {"kind": "fire"})[0] == 400
    assert printer.control("POST", "/fault", {"kind": "slow", "seconds": -1})[0] == 400
    traffic = printer.control("GET", "/traffic")[1]["traffic"]
    assert isinstance(traffic, list)


def printed_lines(entry: dict) -> list[str]:
    return [line for line in entry["text"].splitlines() if line.strip() and not line.startswith("[")]


def test_paper_runs_out_after_n_lines_in_the_middle_of_a_job(printer):
    """Fault paper_out_after_lines: N lines print, then the roll ends: the rest of the job is lost,
    the receipt is incomplete, DLE EOT says paper out until refilled. One shot."""
    printer.control("POST", "/fault", {"kind": "paper_out_after_lines", "lines": 3})
    data = receipt_to_escpos(EXAMPLES["certificate"], get_profile("80mm"))
    with connect(printer) as s:
        s.sendall(data)
        assert status_bytes(s) == (0x1A, 0x32, 0x72)  # paper out, answered after the job bytes
    (entry,) = wait_receipts(printer, 1)
    assert len(printed_lines(entry)) == 3 and entry["incomplete"]
    state = printer.control("GET", "/state")[1]
    assert state["paper"] == "out" and state["fault"]["kind"] == "none" and state["discarded_bytes"] > 0
    printer.control("POST", "/state", {"paper": "ok"})  # refilled: the whole job prints again
    with connect(printer) as s:
        s.sendall(data)
        assert status_bytes(s) == (0x12, 0x12, 0x12)
    whole = wait_receipts(printer, 2)[-1]
    assert not whole["incomplete"] and whole["cut"] and len(printed_lines(whole)) > 10


def test_paper_out_fault_counts_lines_across_jobs(printer):
    printer.control("POST", "/fault", {"kind": "paper_out_after_lines", "lines": 4})
    with connect(printer) as s:
        s.sendall(b"\x1b@one\ntwo\n\x1dV\x00")
        assert status_bytes(s)[0] == 0x12
        assert printer.control("GET", "/state")[1]["fault"] == {"kind": "paper_out_after_lines",
                                                                "seconds": 0.0, "lines": 2}
        s.sendall(b"three\nfour\nfive\n\x1dV\x00")
        assert status_bytes(s)[0] == 0x1A
    first, second = wait_receipts(printer, 2)
    assert printed_lines(first) == ["one", "two"] and printed_lines(second) == ["three", "four"]
    assert second["incomplete"]


@pytest.mark.parametrize("lines", [0, -1, 1.5, "3", True, None])
def test_paper_out_fault_needs_a_whole_number_of_lines(printer, lines):
    status, body = printer.control("POST", "/fault", {"kind": "paper_out_after_lines", "lines": lines})
    assert status == 400 and "lines" in body["error"]


def test_reset_is_a_healthy_printer_that_keeps_its_receipts(printer):
    with connect(printer) as s:
        s.sendall(b"\x1b@kept\n\x1dV\x00")
        status_bytes(s)
    wait_receipts(printer, 1)
    printer.control("POST", "/state", {"paper": "out", "cover_open": True, "offline": True})
    printer.control("POST", "/fault", {"kind": "paper_out_after_lines", "lines": 2})
    printer.control("POST", "/unplug")
    state = printer.control("POST", "/reset")[1]
    assert (state["paper"], state["cover_open"], state["offline"], state["plugged"]) == ("ok", False, False, True)
    assert state["fault"]["kind"] == "none" and state["receipts"] == 1 and state["discarded_bytes"] == 0
    with connect(printer) as s:
        assert status_bytes(s) == (0x12, 0x12, 0x12)
