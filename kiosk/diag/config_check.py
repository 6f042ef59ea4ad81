"""`kiosk-diag config [--config FILE] [--json]`: validate the config as the kiosk would, print the
effective values (after environment overrides). Exit 2 on a bad config, like the kiosk."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.config import Config, load_config_or_exit


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def _driver_problems(cfg: Config) -> dict[str, str]:
    """Build every enabled driver as the kiosk would (constructors do no I/O), so a mistyped
    driver option is caught here rather than leaving a device dead at start-up."""
    from kiosk.devices.manager import build_device

    problems: dict[str, str] = {}
    for device_id, dev in cfg.devices.items():
        if not dev.enabled:
            continue
        try:
            build_device(device_id, dev)
        except (TypeError, ValueError) as exc:
            problems[device_id] = f"{type(exc).__name__}: {exc}"
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-diag config", description=__doc__)
    parser.add_argument("--config", help="config file (default: config/kiosk.toml or $KIOSK_CONFIG)")
    parser.add_argument("--json", action="store_true", help="print the effective config as JSON")
    args = parser.parse_args(argv)
    cfg = load_config_or_exit(args.config, "kiosk-diag config")
    problems = _driver_problems(cfg)
    for device_id, problem in problems.items():
        print(f"kiosk-diag config: {cfg.source}: devices.{device_id}.options: {problem}", file=sys.stderr)
    if problems:
        return 2
    if args.json:
        print(json.dumps(_plain(cfg), ensure_ascii=False, indent=2))
    else:
        print(f"{cfg.source}: ok (kiosk {cfg.kiosk_id}, backend {cfg.backend.url})")
        for device_id, dev in cfg.devices.items():
            print(f"  {device_id:8} {dev.driver:12} {dev.url}{'' if dev.enabled else '  (disabled)'}")
    return 0
