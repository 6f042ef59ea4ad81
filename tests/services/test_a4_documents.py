"""A4 certificates: the PDF's text (pypdf, pdftotext) against the certificate data, the QR on the
rendered page, page numbers on long tables, both row shapes, the full ID number, no personal data in
the PDF's metadata.

Documents come from the reference backend's own content builder (simulators/backend/documents.py)
for every print item of the catalogue, shaped as POST /api/v1/certificates returns them plus the
holder fields ServiceDesk.document_for adds."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import cv2
import numpy as np
import pytest
from pypdf import PdfReader

from kiosk.services.a4_documents import (
    FONT_PATH,
    A4Document,
    FontMissing,
    Row,
    certificate_document,
    issuer_of,
    parse_rows,
    render_pdf,
)
from tests.fixtures.certificates import PRINT_ITEMS, PRINTED_AT, backend_document

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason=f"CJK font {FONT_PATH} missing (fonts-wqy-microhei)")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def expected_strings(doc: dict) -> list[str]:
    lines = {line["key"]: line for line in doc["lines"]}
    issuer = lines["issuer"]["value"] if "issuer" in lines else issuer_of(doc["seal"]) if doc["seal"] else ""
    out = [doc["title"], doc["holder_name"], doc["holder_id_number"], doc["verification_code"], doc["notice"],
           doc["certificate_no"], issuer, "2026年12月1日", doc["valid_until"] or ""]
    for line in doc["lines"]:
        if line["key"] not in ("holder_name", "holder_id_number", "issuer"):
            out += [line["label"], line["value"]]
    for row in (doc["table"] or {}).get("rows", []):
        out += row
    out += (doc["table"] or {}).get("columns", [])
    return [s for s in out if s]


@pytest.mark.parametrize("item", PRINT_ITEMS, ids=[i["id"] for i in PRINT_ITEMS])
def test_every_print_item_renders_with_its_data_extractable(item):
    doc = backend_document(item)
    pdf = render_pdf(certificate_document(doc, kiosk_id="GD-SG-ZJ-0001", printed_at=PRINTED_AT))
    assert pdf.startswith(b"%PDF-")
    text = squash(pdf_text(pdf))
    missing = [s for s in expected_strings(doc) if squash(s) not in text]
    assert missing == []
    # the full ID number is printed, never the backend's masked form
    masked = next(line["value"] for line in doc["lines"] if line["key"] == "holder_id_number")
    assert "*" in masked and squash(masked) not in text


def test_pdftotext_extracts_the_same_cjk_text():
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing (Debian poppler-utils)")
    item = next(i for i in PRINT_ITEMS if i["id"] == "social-insurance-certificate-print")
    doc = backend_document(item, "li_jianguo")
    pdf = render_pdf(certificate_document(doc, kiosk_id="GD-SG-ZJ-0001", printed_at=PRINTED_AT))
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    text = squash(out)
    assert [s for s in expected_strings(doc) if squash(s) not in text] == []


def test_long_record_tables_get_page_numbers_and_repeated_headings():
    item = next(i for i in PRINT_ITEMS if i["id"] == "social-insurance-certificate-print")
    doc = backend_document(item, "li_jianguo")
    assert len(doc["table"]["rows"]) > 60  # the persona with the longest history
    reader = PdfReader(BytesIO(render_pdf(certificate_document(doc, kiosk_id="K1", printed_at=PRINTED_AT))))
    pages = [squash(p.extract_text()) for p in reader.pages]
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        assert f"第{n}页/共{len(pages)}页" in page
        assert squash("".join(doc["table"]["columns"])) in page or n == len(pages) and "特此证明" in page
    assert "特此证明" in pages[-1] and doc["verification_code"] in pages[-1]


def test_qr_on_the_rendered_page_decodes_to_the_verification_url(tmp_path: Path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm missing (Debian poppler-utils)")
    item = next(i for i in PRINT_ITEMS if i["id"] == "household-registration-certificate")
    doc = backend_document(item, "chen_guiying", code="QRQR-2345-6789")
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(render_pdf(certificate_document(doc, kiosk_id="K1", printed_at=PRINTED_AT)))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")], check=True)
    page = cv2.imread(str(tmp_path / "page-1.png"))
    assert page is not None and abs(page.shape[0] - 1754) <= 1 and abs(page.shape[1] - 1240) <= 1  # A4, 150 dpi
    value, _, _ = cv2.QRCodeDetector().detectAndDecode(page)
    assert value == doc["qr"] == "https://127.0.0.1:8443/verify?code=QRQR-2345-6789"
    # the seal is drawn in red: some pixels of the page are clearly red
    b, g, r = (page[..., i].astype(int) for i in range(3))
    assert np.count_nonzero((r > 150) & (g < 110) & (b < 110)) > 2000


def test_rows_as_label_value_or_key_label_value():
    rows = parse_rows([["参保险种", "城乡居民基本养老保险"], ["holder_name", "姓名", "陈桂英"],
                       {"key": "status", "label": "参保状态", "value": "正常"}])
    assert rows == [Row(None, "参保险种", "城乡居民基本养老保险"), Row("holder_name", "姓名", "陈桂英"),
                    Row("status", "参保状态", "正常")]
    with pytest.raises(ValueError, match="line 0"):
        parse_rows([["only one"]])


def test_keyed_rows_replace_the_holder_rows_by_key():
    doc = backend_document(PRINT_ITEMS[0])
    keyed = {**doc, "lines": [["holder_name", "姓名", doc["holder_name"]],
                              ["holder_id_number", "证件号码", "4402**********0028"],
                              ["insurance", "参保险种", "城乡居民基本养老保险"]]}
    a4 = certificate_document(keyed, kiosk_id="K1", printed_at=PRINTED_AT)
    assert [r.label for r in a4.holder] == ["姓名", "证件号码"]
    assert a4.holder[1].value == doc["holder_id_number"]
    assert [r.key for r in a4.rows] == ["insurance"]


def test_metadata_and_repr_carry_no_personal_data():
    doc = backend_document(PRINT_ITEMS[0])
    a4 = certificate_document(doc, kiosk_id="K1", printed_at=PRINTED_AT)
    meta = PdfReader(BytesIO(render_pdf(a4))).metadata
    assert doc["holder_name"] not in str(dict(meta)) and doc["holder_id_number"] not in str(dict(meta))
    assert doc["holder_name"] not in repr(a4) and doc["holder_id_number"] not in repr(a4)


def test_same_document_same_bytes():
    a4 = certificate_document(backend_document(PRINT_ITEMS[0], "chen_guiying"), kiosk_id="K1", printed_at=PRINTED_AT)
    assert render_pdf(a4) == render_pdf(a4)


def test_a_missing_font_is_a_clear_error(tmp_path: Path):
    a4 = A4Document(title="t", holder=(), rows=(), issuer="i", seal="s", verification_code="c",
                    verify_url="https://x/verify?code=c", printed_at=PRINTED_AT)
    with pytest.raises(FontMissing, match="fonts-wqy-microhei"):
        render_pdf(a4, font_path=tmp_path / "none.ttc")


def test_issuer_from_seal_name():
    assert issuer_of("韶关市公安局户籍业务专用章（电子）") == "韶关市公安局"
    assert issuer_of("韶关市社会保险基金管理局业务专用章（电子）") == "韶关市社会保险基金管理局"
    assert issuer_of("体检机构电子签章") == "体检机构"


def test_the_holder_comes_from_the_identity_when_given():
    from kiosk.services.session import Identity

    doc = backend_document(PRINT_ITEMS[0])
    bare = {k: v for k, v in doc.items() if k not in ("holder_name", "holder_id_number")}
    a4 = certificate_document(bare, kiosk_id="K1", printed_at=PRINTED_AT,
                              identity=Identity("idcard", doc["holder_name"], doc["holder_id_number"]))
    assert [r.value for r in a4.holder] == [doc["holder_name"], doc["holder_id_number"]]
    # without either, the platform's (masked) line is all there is
    masked = certificate_document(bare, kiosk_id="K1", printed_at=PRINTED_AT)
    assert "*" in masked.holder[1].value
