"""Personal data fed into logging never comes out, on the console or in the rotating file."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from kiosk.logging_setup import PersonalDataFilter, setup_logging
from simulators.personas import load_personas


def test_personal_data_is_masked_in_file_and_console(tmp_path: Path, monkeypatch) -> None:
    console = io.StringIO()
    monkeypatch.setattr("sys.stderr", console)
    setup_logging(tmp_path, console=True)
    log = logging.getLogger("kiosk.test")
    personas = list(load_personas().values())
    try:
        for p in personas:
            PersonalDataFilter.register_names(p.name, p.english_name)
            log.info("card read: %s %s phone %s", p.name, p.id_number, p.phone)
            log.warning(f"inline {p.id_number} / {p.name}")
            if p.pass_number:
                log.info("pass %s", p.pass_number)
            try:
                raise ValueError(f"bad card {p.id_number}")
            except ValueError:
                log.exception("failure for %s", p.name)
    finally:
        PersonalDataFilter.clear_names()
        root = logging.getLogger()
        for h in list(root.handlers):
            h.flush()
            if getattr(h, "_kiosk", False):
                root.removeHandler(h)
                h.close()
    file_text = (tmp_path / "kiosk.log").read_text(encoding="utf-8")
    console_text = console.getvalue()
    assert "card read" in file_text and "card read" in console_text  # the logs did get written
    for text in (file_text, console_text):
        for p in personas:
            for secret in (p.name, p.english_name, p.id_number, p.phone, p.pass_number):
                if secret:
                    assert secret not in text, f"{secret!r} leaked"
    assert "***" in file_text


def test_mask_keeps_ordinary_text() -> None:
    assert PersonalDataFilter.mask("printer paper out, job 42 retried") == "printer paper out, job 42 retried"
    assert PersonalDataFilter.mask("id 44020319420315002X ok") == "id *** ok"
