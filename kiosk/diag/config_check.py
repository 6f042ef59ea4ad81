"""`kiosk-diag config [--config FILE] [--json]`: validate the config as the kiosk would (the schema,
then kiosk/preflight.py: the files it names and the driver options), print the effective values
(after environment overrides). Exit 2 on a bad config, like the kiosk."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from kiosk import preflight


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-diag config", description=__doc__)
    parser.add_argument("--config", help="config file (default: config/kiosk.toml or $KIOSK_CONFIG)")
    parser.add_argument("--json", action="store_true", help="print the effective config as JSON")
    args = parser.parse_args(argv)
    try:
        cfg = preflight.load_or_exit(args.config, "kiosk-diag config")
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.json:
        print(json.dumps(_plain(cfg), ensure_ascii=False, indent=2))
    else:
        print(f"{cfg.source}: ok (kiosk {cfg.kiosk_id}, backend {cfg.backend.url})")
        for device_id, dev in cfg.devices.items():
            print(f"  {device_id:8} {dev.driver:12} {dev.url}{'' if dev.enabled else '  (disabled)'}")
    return 0
