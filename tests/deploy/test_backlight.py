"""deploy/kiosk_backlight.py against a sysfs-shaped tree (brightness / max_brightness files, as
the kernel's backlight class has them): full in service hours, dimmed outside, never 0."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.deploy.helpers import SYSTEM_PYTHON

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "kiosk_backlight.py"


def backlight(sysfs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SYSTEM_PYTHON, str(SCRIPT), "--sysfs", str(sysfs), *args], capture_output=True,
                          text=True, timeout=60)


def panel(sysfs: Path, name: str, top: int) -> Path:
    dev = sysfs / name
    dev.mkdir(parents=True)
    (dev / "max_brightness").write_text(f"{top}\n")
    (dev / "brightness").write_text("0\n")
    return dev / "brightness"


def test_full_in_service_hours_dimmed_outside(tmp_path: Path) -> None:
    a, b = panel(tmp_path, "intel_backlight", 19200), panel(tmp_path, "acpi_video0", 7)
    assert backlight(tmp_path, "--hours", "07:30-20:00", "--dim", "20", "--at", "07:30").returncode == 0
    assert a.read_text() == "19200\n" and b.read_text() == "7\n"
    assert backlight(tmp_path, "--hours", "07:30-20:00", "--dim", "20", "--at", "20:00").returncode == 0
    assert a.read_text() == "3840\n" and b.read_text() == "1\n"  # 20 % of 7 rounds to 1, never 0 (off)


def test_hours_across_midnight_and_settings_from_the_environment(tmp_path: Path) -> None:
    a = panel(tmp_path, "panel", 100)
    env = {"SCREEN_ON_HOURS": "22:00-06:00", "SCREEN_DIM_PERCENT": "5", "PATH": "/usr/bin:/bin"}
    for at, want in (("23:10", "100\n"), ("05:59", "100\n"), ("06:00", "5\n"), ("12:00", "5\n")):
        proc = subprocess.run([SYSTEM_PYTHON, str(SCRIPT), "--sysfs", str(tmp_path), "--at", at], env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and a.read_text() == want, (at, proc.stdout, proc.stderr)


def test_bad_settings_are_refused_and_no_backlight_is_not_an_error(tmp_path: Path) -> None:
    bad = backlight(tmp_path, "--hours", "7-20")
    assert bad.returncode != 0 and "expected HH:MM-HH:MM" in bad.stderr
    off = backlight(tmp_path, "--dim", "0")
    assert off.returncode != 0 and "0 would blank" in off.stderr
    none = backlight(tmp_path / "empty", "--at", "12:00")
    assert none.returncode == 0 and "no backlight device" in none.stdout
