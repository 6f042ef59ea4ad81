"""The message-code table: every code used in kiosk/ has a text, every text is a full sentence that
Qt's lupdate extracts, no resident sentence is left in a driver or a service, and errors of every
kind (devices, failure events, the platform) resolve to the right text."""

from __future__ import annotations

import ast
import logging
import re
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk.devices.doc_printer import fault_code
from kiosk.devices.face_capture import Guidance
from kiosk.devices.id_card_reader import ReadFailure
from kiosk.devices.ipp_status import BLOCKING_FAULTS
from kiosk.devices.model import Completion, DeviceError, TransportLost
from kiosk.devices.qr_scanner import ScanError, ScanRejected
from kiosk.devices.sam_frame import SW3_TABLE, SamStatusError
from kiosk.devices.sscard_apdu import STATUS_WORDS, status_word_error
from kiosk.services import messages
from kiosk.services.backend_types import BackendError

REPO = Path(__file__).resolve().parents[2]
KIOSK = REPO / "kiosk"
MESSAGES_PY = KIOSK / "services" / "messages.py"
AREAS = sorted({code.split(".")[0] for code in messages.MESSAGES})  # device, printer, backend, …
USED_CODE = re.compile(rf"(?:{'|'.join(AREAS)})(?:\.[a-z0-9_]+)+")
NOT_CODES = {KIOSK / "config.py", KIOSK / "preflight.py"}  # their dotted strings are config keys (backend.url, …)
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")

# CJK literals that are data, not sentences for the resident: (file, top-level name) of tables and
# templates, and single strings. Anything else in kiosk/devices or kiosk/services fails the test.
DATA_TABLES = {
    "kiosk/devices/id_card_fields.py": {"LONG_TERM", "SEX", "NATIONS"},  # values printed on the card
    "kiosk/devices/sscard_apdu.py": {"SSSE_AID"},  # the application's name on the chip
    "kiosk/devices/speaker.py": {"HEALTH_TEXT"},  # the fixed phrase of the speaker's self-test
    "kiosk/devices/speaker_guard.py": {"_CHECKS"},  # what it refuses: Chinese numerals, 元 / 块
    "kiosk/services/receipts.py": {  # receipt templates: printed labels, the test page, the samples
        "_PRINTER_FORMS", "DEFAULT_FOOTER", "PAYMENT_METHODS", "PUNCTUATION_LINE", "_footer", "_person_lines",
        "query_result", "certification_proof", "certificate", "acceptance_receipt", "queue_ticket", "payment_receipt",
        "item_guide", "printer_test_page", "examples", "payment_order_slip", "booking_slip"},
    # the 办事指南 template: the standard element names (GB/T) and the words joining catalogue data
    "kiosk/services/guide.py": {"FORMS", "time_limit", "ROUTE_TEXT", "material_routes", "material_line", "sections",
                                "guide_receipt", "DELIVERY", "ELEMENTS", "_phone", "facts"},
    "kiosk/services/form_prefill.py": {"known_values"},  # where a pre-filled value comes from
    # search: phrases read otherwise than pypinyin's table says, and the separators a query splits at
    "kiosk/services/search.py": {"PHRASE_FIXES", "_SPLIT"},
    "kiosk/services/form_check.py": {"date_precision"},  # reads the catalogue's label (…年月)
    "kiosk/services/a4_documents.py": {  # the A4 certificate template: printed labels, the seal, dates
        "A4Document", "DEFAULT_ISSUER", "HOLDER_LABELS", "SEAL_SUFFIX", "_Pdf", "_is_issuer", "_seal_png",
        "certificate_document", "chinese_date", "render_pdf", "test_page"},
}
DATA_STRINGS: dict[str, set[str]] = {
    "kiosk/devices/qr_scanner.py": {"\t\u3000"},  # the characters a scanned code may hold besides printable ones
}


def _py_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if p != MESSAGES_PY)


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of bare string statements (docstrings): prose for developers, not output."""
    return {id(n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}


def _strings(path: Path) -> list[tuple[str | None, str]]:
    """(top-level name it sits in, value) of every string literal of a module but its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _docstring_nodes(tree)
    out: list[tuple[str | None, str]] = []
    for top in tree.body:
        if isinstance(top, ast.FunctionDef | ast.ClassDef):
            name: str | None = top.name
        elif isinstance(top, ast.Assign) and isinstance(top.targets[0], ast.Name):
            name = top.targets[0].id
        elif isinstance(top, ast.AnnAssign) and isinstance(top.target, ast.Name):
            name = top.target.id
        else:
            name = None
        out += [(name, n.value) for n in ast.walk(top)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]
    return out


