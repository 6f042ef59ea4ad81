"""社保卡 reader over PC/SC (pyscard's `smartcard.scard`, the PC/SC API itself), on the device model.

URL `pcsc:<reader-name substring>` (`pcsc:Virtual PCD` against the emulator, the vendor's reader name
on a kiosk). All PC/SC calls run on the device worker thread, which owns the one SCARDCONTEXT.

Watching: while enabled, every poll asks pcscd for the reader state (non-blocking). The
`card_present` status extra follows insertions and removals. Each new insertion is read once and
ends as exactly one event: a `SocialSecurityCardData` in `self.events`, or a `CardReadFailed` in
`self.read_errors` carrying the `SocialSecurityCardError` (wrong card, card removed mid-read, error
status word…). Both queues deliver on their own event threads (see model.py).
pcsc-lite counts card events in the upper 16 bits of the reader state, so a card swapped between two
polls still counts as a new insertion.

`read_card()` is the explicit command (CLI, health checks): wait for a card, read it once.
Card contents are never logged; `SocialSecurityCardData.__repr__` hides the personal fields.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.devices.device_url import parse_smartcard_url
from kiosk.devices.model import (
    CancelToken,
    Command,
    Completion,
    Device,
    DeviceError,
    HealthLevel,
    HealthReport,
    TransportLost,
)
from kiosk.devices.sscard_apdu import SocialSecurityCardData, SocialSecurityCardError, read_public_data

log = logging.getLogger(__name__)

__all__ = ["CardReadFailed", "SocialSecurityCardData", "SocialSecurityCardError", "SocialSecurityCardReader"]



class _Scard:
    """pyscard's `smartcard.scard`, imported at its first use (on the worker thread at open), not
    when the kiosk builds its devices on the GUI thread."""

    def __getattr__(self, name: str) -> Any:
        from smartcard import scard as module

        return getattr(module, name)


scard: Any = _Scard()
SCARD_STATE_UNAWARE = 0  # PC/SC's value; a constant here so that constructing the driver imports nothing


@functools.cache
def _transport_lost() -> frozenset[int]:
    """pcscd gone or the reader unplugged: the transport is lost, the manager reconnects."""
    return frozenset({scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_UNKNOWN_READER,
                      scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_INVALID_HANDLE,
                      scard.SCARD_E_NO_READERS_AVAILABLE})


@functools.cache
def _card_gone() -> frozenset[int]:
    return frozenset({scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD})


@functools.cache
def _card_mute() -> frozenset[int]:
    return frozenset({scard.SCARD_W_UNRESPONSIVE_CARD, scard.SCARD_W_UNPOWERED_CARD,
                      scard.SCARD_E_PROTO_MISMATCH, scard.SCARD_W_UNSUPPORTED_CARD})

@dataclass(frozen=True)
class CardReadFailed:
    """`read_errors` event for an insertion that could not be read. `code` (+ `params`) is the
    message code of what the resident is told, as on every failure event."""

    error: SocialSecurityCardError

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def params(self) -> Mapping[str, Any]:
        return self.error.params


def _present(state: int) -> bool:
    return bool(state & scard.SCARD_STATE_PRESENT)


def _count(state: int) -> int:
    """pcsc-lite's card event counter (upper 16 bits of the reader state; 0 elsewhere)."""
    return (state >> 16) & 0xFFFF


def _pcsc_text(hresult: int) -> str:
    return f"{scard.SCardGetErrorMessage(hresult).strip()} (0x{hresult & 0xFFFFFFFF:08X})"


