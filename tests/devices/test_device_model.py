"""The device model (kiosk/devices/model.py): lifecycle, status, commands, input events, health."""

from __future__ import annotations

import threading

import pytest

from kiosk.devices.model import (
    CancelToken,
    Completion,
    Device,
    DeviceError,
    DeviceState,
    EventQueue,
    HealthLevel,
    TransportLost,
)

WAIT = 20.0


class FakeDevice(Device):
    is_input = True
    capabilities = frozenset({"fake"})

    def __init__(self, device_id: str = "fake", url: str = "loop://", **kw) -> None:
        super().__init__(device_id, url, **kw)
        self.opened = 0
        self.closed = 0
        self.polled = threading.Event()
        self.fail_open: Exception | None = None
        self.poll_action = None

    def _open_transport(self) -> None:
        if self.fail_open is not None:
            raise self.fail_open
        self.opened += 1

    def _close_transport(self) -> None:
        self.closed += 1

    def _poll_once(self) -> None:
        self.polled.set()
        if self.poll_action is not None:
            self.poll_action()


def states_of(device: Device) -> list:
    seen: list = []
    device.add_status_listener(lambda s: seen.append(s.state))
    return seen


@pytest.fixture
def dev():
    d = FakeDevice(poll_interval=0.01, command_timeout=5.0)
    yield d
    d.close()


def test_constructor_does_no_io_and_lifecycle_is_explicit(dev):
    assert dev.opened == 0 and dev.status.state == DeviceState.CLOSED
    seen = states_of(dev)
    dev.open()
    assert dev.opened == 1 and seen == [DeviceState.STARTING, DeviceState.ONLINE]
    dev.close()
    assert dev.closed >= 1 and seen[-1] == DeviceState.CLOSED


def test_open_failure_is_no_device_with_detail():
    d = FakeDevice()
    d.fail_open = OSError("connection refused")
    try:
        with pytest.raises(DeviceError) as err:
            d.open()
        assert err.value.completion == Completion.DEVICE_NOT_READY
        assert d.status.state == DeviceState.NO_DEVICE and "refused" in d.status.detail
        d.fail_open = None
        d.reopen()
        assert d.status.state == DeviceState.ONLINE
    finally:
        d.close()


def test_status_extras_push_only_on_change(dev):
    pushed: list = []
    dev.add_status_listener(pushed.append)
    dev.open()
    pushed.clear()
    dev._set_status(card_present=True)
    dev._set_status(card_present=True)
    dev._set_status(card_present=False)
    assert [s.extras["card_present"] for s in pushed] == [True, False]
    assert pushed[0].to_dict()["extras"] == {"card_present": True}


def test_command_before_open_is_a_sequence_error(dev):
    cmd = dev.submit("x", lambda token: 1)
    assert cmd.done and cmd.completion == Completion.SEQUENCE_ERROR


def test_command_success_and_exactly_one_completion(dev):
    dev.open()
    calls: list = []
    cmd = dev.submit("add", lambda token: 41 + 1)
    assert cmd.wait() == 42
    cmd.add_done_callback(calls.append)  # after completion: called at once
    assert cmd.cancel() is False  # already complete: stays SUCCESS
    assert cmd.completion == Completion.SUCCESS and calls == [cmd]


def test_command_timeout_is_seen_by_the_running_function(dev):
    dev.open()

    def slow(token: CancelToken) -> None:
        while True:  # a driver loop that checks its token between I/O steps
            token.check()
            threading.Event().wait(0.005)

    cmd = dev.submit("slow", slow, timeout=0.2)
    with pytest.raises(DeviceError) as err:
        cmd.wait(timeout=WAIT)
    assert err.value.completion == Completion.TIMEOUT
    assert cmd.completion == Completion.TIMEOUT


def test_cancel_queued_and_running_commands(dev):
    dev.open()
    gate = threading.Event()
    started = threading.Event()
    finished: list = []

    def blocking(token: CancelToken) -> str:
        started.set()
        while not gate.is_set():
            if token.cancelled:
                token.check()
            gate.wait(0.005)
        return "late"

    running = dev.submit("running", blocking)
    queued = dev.submit("queued", lambda token: finished.append("ran"))
    completions: list = []
    running.add_done_callback(lambda c: completions.append(c.completion))
    assert started.wait(WAIT)
    assert queued.cancel() is True
    assert running.cancel() is True
    gate.set()
    assert dev.submit("after", lambda token: "ok").wait() == "ok"
    assert completions == [Completion.CANCELED]  # exactly one completion
    assert queued.completion == Completion.CANCELED and finished == []


