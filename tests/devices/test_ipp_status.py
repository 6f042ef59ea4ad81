"""A4 printer: the device URL grammar, CUPS printer/job attributes → fault, and every fault → a message code."""

from __future__ import annotations

import pytest

from kiosk.devices.device_url import DeviceUrlError, DocPrinterUrl, parse_device_url, parse_docprinter_url
from kiosk.devices.doc_printer import FAULT_COMPLETION, DocPrinter, fault_code
from kiosk.devices.ipp_status import BLOCKING_FAULTS, FAULT_REASONS, decode_job, decode_printer
from kiosk.services.messages import MESSAGES, text


@pytest.mark.parametrize(("url", "expected"), [
    ("ipp://127.0.0.1:8631/printers/A4", DocPrinterUrl("ipp", "A4", "127.0.0.1", 8631)),
    ("ipp://cups.local:631/printers/HP_LaserJet_M406", DocPrinterUrl("ipp", "HP_LaserJet_M406", "cups.local", 631)),
    ("cups:A4", DocPrinterUrl("cups", "A4")),
])
def test_docprinter_urls(url, expected):
    assert parse_docprinter_url(url) == expected
    assert parse_device_url("docprinter", url) == expected


def test_server_is_host_port_for_ipp_and_default_for_cups():
    assert parse_docprinter_url("ipp://10.0.0.5:631/printers/A4").server == "10.0.0.5:631"
    assert parse_docprinter_url("cups:A4").server == ""


@pytest.mark.parametrize("url", [
    "ipp://127.0.0.1/printers/A4",          # no port
    "ipp://127.0.0.1:631/ipp/print",        # a printer's own URI, not a CUPS queue
    "ipp://127.0.0.1:631/printers/",        # no queue
    "ipp://127.0.0.1:631/printers/A4/x",
    "ipp://127.0.0.1:631/printers/A 4",
    "ipp://127.0.0.1:631/printers/A4?waitjob=false",
    "ipps://127.0.0.1:631/printers/A4",
    "cups:", "cups:A/4", "tcp://127.0.0.1:9100", "", None,
])
def test_bad_docprinter_urls_say_what_is_expected(url):
    with pytest.raises(DeviceUrlError, match=r"ipp://HOST:PORT/printers/NAME or cups:NAME"):
        parse_docprinter_url(url)


def test_the_driver_validates_its_url_without_io():
    with pytest.raises(DeviceUrlError):
        DocPrinter("docprinter", "tcp://127.0.0.1:9100")
    assert DocPrinter("docprinter", "cups:A4").status.state == "closed"


@pytest.mark.parametrize(("reasons", "fault"), [
    (["none"], None),
    (["media-empty"], "media_empty"),
    (["media-empty-error"], "media_empty"),
    (["media-needed"], "media_empty"),
    (["door-open"], "door_open"),
    (["cover-open-report"], "door_open"),
    (["media-jam-error"], "media_jam"),
    (["toner-empty"], "toner_empty"),
    (["marker-supply-empty-warning"], "toner_empty"),
    (["offline-report"], "offline"),
    (["connecting-to-device"], "offline"),
    (["toner-low"], None),
    (["cups-waiting-for-job-completed"], None),
    (["media-empty", "door-open"], "door_open"),  # the door first: paper cannot be loaded with it open
])
def test_reasons_to_fault(reasons, fault):
    status = decode_printer({"printer-state": 3, "printer-state-reasons": reasons, "printer-is-accepting-jobs": True})
    assert status.fault == fault
    assert status.ready is (fault is None)


def test_an_unreachable_printer_shows_only_in_the_message():
    status = decode_printer({"printer-state": 4, "printer-state-reasons": ["none"],
                             "printer-state-message": "The printer may not exist or is unavailable at this time."})
    assert status.fault == "offline"


def test_a_stopped_or_rejecting_queue_is_a_fault():
    assert decode_printer({"printer-state": 5, "printer-state-reasons": "paused"}).fault == "stopped"
    assert decode_printer({"printer-state": 5}).fault == "stopped"
    assert decode_printer({"printer-state": 3, "printer-is-accepting-jobs": False}).fault == "not_accepting"


def test_warnings_do_not_stop_printing():
    status = decode_printer({"printer-state": 3, "printer-state-reasons": ["toner-low-report", "media-low"]})
    assert status.fault is None and status.warnings == ("toner_low", "media_low")
    assert status.to_dict() == {"state": "idle", "reasons": ["toner-low-report", "media-low"], "accepting": True,
                                "message": "", "fault": None, "warnings": ["toner_low", "media_low"], "live": False}


def test_job_states():
    job = decode_job({"job-state": 9, "job-state-reasons": "job-completed-successfully"})
    assert job.done and job.name == "completed" and job.reasons == ("job-completed-successfully",)
    assert not decode_job({"job-state": 5}).done
    assert decode_job({"job-state": 8}).name == "aborted"


def test_every_fault_maps_to_a_message_code_with_text():
    faults = set(FAULT_REASONS) | set(BLOCKING_FAULTS)
    assert faults == set(FAULT_COMPLETION)
    for fault in faults:
        code = fault_code(fault)
        assert code in MESSAGES, code
        assert "A4" in text(code) and "。" in text(code)
    for code in ("docprinter.job_failed", "docprinter.timeout", "docprinter.server_unreachable",
                 "docprinter.not_configured", "docprinter.disabled", "docprinter.toner_low"):
        assert code in MESSAGES, code


def test_live_printer_reasons_replace_cups_last_known_ones():
    from kiosk.devices.ipp_status import merge_live

    queue = decode_printer({"printer-state": 3, "printer-state-reasons": ["media-empty", "cups-missing-filter-warning"]})
    fresh = merge_live(queue, decode_printer({"printer-state": 3, "printer-state-reasons": ["none"]}))
    assert fresh.fault is None and fresh.live and fresh.reasons == ("cups-missing-filter-warning",)
    door = merge_live(decode_printer({"printer-state": 3}), decode_printer({"printer-state": 5, "printer-state-reasons": "door-open"}))
    assert door.fault == "door_open"
    assert merge_live(decode_printer({"printer-state": 3}), None).fault == "offline"
    stopped = merge_live(decode_printer({"printer-state": 5, "printer-state-reasons": "paused"}),
                         decode_printer({"printer-state": 3}))
    assert stopped.fault == "stopped"  # a queue stopped by staff stays stopped, whatever the printer says
