"""Issue 16, cases 6-8: an installer's mistyped config. Every case stops both `kiosk` and
`kiosk-diag config` with exit status 2 and one line naming the file, the key and what was expected,
never a traceback, never a silent start. Both entry points run in-process here (their `main`), which
is what the console scripts call."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import app, preflight
from kiosk.config import DEFAULT_CONFIG, ConfigError, load_config
from kiosk.diag import config_check

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var"


@pytest.fixture(autouse=True)
def _no_kiosk_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("KIOSK_"):
            monkeypatch.delenv(name)


def good_text(tmp_path: Path) -> str:
    """The default config with its var/ paths absolute (key and CA exist after set-up) and the log
    and databases in tmp_path."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace("../var/", f"{VAR}/")
    return (text.replace(f'log_dir = "{VAR}/log"', f'log_dir = "{tmp_path}/log"')
                .replace(f"{VAR}/catalogue.sqlite3", f"{tmp_path}/catalogue.sqlite3")
                .replace(f"{VAR}/outbox.sqlite3", f"{tmp_path}/outbox.sqlite3"))


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = good_text(tmp_path)
    assert old in text, old
    path = tmp_path / "kiosk.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def run_both(path: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int, str]]:
    """(entry point, exit status, stderr) for `kiosk` and `kiosk-diag config`."""
    out = []
    for name, entry in (("kiosk", app.main), ("kiosk-diag config", config_check.main)):
        try:
            status = entry(["--config", str(path)])
        except SystemExit as exc:
            status = int(exc.code or 0)
        out.append((name, status, capsys.readouterr().err))
    return out


def assert_refused(results: list[tuple[str, int, str]], file: Path, key: str, expected: str) -> None:
    for name, status, err in results:
        assert status == 2, (name, status, err)
        assert f"{name}: bad configuration: {file}: {key}: " in err, (name, err)
        assert expected in err, (name, err)
        assert "Traceback" not in err


def test_the_good_config_passes_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = variant(tmp_path, "kiosk_id", "kiosk_id")
    assert config_check.main(["--config", str(path)]) == 0, capsys.readouterr().err
    assert preflight.problems(load_config(path, env={})) == []


# (old text, new text, key, part of what was expected)
CASES = [
    # case 6: these exited 1 with a traceback
    ('url = "tcp://127.0.0.1:9100"', 'url = "tcp://[::1:9100"', "devices.printer.url", "tcp://HOST:PORT"),
    ('url = "https://127.0.0.1:8443"', 'url = "https://[::1"', "backend.url", "https://HOST[:PORT]"),
    ('log_dir = "', 'log_dir = "/etc/passwd" # "', "log_dir", "expected a directory"),
    # case 7: these were accepted without a word
    ("timeout_s = 10\n", "timeout_s = -5\n", "backend.timeout_s", "a finite number > 0"),
    ("timeout_s = 10\n", "timeout_s = inf\n", "backend.timeout_s", "a finite number"),
    ("inactivity_s = 60", "inactivity_s = -10", "timeouts.inactivity_s", "a finite number > 0"),
    ("poll_interval_s = 0.3", "poll_interval_s = nan", "devices.idcard.poll_interval_s", "a finite number"),
    (f'ca_bundle = "{VAR}/pki/ca.pem"', 'ca_bundle = "/nonexistent/ca.pem"', "backend.ca_bundle",
     "expected an existing file of PEM CA certificates"),
    ('region_code = "440204"', 'region_code = "abc"', "region_code", "6-digit administrative division code"),
    ("control_port = 7000", "control_port = 99999", "simulators.control_port", "a port number from 1 to 65535"),
    (f'key_file = "{VAR}/kiosk.key"', 'key_file = "/nonexistent/kiosk.key"', "backend.key_file",
     "expected the kiosk's signing key"),
    # case 8: a bad driver option passed `kiosk` (only `kiosk-diag config` caught it)
    ('url = "socket://127.0.0.1:7002"', 'url = "socket://127.0.0.1:7002"\noptions = { suffix = "tab" }',
     "devices.scanner.options", "suffix must be one of"),
    ('profile = "80mm"', 'profile = "90mm"', "devices.printer.options", "90mm"),
]


@pytest.mark.parametrize("old, new, key, expected", CASES, ids=[c[2] + ":" + c[1][:24] for c in CASES])
def test_each_hostile_value_exits_2_naming_file_key_and_expectation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, key: str, expected: str) -> None:
    path = variant(tmp_path, old, new)
    assert_refused(run_both(path, capsys), path, key, expected)


def test_a_config_path_that_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_refused(run_both(tmp_path, capsys), tmp_path, "<file>", "expected a TOML file, got a directory")


def test_non_utf8_bytes_in_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kiosk.toml"
    text = good_text(tmp_path).encode().replace(b'"GD-SG-ZJ-0001"', b'"GD-\xff\xfe"')
    path.write_bytes(text)
    assert_refused(run_both(path, capsys), path, "<encoding>", "expected UTF-8 text; line 7 holds byte 0xff")


def test_a_log_dir_under_a_file_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    cfg = load_config(variant(tmp_path, f'log_dir = "{tmp_path}/log"', f'log_dir = "{tmp_path}/plain/log"'),
                      env={})
    assert [(p.key, "is a file" in p.expected) for p in preflight.problems(cfg)] == [("log_dir", True)]


def test_a_database_path_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "outbox.sqlite3").mkdir()
    cfg = load_config(variant(tmp_path, "kiosk_id", "kiosk_id"), env={})
    assert [p.key for p in preflight.problems(cfg)] == ["backend.outbox_db"]


@pytest.mark.parametrize("override, key", [
    ({"KIOSK_BACKEND__TIMEOUT_S": "nan"}, "backend.timeout_s"),
    ({"KIOSK_SIMULATORS__CONTROL_PORT": "0"}, "simulators.control_port"),
    ({"KIOSK_TIMEOUTS__TAKE_AWAY_S": "-1"}, "timeouts.take_away_s"),
    ({"KIOSK_KIOSK_ID": "GD 0001\r\nX-Evil: 1"}, "kiosk_id"),
    ({"KIOSK_BACKEND__URL": "https://127.0.0.1:0"}, "backend.url"),
])
def test_environment_overrides_are_checked_the_same_way(tmp_path: Path, override: dict[str, str],
                                                        key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(variant(tmp_path, "kiosk_id", "kiosk_id"), env=override)
    assert err.value.key == key


def test_the_real_command_prints_no_traceback(tmp_path: Path) -> None:
    path = variant(tmp_path, 'url = "https://127.0.0.1:8443"', 'url = "https://[::1"')
    result = subprocess.run([sys.executable, "-m", "kiosk.app", "--config", str(path)],
                            capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (f"kiosk: bad configuration: {path}: backend.url: expected https://HOST[:PORT] "
                                     "(plain http only to 127.0.0.1 with backend.allow_plain_http = true), "
                                     "got 'https://[::1' (Invalid IPv6 URL)")