def test_unexpected_exception_is_hardware_error(dev):
    dev.open()
    cmd = dev.submit("boom", lambda token: 1 / 0)
    with pytest.raises(DeviceError):
        cmd.wait()
    assert cmd.completion == Completion.HARDWARE_ERROR
    assert dev.status.state == DeviceState.ONLINE  # a bug is no unplug


def test_transport_lost_goes_offline(dev):
    dev.open()

    def unplugged(token):
        raise TransportLost("socket disconnected")

    with pytest.raises(TransportLost):
        dev.submit("io", unplugged).wait()
    assert dev.status.state == DeviceState.OFFLINE and "disconnected" in dev.status.detail


def test_polls_only_while_enabled_and_online(dev):
    dev.open()
    assert dev.submit("sync", lambda token: None).wait() is None
    assert not dev.polled.is_set()
    dev.enable()
    assert dev.polled.wait(WAIT)
    dev.disable()


def test_poll_transport_lost_goes_offline_and_stops_polling(dev):
    dev.open()
    lost = threading.Event()

    def action():
        lost.set()
        raise TransportLost("gone")

    dev.poll_action = action
    offline = threading.Event()
    dev.add_status_listener(lambda s: s.state == DeviceState.OFFLINE and offline.set())
    dev.enable()
    assert offline.wait(WAIT)
    dev.poll_action = None
    dev.polled.clear()
    dev.submit("sync", lambda token: None).wait()
    assert not dev.polled.is_set()  # OFFLINE: no polling until reopened
    dev.reopen()
    assert dev.polled.wait(WAIT)


def test_event_queue_keeps_events_until_listener_and_delivers_each_once():
    q = EventQueue("t")
    for i in range(5):
        q.put(i)
    got: list = []
    done = threading.Event()

    def listener(e):
        got.append(e)
        if len(got) == 1005:
            done.set()

    q.set_listener(listener)
    threads = [threading.Thread(target=lambda base=b: [q.put(base + i) for i in range(200)])
               for b in range(1000, 2000, 200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert done.wait(WAIT)
    q.stop()
    assert got[:5] == [0, 1, 2, 3, 4]
    assert sorted(got) == list(range(5)) + list(range(1000, 2000))  # none lost, none twice
    for b in range(1000, 2000, 200):  # per producer, order kept
        mine = [e for e in got if b <= e < b + 200]
        assert mine == sorted(mine)


def test_event_queue_freeze_holds_delivery():
    q = EventQueue("t")
    got: list = []
    arrived = threading.Event()
    q.freeze(True)
    q.set_listener(lambda e: (got.append(e), arrived.set()))
    q.put("a")
    assert not arrived.wait(0.2) and len(q) == 1  # frozen: still queued
    q.freeze(False)
    assert arrived.wait(WAIT) and got == ["a"]
    q.stop()


def test_event_queue_direct_get_and_clear():
    q = EventQueue("t")
    q.put(1)
    q.put(2)
    assert q.get(timeout=1) == 1
    assert q.clear() == 1 and len(q) == 0


def test_health_and_capabilities(dev):
    report = dev.check_health(HealthLevel.INTERNAL)
    assert report.ok is False and "closed" in report.text
    dev.open()
    assert dev.check_health().ok is True
    assert "fake" in FakeDevice.capabilities


@pytest.mark.parametrize("queue_name", ["events", "read_errors"])
def test_events_flow_again_after_close_and_open(queue_name):
    d = FakeDevice()
    events = getattr(d, queue_name)  # every device has both: data events and read failures
    got: list = []
    arrived = threading.Event()
    events.set_listener(lambda e: (got.append(e), arrived.set()))
    d.open()
    d.close()
    d.open()
    try:
        events.put("after-reopen")
        assert arrived.wait(WAIT) and got == ["after-reopen"]
    finally:
        d.close()
