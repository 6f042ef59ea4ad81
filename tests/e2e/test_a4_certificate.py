"""An A4 参保证明 end to end below the UI: the reference backend issues the certificate
(ServiceDesk.issue_certificate, signed HTTPS), print_a4_certificate renders and prints it through real
CUPS, the virtual printer captures the PDF, the QR on the captured page decodes, and the URL it holds
verifies the certificate at the backend. (The screens that offer 打印 A4 证明 are the UI's part.)"""

from __future__ import annotations

from datetime import datetime

import cv2
import pytest
import requests
from pypdf import PdfReader

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.doc_printer import DocPrinter
from kiosk.services.a4_documents import print_a4_certificate
from kiosk.services.backend_client import BackendClient
from kiosk.services.service_desk import ServiceDesk
from kiosk.services.session import Identity
from kiosk.services.signing import load_key
from simulators.personas import get_persona
from tests.qr_decode import read_qr

ITEM = "social-insurance-certificate-print"


@pytest.mark.e2e
def test_a4_insurance_certificate_end_to_end(hub, docprinter_sim, tmp_path):
    cfg = load_config(DEFAULT_CONFIG, env={**hub.kiosk_env(), "KIOSK_DEVICES__DOCPRINTER__URL": docprinter_sim.url,
                                           "KIOSK_DEVICES__DOCPRINTER__ENABLED": "true",
                                           "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "c.sqlite3")})
    client = BackendClient(cfg.backend, cfg.kiosk_id, load_key(cfg.backend.key_file))
    printer = DocPrinter("docprinter", cfg.device("docprinter").url, command_timeout=60)
    printer.open()
    try:
        desk = ServiceDesk(client, {"docprinter": printer})
        item = next(i for i in desk.catalogue_items() if i["id"] == ITEM)
        p = get_persona("li_jianguo")
        identity = Identity("idcard", p.name, p.id_number)
        session = desk.open_session(identity)
        doc = desk.issue_certificate(session.token, item, {})
        job = print_a4_certificate(printer, doc, kiosk_id=cfg.kiosk_id, printed_at=datetime.now(),
                                   identity=identity)
        desk.end_platform_session(session.token)
    finally:
        printer.close()
        client.close()
    assert job.state == "printed"
    [captured] = docprinter_sim.documents()
    assert len(captured["png"]) >= 3  # li_jianguo's 36 years of contributions: a multi-page table
    value = read_qr(cv2.imread(captured["png"][-1]))
    assert value == doc["qr"] and value.endswith(f"/verify?code={doc['verification_code']}")
    verified = requests.get(value, verify=str(cfg.backend.ca_bundle), timeout=30).json()
    assert verified["valid"] is True and verified["certificate_no"] == doc["certificate_no"]
    text = "".join(PdfReader(captured["pdf"]).pages[0].extract_text().split())
    assert p.id_number in text and p.name in text  # the full number on A4 (the platform's lines mask it)
