"""The one device model every driver uses (ideas from XFS4IoT / CWA 17852 and UnifiedPOS).

Pure Python, no Qt. A driver subclasses `Device` and implements the `_open_transport`,
`_close_transport` and (for input devices) `_poll_once` hooks. Everything that touches the wire runs
on the device's own worker thread, so a driver never needs its own locking around the transport.

Threads (who fires what):
- status listeners: called on the thread that changed the state, usually the device worker thread,
  sometimes the caller of open()/close(). Keep listeners short; the Qt bridge re-emits them queued.
- data listeners (`events`) and read-failure listeners (`read_errors`, input devices: a card or a
  code that could not be read): each called on its queue's own event thread, one event at a time,
  in order.
- `Command` completion callbacks: called on the device worker thread (or the caller's thread when
  the command is cancelled or times out before it started).
"""

from __future__ import annotations

import enum
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

log = logging.getLogger(__name__)


class DeviceState(enum.StrEnum):
    STARTING = "starting"
    ONLINE = "online"
    OFFLINE = "offline"  # transport lost; the manager reconnects with backoff
    NO_DEVICE = "no_device"  # could not be opened at all
    POWER_OFF = "power_off"
    HW_ERROR = "hw_error"
    USER_ERROR = "user_error"  # e.g. paper out, cover open: a person must act
    BUSY = "busy"
    CLOSED = "closed"


class Completion(enum.StrEnum):
    SUCCESS = "success"
    CANCELED = "canceled"
    DEVICE_NOT_READY = "device_not_ready"
    HARDWARE_ERROR = "hardware_error"
    TIMEOUT = "timeout"
    USER_ERROR = "user_error"
    SEQUENCE_ERROR = "sequence_error"
    INVALID_DATA = "invalid_data"


class HealthLevel(enum.StrEnum):
    INTERNAL = "internal"  # software state only, no I/O
    EXTERNAL = "external"  # talks to the device (status query)
    INTERACTIVE = "interactive"  # needs a person (e.g. place a test card, tear a test page)


