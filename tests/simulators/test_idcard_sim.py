"""The ID-card simulator on the raw wire, and `kiosk-diag idcard` against it for every persona."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from kiosk.diag import idcard as diag_idcard
from simulators.personas import load_personas

PERSONAS = load_personas()
PREAMBLE = bytes.fromhex("AAAAAA9669")
pytest_plugins = ["tests.fixtures.idcard_sim"]


def recv_frame(sock: socket.socket) -> bytes:
    head = b""
    while len(head) < 7:
        chunk = sock.recv(7 - len(head))
        assert chunk, "simulator closed the link"
        head += chunk
    assert head[:5] == PREAMBLE
    body = b""
    need = int.from_bytes(head[5:7], "big")
    while len(body) < need:
        chunk = sock.recv(need - len(body))
        assert chunk
        body += chunk
    return head + body


def transact(sim, request_hex: str) -> bytes:
    with socket.create_connection(("127.0.0.1", sim.ports["listen"]), timeout=10) as sock:
        sock.sendall(bytes.fromhex(request_hex))
        return recv_frame(sock)


def test_find_without_card_is_80(clean_idcard_sim):
    assert transact(clean_idcard_sim, "AA AA AA 96 69 00 03 20 01 22") == bytes.fromhex("AA AA AA 96 69 00 04 00 00 80 84")


def test_find_select_read_byte_layout(clean_idcard_sim):
    clean_idcard_sim.control("POST", "/place", {"persona": "chen_guiying"})
    with socket.create_connection(("127.0.0.1", clean_idcard_sim.ports["listen"]), timeout=10) as sock:
        sock.sendall(bytes.fromhex("AA AA AA 96 69 00 03 20 01 22"))
        assert recv_frame(sock) == bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
        sock.sendall(bytes.fromhex("AA AA AA 96 69 00 03 20 02 21"))
        select = recv_frame(sock)
        assert select[5:10] == bytes.fromhex("00 0C 00 00 90") and len(select) == 19
        sock.sendall(bytes.fromhex("AA AA AA 96 69 00 03 30 01 32"))
        read = recv_frame(sock)
        assert len(read) == 1295 and read[5:14] == bytes.fromhex("05 08 00 00 90 01 00 04 00")
        text = read[14:14 + 256]
        assert text[:6].decode("utf-16-le") == "陈桂英"
        # after a successful read the card must be lifted before find succeeds again
        sock.sendall(bytes.fromhex("AA AA AA 96 69 00 03 20 01 22"))
        assert recv_frame(sock)[9] == 0x80
    assert clean_idcard_sim.control("GET", "/state")[1]["reads"] >= 1


def test_bad_request_checksum_is_sw3_10(clean_idcard_sim):
    assert transact(clean_idcard_sim, "AA AA AA 96 69 00 03 20 01 23")[9] == 0x10


def test_unknown_command_is_sw3_21(clean_idcard_sim):
    assert transact(clean_idcard_sim, "AA AA AA 96 69 00 03 55 01 57")[9] == 0x21


def test_sam_id_answer(clean_idcard_sim):
    answer = transact(clean_idcard_sim, "AA AA AA 96 69 00 03 12 FF EE")
    assert answer[9] == 0x90 and len(answer[10:-1]) == 16


def test_control_errors(clean_idcard_sim):
    status, body = clean_idcard_sim.control("POST", "/place", {"persona": "nobody"})
    assert status == 404 and "chen_guiying" in body["error"]
    assert clean_idcard_sim.control("POST", "/fault", {"kind": "melt"})[0] == 400
    assert clean_idcard_sim.control("POST", "/fault", {"kind": "sw3", "code": "zz"})[0] == 400


def test_personas_route_serves_the_registry(clean_idcard_sim):
    listed = clean_idcard_sim.control("GET", "/personas")[1]["personas"]
    assert {p["id"] for p in listed} == set(PERSONAS)


def test_state_lists_faults(clean_idcard_sim):
    clean_idcard_sim.control("POST", "/fault", {"kind": "slow", "seconds": 0.1})
    state = clean_idcard_sim.control("GET", "/state")[1]
    assert state["faults"][0]["kind"] == "slow" and state["faults"][0]["once"] is False
    clean_idcard_sim.control("POST", "/fault", {"kind": "none"})
    assert clean_idcard_sim.control("GET", "/state")[1]["faults"] == []


# ---- kiosk-diag idcard ----------------------------------------------------------------------

@pytest.mark.parametrize("persona_id", sorted(PERSONAS))
def test_cli_reads_every_persona(clean_idcard_sim, capsys, expected_card_json, persona_id):
    p = PERSONAS[persona_id]
    clean_idcard_sim.control("POST", "/place", {"persona": persona_id})
    rc = diag_idcard.main(["read", "--port", f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}",
                           "--timeout", "20", "--json"])
    out = capsys.readouterr().out
    assert rc == 0
    assert json.loads(out) == expected_card_json(p)


def test_cli_plain_output_and_status(clean_idcard_sim, capsys):
    clean_idcard_sim.control("POST", "/place", {"persona": "he_shuifa"})
    port = f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}"
    assert diag_idcard.main(["read", "--port", port, "--timeout", "20"]) == 0
    out = capsys.readouterr().out
    assert "姓名 (name): 何水发" in out and "追加住址" in out and "1024 bytes WLT" in out
    assert diag_idcard.main(["status", "--port", port]) == 0
    out = capsys.readouterr().out
    assert "SAM id: 05.01-" in out and "SW3=0x90" in out


def test_cli_failure_names_sw3_code(clean_idcard_sim, capsys):
    clean_idcard_sim.control("POST", "/place", {"persona": "li_jianguo"})
    clean_idcard_sim.control("POST", "/fault", {"kind": "sw3", "code": "41"})
    rc = diag_idcard.main(["read", "--port", f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}", "--timeout", "20"])
    assert rc == 1
    assert "SW3=0x41" in capsys.readouterr().err


def test_cli_status_self_test_failure(clean_idcard_sim, capsys):
    clean_idcard_sim.control("POST", "/fault", {"kind": "sw3", "code": "60"})
    assert diag_idcard.main(["status", "--port", f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}"]) == 3
    assert "SW3=0x60" in capsys.readouterr().err


def test_cli_io_fault_and_usage(clean_idcard_sim):
    clean_idcard_sim.control("POST", "/unplug")
    try:
        proc = subprocess.run([sys.executable, "-m", "kiosk.diag.cli", "idcard", "read", "--port",
                               f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}", "--timeout", "1"],
                              capture_output=True, text=True, timeout=60)
    finally:
        clean_idcard_sim.control("POST", "/replug")
    assert proc.returncode == 3  # offline: the reader cannot be used
    assert "cannot open" in proc.stderr
    assert diag_idcard.main(["read", "--port", "bogus://x"]) == 2
    assert diag_idcard.main(["frobnicate"]) == 2


def test_cli_no_card_times_out(clean_idcard_sim, capsys):
    assert diag_idcard.main(["read", "--port", f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}",
                             "--timeout", "0.3"]) == 1
    assert "SW3=0x80" in capsys.readouterr().err