class SocialSecurityCardReader(Device):
    capabilities = frozenset({"read_public_data", "card_presence"})
    is_input = True

    def __init__(self, device_id: str, url: str, *, poll_interval: float = 0.3,
                 command_timeout: float = 10.0, removal_grace_s: float = 3.0) -> None:
        super().__init__(device_id, url, poll_interval=poll_interval, command_timeout=command_timeout)
        self.reader_filter = parse_smartcard_url(url)
        self.removal_grace_s = removal_grace_s  # how long to wait for pcscd to confirm a removal
        self.reader_name: str | None = None
        self._ctx: int | None = None
        self._state = SCARD_STATE_UNAWARE  # last reader state seen (event count in bits 16-31)
        self._unread = False  # a card arrived and has not been read yet

    # ---- transport ------------------------------------------------------------------------------
    def _open_transport(self) -> None:
        hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hr != scard.SCARD_S_SUCCESS:
            raise SocialSecurityCardError("no_service", Completion.DEVICE_NOT_READY,
                                          f"PC/SC service unavailable: {_pcsc_text(hr)}",
                                          "sscard.reader_unavailable")
        self._ctx = ctx
        try:
            self.reader_name = self._find_reader()
            self._state = self._query()
        except DeviceError:
            self._close_transport()
            raise
        self._unread = _present(self._state)
        self._set_status(card_present=_present(self._state), reader=self.reader_name)

    def _close_transport(self) -> None:
        ctx, self._ctx = self._ctx, None
        if ctx is not None:
            scard.SCardReleaseContext(ctx)

    def _find_reader(self) -> str:
        hr, readers = scard.SCardListReaders(self._ctx, [])
        if hr in _transport_lost() - {scard.SCARD_E_NO_READERS_AVAILABLE}:
            raise SocialSecurityCardError("no_service", Completion.DEVICE_NOT_READY,
                                          f"cannot list PC/SC readers: {_pcsc_text(hr)}",
                                          "sscard.reader_unavailable")
        readers = list(readers or []) if hr == scard.SCARD_S_SUCCESS else []
        matches = sorted(r for r in readers if self.reader_filter in r)
        if not matches:
            raise SocialSecurityCardError("no_reader", Completion.DEVICE_NOT_READY,
                                          f"no PC/SC reader matches {self.reader_filter!r} (readers: "
                                          f"{', '.join(readers) or 'none'})", "sscard.reader_unavailable")
        return matches[0]

    def _query(self, current: int = SCARD_STATE_UNAWARE, timeout_ms: int = 0) -> int:
        """The reader state now, or once it differs from `current` (waits ≤ timeout_ms)."""
        if self._ctx is None or self.reader_name is None:
            raise TransportLost("PC/SC context is closed")
        hr, states = scard.SCardGetStatusChange(self._ctx, timeout_ms, [(self.reader_name, current)])
        if hr in _transport_lost():
            raise TransportLost(f"reader {self.reader_name!r}: {_pcsc_text(hr)}")
        if hr == scard.SCARD_E_TIMEOUT:
            return current
        if hr != scard.SCARD_S_SUCCESS:
            raise DeviceError(Completion.HARDWARE_ERROR, f"SCardGetStatusChange: {_pcsc_text(hr)}")
        _reader, event_state, _atr = states[0]
        if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
            raise TransportLost(f"reader {self.reader_name!r} is gone")
        return event_state & ~scard.SCARD_STATE_CHANGED

    # ---- watching (worker thread) -----------------------------------------------------------------
    def _track(self, state: int) -> None:
        if _present(state) and (not _present(self._state) or _count(state) != _count(self._state)):
            self._unread = True  # a new card (or a swap between two polls)
        if not _present(state):
            self._unread = False
        self._state = state
        self._set_status(card_present=_present(state))

    def _poll_once(self) -> None:
        self._track(self._query())
        if not self._unread:
            return
        self._unread = False
        try:
            data = self._read(None)
        except SocialSecurityCardError as exc:
            log.info("%s: card read failed: %s", self.device_id, exc.detail)
            self.read_errors.put(CardReadFailed(exc))
        else:
            log.info("%s: card read (%r)", self.device_id, data)  # repr hides personal fields
            self.events.put(data)

    def _on_enable(self) -> None:
        # A card already inside when the screen starts waiting counts as a fresh insertion.
        if _present(self._state):
            self._unread = True

    # ---- reading -------------------------------------------------------------------------------------
    def read_card(self, timeout: float | None = None) -> Command:
        """Wait up to `timeout` s for a card, read it; result: SocialSecurityCardData."""
        return self.submit("read_card", self._wait_and_read,
                           timeout=self.command_timeout if timeout is None else timeout)

    def _wait_and_read(self, token: CancelToken) -> SocialSecurityCardData:
        state = self._query()
        while not _present(state):
            token.check()
            if token.remaining() < 0.3:
                raise SocialSecurityCardError("no_card", Completion.TIMEOUT,
                                              f"no card inserted in {self.reader_name!r}", "sscard.no_card")
            state = self._query(state, int(min(0.5, token.remaining() - 0.25) * 1000))
        self._track(state)
        self._unread = False
        return self._read(token)

    def _read(self, token: CancelToken | None) -> SocialSecurityCardData:
        assert self._ctx is not None and self.reader_name is not None
        hr, handle, protocol = scard.SCardConnect(self._ctx, self.reader_name, scard.SCARD_SHARE_SHARED,
                                                  scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        if hr != scard.SCARD_S_SUCCESS:
            raise self._connect_error(hr)
        pci = scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
        # One transaction: another PC/SC client (a technician's kiosk-diag) must not move the card's
        # selected file between our SELECT and READ RECORD.
        hr = scard.SCardBeginTransaction(handle)
        if hr != scard.SCARD_S_SUCCESS:
            scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
            raise self._connect_error(hr)

        def transmit(apdu: bytes) -> bytes:
            if token is not None:
                token.check()
            hr, response = scard.SCardTransmit(handle, pci, list(apdu))
            if hr != scard.SCARD_S_SUCCESS or len(response) < 2:
                # vpcd answers an empty response, then NOT_TRANSACTED; real readers REMOVED_CARD.
                raise self._transmit_error(hr, apdu)
            return bytes(response)

        try:
            return read_public_data(transmit)
        finally:
            scard.SCardEndTransaction(handle, scard.SCARD_LEAVE_CARD)
            scard.SCardDisconnect(handle, scard.SCARD_RESET_CARD)

    def _connect_error(self, hr: int) -> DeviceError:
        if hr in _transport_lost():
            return TransportLost(f"SCardConnect: {_pcsc_text(hr)}")
        if hr in _card_gone():
            return SocialSecurityCardError("card_removed", Completion.USER_ERROR,
                                           f"card left the reader before the read: {_pcsc_text(hr)}",
                                           "sscard.removed")
        if hr in _card_mute():
            return SocialSecurityCardError("protocol", Completion.USER_ERROR,
                                           f"card does not answer: {_pcsc_text(hr)}", "sscard.mute")
        return SocialSecurityCardError("protocol", Completion.HARDWARE_ERROR,
                                       f"SCardConnect: {_pcsc_text(hr)}", "sscard.read_failed")

    def _transmit_error(self, hr: int, apdu: bytes) -> DeviceError:
        what = f"SCardTransmit {apdu[:4].hex(' ')}: " + (_pcsc_text(hr) if hr else "empty response")
        if hr in _transport_lost():
            return TransportLost(what)
        if hr in _card_gone() or self._card_left():
            return SocialSecurityCardError("card_removed", Completion.USER_ERROR,
                                           f"card removed during the read ({what})", "sscard.removed")
        return SocialSecurityCardError("protocol", Completion.HARDWARE_ERROR, what, "sscard.read_failed")

    def _card_left(self) -> bool:
        """After a failed exchange: wait (≤ removal_grace_s) for pcscd to report the card gone.
        A changed event count also means it left (pulled and another card pushed in meanwhile)."""
        reading = _count(self._state)
        deadline = time.monotonic() + self.removal_grace_s
        state = self._query()
        while _present(state) and _count(state) == reading and (left := deadline - time.monotonic()) > 0:
            state = self._query(state, int(left * 1000) + 1)
        self._track(state)
        return not _present(state) or _count(state) != reading

    # ---- health -------------------------------------------------------------------------------------
    def check_health(self, level: HealthLevel = HealthLevel.INTERNAL) -> HealthReport:
        if level == HealthLevel.INTERNAL or self._worker is None:
            return super().check_health(level)

        def probe(token: CancelToken) -> str:
            present = _present(self._query())
            return f"reader {self.reader_name!r}: {'card present' if present else 'no card'}"

        try:
            text = self.submit("health", probe, timeout=5).wait()
        except DeviceError as exc:
            return HealthReport(self.device_id, level, False, f"{self.device_id}: {exc.detail}")
        return HealthReport(self.device_id, level, True, f"{self.device_id}: {text}")
