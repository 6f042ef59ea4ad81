#!/usr/bin/python3
"""kiosk-release: build, install, switch and roll back kiosk releases. Standard library only, run by
the system's python3, so it still works when a release's own venv is broken.

    kiosk-release build OUT [--repo DIR]        on a build machine: wheel + locked requirements
    kiosk-release install SRC [--offline]        a built release → releases/VERSION/venv (not live yet)
    kiosk-release activate VERSION               make it live, on trial, then `systemctl restart kiosk`
    kiosk-release pre-start                      kiosk.service ExecStartPre=: roll back a broken trial
    kiosk-release confirm                        kiosk.service ExecStartPost= (after READY=1): trial passed
    kiosk-release rollback [--reason TEXT]       kiosk-rollback.service (OnFailure=): the previous release
    kiosk-release status                         what is live, on trial, bad; the last events
    kiosk-release gc [--keep N]                  delete old releases (never current or previous)

Layout (ROOT = --root or $KIOSK_ROOT, default /opt/kiosk; STATE = --state or $KIOSK_RELEASE_STATE,
default /var/lib/kiosk-release/state.json):

    ROOT/releases/VERSION/release.json, venv/    one directory per release, installed side by side
    ROOT/current -> releases/VERSION             the live one; switched by an atomic rename

A newly activated release is on trial until the kiosk reports READY (confirm). It is rolled back to
the previous release by pre-start when it fails its health check (its venv cannot import the kiosk),
when it has been started MAX_TRIAL_STARTS times without READY, or when TRIAL_LIMIT_S passed since
the switch without READY; and by rollback when systemd gives up on it (3 failed starts in 10
minutes: StartLimitBurst=/StartLimitIntervalSec= → OnFailure=). Exit status 0 means "start the
kiosk" (pre-start) or "done"; 1 a failure with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

MAX_TRIAL_STARTS = 3
TRIAL_LIMIT_S = 600.0
CHECK_TIMEOUT_S = 120.0
HEALTH_CHECK = "import kiosk.app, kiosk.ui.main_window, PySide6.QtWidgets"
LOG_KEEP = 50
TOOLS_UV = "/opt/kiosk/tools/bin/uv"  # deploy/install.sh puts uv there


class ReleaseError(Exception):
    pass


def _now(args: argparse.Namespace) -> float:
    return args.now if args.now is not None else time.time()


# ---- state ------------------------------------------------------------------------------------

def load_state(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text())
    except FileNotFoundError:
        state = {}
    except (OSError, ValueError) as exc:  # a torn or unreadable file must not stop the kiosk
        print(f"kiosk-release: state file {path} unreadable ({exc}); starting afresh", file=sys.stderr)
        state = {}
    state.setdefault("previous", None)
    state.setdefault("trial", None)
    state.setdefault("bad", [])
    state.setdefault("log", [])
    return state


def save_state(path: Path, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def record(state: dict[str, Any], now: float, event: str, version: str | None, reason: str = "") -> None:
    state["log"] = [*state["log"], {"time": round(now, 3), "event": event, "version": version,
                                    "reason": reason}][-LOG_KEEP:]
    print(f"kiosk-release: {event} {version or '-'}{': ' + reason if reason else ''}")


# ---- releases ---------------------------------------------------------------------------------

def current_version(root: Path) -> str | None:
    link = root / "current"
    if not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


def release_dir(root: Path, version: str) -> Path:
    return root / "releases" / version


def switch(root: Path, version: str) -> None:
    """Point ROOT/current at the release, atomically (a new symlink renamed over the old one)."""
    target = release_dir(root, version)
    if not target.is_dir():
        raise ReleaseError(f"no release {version} in {root / 'releases'}")
    tmp = root / ".current.new"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(Path("releases") / version)
    os.replace(tmp, root / "current")


def health(root: Path, version: str) -> str | None:
    """None if the release can start; else why not (a broken venv, a missing package, ...)."""
    rel = release_dir(root, version)
    try:
        meta = json.loads((rel / "release.json").read_text())
    except (OSError, ValueError) as exc:
        return f"release.json unreadable: {exc}"
    if meta.get("version") != version:
        return f"release.json names version {meta.get('version')!r}"
    python = rel / "venv" / "bin" / "python"
    if not (rel / "venv" / "bin" / "kiosk").is_file() or not os.access(python, os.X_OK):
        return "venv/bin/kiosk or venv/bin/python missing"
    try:
        proc = subprocess.run([str(python), "-I", "-c", HEALTH_CHECK], capture_output=True, text=True,
                              timeout=CHECK_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"health check did not run: {exc}"
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return f"health check failed: {last}"
    return None


def roll_back(root: Path, state: dict[str, Any], now: float, reason: str) -> bool:
    """Make the previous release live again. False when there is none that is healthy."""
    bad = current_version(root)
    prev = state["previous"]
    state["trial"] = None
    if bad and bad not in state["bad"]:
        state["bad"].append(bad)
    if not prev or prev == bad:
        record(state, now, "no-rollback", bad, f"{reason}; no previous release to go back to")
        return False
    problem = health(root, prev)
    if problem:
        record(state, now, "no-rollback", bad, f"{reason}; previous release {prev} is broken too: {problem}")
        return False
    switch(root, prev)
    state["previous"] = None  # the bad one is never gone back to
    record(state, now, "rolled-back", prev, f"from {bad}: {reason}")
    return True


# ---- commands ---------------------------------------------------------------------------------

def cmd_pre_start(args: argparse.Namespace, root: Path, state: dict[str, Any]) -> int:
    now = _now(args)
    live = current_version(root)
    if live is None:
        print(f"kiosk-release: no release is live ({root / 'current'} missing)", file=sys.stderr)
        return 1
    trial = state["trial"]
    if trial and trial.get("version") != live:
        state["trial"] = trial = None  # someone switched by hand: nothing to judge
    broken = health(root, live)
    problem = broken
    if broken is None and trial:
        trial["starts"] = trial.get("starts", 0) + 1
        if trial["starts"] > MAX_TRIAL_STARTS:
            problem = f"started {MAX_TRIAL_STARTS} times without reporting READY"
        elif now - trial.get("since", now) > TRIAL_LIMIT_S:
            problem = f"no READY within {TRIAL_LIMIT_S:.0f} s of the switch"
        else:
            record(state, now, "trial-start", live, f"start {trial['starts']} of {MAX_TRIAL_STARTS}")
    if problem is None or roll_back(root, state, now, problem):
        return 0
    if broken is None:
        return 0  # slow or flaky, but nothing better to start: keep trying this one
    print(f"kiosk-release: {live} cannot start: {broken}", file=sys.stderr)
    return 1


def cmd_confirm(args: argparse.Namespace, root: Path, state: dict[str, Any]) -> int:
    live = current_version(root)
    trial = state["trial"]
    if trial and trial.get("version") == live:
        state["trial"] = None
        record(state, _now(args), "confirmed", live, f"READY after {trial.get('starts', 0)} start(s)")
    return 0


def cmd_rollback(args: argparse.Namespace, root: Path, state: dict[str, Any]) -> int:
    roll_back(root, state, _now(args), args.reason)
    return 0  # the rollback unit restarts the kiosk either way


def cmd_activate(args: argparse.Namespace, root: Path, state: dict[str, Any]) -> int:
    version = args.version
    problem = health(root, version)
    if problem:
        raise ReleaseError(f"{version} cannot start: {problem}")
    live = current_version(root)
    if live == version:
        print(f"kiosk-release: {version} is live already")
        return 0
    switch(root, version)
    state["previous"] = live
    state["trial"] = {"version": version, "since": _now(args), "starts": 0}
    if version in state["bad"]:
        state["bad"].remove(version)
    record(state, _now(args), "activated", version, f"on trial; previous {live or '-'}")
    print("kiosk-release: now run: systemctl restart kiosk.service")
    return 0


def cmd_install(args: argparse.Namespace, root: Path, state: dict[str, Any]) -> int:
    src = Path(args.src)
    meta = json.loads((src / "release.json").read_text())
    version = meta["version"]
    verify_sums(src)
    dest = release_dir(root, version)
    if dest.exists():
        raise ReleaseError(f"release {version} is installed already ({dest})")
    uv = [args.uv]
    offline = ["--offline"] if args.offline else []
    py = str(dest / "venv" / "bin" / "python")
    try:  # built where it will live: a venv's scripts name their interpreter by absolute path
        dest.mkdir(parents=True)
        run([*uv, "venv", "-q", "--python", args.python, str(dest / "venv")])
        run([*uv, "pip", "sync", "-q", "--compile-bytecode", *offline, "--python", py, str(src / "requirements.txt")])
        run([*uv, "pip", "install", "-q", "--compile-bytecode", *offline, "--no-deps", "--python", py, str(src / meta["wheel"])])
        shutil.copy2(src / "release.json", dest / "release.json")  # last: marks the release complete
        problem = health(root, version)
        if problem:
            raise ReleaseError(f"{version} installed but cannot start: {problem}")
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    record(state, _now(args), "installed", version)
    return 0


def cmd_build(args: argparse.Namespace, root: Path, state: dict[str, Any]) -> int:
    repo = Path(args.repo).resolve()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=10", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    version = f"{project['version']}+g{commit}{'.dirty' if dirty else ''}"
    stale = [ts.name for ts in sorted((repo / "assets" / "i18n").glob("*.ts"))
             if not ts.with_suffix(".qm").exists() or ts.with_suffix(".qm").stat().st_mtime < ts.stat().st_mtime]
    if stale:  # the .qm are built, never committed: a wheel without them would show 简 in 繁/EN sessions
        raise ReleaseError(f"translations not compiled for {', '.join(stale)}: run `make setup` in {repo} first")
    uv = [args.uv]
    run([*uv, "build", "-q", "--wheel", "--out-dir", str(out), str(repo)])
    wheels = sorted(out.glob("*.whl"), key=lambda p: p.stat().st_mtime)
    run([*uv, "export", "-q", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
         "--format", "requirements-txt", "--project", str(repo), "-o", str(out / "requirements.txt")])
    meta = {"version": version, "commit": commit, "dirty": bool(dirty), "wheel": wheels[-1].name,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (out / "release.json").write_text(json.dumps(meta, indent=1) + "\n")
    write_sums(out, [wheels[-1].name, "requirements.txt", "release.json"])
    print(f"kiosk-release: built {version} in {out}")
    return 0


def cmd_status(args: argparse.Namespace, root: Path, state: dict[str, Any]) -> int:
    releases = sorted(p.name for p in (root / "releases").glob("*") if p.is_dir() and not p.name.startswith("."))
    print(json.dumps({"root": str(root), "current": current_version(root), "releases": releases,
                      **{k: state[k] for k in ("previous", "trial", "bad")}, "log": state["log"][-10:]},
                     indent=1))
    return 0


def cmd_gc(args: argparse.Namespace, root: Path, state: dict[str, Any]) -> int:
    keep = {current_version(root), state["previous"], (state["trial"] or {}).get("version")}
    old = sorted((p for p in (root / "releases").iterdir() if p.is_dir() and p.name not in keep),
                 key=lambda p: p.stat().st_mtime)
    for p in old[:max(0, len(old) - args.keep)]:
        shutil.rmtree(p)
        record(state, _now(args), "deleted", p.name)
    return 0


# ---- helpers ----------------------------------------------------------------------------------

def run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd)
    if proc.returncode != 0:
        raise ReleaseError(f"{' '.join(cmd)} failed with exit status {proc.returncode}")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_sums(out: Path, names: list[str]) -> None:
    (out / "SHA256SUMS").write_text("".join(f"{_sha256(out / n)}  {n}\n" for n in names))


def verify_sums(src: Path) -> None:
    try:
        lines = (src / "SHA256SUMS").read_text().splitlines()
    except OSError as exc:
        raise ReleaseError(f"{src}: SHA256SUMS missing: {exc}") from exc
    for line in lines:
        digest, name = line.split(maxsplit=1)
        if not (src / name).is_file() or _sha256(src / name) != digest:
            raise ReleaseError(f"{src / name}: checksum does not match SHA256SUMS")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="kiosk-release", description=__doc__.split("\n\n")[0])
    p.add_argument("--root", default=os.environ.get("KIOSK_ROOT", "/opt/kiosk"))
    p.add_argument("--state", default=os.environ.get("KIOSK_RELEASE_STATE", "/var/lib/kiosk-release/state.json"))
    p.add_argument("--now", type=float, default=None, help=argparse.SUPPRESS)  # tests: a fixed clock
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("out")
    b.add_argument("--repo", default=str(Path(__file__).resolve().parent.parent))
    b.add_argument("--uv", default="uv")
    i = sub.add_parser("install")
    i.add_argument("src")
    i.add_argument("--python", default="/usr/bin/python3")
    i.add_argument("--uv", default=os.environ.get("KIOSK_UV") or (TOOLS_UV if os.access(TOOLS_UV, os.X_OK) else "uv"))
    i.add_argument("--offline", action="store_true", help="only uv's cache, no package index")
    sub.add_parser("activate").add_argument("version")
    sub.add_parser("pre-start")
    sub.add_parser("confirm")
    sub.add_parser("rollback").add_argument("--reason", default="the kiosk failed repeatedly (systemd)")
    sub.add_parser("status")
    sub.add_parser("gc").add_argument("--keep", type=int, default=2)
    args = p.parse_args(argv)
    root, state_path = Path(args.root), Path(args.state)
    state = load_state(state_path)
    handler = globals()["cmd_" + args.command.replace("-", "_")]
    try:
        rc = handler(args, root, state)
    except (ReleaseError, OSError, KeyError, ValueError) as exc:
        print(f"kiosk-release {args.command}: {exc}", file=sys.stderr)
        rc = 1
    if args.command not in ("build", "status"):
        save_state(state_path, state)
    return rc


if __name__ == "__main__":
    sys.exit(main())
