"""What cannot run here (no systemd as PID 1, no seat) is checked statically, for real:

- `systemd-analyze verify` on every unit, in a staged root holding the units, the scripts they run
  (the real ones from deploy/), cage and systemctl, and systemd's own units; any message fails;
- `systemd-analyze security --offline` exposure scores stay low;
- the settings the kiosk's recovery depends on (Type=notify, watchdog, restart limits, rollback
  hooks, the restart exit status, the sandbox) are present, and named units and scripts exist;
- the lockdown files (logind, manager, sysctl, udev, polkit) say what docs/deployment.md claims;
- the production config validates and names no simulator; deploy/install.sh --dry-run prints every
  step and changes nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.exit_codes import EXIT_RESTART

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNITS = sorted(p.name for p in (DEPLOY / "systemd").iterdir())
SCRIPTS = {"/usr/local/sbin/kiosk-release": "kiosk_release.py", "/usr/local/sbin/kiosk-backlight": "kiosk_backlight.py",
           "/usr/local/sbin/kiosk-log-export": "kiosk_log_export.sh"}
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="Debian systemd not installed (tools/setup.sh installs it)")


def unit(name: str) -> dict[str, list[str]]:
    """`Section.Key` → every value it is given (systemd allows repeats)."""
    out: dict[str, list[str]] = {}
    section = ""
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.setdefault(f"{section}.{key}", []).append(value)
    return out


@pytest.fixture(scope="module")
def staged_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sdroot")
    (root / "etc/systemd/system").mkdir(parents=True)
    for name in UNITS:
        shutil.copy(DEPLOY / "systemd" / name, root / "etc/systemd/system" / name)
    for dest, src in SCRIPTS.items():
        target = root / dest.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEPLOY / src, target)
    for binary in ("/usr/bin/cage", "/bin/systemctl"):
        if not os.path.exists(binary):
            pytest.skip(f"{binary} missing (tools/setup.sh installs cage and systemd)")
        (root / binary.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(binary, root / binary.lstrip("/"))
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    return root


@needs_analyze
def test_systemd_analyze_verify_passes_on_every_unit_without_a_message(staged_root: Path) -> None:
    proc = subprocess.run([ANALYZE, f"--root={staged_root}", "verify", "--man=no", "--generators=no",
                           *[f"etc/systemd/system/{u}" for u in UNITS]], cwd=staged_root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and not (proc.stdout + proc.stderr).strip(), proc.stdout + proc.stderr


@needs_analyze
@pytest.mark.parametrize(("name", "limit"), [("kiosk.service", 2.5), ("kiosk-rollback.service", 2.5),
                                             ("kiosk-backlight.service", 3.5), ("kiosk-log-export@.service", 5.0)])
def test_units_are_sandboxed(staged_root: Path, name: str, limit: float) -> None:
    proc = subprocess.run([ANALYZE, "security", "--offline=yes", f"--root={staged_root}", "--no-pager",
                           f"etc/systemd/system/{name}"], cwd=staged_root, capture_output=True, text=True,
                          timeout=120)
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", proc.stdout)
    assert m, proc.stdout[-2000:] + proc.stderr
    assert float(m.group(1)) <= limit, f"{name}: exposure {m.group(1)} > {limit}"


def test_kiosk_service_recovers_by_itself() -> None:
    k = unit("kiosk.service")
    assert k["Service.Type"] == ["notify"] and k["Service.NotifyAccess"] == ["all"]
    assert int(k["Service.WatchdogSec"][0]) > 0 and k["Service.Restart"] == ["always"]
    assert k["Unit.StartLimitBurst"] == ["3"] and k["Unit.StartLimitIntervalSec"] == ["600"]
    assert k["Unit.OnFailure"] == ["kiosk-rollback.service"] and "kiosk-rollback.service" in UNITS
    assert str(EXIT_RESTART) in k["Service.SuccessExitStatus"][0].split()
    assert k["Service.ExecStartPre"] == ["+/usr/local/sbin/kiosk-release pre-start"]
    assert k["Service.ExecStartPost"] == ["+/usr/local/sbin/kiosk-release confirm"]
    start = k["Service.ExecStart"][0].split()
    assert start[0] == "/usr/bin/cage" and "-s" not in start  # -s would allow VT switching
    assert start[start.index("--") + 1:][:4] == ["/opt/kiosk/current/venv/bin/python", "-I", "-m", "kiosk.app"]
    assert k["Service.User"] == ["kiosk"] and k["Service.ProtectSystem"] == ["strict"]
    assert {"StateDirectory", "LogsDirectory", "CacheDirectory"} <= {key.split(".")[1] for key in k}
    rollback = unit("kiosk-rollback.service")["Service.ExecStart"]
    assert rollback[0].startswith("/usr/local/sbin/kiosk-release rollback")
    assert "reset-failed kiosk.service" in rollback[1] and "start --no-block kiosk.service" in rollback[2]


def test_every_script_a_unit_runs_is_shipped_and_every_kiosk_unit_named_exists() -> None:
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        for path in re.findall(r"/usr/local/sbin/[\w-]+", text):
            assert path in SCRIPTS, f"{name} runs {path}, which deploy/ does not ship"
        for ref in re.findall(r"\bkiosk[\w@-]*\.(?:service|timer)", text):
            template = ref.split("@")[0] + "@.service" if "@" in ref else ref
            assert template in UNITS, f"{name} names {ref}, which deploy/systemd does not ship"
    installer = (DEPLOY / "install.sh").read_text()
    for name in UNITS:
        assert name in installer, f"install.sh does not install {name}"
    for src in SCRIPTS.values():
        assert src in installer


def test_lockdown_settings_are_what_the_docs_say() -> None:
    logind = (DEPLOY / "etc/logind.conf.d/kiosk.conf").read_text()
    for line in ("NAutoVTs=0", "ReserveVT=0", "HandlePowerKey=ignore", "HandleRebootKey=ignore"):
        assert line in logind.splitlines()
    assert "CtrlAltDelBurstAction=none" in (DEPLOY / "etc/system.conf.d/kiosk.conf").read_text()
    assert "ctrl-alt-del.target" in (DEPLOY / "install.sh").read_text()
    assert re.search(r"^kernel\.sysrq = 0$", (DEPLOY / "etc/sysctl.d/90-kiosk.conf").read_text(), re.M)
    udev = (DEPLOY / "etc/udev/rules.d/90-kiosk-usb-storage.rules").read_text()
    assert 'ENV{ID_BUS}=="usb"' in udev and 'ENV{UDISKS_IGNORE}="1"' in udev
    env = (DEPLOY / "config/kiosk.env").read_text()
    cage_args = re.search(r"^CAGE_ARGS=(.*)$", env, re.M).group(1).split()
    assert "-s" not in cage_args
    docs = (REPO / "docs/deployment.md").read_text()
    for word in ("Alt+F4", "Ctrl+Alt+F1", "Ctrl+Alt+Backspace", "SysRq", "automount", "consoleblank"):
        assert word in docs, f"docs/deployment.md does not cover {word}"


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed: the polkit rule is JavaScript")
def test_polkit_rule_lets_the_kiosk_user_do_exactly_two_things(tmp_path: Path) -> None:
    """The rule file evaluated with node against the same action objects polkit passes it."""
    script = tmp_path / "check.js"
    script.write_text("""
