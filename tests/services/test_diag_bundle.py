"""The diagnostics bundle: logs + status + config, secrets removed, personal data masked, written
to a directory (a USB stick) in one atomic step."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.model import DeviceState, DeviceStatus
from kiosk.services import messages
from kiosk.services.diag_bundle import REMOVED, BundleError, build_bundle, export_bundle
from kiosk.services.health import backend_part, kiosk_health
from simulators.personas import load_personas

PERSONAS = list(load_personas().values())


def persona_strings() -> list[str]:
    """Every value of every persona that identifies a person (names, numbers, address, tokens)."""
    out: list[str] = []
    for p in PERSONAS:
        for value in (p.name, p.english_name, p.address, p.appended_address, p.id_number, p.phone,
                      p.eid_token, p.pass_number):
            if value:
                out.append(value)
        if p.sscard is not None:
            out += [p.sscard.card_number, p.sscard.card_identifier]
    return out


@pytest.fixture
def cfg(tmp_path: Path):
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    lines = []
    for p in PERSONAS:  # what a buggy line could have let through: numbers, a phone, a token
        lines.append(f"2026-11-30 10:00:00 INFO MainThread kiosk: card read {p.id_number} phone {p.phone} "
                     f"eid {p.eid_token}")
    (log_dir / "kiosk.log").write_text("\n".join(lines) + "\nplain line kept\n", encoding="utf-8")
    (log_dir / "kiosk.log.1").write_text("older rotation\n", encoding="utf-8")
    return load_config(DEFAULT_CONFIG, env={"KIOSK_LOG_DIR": str(log_dir)})


def open_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist()}


def status_dict(cfg) -> dict:
    statuses = {"printer": DeviceStatus("printer", DeviceState.USER_ERROR, detail="paper out")}
    return kiosk_health(cfg.kiosk_id, statuses, [backend_part()]).to_dict()


def test_bundle_contents_are_masked_and_secret_free(cfg) -> None:
    files = open_zip(build_bundle(cfg, status_dict(cfg)))
    assert set(files) == {"manifest.json", "status.json", "config.json", "logs/kiosk.log", "logs/kiosk.log.1"}
    manifest = json.loads(files["manifest.json"])
    assert manifest["kiosk_id"] == cfg.kiosk_id and manifest["files"] == [
        "status.json", "config.json", "logs/kiosk.log", "logs/kiosk.log.1"]
    assert "***" in manifest["masking"]
    assert json.loads(files["status.json"])["devices"]["printer"]["verdict"] == "offline"
    config = json.loads(files["config.json"])
    assert config["technician"]["pin_hash"] == REMOVED and cfg.technician.pin_hash not in files["config.json"]
    assert config["backend"]["url"] == cfg.backend.url  # the rest is kept for the technician
    everything = "\n".join(files.values())
    leaked = [s for s in persona_strings() if s in everything]
    assert leaked == []
    assert files["logs/kiosk.log"].count("***") == 3 * len(PERSONAS) and "plain line kept" in files["logs/kiosk.log"]


def test_export_writes_one_file_atomically(cfg, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    path = export_bundle(cfg, usb, status_dict(cfg), now=1_800_000_000.0)
    assert path.parent == usb and path.name.startswith(f"kiosk-diag-{cfg.kiosk_id}-") and path.suffix == ".zip"
    assert [p.name for p in usb.iterdir()] == [path.name]  # no .part left behind
    assert "status.json" in open_zip(path.read_bytes())


def test_export_to_a_missing_stick_is_a_clear_error(cfg, tmp_path: Path) -> None:
    with pytest.raises(BundleError) as err:
        export_bundle(cfg, tmp_path / "not-mounted", status_dict(cfg))
    assert err.value.code == "bundle.no_target" and "not-mounted" in err.value.detail
    assert "U 盘" in messages.text(err.value.code) and "U 盘" in messages.text("bundle.write_failed")
