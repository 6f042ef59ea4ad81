"""Re-emit a device's plain-Python events as Qt signals on the GUI thread.

Drivers fire status listeners on their worker thread and data listeners on their event thread
(kiosk/devices/model.py). The bridge lives on the GUI thread; emitting a signal from another thread
to a receiver here is delivered queued, so slots always run on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.devices.model import Device, DeviceStatus


class DeviceBridge(QObject):
    status_changed = Signal(object)  # DeviceStatus
    data_received = Signal(object)  # the driver's data event (e.g. IdCardData)
    error_received = Signal(object)  # an input device's read failure (e.g. ReadFailure), if it has them

    def __init__(self, device: Device, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device = device
        device.add_status_listener(self._on_status)
        device.events.set_listener(self._on_data)
        self._errors = getattr(device, "read_errors", None)  # input drivers' failure queue
        if self._errors is not None:
            self._errors.set_listener(self._on_error)

    def _on_status(self, status: DeviceStatus) -> None:  # device worker thread
        self.status_changed.emit(status)

    def _on_data(self, event: Any) -> None:  # device event thread
        self.data_received.emit(event)

    def _on_error(self, failure: Any) -> None:  # the errors queue's event thread
        self.error_received.emit(failure)

    def detach(self) -> None:
        self.device.remove_status_listener(self._on_status)
        self.device.events.set_listener(None)
        if self._errors is not None:
            self._errors.set_listener(None)


class ConnectivityBridge(QObject):
    """Re-emit the backend client's online/offline changes (fired on worker threads) on the GUI thread."""

    changed = Signal(object)  # kiosk.services.connectivity.ConnectivityState

    def __init__(self, connectivity: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        connectivity.add_listener(self.changed.emit)