def _codes_used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in _py_files(KIOSK):
        if path in NOT_CODES:
            continue
        for _, value in _strings(path):
            if USED_CODE.fullmatch(value):
                used.setdefault(value, set()).add(str(path.relative_to(REPO)))
    return used


# ---- the table against the code ---------------------------------------------------------------

def test_the_scan_finds_the_codes_drivers_use() -> None:
    used = _codes_used()
    assert "printer.paper_out" in used and "sscard.wrong_card" in used and "idcard.read_incomplete" in used
    assert len(used) > 40


def test_every_code_used_in_kiosk_has_an_entry() -> None:
    missing = {code: sorted(where) for code, where in _codes_used().items() if code not in messages.MESSAGES}
    assert missing == {}


def test_every_table_code_of_the_drivers_has_an_entry() -> None:
    codes = ({g.code for g in Guidance} | {c for _, _, c in SW3_TABLE.values() if c}
             | {c for _, _, c in STATUS_WORDS.values()})
    assert codes - set(messages.MESSAGES) == set()
    assert SamStatusError(0x77).code == "idcard.reader_unavailable"  # an undocumented SW3
    assert status_word_error(0x6999, "SELECT EF05").code == "sscard.unknown_status"


def test_every_entry_is_used() -> None:
    """No dead sentences: an entry is a literal somewhere in kiosk/, a guidance code, or what a
    BackendError code maps to (backend.<code>, the shared platform entries, the status fallbacks)."""
    literals = {value for path in _py_files(KIOSK) for _, value in _strings(path)}
    guidance = {g.code for g in Guidance}
    guidance |= {fault_code(f) for f in (*BLOCKING_FAULTS, "toner_low")}  # the A4 printer's faults
    by_status = {messages.code_of(BackendError("not_in_the_table", "", status)) for status in (400, 503)}
    assert by_status == {"backend.rejected", "backend.server"}
    unused = [code for code in messages.MESSAGES
              if code not in literals and code not in guidance and code != messages.GENERIC
              and not (code.startswith("backend.") and (code.removeprefix("backend.") in literals
                                                       or code in messages.PLATFORM_CODES.values()
                                                       or code in by_status))]
    assert unused == []


def test_entries_are_full_sentences() -> None:
    for code, text in messages.MESSAGES.items():
        assert messages.CODE_PATTERN.fullmatch(code), code
        assert text == text.strip() and CJK.search(text), code
        assert text.endswith("。"), f"{code}: {text!r} must end with a full stop"
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
        assert all(f.isidentifier() for f in fields), f"{code}: placeholders {fields}"


def test_the_table_is_marked_for_lupdate() -> None:
    """Every value is QT_TRANSLATE_NOOP("messages", "<one literal>"), so lupdate can read it."""
    tree = ast.parse(MESSAGES_PY.read_text(encoding="utf-8"))
    table = next(n.value for n in tree.body if isinstance(n, ast.AnnAssign)
                 and isinstance(n.target, ast.Name) and n.target.id == "MESSAGES")
    assert isinstance(table, ast.Dict) and len(table.values) == len(messages.MESSAGES)
    for value in table.values:
        assert isinstance(value, ast.Call) and isinstance(value.func, ast.Name), ast.dump(value)
        assert value.func.id == "QT_TRANSLATE_NOOP"
        context, text = value.args
        assert isinstance(context, ast.Constant) and context.value == "messages"
        assert isinstance(text, ast.Constant) and isinstance(text.value, str)


