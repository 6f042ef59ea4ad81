"""`kiosk-sim run`: replay resident visits written as scenario files (docs/scenarios.md).

    kiosk-sim run SCENARIO.yaml [SCENARIO.yaml …] [--screenshots DIR] [--hub URL] [--junit FILE]
                  [--config FILE]

Every file is checked first; a malformed one exits 2 (file, line, expected shape) before anything
runs. Without --hub the runner starts `kiosk-sim all --ephemeral` with the simulators the scenarios
use, and stops it at the end. The kiosk runs in this process: offscreen, or on the X server in
$DISPLAY. One line per step; exit 0 when every scenario passes, else 1 (each failure names the
scenario, the step, its index and line, and why, with a screenshot of that moment).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from simulators.scenario.scenario_file import Scenario, load_scenarios

DEFAULT_SCREENSHOTS = Path("screenshots") / "scenarios"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kiosk-sim run", description=__doc__.split("\n\n")[0],
                                 epilog="File format: docs/scenarios.md")
    ap.add_argument("files", nargs="+", type=Path, metavar="SCENARIO.yaml")
    ap.add_argument("--screenshots", type=Path, default=DEFAULT_SCREENSHOTS, metavar="DIR",
                    help="where `screenshot:` steps and failures save PNGs, one folder per file "
                         "(default: %(default)s)")
    ap.add_argument("--hub", metavar="URL", help="use this running hub (e.g. http://127.0.0.1:7000) "
                                                 "instead of starting one")
    ap.add_argument("--junit", type=Path, metavar="FILE", help="also write a JUnit XML report")
    ap.add_argument("--config", type=Path, help="kiosk config (default config/kiosk.toml)")
    return ap


def hub_devices(scenarios: list[Scenario]) -> list[str]:
    """The simulators a hub needs for these scenarios, in the hub's start order."""
    from simulators.hub import ALL

    used = set().union(*(s.devices() for s in scenarios))
    return [name for name in ALL if name in used]


@contextmanager
def _hub(args: argparse.Namespace, scenarios: list[Scenario]) -> Iterator[object]:
    from simulators.process import start_simulator
    from simulators.scenario.hub_client import HubClient

    if args.hub:
        yield HubClient(args.hub)
        return
    devices = hub_devices(scenarios)
    print(f"kiosk-sim run: starting a hub with {', '.join(devices)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-run-") as tmp:
        extra = ["--config", str(args.config)] if args.config else []
        proc = start_simulator("all", "--ephemeral", "--state", str(Path(tmp) / "state.json"),
                               "--receipts", str(args.screenshots / "receipts"), "--only", ",".join(devices),
                               *extra, listen="", control="", ready_timeout=120)
        try:
            yield HubClient(f"http://127.0.0.1:{proc.ports['control']}")
        finally:
            proc.stop()


def write_junit(path: Path, results: list) -> None:
    suite = ET.Element("testsuite", name="kiosk-sim run", tests=str(len(results)),
                       failures=str(sum(not r.passed for r in results)),
                       time=f"{sum(r.seconds for r in results):.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=str(r.scenario.path), name=r.scenario.name,
                             time=f"{r.seconds:.3f}")
        if not r.passed:
            failure = ET.SubElement(case, "failure", message=r.failure().splitlines()[0])
            failure.text = r.failure()
        ET.SubElement(case, "system-out").text = "\n".join(r.lines)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    scenarios, errors = load_scenarios(args.files)
    if errors:
        for exc in errors:
            for line in str(exc).splitlines():
                print(f"kiosk-sim run: {line}", file=sys.stderr)
        print(f"kiosk-sim run: {len(errors)} malformed scenario file(s); nothing was run "
              "(the format: docs/scenarios.md)", file=sys.stderr)
        return 2
    from kiosk.config import load_config_or_exit

    load_config_or_exit(args.config, "kiosk-sim run")  # a bad config: exit 2 before anything starts
    if not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import load_ui_font, ui_font
    from kiosk.ui.keyboard import prepare_environment
    from simulators.scenario.runner import run_scenario

    if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        prepare_environment()  # Chinese is typed on the on-screen keyboard, as on the kiosk

    app = QApplication.instance() or QApplication(["kiosk-sim run"])
    load_ui_font()
    app.setFont(ui_font())  # type: ignore[union-attr]
    try:
        with _hub(args, scenarios) as hub:
            results = [run_scenario(s, hub, args.screenshots, config_path=args.config)  # type: ignore[arg-type]
                       for s in scenarios]
    except (ConnectionError, RuntimeError) as exc:  # no hub at --hub, or it did not start
        print(f"kiosk-sim run: {exc}", file=sys.stderr)
        return 1
    failed = [r for r in results if not r.passed]
    print(f"kiosk-sim run: {len(results) - len(failed)} passed, {len(failed)} failed")
    for r in failed:
        print(r.failure(), file=sys.stderr)
    if args.junit:
        write_junit(args.junit, results)
    return 1 if failed else 0
