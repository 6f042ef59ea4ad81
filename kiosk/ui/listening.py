"""An input device listened to while a screen needs it (the ID-card reader, the 社保卡 reader, the scanner).

    listening = Listening(reader, parent, on_data=…, on_error=…, on_status=…)
    listening.resume()   # stale queued events dropped, the device enabled
    listening.pause()    # disabled (a card placed now waits on the reader, unread)
    listening.stop()     # disabled, queues cleared, bridge detached: nothing of the resident stays queued

The slots run on the GUI thread (DeviceBridge). A card placed before `resume()` was not read yet (input
devices only poll while enabled), so it is read at once; what was queued earlier is dropped, since it
may be the previous resident's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from kiosk.devices.model import DeviceState
from kiosk.ui.device_bridge import DeviceBridge

# A device in one of these states cannot be used now (the manager is reconnecting, or gave up).
DOWN = frozenset({DeviceState.OFFLINE, DeviceState.NO_DEVICE, DeviceState.HW_ERROR, DeviceState.POWER_OFF})

Slot = Callable[[Any], None]


class Listening:
    def __init__(self, device: Any, parent: QObject, *, on_data: Slot, on_error: Slot | None = None,
                 on_status: Slot | None = None) -> None:
        self.device = device
        self._clear()  # before the bridge listens: what waits in the queues now is not this screen's
        self.bridge: DeviceBridge | None = DeviceBridge(device, parent)
        self.bridge.data_received.connect(on_data)
        if on_error is not None:
            self.bridge.error_received.connect(on_error)
        if on_status is not None:
            self.bridge.status_changed.connect(on_status)

    @property
    def online(self) -> bool:
        return self.device.status.state == DeviceState.ONLINE

    @property
    def down(self) -> bool:
        return self.device.status.state in DOWN

    def _clear(self) -> None:
        self.device.events.clear()
        errors = getattr(self.device, "read_errors", None)
        if errors is not None:
            errors.clear()

    def resume(self) -> None:
        if self.bridge is None:
            return
        self._clear()
        self.device.enable()

    def pause(self) -> None:
        if self.bridge is not None:
            self.device.disable()

    def stop(self) -> None:
        if self.bridge is None:
            return
        self.device.disable()
        self._clear()
        self.bridge.detach()
        self.bridge.deleteLater()
        self.bridge = None
