"""`kiosk-diag backend check` against the running reference backend."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kiosk.diag import backend as diag
from kiosk.services.signing import generate_key_file

REPO = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, url: str, ca: Path, key: Path) -> Path:
    text = (REPO / "config" / "kiosk.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^url = "https://127\.0\.0\.1:8443"', f'url = "{url}"', text)
    text = re.sub(r'(?m)^ca_bundle = .*$', f'ca_bundle = "{ca}"', text)
    text = re.sub(r'(?m)^key_file = .*$', f'key_file = "{key}"', text)
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_passes_and_reports_everything(api, backend_dir, tmp_path, capsys):
    cfg = _config(tmp_path, api.base, api.ca, backend_dir / "kiosk.key")
    assert diag.main(["check", "--config", str(cfg), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    checks = {c["name"]: c for c in out["checks"]}
    assert out["ok"] and set(checks) == {"reachable", "clock skew", "signature", "catalogue"}
    assert "TLS verified" in checks["reachable"]["detail"]
    assert abs(checks["clock skew"]["value"]) < 60
    assert checks["signature"]["detail"] == "accepted"
    catalogue = api.call("GET", "/api/v1/catalog").json()
    assert checks["catalogue"]["value"] == catalogue["version"]
    assert diag.main(["check", "--config", str(cfg)]) == 0
    assert "all checks passed" in capsys.readouterr().out


def test_wrong_key_is_reported_as_rejected(api, tmp_path, capsys):
    other = tmp_path / "other.key"
    generate_key_file(other)
    cfg = _config(tmp_path, api.base, api.ca, other)
    assert diag.main(["check", "--config", str(cfg), "--json"]) == 3  # offline: the platform refuses the kiosk
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["reachable"]["ok"] and not checks["signature"]["ok"]
    assert "does not verify" in checks["signature"]["detail"]


def test_clock_skew_is_measured(api, backend_dir, tmp_path, capsys):
    cfg = _config(tmp_path, api.base, api.ca, backend_dir / "kiosk.key")
    api.sim.control("POST", "/clock", {"offset_s": 120})
    try:
        assert diag.main(["check", "--config", str(cfg), "--json"]) == 1  # degraded: works, fix NTP
    finally:
        api.sim.control("POST", "/clock", {"offset_s": 0})
    out = json.loads(capsys.readouterr().out)
    checks = {c["name"]: c for c in out["checks"]}
    assert 60 < checks["clock skew"]["value"] < 180 and "fix NTP" in checks["clock skew"]["detail"]
    assert checks["clock skew"]["warning"] and out["verdict"] == "degraded"


def test_untrusted_ca_and_unreachable(api, backend_dir, tmp_path, capsys):
    from simulators.backend.pki import ensure_pki

    foreign = ensure_pki(tmp_path / "foreign").ca_pem  # a CA that did not sign the server cert
    cfg = _config(tmp_path, api.base, foreign, backend_dir / "kiosk.key")
    assert diag.main(["check", "--config", str(cfg)]) == 3
    assert "TLS verification failed" in capsys.readouterr().out
    cfg = _config(tmp_path, "https://127.0.0.1:9", api.ca, backend_dir / "kiosk.key")
    assert diag.main(["check", "--config", str(cfg)]) == 3
    assert "FAIL reachable" in capsys.readouterr().out


def test_usage_errors(tmp_path):
    assert diag.main([]) == 2
    assert diag.main(["check", "--config", str(tmp_path / "missing.toml")]) == 2
