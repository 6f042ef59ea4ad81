"""`kiosk-diag status [--config FILE] [--json] [--no-devices]`: the whole kiosk in one view.

Opens every configured device (so run it while the kiosk is stopped, or on a device the kiosk does
not hold; the technician screen shows the same model from the running kiosk), asks each for its
status (printer paper, SAM id and self-test, camera frames and fps, 社保卡 reader), closes them
again, then checks the platform like `kiosk-diag backend check` and reads the offline catalogue,
the outbox and the free disk space (kiosk/services/health.py).

Exit status: 0 all online; 1 some degraded (e.g. paper near end, an outbox backlog, a catalogue not
confirmed for a day); 2 bad usage or config; 3 some offline (a device not connected or in error,
paper out, the platform unreachable). With --json one object: the health model.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import MappingProxyType
from typing import Any

from kiosk.devices.model import Device, DeviceError, DeviceState, DeviceStatus, TransportLost
from kiosk.diag import exit_codes
from kiosk.services.health import Health, gather

FPS_WINDOW_S = 1.0


def with_extras(status: DeviceStatus, state: DeviceState | None = None, detail: str | None = None,
          **extras: Any) -> DeviceStatus:
    return DeviceStatus(status.device_id, state or status.state, MappingProxyType({**status.extras, **extras}),
                        status.detail if detail is None else detail)


def measure_fps(camera: Any, wait_s: float | None = None) -> float:
    """Frames per second over about a second (enables the camera meanwhile; also used by the
    technician screen on the running kiosk, so the listener is removed again)."""
    times: list[float] = []
    enough = threading.Event()

    def count(frame_id: int, frame: object) -> None:
        times.append(time.monotonic())
        if times[-1] - times[0] >= FPS_WINDOW_S:
            enough.set()

    camera.add_frame_listener(count)
    was_enabled = camera.enabled  # e.g. the technician's preview: leave it running
    camera.enable()
    try:
        enough.wait(FPS_WINDOW_S + (camera.command_timeout if wait_s is None else wait_s))
    finally:
        if not was_enabled:
            camera.disable()
        camera.remove_frame_listener(count)
    return round((len(times) - 1) / (times[-1] - times[0]), 1) if len(times) > 2 else 0.0


def probe(device_id: str, device: Device) -> DeviceStatus:
    """Open one device, ask it what it can tell, close it; the status seen just before closing."""
    try:
        device.open()
        extras: dict[str, Any] = {}
        if device_id == "idcard":
            extras["sam_id"] = device.sam_id()  # type: ignore[attr-defined]
            device.sam_status()  # type: ignore[attr-defined]  # raises on a failed SAM self-test
        elif device_id == "printer":
            device.query_status().wait()  # type: ignore[attr-defined]
        elif device_id == "camera":
            extras["fps"] = measure_fps(device)
        elif device_id == "sscard":
            report = device.check_health()
            if not report.ok:
                return with_extras(device.status, DeviceState.HW_ERROR, report.text)
        return with_extras(device.status, **extras)
    except TransportLost as exc:
        return with_extras(device.status, DeviceState.OFFLINE, exc.detail)
    except DeviceError as exc:
        state = device.status.state
        return with_extras(device.status, DeviceState.HW_ERROR if state == DeviceState.ONLINE else None, exc.detail)
    finally:
        device.close()


def probe_devices(cfg: Any) -> dict[str, DeviceStatus]:
    """Every enabled device of the config, probed in parallel."""
    from kiosk.devices.manager import build_device

    statuses: dict[str, DeviceStatus] = {}
    built: dict[str, Device] = {}
    for device_id in cfg.devices:
        dev_cfg = cfg.device(device_id)
        if dev_cfg is None:
            continue
        try:
            built[device_id] = build_device(device_id, dev_cfg)
        except Exception as exc:  # a missing optional library, bad options
            statuses[device_id] = DeviceStatus(device_id, DeviceState.NO_DEVICE,
                                               detail=f"cannot build driver {dev_cfg.driver}: {exc}")
    if built:
        with ThreadPoolExecutor(max_workers=len(built), thread_name_prefix="probe") as pool:
            futures = {device_id: pool.submit(probe, device_id, dev) for device_id, dev in built.items()}
            statuses.update({device_id: f.result() for device_id, f in futures.items()})
    return {device_id: statuses[device_id] for device_id in cfg.devices if device_id in statuses}


MARK = {"online": "ok      ", "degraded": "DEGRADED", "offline": "OFFLINE "}


def text(health: Health) -> str:
    lines = [f"kiosk {health.kiosk_id} · app {health.app_version} · "
             f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(health.checked_at))}"]
    for part in health.parts:
        lines.append(f"  {MARK[part.verdict]} {part.name:<10} {part.summary}")
    lines.append(f"result: {health.verdict} (exit {exit_codes.for_verdict(health.verdict)})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-diag status", description=__doc__.split("\n\n")[0],
                                 epilog=exit_codes.HELP)
    ap.add_argument("--config", help="kiosk config (default config/kiosk.toml or $KIOSK_CONFIG)")
    ap.add_argument("--json", action="store_true", help="print the health model as one JSON object")
    ap.add_argument("--no-devices", action="store_true",
                    help="do not open the devices (they are reported offline: not opened)")
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from kiosk.config import load_config_or_exit

    try:
        cfg = load_config_or_exit(args.config, "kiosk-diag status")
    except SystemExit as exc:
        return int(exc.code or exit_codes.USAGE)
    statuses = {} if args.no_devices else probe_devices(cfg)
    health = gather(cfg, statuses)
    print(json.dumps(health.to_dict(), ensure_ascii=False) if args.json else text(health))
    return exit_codes.for_verdict(health.verdict)


if __name__ == "__main__":
    sys.exit(main())
