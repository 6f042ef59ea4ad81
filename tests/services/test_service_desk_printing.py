"""ServiceDesk printing: a certificate on A4 where there is an A4 printer, else — or when it fails — as a
slip, with the A4 printer's code; a failed job is dropped, never printed later by itself."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from kiosk.devices.doc_printer import DocJob, DocJobError, DocPrinterError
from kiosk.devices.model import Command, Completion, DeviceError
from kiosk.devices.receipt_printer import PrintJob, PrintJobError
from kiosk.services.service_desk import ServiceDesk
from kiosk.services.session import Identity
from tests.fixtures.certificates import PRINT_ITEMS, backend_document


def done(result: Any = None, error: DeviceError | None = None) -> Command:
    cmd = Command("test", 1.0)
    cmd._finish(Completion.SUCCESS if error is None else error.completion, result, error)
    return cmd


class Printer:
    """The two printers' job API (print, then discard a failed job), answering as told."""

    def __init__(self, fail: DeviceError | None = None) -> None:
        self.fail, self.printed, self.discarded = fail, [], []

    def print_receipt(self, receipt) -> Command:
        if self.fail:
            return done(error=PrintJobError(PrintJob(receipt.kind, b"..."), self.fail))
        self.printed.append(receipt)
        return done()

    def print_pdf(self, pdf: bytes, kind: str = "document") -> Command:
        if self.fail:
            return done(error=DocJobError(DocJob(kind, pdf), self.fail))
        self.printed.append(pdf)
        return done(DocJob(kind, pdf))

    def discard(self, job) -> None:
        self.discarded.append(job)


def desk(**devices: Printer) -> ServiceDesk:
    d = ServiceDesk.__new__(ServiceDesk)  # no backend or catalogue needed for printing
    d.client = SimpleNamespace(kiosk_id="K1")
    d.devices = SimpleNamespace(get=devices.get)
    d.outbox = None
    return d


DOC = backend_document(next(i for i in PRINT_ITEMS if i["id"] == "social-insurance-certificate-print"))
HOLDER = Identity("idcard", DOC["holder_name"], DOC["holder_id_number"])


def test_a4_where_there_is_one() -> None:
    a4, slip = Printer(), Printer()
    outcome = desk(docprinter=a4, printer=slip).print_document(DOC, HOLDER, a4=True)
    assert (outcome.printer, outcome.fallback, outcome.receipt) == ("a4", "", None)
    assert a4.printed[0].startswith(b"%PDF-") and not slip.printed


def test_a_failing_a4_printer_falls_back_to_the_slip_and_drops_its_job() -> None:
    a4 = Printer(DocPrinterError(Completion.USER_ERROR, "media-empty", "docprinter.media_empty"))
    slip = Printer()
    outcome = desk(docprinter=a4, printer=slip).print_document(DOC, HOLDER, a4=True)
    assert (outcome.printer, outcome.fallback) == ("receipt", "docprinter.media_empty")
    assert slip.printed == [outcome.receipt] and outcome.receipt.kind == "certificate"
    assert DOC["verification_code"] in outcome.receipt.plain_text()
    assert len(a4.discarded) == 1  # never printed later by itself, after the resident has gone


def test_no_a4_printer_is_a_slip_with_the_reason() -> None:
    slip = Printer()
    outcome = desk(printer=slip).print_document(DOC, HOLDER, a4=True)
    assert (outcome.printer, outcome.fallback) == ("receipt", "docprinter.not_configured")
    outcome = desk(printer=slip).print_document(DOC, HOLDER, a4=False)
    assert (outcome.printer, outcome.fallback) == ("receipt", "")


def test_a_slip_that_failed_mid_print_is_dropped_and_the_error_goes_up() -> None:
    slip = Printer(DeviceError(Completion.USER_ERROR, "paper ran out during the job", "printer.paper_ran_out"))
    with pytest.raises(DeviceError) as caught:
        desk(printer=slip).print_document(DOC, HOLDER, a4=False)
    assert caught.value.code == "printer.paper_ran_out"
    assert len(slip.discarded) == 1  # 重试 prints the whole slip again, never the torn one


def test_the_certification_proof_uses_the_kiosk_clock() -> None:
    item = {"name": "养老待遇资格认证", "certify": {"consequence": "连续12个月未认证的，自第13个月起暂停发放养老金"}}
    result = {"certification_no": "RZ1", "certified_at": "2026-12-02T05:44:00+08:00", "valid_until": "2027-12-31"}
    proof = desk().certification_receipt(item, result, HOLDER)
    text = proof.plain_text()
    local = datetime.fromisoformat(result["certified_at"]).astimezone().strftime("%Y-%m-%d %H:%M")
    assert f"认证时间：{local}" in text and "有效期至：2027 年 12 月" in text
    assert HOLDER.id_number not in text  # masked on the slip
