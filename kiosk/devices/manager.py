"""DeviceManager: builds the configured devices, opens them, and reconnects lost ones with backoff.

    manager = DeviceManager(load_config())
    manager.add_status_listener(bridge.on_status)  # every device's status changes
    manager.open_all()                              # never raises; failed devices stay NO_DEVICE
    manager.get("idcard").enable()
    …
    manager.close_all()

Reconnect: one watchdog thread per device waits for that device to be OFFLINE (transport lost) or
NO_DEVICE (could not open), then calls `reopen()` after a delay that doubles on every failure
(`backoff_initial` → `backoff_max`, 0.5 s → 10 s by default) and resets once the device is back.
A device that was enabled stays enabled across the reconnect, so input polling simply resumes.

Threads: status listeners fire on the device's worker thread (see model.py); the watchdogs run
`reopen()` on their own threads ("<id>-watchdog"); open_all()/close_all() block their caller.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from kiosk.config import Config, DeviceConfig
from kiosk.devices.model import Device, DeviceError, DeviceState, DeviceStatus
from kiosk.devices.registry import driver_class

log = logging.getLogger(__name__)

RECONNECT_STATES = frozenset({DeviceState.OFFLINE, DeviceState.NO_DEVICE})

DeviceFactory = Callable[[str, DeviceConfig], Device]


class DeviceLookup(Protocol):
    """What the service layer and the UI need from the devices: one by its id (`idcard`, `printer`…),
    None when it is not configured. DeviceManager is one; tests pass a small fake."""

    def get(self, device_id: str) -> Device | None: ...


def build_device(device_id: str, cfg: DeviceConfig) -> Device:
    """Construct (no I/O) the driver named in config."""
    cls = driver_class(cfg.driver)
    return cls(device_id, cfg.url, poll_interval=cfg.poll_interval_s, command_timeout=cfg.timeout_s,
               **cfg.options)


class _Watchdog:
    """Reconnects one device with exponential backoff."""

    def __init__(self, device: Device, initial: float, maximum: float) -> None:
        self.device = device
        self.initial, self.maximum = initial, maximum
        self.delay = initial
        self.attempts = 0
        self._wake = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name=f"{device.device_id}-watchdog", daemon=True)

    def start(self) -> None:
        self.device.add_status_listener(self._on_status)
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify_all()
        self.device.remove_status_listener(self._on_status)
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=self.device.command_timeout + 2)

    def _on_status(self, status: DeviceStatus) -> None:
        with self._wake:
            self._wake.notify_all()

    def _needs_reconnect(self) -> bool:
        return self.device.status.state in RECONNECT_STATES

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._stop or self._needs_reconnect())
                if self._stop:
                    return
                # back off before each attempt; a stop() during the wait ends it at once
                if self._wake.wait_for(lambda: self._stop, timeout=self.delay):
                    return
            self.attempts += 1
            try:
                self.device.reopen()
            except DeviceError as exc:
                log.info("%s: reconnect attempt %d failed (%s); next in %.1f s", self.device.device_id,
                         self.attempts, exc.detail, min(self.delay * 2, self.maximum))
                self.delay = min(self.delay * 2, self.maximum)
                continue
            log.info("%s: reconnected after %d attempt(s)", self.device.device_id, self.attempts)
            self.delay, self.attempts = self.initial, 0


class DeviceManager:
    def __init__(self, config: Config, *, backoff_initial: float = 0.5, backoff_max: float = 10.0,
                 factory: DeviceFactory = build_device) -> None:
        self.config = config
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self._factory = factory
        self._devices: dict[str, Device] = {}
        self._watchdogs: dict[str, _Watchdog] = {}
        self._listeners: list[Callable[[DeviceStatus], None]] = []
        self._build_errors: dict[str, str] = {}

    # ---- building -----------------------------------------------------------------------------
    def build(self) -> dict[str, Device]:
        """Construct every enabled device (no I/O). A driver that cannot be built is left out and
        reported by statuses() as NO_DEVICE."""
        if self._devices:
            return dict(self._devices)
        for device_id, cfg in self.config.devices.items():
            if not cfg.enabled:
                continue
            try:
                device = self._factory(device_id, cfg)
            except Exception as exc:  # missing optional library, bad options
                log.error("%s: cannot build driver %s: %s", device_id, cfg.driver, exc)
                self._build_errors[device_id] = f"{type(exc).__name__}: {exc}"
                continue
            for listener in self._listeners:
                device.add_status_listener(listener)
            self._devices[device_id] = device
        return dict(self._devices)

    # ---- lifecycle ----------------------------------------------------------------------------
    def open_all(self) -> dict[str, DeviceStatus]:
        """Open every device and start the reconnect watchdogs. Never raises."""
        self.build()
        for device_id, device in self._devices.items():
            try:
                device.open()
            except DeviceError as exc:
                log.warning("%s: not available at start: %s", device_id, exc.detail)
            except Exception:
                log.exception("%s: open failed", device_id)
            if device_id not in self._watchdogs:
                dog = _Watchdog(device, self.backoff_initial, self.backoff_max)
                self._watchdogs[device_id] = dog
                dog.start()
        return self.statuses()

    def close_all(self) -> None:
        for dog in self._watchdogs.values():
            dog.stop()
        self._watchdogs.clear()
        for device_id, device in self._devices.items():
            try:
                device.close()
            except Exception:
                log.exception("%s: close failed", device_id)

    def __enter__(self) -> DeviceManager:
        self.open_all()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close_all()

    # ---- access -------------------------------------------------------------------------------
    def get(self, device_id: str) -> Device | None:
        return self._devices.get(device_id)

    @property
    def devices(self) -> dict[str, Device]:
        return dict(self._devices)

    def statuses(self) -> dict[str, DeviceStatus]:
        out = {device_id: d.status for device_id, d in self._devices.items()}
        for device_id, detail in self._build_errors.items():
            out[device_id] = DeviceStatus(device_id, DeviceState.NO_DEVICE, detail=detail)
        return out

    def reconnect_attempts(self, device_id: str) -> int:
        dog = self._watchdogs.get(device_id)
        return dog.attempts if dog else 0

    def add_status_listener(self, listener: Callable[[DeviceStatus], Any]) -> None:
        """Listen to every device (also ones built later). Fired on the device worker thread."""
        self._listeners.append(listener)
        for device in self._devices.values():
            device.add_status_listener(listener)
