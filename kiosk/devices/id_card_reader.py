"""The resident ID-card reader: a GA/T 467 SAM module on any pyserial URL.

    reader = IdCardReader("idcard", "socket://127.0.0.1:7001", poll_interval=0.3)
    reader.events.set_listener(on_card)        # IdCardData, once per placement
    reader.read_errors.set_listener(on_fail)   # ReadFailure, at most once per placement
    reader.open(); reader.enable()

While enabled, the worker polls `find`; a found card is selected and read (30 01, or 30 10 with the
option `fingerprint_read = true`), then its appended address (30 03). One read per placement: after a
read the reader needs to see the card gone (find → 80) before it reads again, which is also what the
SAM itself enforces. A card that fails to read yields one `ReadFailure` whose message `code` says what
to do (kiosk.services.messages); the next poll tries again, so a resident who re-places the card simply gets read.

Config options (`[devices.idcard] options = {…}`): `baudrate` (115200), `fingerprint_read` (false:
30 01; true: 30 10 for readers that support it), `appended_address` (true: also read 30 03),
`decode_photos` (true: use the WLT plug-in when installed, see wlt_photo.py).

Threads (who fires what):
- `events` (IdCardData) and `read_errors` (ReadFailure): put on the device worker thread, delivered
  to their listeners on each queue's own event thread.
- status changes (state, extras `card_present`): fired on the worker thread (or the open()/close()
  caller). `card_present` is True from a successful find until the SAM answers 80, which it does
  for a card that was already read even while it still lies there.
- `read_once`, `sam_id`, `sam_status`, `reset_sam`, `check_health(EXTERNAL)`: block the caller;
  the I/O runs on the worker thread. Not for the GUI thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.devices import sam_frame as sf
from kiosk.devices.id_card_fields import IdCardData, parse_appended_address, parse_text_block
from kiosk.devices.model import (
    CancelToken,
    Completion,
    DeviceError,
    HealthLevel,
    HealthReport,
    TransportLost,
)
from kiosk.devices.serial_device import SERIAL_ERRORS, SerialDevice
from kiosk.devices.wlt_photo import Decoder, decode_photo, find_decoder

log = logging.getLogger(__name__)

_COMMAND_NAMES = {
    sf.RESET_SAM: "reset SAM", sf.SAM_STATUS: "SAM status", sf.READ_SAM_ID: "read SAM id",
    sf.FIND_CARD: "find card", sf.SELECT_CARD: "select card", sf.READ_TEXT_PHOTO: "read card",
    sf.READ_TEXT_PHOTO_FP: "read card (with fingerprint)", sf.READ_APPENDED_ADDRESS: "read appended address",
}


@dataclass(frozen=True)
class ReadFailure:
    """A placed card could not be read. `detail` is for logs (no personal data); `code` (+ `params`)
    is the message code of what the resident is told."""

    completion: Completion
    detail: str
    code: str
    sw3: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


def format_sam_id(data: bytes) -> str:
    """16 data bytes of 12 FF → '05.01-20200101-0000000001-0123456789' style text."""
    if len(data) != 16:
        raise sf.SamFrameError(f"SAM id answer has {len(data)} data bytes, expected 16")
    u32 = [int.from_bytes(data[i:i + 4], "little") for i in (4, 8, 12)]
    return f"{data[0]:02d}.{data[2]:02d}-{u32[0]}-{u32[1]:010d}-{u32[2]:010d}"


def _plausible(cmd: tuple[int, int], resp: sf.SamResponse) -> bool:
    """A successful answer must have its command's data size; anything else is a stale answer
    (e.g. one that arrived after an earlier command timed out) and is skipped."""
    if not resp.ok:
        return True
    size = len(resp.data)
    expected = {sf.FIND_CARD: size == 4, sf.SELECT_CARD: size == 8, sf.READ_SAM_ID: size == 16,
                sf.READ_APPENDED_ADDRESS: size in (0, 70), sf.READ_TEXT_PHOTO: size >= 4,
                sf.READ_TEXT_PHOTO_FP: size >= 6}
    return expected.get(cmd, True)


class IdCardReader(SerialDevice):
    is_input = True
    capabilities = frozenset({"read_text", "read_photo_raw", "read_appended_address", "sam_id",
                              "sam_status", "reset_sam", "one_read_per_placement"})

    def __init__(self, device_id: str, url: str, *, poll_interval: float = 0.3,
                 command_timeout: float = 5.0, baudrate: int = 115200, fingerprint_read: bool = False,
                 appended_address: bool = True, decode_photos: bool = True) -> None:
        super().__init__(device_id, url, baudrate=baudrate, poll_interval=poll_interval,
                         command_timeout=command_timeout)
        self.fingerprint_read = fingerprint_read
        self.read_appended = appended_address
        self.decode_photos = decode_photos
        self._frames = sf.FrameDecoder()
        self._awaiting_lift = False  # a card was read; wait for find → 80 before the next read
        self._last_serial = b""  # select answer of the card read last
        self._failure_reported = False  # one ReadFailure per placement, not one per poll
        self._wlt: Decoder | None = None

    # ---- transport (worker thread) ------------------------------------------------------------
    def _on_port_open(self) -> None:
        self._frames.reset()
        self._wlt = find_decoder() if self.decode_photos else None
        self._set_status(card_present=False)

    def _transact(self, cmd: tuple[int, int], token: CancelToken | None = None) -> sf.SamResponse:
        """Send one request and return its answer (any SW3). Raises DeviceError / TransportLost."""
        port = self._open_port()
        name = _COMMAND_NAMES.get(cmd, f"{cmd[0]:02X} {cmd[1]:02X}")
        deadline = time.monotonic() + self.command_timeout
        if token is not None:
            deadline = min(deadline, token.deadline)
        try:
            port.reset_input_buffer()  # drop stale bytes, e.g. an answer that came after a timeout
            self._frames.reset()
            port.write(sf.build_request(*cmd))
            while True:
                resp = self._frames.pop()
                if resp is not None:
                    if _plausible(cmd, resp):
                        return resp
                    log.warning("%s: skipped an answer that does not fit %s", self.device_id, name)
                    continue
                if token is not None and token.cancelled:
                    token.check()
                if time.monotonic() >= deadline:
                    raise DeviceError(Completion.TIMEOUT, f"no answer to {name} within "
                                      f"{self.command_timeout:g} s from {self.url}", "idcard.reader_unavailable")
                chunk = port.read(self._frames.needed())
                if chunk:
                    self._frames.feed(chunk)
        except sf.SamFrameError as exc:
            raise sf.SamFrameError(f"{exc.detail} ({name})") from exc
        except SERIAL_ERRORS as exc:
            raise TransportLost(f"{self.url}: {exc} ({name})") from exc

    # ---- reading a card (worker thread) -------------------------------------------------------
    def _select(self, token: CancelToken | None = None) -> bytes:
        """Select the found card; returns its 8-byte serial (new after each placement)."""
        return self._transact(sf.SELECT_CARD, token).raise_for_status("select card").data

    def _read_selected(self, token: CancelToken | None = None) -> IdCardData:
        """read text + photo, then the appended address, of the selected card."""
        cmd = sf.READ_TEXT_PHOTO_FP if self.fingerprint_read else sf.READ_TEXT_PHOTO
        data = self._transact(cmd, token).raise_for_status(_COMMAND_NAMES[cmd]).data
        heads = 3 if cmd == sf.READ_TEXT_PHOTO_FP else 2
        sizes = [int.from_bytes(data[2 * i:2 * i + 2], "big") for i in range(heads)]
        start = 2 * heads
        if len(data) < start + sum(sizes):
            raise sf.SamFrameError(f"read answer carries {len(data) - start} bytes, its lengths say "
                                   f"{sum(sizes)}")
        text = data[start:start + sizes[0]]
        photo = data[start + sizes[0]:start + sizes[0] + sizes[1]]
        # fingerprint templates (sizes[2]) are not kept: the kiosk has no use for them
        card = parse_text_block(text)
        changes: dict[str, object] = {"photo_wlt": photo, "photo_bmp": decode_photo(self._wlt, photo)}
        if self.read_appended:
            changes["appended_address"] = self._appended_address(token)
        return card.with_extras(**changes)

    def _appended_address(self, token: CancelToken | None) -> str | None:
        try:
            resp = self._transact(sf.READ_APPENDED_ADDRESS, token)
            if resp.sw3 == sf.SW3_NO_CONTENT:
                return None
            return parse_appended_address(resp.raise_for_status("read appended address").data)
        except TransportLost:
            raise
        except DeviceError as exc:  # the main read succeeded; keep it and say what is missing
            log.warning("%s: appended address not read: %s", self.device_id, exc.detail)
            return None

    def _poll_once(self) -> None:
        resp = self._transact(sf.FIND_CARD)
        if resp.sw3 == sf.SW3_FIND_FAILED:
            self._awaiting_lift = False
            self._failure_reported = False
            self._set_status(card_present=False)
            return
        resp.raise_for_status("find card")
        self._set_status(card_present=True)
        try:
            serial = self._select()
            if self._awaiting_lift and serial == self._last_serial:
                return  # the card already read is still in the field (a reader that re-finds it)
            card = self._read_selected()
        except TransportLost:
            raise
        except DeviceError as exc:
            log.warning("%s: card read failed: %s", self.device_id, exc.detail)
            if not self._failure_reported:
                self._failure_reported = True
                self.read_errors.put(ReadFailure(exc.completion, exc.detail, exc.code,
                                                 getattr(exc, "sw3", None), exc.params))
            return
        self._awaiting_lift, self._last_serial = True, serial
        self._failure_reported = False
        self.events.put(card)

    # ---- direct, blocking API (CLI, health checks) -------------------------------------------
    def read_once(self, timeout: float) -> IdCardData:
        """Wait up to `timeout` seconds for a card, read it once. Raises DeviceError."""

        def run(token: CancelToken) -> IdCardData:
            wait_until = time.monotonic() + timeout
            while True:
                resp = self._transact(sf.FIND_CARD, token)
                if resp.sw3 == sf.SW3_FIND_OK:
                    serial = self._select(token)
                    card = self._read_selected(token)
                    self._awaiting_lift, self._last_serial = True, serial
                    return card
                if resp.sw3 != sf.SW3_FIND_FAILED:
                    resp.raise_for_status("find card")
                if time.monotonic() >= wait_until:
                    raise DeviceError(Completion.TIMEOUT,
                                      f"no card found within {timeout:g} s (find answered SW3=0x80)",
                                      "idcard.no_card")
                time.sleep(max(0.0, min(self.poll_interval, wait_until - time.monotonic())))
                token.check()

        return self.submit("read_once", run, timeout=timeout + self.command_timeout).wait()

    def sam_id(self) -> str:
        def run(token: CancelToken) -> str:
            return format_sam_id(self._transact(sf.READ_SAM_ID, token).raise_for_status("read SAM id").data)

        return self.submit("sam_id", run).wait()

    def sam_status(self) -> int:
        """0x90 when the SAM's self-test passes; raises SamStatusError (e.g. SW3=0x60) otherwise."""
        return self.submit("sam_status", lambda token: self._transact(sf.SAM_STATUS, token)
                           .raise_for_status("SAM status").sw3).wait()

    def reset_sam(self) -> None:
        self.submit("reset_sam", lambda token: self._transact(sf.RESET_SAM, token)
                    .raise_for_status("reset SAM")).wait()

    def check_health(self, level: HealthLevel = HealthLevel.INTERNAL) -> HealthReport:
        base = super().check_health(level)
        if level == HealthLevel.INTERNAL or not base.ok:
            return base
        try:
            if level == HealthLevel.EXTERNAL:
                sam = self.sam_id()
                self.sam_status()
                return HealthReport(self.device_id, level, True, f"{base.text}; SAM {sam}; SAM status ok")
            card = self.read_once(timeout=30.0)
            return HealthReport(self.device_id, level, True, f"{base.text}; read a {card.card_type} card")
        except DeviceError as exc:
            return HealthReport(self.device_id, level, False, f"{base.text}; {exc.detail}")