class DeviceError(Exception):
    """The one error type drivers raise.

    `detail` is precise and for logs / the CLI (never personal data). `code` is the message code of
    what the resident is told (kiosk.services.messages: what happened, what to do next), with
    `params` for its placeholders; drivers never write the sentence themselves.
    """

    def __init__(self, completion: Completion, detail: str, code: str = "device.unavailable",
                 params: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.completion = completion
        self.detail = detail
        self.code = code
        self.params: Mapping[str, Any] = MappingProxyType(dict(params or {}))


class TransportLost(DeviceError):
    """The link to the device broke (unplugged, peer closed). The manager will reconnect."""

    def __init__(self, detail: str) -> None:
        super().__init__(Completion.HARDWARE_ERROR, detail, "device.disconnected")


@dataclass(frozen=True)
class DeviceStatus:
    device_id: str
    state: DeviceState
    extras: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    detail: str = ""  # technician text, never personal data

    def to_dict(self) -> dict[str, Any]:
        return {"device": self.device_id, "state": str(self.state), "extras": dict(self.extras),
                "detail": self.detail}


@dataclass(frozen=True)
class HealthReport:
    device_id: str
    level: HealthLevel
    ok: bool
    text: str


class CancelToken:
    """Checked by a command between I/O steps; set by cancel() or by the deadline."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self._event = threading.Event()
        self.reason = Completion.CANCELED

    def cancel(self, reason: Completion = Completion.CANCELED) -> None:
        self.reason = reason
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def wait(self, seconds: float) -> bool:
        """Wait up to `seconds` (never past the deadline) between polls of a device; True when
        cancelled meanwhile. For drivers that must poll a job's progress on their worker thread."""
        return self._event.wait(max(0.0, min(seconds, self.remaining())))

    def check(self) -> None:
        """Raise if cancelled or past the deadline."""
        if self._event.is_set():
            raise DeviceError(self.reason, f"command {self.reason}",
                              "device.timeout" if self.reason == Completion.TIMEOUT else "device.cancelled")
        if time.monotonic() >= self.deadline:
            self.cancel(Completion.TIMEOUT)
            raise DeviceError(Completion.TIMEOUT, "command timed out", "device.timeout")


_command_ids = itertools.count(1)


class Command:
    """One device command: an id, a timeout, cancellable, ending with exactly one completion."""

    def __init__(self, name: str, timeout: float) -> None:
        self.id = next(_command_ids)
        self.name = name
        self.timeout = timeout
        self.token = CancelToken(time.monotonic() + timeout)
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[Command], None]] = []
        self.completion: Completion | None = None
        self.result: Any = None
        self.error: DeviceError | None = None

    def cancel(self) -> bool:
        """Ask the command to stop. Returns False when it had already completed."""
        self.token.cancel()
        return self._finish(Completion.CANCELED, None,
                            DeviceError(Completion.CANCELED, "canceled", "device.cancelled"))

    def _finish(self, completion: Completion, result: Any, error: DeviceError | None) -> bool:
        with self._lock:
            if self.completion is not None:
                return False
            self.completion, self.result, self.error = completion, result, error
            callbacks = list(self._callbacks)
        self._done.set()
        for cb in callbacks:
            try:
                cb(self)
            except Exception:  # a listener's bug must not kill the device thread
                log.exception("command callback failed")
        return True

    def add_done_callback(self, cb: Callable[[Command], None]) -> None:
        with self._lock:
            if self.completion is None:
                self._callbacks.append(cb)
                return
        cb(self)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> Any:
        """Block until done; return the result or raise the DeviceError. Not for the GUI thread."""
        limit = self.timeout + 1.0 if timeout is None else timeout
        if not self._done.wait(limit):
            self.token.cancel(Completion.TIMEOUT)
            self._finish(Completion.TIMEOUT, None,
                         DeviceError(Completion.TIMEOUT, f"{self.name} timed out", "device.timeout"))
        if self.error is not None:
            raise self.error
        return self.result


