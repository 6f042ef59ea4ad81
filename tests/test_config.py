from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import DEFAULT_CONFIG, ConfigError, load_config

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "k.toml"
    p.write_text(text, encoding="utf-8")
    return p


def base_text() -> str:
    return DEFAULT_CONFIG.read_text(encoding="utf-8")


def test_default_config_is_valid_and_all_simulated_on_loopback() -> None:
    cfg = load_config(DEFAULT_CONFIG, env={})
    assert set(cfg.devices) == {"idcard", "scanner", "printer", "camera", "sscard", "docprinter", "speaker"}
    assert cfg.backend.url.startswith("https://127.0.0.1")
    for device_id, dev in cfg.devices.items():  # the speaker renders here (espeak-ng): nothing to simulate
        assert "127.0.0.1" in dev.url or dev.url.startswith("pcsc:") or device_id == "speaker"
    assert cfg.backend.key_file.name == "kiosk.key"
    assert cfg.backend.key_file.is_absolute()  # resolved against the config file's folder


def test_env_overrides_single_values() -> None:
    cfg = load_config(DEFAULT_CONFIG, env={
        "KIOSK_DEVICES__IDCARD__URL": "socket://127.0.0.1:7101",
        "KIOSK_TIMEOUTS__INACTIVITY_S": "12",
        "KIOSK_BACKEND__ALLOW_PLAIN_HTTP": "true",
        "KIOSK_CONFIG": "ignored: not a config key",
    })
    assert cfg.devices["idcard"].url == "socket://127.0.0.1:7101"
    assert cfg.timeouts.inactivity_s == 12.0
    assert cfg.backend.allow_plain_http is True


@pytest.mark.parametrize("change, key, expected", [
    (("kiosk_id = ", "kiosk_idd = "), "kiosk_idd", "unknown key"),
    (('timeout_s = 10', 'timeout_s = "ten"'), "backend.timeout_s", "expected a number"),
    (('url = "socket://127.0.0.1:7001"', 'url = "ftp://x"'), "devices.idcard.url", "pyserial URL"),
    (('url = "tcp://127.0.0.1:9100"', 'url = "tcp://nohost"'), "devices.printer.url", "tcp://HOST:PORT"),
    (('url = "pcsc:Virtual PCD"', 'url = "Virtual PCD"'), "devices.sscard.url", "pcsc:"),
    (('driver = "escpos"', 'driver = "laser"'), "devices.printer.driver", "escpos"),
    (('url = "https://127.0.0.1:8443"', 'url = "http://example.com"'), "backend.url", "https://"),
    (("[devices.camera]", "[devices.webcam]"), "devices.webcam", "unknown device id"),
    (('url = "espeak:cmn"', 'url = "espeak:fr"'), "devices.speaker.url", "espeak:yue"),
    (('language = "auto"', 'language = "cantonese"'), "voice.language", "auto, cmn, yue"),
    (("volume = 0.8", "volume = 8"), "voice.volume", "from 0 to 1"),
])
def test_bad_config_names_file_key_and_expectation(tmp_path: Path, change, key, expected) -> None:
    text = base_text().replace(*change, 1)
    assert text != base_text()
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert err.value.key == key
    assert expected in err.value.expected
    assert str(path) in str(err.value)


def test_plain_http_only_to_loopback_when_allowed(tmp_path: Path) -> None:
    text = base_text().replace('url = "https://127.0.0.1:8443"', 'url = "http://127.0.0.1:8443"')
    with pytest.raises(ConfigError):
        load_config(write(tmp_path, text), env={})
    cfg = load_config(write(tmp_path, text.replace("allow_plain_http = false", "allow_plain_http = true")),
                      env={})
    assert cfg.backend.url == "http://127.0.0.1:8443"


def test_kiosk_exits_2_with_a_clear_message_on_bad_config(tmp_path: Path) -> None:
    path = write(tmp_path, base_text().replace("poll_interval_s = 0.3", "poll_interval_s = true"))
    result = subprocess.run([sys.executable, "-m", "kiosk.app", "--config", str(path)],
                            capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 2
    assert str(path) in result.stderr
    assert "devices.idcard.poll_interval_s" in result.stderr
    assert "expected a number" in result.stderr


def test_syntax_error_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "kiosk_id = "), env={})
    assert "invalid TOML" in err.value.expected


def test_diag_config_catches_a_mistyped_driver_option(tmp_path: Path) -> None:
    """Driver options are free-form in TOML; `kiosk-diag config` builds each driver (no I/O) to check them."""
    good = base_text().replace("../var/", str(REPO / "var") + "/")
    ok = subprocess.run([sys.executable, "-m", "kiosk.diag.cli", "config", "--config", str(write(tmp_path, good))],
                        capture_output=True, text=True, timeout=120, cwd=REPO)
    assert ok.returncode == 0, ok.stderr
    bad = good.replace('url = "pcsc:Virtual PCD"', 'url = "pcsc:Virtual PCD"\noptions = { removal_grace = 2 }')
    result = subprocess.run([sys.executable, "-m", "kiosk.diag.cli", "config", "--config", str(write(tmp_path, bad))],
                            capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 2
    assert "devices.sscard.options" in result.stderr and "removal_grace" in result.stderr