def test_lupdate_extracts_every_entry(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    ts = tmp_path / "messages.ts"
    result = subprocess.run([str(lupdate), str(MESSAGES_PY), "-ts", str(ts)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    contexts = {c.findtext("name"): [m.findtext("source") for m in c.iter("message")]
                for c in ET.parse(ts).getroot().iter("context")}
    assert sorted(contexts["messages"]) == sorted(messages.MESSAGES.values())


def test_no_resident_sentence_outside_the_table() -> None:
    """kiosk/devices and kiosk/services hold no CJK literal but the whitelisted data."""
    found = []
    for folder in (KIOSK / "devices", KIOSK / "services"):
        for path in _py_files(folder):
            rel = str(path.relative_to(REPO))
            for name, value in _strings(path):
                if not CJK.search(value) or name in DATA_TABLES.get(rel, ()) \
                        or value in DATA_STRINGS.get(rel, ()):
                    continue
                found.append(f"{rel} ({name}): {value!r}")
    assert found == []


def test_the_sentence_check_catches_a_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "driver.py"
    bad.write_text('"""文档。"""\nMSG = "打印机缺纸，请联系工作人员。"\n', encoding="utf-8")
    assert _strings(bad) == [("MSG", "打印机缺纸，请联系工作人员。")]


# ---- text() ---------------------------------------------------------------------------------------

def test_text_fills_placeholders_and_quotes_other_codes() -> None:
    assert "6999" in messages.text("sscard.unknown_status", sw="6999")
    hint = messages.text("camera.face_timeout_hint", hint="camera.guidance.too_far")
    assert "请靠近一点。" in hint and "camera." not in hint


def test_unknown_code_gives_the_generic_text_and_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=messages.__name__):
        assert messages.text("printer.on_fire") == messages.MESSAGES[messages.GENERIC]
        messages.text("printer.on_fire")
    assert sum("printer.on_fire" in r.getMessage() for r in caplog.records) == 1


def test_parameters_that_do_not_fit_keep_the_template(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=messages.__name__):
        assert messages.text("sscard.unknown_status") == messages.MESSAGES["sscard.unknown_status"]
        assert messages.text("sscard.unknown_status", code="x") == messages.MESSAGES["sscard.unknown_status"]
    assert any("do not fit" in r.getMessage() for r in caplog.records)
    assert messages.text("camera.guidance.too_far", unused="x") == "请靠近一点。"


def test_translator_is_applied_and_can_be_removed() -> None:
    messages.set_translator(lambda s: {"请靠近一点。": "Please come closer."}.get(s, s))
    try:
        assert messages.text("camera.guidance.too_far") == "Please come closer."
    finally:
        messages.set_translator(None)
    assert messages.text("camera.guidance.too_far") == "请靠近一点。"


# ---- errors and failure events ------------------------------------------------------------------

def test_device_errors_and_failure_events_resolve_to_their_text() -> None:
    assert messages.for_error(DeviceError(Completion.HARDWARE_ERROR, "x")) == messages.text("device.unavailable")
    assert messages.code_of(TransportLost("peer closed")) == "device.disconnected"
    err = status_word_error(0x6999, "SELECT EF05")
    assert "6999" in messages.for_error(err)
    scan = ScanError("noise")
    event = ScanRejected(scan.detail, scan.code, scan.params)
    assert messages.for_error(event) == messages.text("scanner.unreadable")
    failure = ReadFailure(Completion.USER_ERROR, "SW3=0x41", "idcard.card_moved", 0x41)
    assert "移动" in messages.for_error(failure)
    assert messages.for_error(RuntimeError("boom")) == messages.MESSAGES[messages.GENERIC]


def test_sscard_failure_event_carries_the_code() -> None:
    pytest.importorskip("smartcard")
    from kiosk.devices.sscard_reader import CardReadFailed

    event = CardReadFailed(status_word_error(0x6999, "SELECT EF05"))
    assert event.code == "sscard.unknown_status" and "6999" in messages.for_error(event)


@pytest.mark.parametrize("code", ["offline", "timeout", "broken", "tls", "tls_config", "config", "bad_answer",
                                  "no_catalogue", "auth_method_not_built"])
def test_kiosk_side_backend_codes_have_their_own_entry(code: str) -> None:
    err = BackendError(code, "GET /x: detail")
    assert messages.code_of(err) == f"backend.{code}"
    assert messages.for_error(err) == messages.text(f"backend.{code}")


@pytest.mark.parametrize(("code", "status", "expected"), [
    ("signature_invalid", 401, "backend.signature"),
    ("signature_missing", 401, "backend.signature"),
    ("timestamp_stale", 401, "backend.clock"),
    ("form_invalid", 422, "backend.rejected"),
    ("slot_full", 409, "backend.rejected"),
    ("platform_unavailable", 503, "backend.server"),
    ("http_502", 502, "backend.server"),
])
def test_platform_codes_map_to_shared_entries_or_by_status(code: str, status: int, expected: str) -> None:
    err = BackendError(code, "detail", status)
    assert err.code == code  # flows branch on the platform's own code
    assert messages.code_of(err) == expected


def test_the_platforms_own_sentence_comes_first() -> None:
    err = BackendError("form_invalid", "detail", 422, "“联系电话”应为 11 位数字，请修改后重新提交。")
    assert messages.for_error(err) == "“联系电话”应为 11 位数字，请修改后重新提交。"
    assert messages.for_error(BackendError("form_invalid", "detail", 422, "  ")) == messages.text("backend.rejected")
