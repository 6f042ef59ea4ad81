"""A device on any pyserial URL (the ID-card reader, the QR scanner): the port's open and close.

A driver subclasses `SerialDevice`, resets its own framing state in `_on_port_open()`, and on the
worker thread takes the port with `_open_port()` and turns pyserial errors (`SERIAL_ERRORS`) into
`TransportLost`, so the manager reconnects.
"""

from __future__ import annotations

import logging

import serial

from kiosk.devices.device_url import parse_serial_url
from kiosk.devices.model import Device, TransportLost

log = logging.getLogger(__name__)

SERIAL_ERRORS = (serial.SerialException, OSError)


class SerialDevice(Device):
    io_timeout = 0.1  # serial read timeout: how long one read() waits before the caller re-checks

    def __init__(self, device_id: str, url: str, *, baudrate: int, poll_interval: float,
                 command_timeout: float) -> None:
        super().__init__(device_id, parse_serial_url(url), poll_interval=poll_interval,
                         command_timeout=command_timeout)
        self.baudrate = baudrate
        self._port: serial.SerialBase | None = None

    def _open_transport(self) -> None:
        self._close_transport()
        self._port = serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=self.io_timeout)
        self._on_port_open()

    def _close_transport(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except SERIAL_ERRORS:
                log.debug("%s: close failed", self.device_id, exc_info=True)

    def _on_port_open(self) -> None:
        """Driver hook (worker thread): the port is new; drop any half-read frame."""

    def _open_port(self) -> serial.SerialBase:
        port = self._port
        if port is None:
            raise TransportLost(f"{self.url}: port not open")
        return port
