"""One poll of the hub: what the console shows, fetched on the poll worker (never the GUI thread).

A poll reads every simulator's state, the platform's mode, the newest receipts when the printer has
printed more, the wire traffic of the device on view, and a camera frame when the camera tab shows.
A simulator that fails to answer shows its error; only an unreachable hub fails the whole poll
(HubUnreachable: the window then says so and reconnects).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from simulators.console.hub_link import HubLink, HubRefused
from simulators.console.traffic import TrafficTail

RECEIPTS_SHOWN = 3
RECEIPT_WIDTH = 260  # px of a receipt's thumbnail (the paper is 576 or 384 dots wide)
THUMB_SIZE = (320, 240)


@dataclass
class PollRequest:
    traffic_device: str | None = None
    tail: TrafficTail | None = None
    camera: bool = False
    receipts_seen: int | None = None  # the printer's receipt count the window already shows


@dataclass
class Receipt:
    index: int
    time: str
    text: str
    image: QImage | None
    incomplete: bool


@dataclass
class PollResult:
    request: PollRequest
    alive: dict[str, bool] = field(default_factory=dict)
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # device → why its state is unknown
    backend_mode: dict[str, Any] | None = None
    receipts: list[Receipt] | None = None  # None: unchanged since receipts_seen
    receipt_count: int | None = None
    traffic: list[dict[str, Any]] = field(default_factory=list)
    camera: QImage | None = None
    camera_error: str = ""


def _receipt(raw: dict[str, Any]) -> Receipt:
    image = None
    png = raw.get("png")
    if png and Path(png).exists():  # the hub runs on this machine (127.0.0.1): its files are ours
        loaded = QImage(str(png))
        if not loaded.isNull():
            image = loaded.scaledToWidth(RECEIPT_WIDTH, Qt.TransformationMode.SmoothTransformation)
    return Receipt(raw["index"], raw.get("time", ""), raw.get("text", ""), image, bool(raw.get("incomplete")))


def poll(link: HubLink, req: PollRequest) -> PollResult:
    out = PollResult(req)
    try:
        out.alive = link.call("GET", "/health")["alive"]
    except HubRefused as exc:  # 503: a simulator died; /health still says which
        out.alive = {}
        out.errors["health"] = exc.error
    for device in link.devices():
        try:
            if device == "backend":
                out.backend_mode = link.call("GET", "/backend/mode")
            else:
                out.states[device] = link.call("GET", f"/{device}/state")
        except HubRefused as exc:
            out.errors[device] = exc.error
    printer = out.states.get("printer")
    if printer is not None:
        out.receipt_count = printer["receipts"]
        if printer["receipts"] != req.receipts_seen:
            raw = link.call("GET", "/receipts")["receipts"]
            out.receipts = [_receipt(r) for r in raw[-RECEIPTS_SHOWN:]]
    if req.traffic_device and req.tail is not None:
        try:
            if req.traffic_device == "backend":
                entries = link.call("GET", "/backend/requests")["requests"]
            else:
                entries = link.call("GET", f"/{req.traffic_device}/traffic", query=req.tail.query())["traffic"]
            out.traffic = req.tail.take(entries)
        except HubRefused as exc:
            out.errors[f"traffic:{req.traffic_device}"] = exc.error
    if req.camera and "camera" in link.ports:
        try:
            frame = QImage.fromData(link.snapshot_jpeg(), "JPEG")
            if frame.isNull():
                out.camera_error = "摄像头返回的不是 JPEG 图像"
            else:
                out.camera = frame.scaled(*THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation)
        except HubRefused as exc:
            out.camera_error = exc.error
    return out
