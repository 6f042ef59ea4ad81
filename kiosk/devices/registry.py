"""Driver names used in config (`[devices.<id>] driver = …`) → the class that implements them.

Every driver class takes `(device_id, url, *, poll_interval, command_timeout, **options)` and does no
I/O in its constructor. Import is lazy so a kiosk without a camera never imports OpenCV.
"""

from __future__ import annotations

import importlib

DRIVERS: dict[str, str] = {
    "sam_idcard": "kiosk.devices.id_card_reader:IdCardReader",
    "serial_qr": "kiosk.devices.qr_scanner:QrScanner",
    "escpos": "kiosk.devices.receipt_printer:ReceiptPrinter",
    "opencv": "kiosk.devices.camera:Camera",
    "pcsc_sscard": "kiosk.devices.sscard_reader:SocialSecurityCardReader",
    "cups": "kiosk.devices.doc_printer:DocPrinter",
    "espeak": "kiosk.devices.speaker:Speaker",
}

# Which drivers may serve which device id.
DRIVERS_FOR_DEVICE: dict[str, tuple[str, ...]] = {
    "idcard": ("sam_idcard",),
    "scanner": ("serial_qr",),
    "printer": ("escpos",),
    "camera": ("opencv",),
    "sscard": ("pcsc_sscard",),
    "docprinter": ("cups",),
    "speaker": ("espeak",),
}


def driver_class(name: str) -> type:
    module_name, _, cls = DRIVERS[name].partition(":")
    return getattr(importlib.import_module(module_name), cls)
