"""DeviceManager: builds devices from config, opens them without raising, reconnects with backoff."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest

from kiosk.config import BackendConfig, Config, DeviceConfig
from kiosk.devices.id_card_reader import IdCardReader
from kiosk.devices.manager import DeviceManager
from kiosk.devices.model import Completion, Device, DeviceError, DeviceState
from simulators.process import start_simulator

WAIT = 20.0


def make_config(devices: dict[str, DeviceConfig]) -> Config:
    return Config(kiosk_id="T-1", region_code="440204", log_dir=Path("/tmp"),
                  backend=BackendConfig(url="https://127.0.0.1:1", key_file=Path("/tmp/k")),
                  devices=devices)


class StateWaiter:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.seen: list = []

    def __call__(self, status) -> None:
        with self.cond:
            self.seen.append(status)
            self.cond.notify_all()

    def wait(self, device_id: str, state: DeviceState, timeout: float = WAIT) -> bool:
        with self.cond:
            return self.cond.wait_for(
                lambda: any(s.device_id == device_id and s.state == state for s in self.seen), timeout)

    def clear(self) -> None:
        with self.cond:
            self.seen.clear()


@pytest.fixture(scope="module")
def sim():
    with start_simulator("idcard") as proc:
        yield proc


def idcard_config(sim, **options) -> Config:
    return make_config({"idcard": DeviceConfig(driver="sam_idcard",
                                               url=f"socket://127.0.0.1:{sim.ports['listen']}",
                                               poll_interval_s=0.02, timeout_s=3.0, options=options)})


def test_builds_driver_from_config_with_options(sim):
    mgr = DeviceManager(idcard_config(sim, appended_address=False))
    devices = mgr.build()
    reader = devices["idcard"]
    assert isinstance(reader, IdCardReader)
    assert reader.read_appended is False and reader.poll_interval == 0.02
    assert reader.status.state == DeviceState.CLOSED  # built, no I/O


def test_disabled_devices_are_not_built(sim):
    cfg = make_config({"idcard": DeviceConfig(driver="sam_idcard", url="socket://127.0.0.1:1",
                                              enabled=False)})
    assert DeviceManager(cfg).build() == {}


def test_unbuildable_driver_is_reported_as_no_device():
    def factory(device_id, cfg):
        raise ImportError("no module named cv2")

    cfg = make_config({"camera": DeviceConfig(driver="opencv", url="index:0")})
    mgr = DeviceManager(cfg, factory=factory)
    statuses = mgr.open_all()
    assert statuses["camera"].state == DeviceState.NO_DEVICE
    assert "cv2" in statuses["camera"].detail
    mgr.close_all()


def test_device_absent_at_start_comes_online_when_plugged(sim):
    sim.control("POST", "/unplug")
    waiter = StateWaiter()
    mgr = DeviceManager(idcard_config(sim), backoff_initial=0.05, backoff_max=0.2)
    mgr.add_status_listener(waiter)
    try:
        statuses = mgr.open_all()  # must not raise
        assert statuses["idcard"].state == DeviceState.NO_DEVICE
        sim.control("POST", "/replug")
        assert waiter.wait("idcard", DeviceState.ONLINE)
        assert mgr.get("idcard").status.state == DeviceState.ONLINE
    finally:
        sim.control("POST", "/replug")
        mgr.close_all()


def test_unplug_replug_recovery_keeps_events_flowing(sim):
    sim.control("POST", "/fault", {"kind": "none"})
    sim.control("POST", "/lift")
    waiter = StateWaiter()
    mgr = DeviceManager(idcard_config(sim), backoff_initial=0.05, backoff_max=0.2)
    mgr.add_status_listener(waiter)
    cards: queue.Queue = queue.Queue()
    try:
        mgr.open_all()
        reader = mgr.get("idcard")
        reader.events.set_listener(cards.put)
        reader.enable()
        sim.control("POST", "/place", {"persona": "chen_guiying"})
        assert cards.get(timeout=WAIT).name == "陈桂英"

        waiter.clear()
        sim.control("POST", "/unplug")
        assert waiter.wait("idcard", DeviceState.OFFLINE)
        sim.control("POST", "/lift")
        waiter.clear()
        sim.control("POST", "/replug")
        assert waiter.wait("idcard", DeviceState.ONLINE)
        sim.control("POST", "/place", {"persona": "li_jianguo"})
        assert cards.get(timeout=WAIT).name == "李建国"

        waiter.clear()
        sim.control("POST", "/fault", {"kind": "disconnect"})
        assert waiter.wait("idcard", DeviceState.OFFLINE)
        assert waiter.wait("idcard", DeviceState.ONLINE)
        sim.control("POST", "/place", {"persona": "lan_yan"})
        assert cards.get(timeout=WAIT).name == "蓝䶮"
        assert cards.empty()
    finally:
        mgr.close_all()
    assert mgr.get("idcard").status.state == DeviceState.CLOSED


class NeverThere(Device):
    """A fake device whose transport never opens; counts attempts."""

    def __init__(self, device_id, url, **kw) -> None:
        super().__init__(device_id, url, **kw)
        self.attempts = 0
        self.enough = threading.Event()

    def _open_transport(self) -> None:
        self.attempts += 1
        if self.attempts >= 6:
            self.enough.set()
        raise DeviceError(Completion.DEVICE_NOT_READY, "not plugged in")

    def _close_transport(self) -> None:
        pass


def test_backoff_doubles_and_is_capped():
    devices = {}

    def factory(device_id, cfg):
        devices[device_id] = NeverThere(device_id, cfg.url, command_timeout=2.0)
        return devices[device_id]

    cfg = make_config({"idcard": DeviceConfig(driver="sam_idcard", url="socket://127.0.0.1:1")})
    mgr = DeviceManager(cfg, backoff_initial=0.01, backoff_max=0.04, factory=factory)
    try:
        mgr.open_all()
        assert devices["idcard"].enough.wait(WAIT)
        dog = mgr._watchdogs["idcard"]
        assert dog.delay == 0.04  # 0.01 → 0.02 → 0.04 → capped
        assert mgr.reconnect_attempts("idcard") >= 5
    finally:
        mgr.close_all()