class EventQueue:
    """Input data events: queued, delivered in order, each exactly once, never lost.

    Events wait in the queue while no listener is set or while frozen (UnifiedPOS
    DataEventEnabled / freeze). Delivery happens on the queue's own event thread.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._items: queue.Queue[Any] = queue.Queue()
        self._listener: Callable[[Any], None] | None = None
        self._cond = threading.Condition()
        self._frozen = False
        self._thread: threading.Thread | None = None
        self._stop = False

    def put(self, event: Any) -> None:
        self._items.put(event)
        with self._cond:
            self._cond.notify_all()

    def get(self, timeout: float | None = None) -> Any:
        """Pull one event directly (CLI and tests); raises queue.Empty on timeout."""
        return self._items.get(timeout=timeout)

    def clear(self) -> int:
        """Drop pending events (session end). Returns how many were dropped."""
        n = 0
        while True:
            try:
                self._items.get_nowait()
                n += 1
            except queue.Empty:
                return n

    def __len__(self) -> int:
        return self._items.qsize()

    def set_listener(self, listener: Callable[[Any], None] | None) -> None:
        with self._cond:
            self._listener = listener
            self._cond.notify_all()
        if listener is not None and self._thread is None:
            self._stop = False
            self._thread = threading.Thread(target=self._run, name=f"{self._name}-events", daemon=True)
            self._thread.start()

    def resume(self) -> None:
        """Restart delivery after stop() (a device closed and opened again keeps its listener)."""
        if self._thread is None and self._listener is not None:
            self.set_listener(self._listener)

    def freeze(self, frozen: bool) -> None:
        with self._cond:
            self._frozen = frozen
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        self._thread = None

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and (self._frozen or self._listener is None or self._items.empty()):
                    self._cond.wait()  # put/set_listener/freeze/stop notify: an idle queue never wakes
                if self._stop:
                    return
                listener = self._listener
                try:
                    event = self._items.get_nowait()
                except queue.Empty:
                    continue
            try:
                assert listener is not None
                listener(event)
            except Exception:
                log.exception("%s: data listener failed", self._name)


_WAKE: Any = ("wake",)  # a job that only wakes the worker (enable() on an input device)


class Device:
    """Base class: lifecycle, status, commands on one worker thread, input events, health.

    Lifecycle: construct (no I/O) → open() → enable() → … → disable() → close().
    Subclasses implement `_open_transport()` / `_close_transport()`, and input devices
    `_poll_once()`, which is called on the worker thread every `poll_interval` while enabled.
    Input devices put their data events into `events` and the failures a resident must hear about
    (e.g. a card that could not be read, with its message `code`) into `read_errors`.
    """

    capabilities: frozenset[str] = frozenset()
    is_input = False
    on_demand = False  # enabled only by the screen that needs it (the camera), never at start-up

    def __init__(self, device_id: str, url: str, *, poll_interval: float = 0.3,
                 command_timeout: float = 10.0) -> None:
        self.device_id = device_id
        self.url = url
        self.poll_interval = poll_interval
        self.command_timeout = command_timeout
        self.events = EventQueue(device_id)
        self.read_errors = EventQueue(f"{device_id}-errors")
        self._status = DeviceStatus(device_id, DeviceState.CLOSED)
        self._status_lock = threading.Lock()
        self._status_listeners: list[Callable[[DeviceStatus], None]] = []
        self._jobs: queue.Queue[tuple[Command, Callable[[CancelToken], Any]] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._enabled = False
        self._opened = False

    # ---- status -----------------------------------------------------------------------------
    @property
    def status(self) -> DeviceStatus:
        return self._status

    @property
    def enabled(self) -> bool:
        return self._enabled

    def add_status_listener(self, listener: Callable[[DeviceStatus], None]) -> None:
        self._status_listeners.append(listener)

    def remove_status_listener(self, listener: Callable[[DeviceStatus], None]) -> None:
        if listener in self._status_listeners:
            self._status_listeners.remove(listener)

    def _set_status(self, state: DeviceState | None = None, detail: str | None = None,
                    **extras: Any) -> None:
        """Change state and/or extras; pushes a status-changed event only when something changed."""
        with self._status_lock:
            old = self._status
            merged = dict(old.extras)
            merged.update(extras)
            new = DeviceStatus(self.device_id, state or old.state, MappingProxyType(merged),
                               old.detail if detail is None else detail)
            if new == old:
                return
            self._status = new
        if new.state != old.state:
            log.info("%s: %s -> %s %s", self.device_id, old.state, new.state, new.detail)
        for listener in list(self._status_listeners):
            try:
                listener(new)
            except Exception:
                log.exception("%s: status listener failed", self.device_id)

    # ---- lifecycle --------------------------------------------------------------------------
    def open(self) -> None:
        """Open the transport (blocking; call from a worker or CLI, not the GUI thread)."""
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name=f"{self.device_id}-worker",
                                            daemon=True)
            self._worker.start()
        self._opened = True
        self.events.resume()
        self.read_errors.resume()
        self._set_status(DeviceState.STARTING, "")
        self.submit("open", self._do_open, timeout=self.command_timeout).wait()

    def _do_open(self, token: CancelToken) -> None:
        try:
            self._open_transport()
        except DeviceError as exc:
            self._set_status(DeviceState.NO_DEVICE, exc.detail)
            raise
        except Exception as exc:  # pyserial / socket / usb errors
            self._set_status(DeviceState.NO_DEVICE, f"{type(exc).__name__}: {exc}")
            raise DeviceError(Completion.DEVICE_NOT_READY, f"cannot open {self.url}: {exc}") from exc
        self._set_status(DeviceState.ONLINE, "")

    def reopen(self) -> None:
        """Close and open the transport again (used by the manager's reconnect)."""
        self.submit("reopen", self._do_reopen, timeout=self.command_timeout).wait()

    def _do_reopen(self, token: CancelToken) -> None:
        try:
            self._close_transport()
        except Exception:
            log.debug("%s: close before reopen failed", self.device_id, exc_info=True)
        self._do_open(token)

    def close(self) -> None:
        self._enabled = False
        if self._worker is not None:
            try:
                self.submit("close", lambda token: self._close_transport(), timeout=5).wait()
            except DeviceError:
                log.warning("%s: close failed", self.device_id)
            self._jobs.put(None)
            if self._worker is not threading.current_thread():
                self._worker.join(timeout=5)
            self._worker = None
        self.events.stop()
        self.read_errors.stop()
        self._opened = False
        self._set_status(DeviceState.CLOSED, "")

    def __enter__(self) -> Device:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def enable(self) -> None:
        """Input devices start polling; output devices accept jobs."""
        self._enabled = True
        if self.is_input and self._worker is not None:
            self._jobs.put(_WAKE)  # the worker sleeps without a timeout while there is nothing to poll
        self._on_enable()

    def disable(self) -> None:
        self._enabled = False
        self._on_disable()

    def _on_enable(self) -> None:
        pass

    def _on_disable(self) -> None:
        pass

    # ---- commands ---------------------------------------------------------------------------
    def submit(self, name: str, fn: Callable[[CancelToken], Any], timeout: float | None = None) -> Command:
        """Queue `fn(token)` on the worker thread. Returns the Command at once."""
        cmd = Command(name, self.command_timeout if timeout is None else timeout)
        if self._worker is None:
            cmd._finish(Completion.SEQUENCE_ERROR, None,
                        DeviceError(Completion.SEQUENCE_ERROR, f"{self.device_id}: not open"))
            return cmd
        self._jobs.put((cmd, fn))
        return cmd

    def _polling(self) -> bool:
        return self._enabled and self.is_input and self._status.state == DeviceState.ONLINE

    def _work(self) -> None:
        while True:
            # Idle at zero: wait for a job without a timeout unless there is something to poll.
            try:
                job = self._jobs.get(timeout=self.poll_interval if self._polling() else None)
            except queue.Empty:
                if self._polling():
                    self._safe_poll()
                continue
            if job is None:  # close() sentinel
                return
            if job is _WAKE:  # enable(): re-read whether to poll
                continue
            self._run_command(*job)

    def _run_command(self, cmd: Command, fn: Callable[[CancelToken], Any]) -> None:
        if cmd.done:
            return  # cancelled while queued
        try:
            cmd.token.check()
            result = fn(cmd.token)
        except TransportLost as exc:
            self._set_status(DeviceState.OFFLINE, exc.detail)
            cmd._finish(exc.completion, None, exc)
        except DeviceError as exc:
            cmd._finish(exc.completion, None, exc)
        except Exception as exc:
            log.exception("%s: %s failed", self.device_id, cmd.name)
            cmd._finish(Completion.HARDWARE_ERROR, None,
                        DeviceError(Completion.HARDWARE_ERROR, f"{type(exc).__name__}: {exc}"))
        else:
            cmd._finish(Completion.SUCCESS, result, None)

    def _safe_poll(self) -> None:
        try:
            self._poll_once()
        except TransportLost as exc:
            self._set_status(DeviceState.OFFLINE, exc.detail)
        except DeviceError as exc:
            log.warning("%s: poll: %s", self.device_id, exc.detail)
        except Exception:
            log.exception("%s: poll failed", self.device_id)

    # ---- health -----------------------------------------------------------------------------
    def check_health(self, level: HealthLevel = HealthLevel.INTERNAL) -> HealthReport:
        state = self._status.state
        ok = state == DeviceState.ONLINE
        text = f"{self.device_id}: {state}"
        if self._status.detail:
            text += f" ({self._status.detail})"
        return HealthReport(self.device_id, level, ok, text)

    # ---- driver hooks -----------------------------------------------------------------------
    def _open_transport(self) -> None:
        raise NotImplementedError

    def _close_transport(self) -> None:
        raise NotImplementedError

    def _poll_once(self) -> None:
        """Input devices: one poll step on the worker thread; put events into self.events."""
