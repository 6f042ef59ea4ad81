"""Updates with rollback, driven through deploy/kiosk_release.py exactly as the units call it
(ExecStartPre= pre-start, ExecStartPost= confirm, OnFailure= rollback), on real releases of this
checkout: a good one, and deliberately broken copies of it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.helpers import install, kiosk_release

SIM_ONLY = ("fastapi", "uvicorn", "trustme", "starlette", "schemathesis", "scikit-image", "matplotlib",
            "pytest", "httpx", "hypothesis")


def live(root: Path) -> str:
    return Path(os.readlink(root / "current")).name


def state(root: Path) -> dict:
    return json.loads((root / "state.json").read_text())


def copy_release(root: Path, good: str, new: str) -> Path:
    """A second release made from the first by hard links (quick); files to change are replaced,
    never written in place, so the good release is untouched."""
    src, dst = root / "releases" / good, root / "releases" / new
    subprocess.run(["cp", "-al", str(src), str(dst)], check=True)
    meta = dst / "release.json"
    data = json.loads(meta.read_text())
    meta.unlink()
    meta.write_text(json.dumps({**data, "version": new}))
    return dst


def site_packages(release: Path) -> Path:
    return next((release / "venv" / "lib").glob("python3*/site-packages"))


def crash_at_start(release: Path) -> None:
    """The kiosk imports fine (the health check passes) but main() fails: it never reports READY."""
    app = site_packages(release) / "kiosk" / "app.py"
    text = app.read_text()
    app.unlink()
    marker = "def main(argv: list[str] | None = None) -> int:\n"
    assert marker in text
    app.write_text(text.replace(marker, marker + '    raise RuntimeError("deliberately broken release")\n'))
    shutil.rmtree(app.parent / "__pycache__", ignore_errors=True)


@pytest.fixture
def root(built_release: Path, tmp_path: Path) -> tuple[Path, str]:
    r = tmp_path / "kiosk"
    version = install(built_release, r)
    kiosk_release(r, "activate", version)
    kiosk_release(r, "pre-start")
    kiosk_release(r, "confirm")  # v1 has been up: no longer on trial
    assert state(r)["trial"] is None
    return r, version


def test_production_release_carries_no_simulator_or_test_dependencies(built_release: Path, root) -> None:
    r, version = root
    reqs = (built_release / "requirements.txt").read_text().lower()
    names = {line.split("==")[0].strip() for line in reqs.splitlines() if "==" in line}
    assert {"pyside6-essentials", "pyserial", "pyscard", "requests"} <= names
    assert not names & set(SIM_ONLY), names & set(SIM_ONLY)
    python = r / "current" / "venv" / "bin" / "python"
    probe = subprocess.run([str(python), "-I", "-c", "import importlib.util as u, sys; import kiosk.app; "
                            f"sys.exit(any(u.find_spec(m) for m in {['fastapi', 'uvicorn', 'trustme']!r}))"])
    assert probe.returncode == 0, "the release venv can import a simulator-only package"
    assert subprocess.run([str(python), "-I", "-m", "kiosk.app", "--help"], capture_output=True, cwd=r).returncode == 0
    share = r / "current" / "venv" / "share" / "village-kiosk" / "assets"
    assert {p.name for p in (share / "i18n").glob("*.qm")} >= {"kiosk_en.qm", "kiosk_zh_HK.qm"}  # 繁 / EN work
    assert (share / "theme.qss").is_file()


def test_a_release_that_never_reports_ready_is_rolled_back_after_three_starts(root) -> None:
    r, good = root
    bad = "9.9.9+broken"
    crash_at_start(copy_release(r, good, bad))
    kiosk_release(r, "activate", bad)
    assert live(r) == bad and state(r)["previous"] == good
    for start in range(1, 4):  # what systemd does: ExecStartPre=, ExecStart= crashes, no READY
        kiosk_release(r, "pre-start")
        assert live(r) == bad, f"rolled back too early, at start {start}"
        run = subprocess.run([str(r / "current" / "venv" / "bin" / "python"), "-I", "-m", "kiosk.app"],
                             capture_output=True, text=True, timeout=120, cwd=r)  # as ExecStart= does
        assert run.returncode != 0 and "deliberately broken release" in run.stderr
    kiosk_release(r, "pre-start")  # the fourth start: the good release comes back
    assert live(r) == good
    s = state(r)
    assert bad in s["bad"] and s["trial"] is None and s["previous"] is None
    assert s["log"][-1]["event"] == "rolled-back" and "without reporting READY" in s["log"][-1]["reason"]


def test_a_release_whose_venv_is_broken_is_rolled_back_before_it_starts(root) -> None:
    r, good = root
    bad = "9.9.8+no-qt"
    rel = copy_release(r, good, bad)
    kiosk_release(r, "activate", bad)
    shutil.rmtree(site_packages(rel) / "PySide6")  # e.g. a half-written update, a disk fault
    proc = kiosk_release(r, "pre-start")
    assert live(r) == good
    assert "rolled-back" in proc.stdout and "No module named 'PySide6'" in state(r)["log"][-1]["reason"]


def test_activate_refuses_a_release_that_cannot_start(root) -> None:
    r, good = root
    rel = copy_release(r, good, "9.9.7+no-qt")
    shutil.rmtree(site_packages(rel) / "PySide6")
    proc = kiosk_release(r, "activate", "9.9.7+no-qt", check=False)
    assert proc.returncode == 1 and "cannot start" in proc.stderr
    assert live(r) == good


def test_no_ready_within_the_trial_limit_rolls_back(root) -> None:
    r, good = root
    copy_release(r, good, "2.0.0")
    kiosk_release(r, "--now", "1000", "activate", "2.0.0")
    kiosk_release(r, "--now", "1100", "pre-start")
    assert live(r) == "2.0.0"
    kiosk_release(r, "--now", "1700", "pre-start")  # 700 s after the switch, never confirmed
    assert live(r) == good and "no READY within" in state(r)["log"][-1]["reason"]


def test_confirmed_release_stays_and_systemd_give_up_rolls_back_once(root) -> None:
    r, good = root
    copy_release(r, good, "2.0.0")
    kiosk_release(r, "activate", "2.0.0")
    kiosk_release(r, "pre-start")
    kiosk_release(r, "confirm")  # READY=1 came: ExecStartPost=
    for _ in range(5):
        kiosk_release(r, "pre-start")
    assert live(r) == "2.0.0" and state(r)["trial"] is None
    # later it crash-loops: systemd's start limit puts the unit in failed → OnFailure= rollback
    kiosk_release(r, "rollback", "--reason", "start limit hit")
    assert live(r) == good
    kiosk_release(r, "rollback")  # failing again: nothing older to go to, stays, says so
    assert live(r) == good and state(r)["log"][-1]["event"] == "no-rollback"


def test_install_checks_the_release_checksums(built_release: Path, tmp_path: Path) -> None:
    src = tmp_path / "tampered"
    shutil.copytree(built_release, src)
    (src / "requirements.txt").write_text((src / "requirements.txt").read_text() + "fastapi==0.1\n")
    proc = kiosk_release(tmp_path / "kiosk", "install", str(src), "--offline", check=False)
    assert proc.returncode == 1 and "checksum does not match" in proc.stderr
    assert not (tmp_path / "kiosk" / "releases").exists() or not any((tmp_path / "kiosk" / "releases").iterdir())
