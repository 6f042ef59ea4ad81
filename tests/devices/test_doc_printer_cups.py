"""The A4 printer driver against real CUPS (a private cupsd) and the simulated IPP printer behind it:
a certificate end to end (captured PDF = the kiosk's bytes, its QR decodes from the page image),
every fault → its message code, retry after the fault is cleared, timeout, unreachable server,
unknown queue, maintenance, the technician CLI. Skipped with the reason where CUPS cannot run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import cv2
import pytest
from pypdf import PdfReader

from kiosk.config import DeviceConfig, load_config
from kiosk.devices.doc_printer import DocJob, DocJobError, DocPrinter
from kiosk.devices.manager import build_device
from kiosk.devices.model import DeviceError, DeviceState
from kiosk.diag import docprinter as diag
from kiosk.services.a4_documents import certificate_document, print_a4_certificate, render_pdf
from kiosk.services.messages import MESSAGES
from simulators.docprinter.cups_server import free_port
from tests.fixtures.certificates import PRINTED_AT, backend_document, print_item
from tests.simulators.printer_control import wait_until

KIOSK_ID = "GD-SG-ZJ-0001"


@pytest.fixture
def printer(docprinter_sim):
    p = DocPrinter("docprinter", docprinter_sim.url, command_timeout=30, fault_grace_s=1.0)
    p.open()
    yield p
    p.close()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    doc = backend_document(print_item("medical-insurance-certificate-print"), "chen_guiying")
    return render_pdf(certificate_document(doc, kiosk_id=KIOSK_ID, printed_at=PRINTED_AT))


def test_a_certificate_prints_through_cups_and_the_printer_gets_the_same_pdf(printer, docprinter_sim):
    doc = backend_document(print_item("social-insurance-certificate-print"), "zhou_zhiqiang", code="CUPS-2345-6789")
    job = print_a4_certificate(printer, doc, kiosk_id=KIOSK_ID, printed_at=PRINTED_AT)
    assert job.state == "printed" and job.cups_job_id and job.attempts == 1
    assert printer.status.state == DeviceState.ONLINE and printer.failed_jobs == []
    [captured] = docprinter_sim.documents()
    data = Path(captured["pdf"]).read_bytes()
    assert data == job.data  # raw queue: CUPS passes the kiosk's PDF byte for byte
    assert captured["job_name"] == "kiosk-a4-document"  # CUPS job titles never carry the holder
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).replace(" ", "")
    assert doc["holder_name"] in text and doc["holder_id_number"] in text and doc["title"] in text
    page = cv2.imread(captured["png"][-1])  # the QR sits with the seal on the last page
    value, _, _ = cv2.QRCodeDetector().detectAndDecode(page)
    assert value == doc["qr"]


@pytest.mark.parametrize(("state", "code"), [
    ({"media": "empty"}, "docprinter.media_empty"),
    ({"door_open": True}, "docprinter.door_open"),
    ({"jam": True}, "docprinter.media_jam"),
    ({"toner": "empty"}, "docprinter.toner_empty"),
], ids=["media-empty", "door-open", "media-jam", "toner-empty"])
def test_a_fault_fails_the_job_with_its_message_code(printer, docprinter_sim, pdf, state, code):
    """The printer behind the queue is asked directly (live status): the job is refused at once."""
    docprinter_sim.control("POST", "/state", state)
    jobs_before = docprinter_sim.control("GET", "/state")["jobs"]
    with pytest.raises(DocJobError) as err:
        printer.print_pdf(pdf, "certificate").wait()
    assert err.value.code == code and code in MESSAGES
    assert printer.failed_jobs == [err.value.job] and err.value.job.data == pdf
    assert printer.status.state == DeviceState.USER_ERROR and printer.status.extras["live"] is True
    assert printer.status.extras["fault"] == code.removeprefix("docprinter.")
    assert docprinter_sim.control("GET", "/state")["jobs"] == jobs_before  # nothing was sent
    assert docprinter_sim.documents() == []


@pytest.mark.parametrize(("state", "code"), [({"media": "empty"}, "docprinter.media_empty"),
                                             ({"door_open": True}, "docprinter.door_open")])
def test_a_fault_found_while_the_job_waits_cancels_it(docprinter_sim, pdf, state, code):
    """Without the live query (a USB printer: only CUPS knows) the fault shows while the job waits;
    the CUPS job is cancelled, so nothing comes out later when the fault is cleared."""
    p = DocPrinter("docprinter", docprinter_sim.url, command_timeout=30, fault_grace_s=1.0, live_status=False)
    p.open()
    try:
        docprinter_sim.control("POST", "/state", state)
        with pytest.raises(DocJobError) as err:
            p.print_pdf(pdf, "certificate").wait()
        assert err.value.code == code and err.value.job.cups_job_id is not None
        assert "cancelled" in err.value.detail and p.status.extras["live"] is False
    finally:
        p.close()
    docprinter_sim.control("POST", "/reset", {})
    wait_until(lambda: set(docprinter_sim.control("GET", "/state")["jobs"].values()) <= {7, 8, 9},
               "the printer's job ended", timeout=20)
    assert docprinter_sim.documents() == []


def test_retry_prints_a_failed_job_once_paper_is_loaded(printer, docprinter_sim, pdf):
    docprinter_sim.control("POST", "/state", {"media": "empty"})
    with pytest.raises(DocJobError) as err:
        printer.print_pdf(pdf, "certificate").wait()
    docprinter_sim.reset()
    job = printer.retry(err.value.job).wait()
    assert job is err.value.job and job.state == "printed" and job.attempts == 2
    assert printer.failed_jobs == [] and printer.status.state == DeviceState.ONLINE
    [captured] = docprinter_sim.documents()
    assert Path(captured["pdf"]).read_bytes() == pdf


@pytest.mark.parametrize("live", [True, False], ids=["live", "cups-only"])
def test_an_unplugged_printer_is_offline(docprinter_sim, pdf, live):
    p = DocPrinter("docprinter", docprinter_sim.url, command_timeout=30, fault_grace_s=1.0, live_status=live)
    p.open()
    try:
        docprinter_sim.control("POST", "/unplug", {})
        with pytest.raises(DocJobError) as err:
            p.print_pdf(pdf).wait()
        assert err.value.code == "docprinter.offline"
        assert p.status.extras["fault"] == "offline" and p.status.state == DeviceState.HW_ERROR
    finally:
        p.close()


def test_toner_low_prints_and_warns(printer, docprinter_sim, pdf):
    docprinter_sim.control("POST", "/state", {"toner": "low"})
    job = printer.print_pdf(pdf).wait()
    assert job.state == "printed"
    assert printer.status.state == DeviceState.ONLINE and printer.status.extras["warnings"] == ["toner_low"]


def test_a_job_that_does_not_finish_times_out_and_is_cancelled(docprinter_sim, pdf):
    docprinter_sim.control("POST", "/state", {"media": "empty"})
    p = DocPrinter("docprinter", docprinter_sim.url, command_timeout=30, fault_grace_s=600, live_status=False)
    p.open()
    try:
        with pytest.raises(DocJobError) as err:
            p.print_job(DocJob("certificate", pdf), timeout=3).wait()
        assert err.value.code == "docprinter.timeout"
    finally:
        p.close()
    docprinter_sim.control("POST", "/reset", {})
    wait_until(lambda: set(docprinter_sim.control("GET", "/state")["jobs"].values()) <= {7, 8, 9},
               "the printer's job ended", timeout=20)
    assert docprinter_sim.documents() == []  # cancelled: no late print after the paper came back


def test_maintenance_refuses_jobs(printer, pdf):
    printer.disable()
    with pytest.raises(DocJobError) as err:
        printer.print_pdf(pdf).wait()
    assert err.value.code == "docprinter.disabled"
    printer.enable()


def test_an_unknown_queue_is_not_configured(docprinter_sim):
    p = DocPrinter("docprinter", docprinter_sim.url.replace("/printers/A4", "/printers/Nope"))
    with pytest.raises(DeviceError) as err:
        p.open()
    assert err.value.code == "docprinter.not_configured" and p.status.state == DeviceState.NO_DEVICE
    p.close()


def test_an_unreachable_cups_server():
    p = DocPrinter("docprinter", f"ipp://127.0.0.1:{free_port()}/printers/A4")
    with pytest.raises(DeviceError) as err:
        p.open()
    assert err.value.code == "docprinter.server_unreachable" and p.status.state == DeviceState.NO_DEVICE
    p.close()


def test_the_default_config_builds_the_cups_driver():
    cfg = load_config()
    dev = cfg.device("docprinter")
    assert dev is not None and dev.driver == "cups" and dev.url.startswith("ipp://")
    built = build_device("docprinter", DeviceConfig(driver="cups", url="cups:A4", timeout_s=45))
    assert isinstance(built, DocPrinter) and built.command_timeout == 45


def test_diag_status_and_test_page(docprinter_sim, capsys):
    assert diag.main(["status", "--url", docprinter_sim.url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fault"] is None
    assert diag.main(["test", "--url", docprinter_sim.url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["printed"] is True
    [captured] = docprinter_sim.documents()
    assert "A4打印机测试页" in PdfReader(captured["pdf"]).pages[0].extract_text().replace(" ", "")


def test_diag_reports_a_fault_with_its_code_and_text(docprinter_sim, capsys):
    docprinter_sim.control("POST", "/unplug", {})
    assert diag.main(["test", "--url", docprinter_sim.url, "--json"]) == 3  # offline (exit_codes.py)
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["error"] == "docprinter.offline" and out["message"] == MESSAGES["docprinter.offline"]
    assert MESSAGES["docprinter.offline"] in captured.err


def test_diag_with_a_cups_url_uses_the_default_server(docprinter_sim):
    server = docprinter_sim.url.removeprefix("ipp://").split("/")[0]
    out = subprocess.run([sys.executable, "-m", "kiosk.diag.cli", "docprinter", "status", "--url", "cups:A4", "--json"],
                         capture_output=True, text=True, timeout=60, env={**os.environ, "CUPS_SERVER": server})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["state"] in ("idle", "processing")


def test_diag_rejects_a_bad_url(capsys):
    assert diag.main(["status", "--url", "tcp://127.0.0.1:9100"]) == 2
    assert "ipp://HOST:PORT/printers/NAME" in capsys.readouterr().err


def test_the_spy_log_shows_the_ipp_operations_cups_sent(printer, docprinter_sim, pdf):
    docprinter_sim.control("GET", "/traffic?clear=1")
    printer.print_pdf(pdf).wait()
    notes = [e.get("note", "") for e in docprinter_sim.control("GET", "/traffic")["traffic"] if e["dir"] == "in"]
    assert any(n.startswith("Send-Document") or n.startswith("Print-Job") for n in notes)
    sent = next(n for n in notes if n.startswith(("Send-Document", "Print-Job")))
    assert f"+ {len(pdf)} document bytes" in sent
