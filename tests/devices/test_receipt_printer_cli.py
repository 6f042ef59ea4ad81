"""`kiosk-diag printer test|status` against the printer simulator."""

import json
import socket
import tempfile
from datetime import datetime

import cv2
import pytest

from kiosk.diag.printer import main
from kiosk.services.receipts import PUNCTUATION_LINE, printable, printer_test_page
from simulators.process import start_simulator
from tests.simulators.printer_control import receipts, reset


@pytest.fixture(scope="module")
def sim():
    with start_simulator("printer", "--out", tempfile.mkdtemp(prefix="printer-cli-test-")) as proc:
        yield proc


@pytest.fixture
def url(sim):
    reset(sim)
    return f"tcp://127.0.0.1:{sim.ports['listen']}"


def test_status_json(sim, url, capsys):
    assert main(["status", "--url", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"online": True, "cover_open": False, "paper": "ok"}
    sim.control("POST", "/state", {"paper": "near_end"})
    assert main(["status", "--url", url, "--json"]) == 1  # degraded: works, needs paper soon
    assert json.loads(capsys.readouterr().out)["paper"] == "near_end"
    sim.control("POST", "/state", {"paper": "out", "cover_open": True})
    assert main(["status", "--url", url, "--json"]) == 3  # offline: cannot print
    assert json.loads(capsys.readouterr().out) == {"online": False, "cover_open": True, "paper": "out"}


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_test_page(sim, url, capsys, profile):
    assert main(["test", "--url", url, "--profile", profile]) == 0
    assert "test page printed" in capsys.readouterr().out
    entry = sim.control("GET", "/receipts/last")[1]
    assert entry["cut"]
    assert printable(PUNCTUATION_LINE) in entry["text"].splitlines()
    for size in ("normal", "tall", "wide", "large", "huge"):
        assert size in entry["text"]
    payload = printer_test_page(printed_at=datetime.now()).qr
    assert entry["qr"] == ([] if profile == "58mm" else [payload])  # 58 mm: raster QR, not GS ( k
    assert cv2.QRCodeDetector().detectAndDecode(cv2.imread(entry["png"]))[0] == payload


def test_test_page_with_paper_out_fails_clearly(sim, url, capsys):
    sim.control("POST", "/state", {"paper": "out"})
    assert main(["test", "--url", url]) == 3
    assert "打印机缺纸" in capsys.readouterr().err
    assert receipts(sim) == []


def test_usage_errors_and_an_absent_printer(capsys):
    assert main(["status", "--url", "lpt://1"]) == 2
    assert main(["print"]) == 2
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    assert main(["status", "--url", f"tcp://127.0.0.1:{port}", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"] == "device_not_ready"