const rules = [];
const polkit = {Result: {YES: "yes", NOT_HANDLED: "not_handled"}, addRule: f => rules.push(f)};
eval(require("fs").readFileSync(process.argv[2], "utf8"));
const ask = (user, id, unit, verb) => rules[0]({id, lookup: k => ({unit, verb})[k]}, {user});
const M = "org.freedesktop.systemd1.manage-units";
console.log(JSON.stringify([
  ask("kiosk", M, "kiosk.service", "restart"), ask("kiosk", M, "kiosk-log-export@sdb1.service", "start"),
  ask("kiosk", M, "kiosk.service", "stop"), ask("kiosk", M, "getty@tty2.service", "start"),
  ask("kiosk", M, "kiosk-log-export@nvme0n1.service", "start"), ask("nobody", M, "kiosk.service", "restart"),
  ask("kiosk", "org.freedesktop.login1.reboot", undefined, undefined)]));
""")
    out = subprocess.run(["node", str(script), str(DEPLOY / "etc/polkit-1/rules.d/50-kiosk.rules")],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.strip() == '["yes","yes","not_handled","not_handled","not_handled","not_handled","not_handled"]'


def test_production_config_validates_and_names_no_simulator() -> None:
    cfg = load_config(DEPLOY / "config/kiosk.toml", env={})
    assert cfg.backend.url.startswith("https://") and "127.0.0.1" not in cfg.backend.url
    assert not cfg.backend.allow_plain_http
    for device_id, dev in cfg.devices.items():
        assert "127.0.0.1" not in dev.url and "localhost" not in dev.url, device_id
    text = (DEPLOY / "config/kiosk.toml").read_text()
    assert "[simulators]" not in text and "../var" not in text
    assert str(cfg.log_dir) == "/var/log/kiosk" and str(cfg.backend.outbox_db).startswith("/var/lib/kiosk/")


def test_install_dry_run_prints_every_step_and_changes_nothing(tmp_path: Path) -> None:
    release = tmp_path / "rel"
    release.mkdir()
    (release / "release.json").write_text('{"version": "1.2.3+gabc"}')
    watched = [Path(p) for p in ("/etc/kiosk", "/opt/kiosk", "/usr/local/sbin/kiosk-release",
                                 "/etc/systemd/system/kiosk.service")]
    before = {p: p.exists() for p in watched}
    proc = subprocess.run(["bash", str(DEPLOY / "install.sh"), "--dry-run", "--release", str(release)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    steps = re.findall(r"^\[(\d+)\] (.*)$", proc.stdout, re.M)
    assert [int(n) for n, _ in steps] == list(range(1, len(steps) + 1)) and len(steps) >= 9
    titles = " | ".join(t for _, t in steps)
    for word in ("Debian packages", "user kiosk", "scripts", "config", "systemd units", "boot", "release", "start"):
        assert word in titles
    assert "dry run, nothing changed" in proc.stdout
    assert {p: p.exists() for p in watched} == before
    if not before[Path("/etc/systemd/system/kiosk.service")]:
        assert "+ install -D -m 0644 -o root -g root" in proc.stdout and "kiosk.service" in proc.stdout
    assert "kiosk-release activate 1.2.3+gabc" in proc.stdout or "1.2.3+gabc is live" in proc.stdout
    bad = subprocess.run(["bash", str(DEPLOY / "install.sh"), "--dry-run", "--frobnicate"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "unknown option --frobnicate" in bad.stderr


def test_shell_scripts_parse() -> None:
    for script in ("install.sh", "kiosk_log_export.sh"):
        proc = subprocess.run(["bash", "-n", str(DEPLOY / script)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
