"""What the technician screen calls on the running kiosk. Every method blocks (device commands,
network checks, file I/O): the screen calls them through run_op only. No widgets here.

    tools = TechnicianTools(cfg, devices, lockout=PinLockout.for_config(cfg), …)
    tools.health()          fresh device answers + the same model as `kiosk-diag status`
    tools.self_test("printer")
    tools.export_targets(); tools.export(path)
    tools.refresh_catalogue()   → the catalogue version now stored
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.devices.model import DeviceError, DeviceState, DeviceStatus
from kiosk.diag.status import measure_fps, with_extras
from kiosk.services.diag_bundle import export_bundle
from kiosk.services.health import Health, gather
from kiosk.services.pin_lockout import PinLockout
from kiosk.ui.technician import self_tests
from kiosk.ui.technician.event_log import EventLog
from kiosk.ui.technician.export_targets import MEDIA_ROOTS, Target, export_targets

log = logging.getLogger(__name__)

# The self-test of each device id, and what its button says.
SELF_TESTS: dict[str, tuple[str, str]] = {
    "idcard": ("读身份证", "请在 {s} 秒内把测试身份证放到读卡区"),
    "scanner": ("扫码测试", "请在 {s} 秒内把任意二维码对准扫码口"),
    "printer": ("打印测试页", "正在打印凭条测试页"),
    "docprinter": ("A4 测试页", "正在打印 A4 测试页"),
    "camera": ("摄像头预览", "请正对摄像头"),
    "sscard": ("读社保卡", "请在 {s} 秒内插入测试社保卡"),
}
FPS_WAIT_S = 2.0  # beyond the one-second window: a camera that sends nothing does not hold the page
LIVE = (DeviceState.ONLINE, DeviceState.BUSY, DeviceState.USER_ERROR, DeviceState.HW_ERROR)


@dataclass
class TechnicianTools:
    cfg: Any  # kiosk.config.Config
    devices: Any  # DeviceManager: get(id), devices, statuses()
    lockout: PinLockout
    event_log: EventLog = field(default_factory=EventLog)
    refresh: Callable[[], str] | None = None  # refresh the offline catalogue, return its version
    connectivity: Callable[[], Any] | None = None  # the client's ConnectivityState now
    outbox: Any = None  # the live Outbox, if any
    media_roots: tuple[Path, ...] = MEDIA_ROOTS
    wait_s: float = self_tests.WAIT_S  # how long a self-test waits for a person

    @property
    def pin_hash(self) -> str | None:
        return self.cfg.technician.pin_hash

    @property
    def kiosk_id(self) -> str:
        return self.cfg.kiosk_id

    # ---- health ---------------------------------------------------------------------------------
    def fresh_statuses(self) -> dict[str, DeviceStatus]:
        """Ask each device now: printer and A4 printer status queries, the SAM id and self-test,
        the camera's frame rate. A device that fails to answer keeps its state, with the reason."""
        statuses = dict(self.devices.statuses())
        for device_id, device in self.devices.devices.items():
            extras: dict[str, Any] = {}
            try:
                if device.status.state not in LIVE:
                    pass
                elif device_id in ("printer", "docprinter"):
                    device.query_status().wait()
                elif device_id == "idcard":
                    extras["sam_id"] = device.sam_id()
                    device.sam_status()
                elif device_id == "camera" and device.status.state == DeviceState.ONLINE:
                    extras["fps"] = measure_fps(device, FPS_WAIT_S)
                statuses[device_id] = with_extras(device.status, **extras)
            except DeviceError as exc:
                statuses[device_id] = with_extras(device.status, detail=exc.detail, **extras)
        return statuses

    def health(self, *, check_backend: bool = True) -> Health:
        stats = self.outbox.stats() if self.outbox is not None else None
        health = gather(self.cfg, self.fresh_statuses(), check_backend=check_backend,
                        connectivity=self.connectivity() if self.connectivity else None, outbox_stats=stats)
        if stats is not None:
            self.event_log.outbox_stats(stats)
        return health

    # ---- self-tests ------------------------------------------------------------------------------
    def self_test(self, device_id: str) -> self_tests.Outcome:
        device = self.devices.get(device_id)
        if device is None:
            raise ValueError(f"no device {device_id!r} in this kiosk")
        if device_id == "idcard":
            outcome = self_tests.run(self_tests.read_idcard, device, self.wait_s)
        elif device_id == "scanner":
            outcome = self_tests.run(self_tests.scan_code, device, self.wait_s)
        elif device_id == "printer":
            outcome = self_tests.run(self_tests.print_receipt_test, device, self.kiosk_id)
        elif device_id == "docprinter":
            outcome = self_tests.run(self_tests.print_a4_test, device, self.kiosk_id)
        elif device_id == "sscard":
            outcome = self_tests.run(self_tests.read_sscard, device, self.wait_s)
        else:
            raise ValueError(f"{device_id} has no blocking self-test (the camera's is the live preview)")
        self.record(device_id, outcome)
        return outcome

    def record(self, device_id: str, outcome: self_tests.Outcome) -> None:
        self.event_log.self_test(device_id, outcome.ok, outcome.code)
        log.info("technician self-test %s: %s %s", device_id, "pass" if outcome.ok else "fail", outcome.detail)

    # ---- actions ---------------------------------------------------------------------------------
    def export_targets(self) -> list[Target]:
        return export_targets(self.cfg.technician.export_dir, self.media_roots)

    def export(self, dest: Path) -> Path:
        """The diagnostics bundle (status, config without secrets, masked logs) into `dest`. The
        devices are not asked again (the status page does that): their last known status goes in."""
        stats = self.outbox.stats() if self.outbox is not None else None
        health = gather(self.cfg, self.devices.statuses(), check_backend=False,
                        connectivity=self.connectivity() if self.connectivity else None, outbox_stats=stats)
        path = export_bundle(self.cfg, dest, health.to_dict())
        self.event_log.action(f"diagnostics bundle exported to {path}")
        return path

    def refresh_catalogue(self) -> str:
        if self.refresh is None:
            raise RuntimeError("no catalogue refresh wired")
        version = self.refresh()
        self.event_log.action(f"catalogue refreshed: version {version}")
        return version
