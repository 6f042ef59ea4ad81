"""The ID-card driver against the simulator process over TCP: every persona, every fault, recovery."""

from __future__ import annotations

import queue
import threading
import time

import pytest

from kiosk.devices.id_card_reader import IdCardReader, ReadFailure
from kiosk.devices.model import Completion, DeviceError, DeviceState, TransportLost
from simulators.personas import load_personas

PERSONAS = load_personas()
WAIT = 20.0  # generous: the machine is shared
pytest_plugins = ["tests.fixtures.idcard_sim"]


@pytest.fixture
def reader(clean_idcard_sim):
    r = IdCardReader("idcard", f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}", poll_interval=0.02,
                     command_timeout=3.0)
    r.open()
    yield r
    r.close()


@pytest.mark.parametrize("persona_id", sorted(PERSONAS))
def test_read_once_every_persona(reader, clean_idcard_sim, expected_card_json, persona_id):
    p = PERSONAS[persona_id]
    clean_idcard_sim.control("POST", "/place", {"persona": persona_id})
    card = reader.read_once(timeout=WAIT)
    assert card.to_json() == expected_card_json(p)
    assert card.appended_address == p.appended_address
    assert len(card.photo_wlt) == 1024
    assert p.name not in repr(card) and p.id_number not in repr(card)


def test_fingerprint_read_command(clean_idcard_sim):
    r = IdCardReader("idcard", f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}", fingerprint_read=True)
    r.open()
    try:
        clean_idcard_sim.control("POST", "/place", {"persona": "li_jianguo"})
        assert r.read_once(timeout=WAIT).id_number == PERSONAS["li_jianguo"].id_number
        traffic = clean_idcard_sim.control("GET", "/traffic")[1]["traffic"]
        assert any(e["dir"] == "in" and "30 10 23" in e["hex"] for e in traffic)
    finally:
        r.close()


def test_sam_id_and_status(reader):
    assert reader.sam_id() == "05.01-20200101-0000000001-3456789012"
    assert reader.sam_status() == 0x90


class Collector:
    def __init__(self, reader: IdCardReader) -> None:
        self.cards: queue.Queue = queue.Queue()
        self.failures: queue.Queue = queue.Queue()
        self.states: list = []
        self.changed = threading.Condition()
        reader.events.set_listener(self.cards.put)
        reader.read_errors.set_listener(self.failures.put)
        reader.add_status_listener(self._on_status)

    def _on_status(self, status) -> None:
        with self.changed:
            self.states.append(status)
            self.changed.notify_all()

    def wait_status(self, predicate, timeout: float = WAIT) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: any(predicate(s) for s in self.states), timeout)


FIND_REQUEST = "aa aa aa 96 69 00 03 20 01 22"


def wait_for_finds(sim, n: int, timeout: float = WAIT) -> None:
    """Block until the driver has sent `n` more find requests (polls), judged by the spy log."""
    sim.control("GET", "/traffic?clear=1")
    deadline = time.monotonic() + timeout
    seen = 0
    while seen < n:
        assert time.monotonic() < deadline, "the driver stopped polling"
        entries = sim.control("GET", "/traffic?clear=1")[1]["traffic"]
        seen += sum(e["hex"].count(FIND_REQUEST) for e in entries if e["dir"] == "in")


def test_one_event_per_placement(reader, clean_idcard_sim):
    got = Collector(reader)
    reader.enable()
    clean_idcard_sim.control("POST", "/place", {"persona": "chen_guiying"})
    card = got.cards.get(timeout=WAIT)
    assert card.name == "陈桂英"
    # the card stays: many more polls happen, but no second event
    assert got.wait_status(lambda s: s.extras.get("card_present") is False)
    n_reads = clean_idcard_sim.control("GET", "/state")[1]["reads"]
    wait_for_finds(clean_idcard_sim, 5)
    assert clean_idcard_sim.control("GET", "/state")[1]["reads"] == n_reads
    assert got.cards.empty()
    # lift and place again: a new placement gives exactly one new event
    clean_idcard_sim.control("POST", "/lift")
    clean_idcard_sim.control("POST", "/place", {"persona": "chen_guiying"})
    assert got.cards.get(timeout=WAIT).id_number == PERSONAS["chen_guiying"].id_number
    assert got.cards.empty()


# ---- faults: each gives a clear error and the driver recovers --------------------------------

def test_checksum_error_on_read_then_replace(reader, clean_idcard_sim):
    got = Collector(reader)
    clean_idcard_sim.control("POST", "/fault", {"kind": "checksum", "on": "read"})
    reader.enable()
    clean_idcard_sim.control("POST", "/place", {"persona": "li_jianguo"})
    failure = got.failures.get(timeout=WAIT)
    assert isinstance(failure, ReadFailure)
    assert "checksum" in failure.detail and failure.code == "idcard.read_incomplete"
    assert got.cards.empty()
    clean_idcard_sim.control("POST", "/lift")
    clean_idcard_sim.control("POST", "/place", {"persona": "li_jianguo"})
    assert got.cards.get(timeout=WAIT).name == "李建国"


def test_checksum_error_on_find_is_survived(reader, clean_idcard_sim):
    got = Collector(reader)
    clean_idcard_sim.control("POST", "/fault", {"kind": "checksum", "on": "find", "once": False})
    reader.enable()
    wait_for_finds(clean_idcard_sim, 3)
    clean_idcard_sim.control("POST", "/fault", {"kind": "none"})
    clean_idcard_sim.control("POST", "/place", {"persona": "li_jianguo"})
    assert got.cards.get(timeout=WAIT).name == "李建国"
    assert got.failures.empty()  # a bad find answer is no failed read for the resident
    assert reader.status.state == DeviceState.ONLINE


@pytest.mark.parametrize("code", ["41", "81"])
def test_sw3_read_and_select_failures(reader, clean_idcard_sim, code):
    got = Collector(reader)
    clean_idcard_sim.control("POST", "/fault", {"kind": "sw3", "code": code})
    reader.enable()
    clean_idcard_sim.control("POST", "/place", {"persona": "huang_xiaomei"})
    failure = got.failures.get(timeout=WAIT)
    assert failure.sw3 == int(code, 16)
    assert f"SW3=0x{code}" in failure.detail
    assert failure.completion == Completion.USER_ERROR
    # the fault was once: the card is still unread on the reader, so the next poll reads it
    assert got.cards.get(timeout=WAIT).name == "黄晓梅"


def test_sw3_80_on_find_just_delays_the_read(reader, clean_idcard_sim):
    got = Collector(reader)
    clean_idcard_sim.control("POST", "/place", {"persona": "lan_yan"})
    clean_idcard_sim.control("POST", "/fault", {"kind": "sw3", "code": "80", "once": True})
    reader.enable()
    assert got.cards.get(timeout=WAIT).nation == "畲"
    assert got.failures.empty()


def test_read_once_names_the_sw3_code(reader, clean_idcard_sim):
    clean_idcard_sim.control("POST", "/place", {"persona": "chen_guiying"})
    clean_idcard_sim.control("POST", "/fault", {"kind": "sw3", "code": "41"})
    with pytest.raises(DeviceError, match="SW3=0x41"):
        reader.read_once(timeout=WAIT)


def test_sam_self_test_failure(reader, clean_idcard_sim):
    clean_idcard_sim.control("POST", "/fault", {"kind": "sw3", "code": "60"})
    with pytest.raises(DeviceError, match="SW3=0x60") as err:
        reader.sam_status()
    assert err.value.completion == Completion.HARDWARE_ERROR
    assert reader.sam_status() == 0x90  # once


def test_lift_mid_read(reader, clean_idcard_sim):
    got = Collector(reader)
    clean_idcard_sim.control("POST", "/fault", {"kind": "lift_mid_read"})
    reader.enable()
    clean_idcard_sim.control("POST", "/place", {"persona": "wong_kaming"})
    failure = got.failures.get(timeout=WAIT)
    assert failure.sw3 == 0x41 and "lifted" in failure.detail
    assert clean_idcard_sim.control("GET", "/state")[1]["card"] is None
    assert got.wait_status(lambda s: s.extras.get("card_present") is False)
    clean_idcard_sim.control("POST", "/place", {"persona": "wong_kaming"})
    assert got.cards.get(timeout=WAIT).pass_number == "H60123456"


def test_slow_sam_within_timeout(reader, clean_idcard_sim):
    clean_idcard_sim.control("POST", "/fault", {"kind": "slow", "seconds": 0.3})
    clean_idcard_sim.control("POST", "/place", {"persona": "john_smith"})
    assert reader.read_once(timeout=WAIT).english_name == "SMITH JOHN"


def test_slow_sam_past_timeout_then_recovers(clean_idcard_sim):
    r = IdCardReader("idcard", f"socket://127.0.0.1:{clean_idcard_sim.ports['listen']}", command_timeout=0.5)
    r.open()
    try:
        clean_idcard_sim.control("POST", "/place", {"persona": "tanaka_yuki"})
        clean_idcard_sim.control("GET", "/traffic?clear=1")
        clean_idcard_sim.control("POST", "/fault", {"kind": "slow", "seconds": 1.5, "once": True, "on": "find"})
        with pytest.raises(DeviceError) as err:
            r.read_once(timeout=0.2)
        assert err.value.completion == Completion.TIMEOUT
        assert "no answer to find card" in err.value.detail
        # wait until the slow SAM has sent its late answer; it must not confuse the next command
        deadline = time.monotonic() + WAIT
        while not any(e["dir"] == "out" for e in clean_idcard_sim.control("GET", "/traffic")[1]["traffic"]):
            assert time.monotonic() < deadline
        assert r.read_once(timeout=WAIT).english_name == "TANAKA YUKI"
    finally:
        r.close()


def test_garbage_before_answer_is_skipped(reader, clean_idcard_sim):
    clean_idcard_sim.control("POST", "/place", {"persona": "zhou_zhiqiang"})
    clean_idcard_sim.control("POST", "/fault", {"kind": "garbage", "bytes": 200, "on": "read"})
    card = reader.read_once(timeout=WAIT)
    assert card.valid_to == "2021-08-09"
    notes = [e.get("note") for e in clean_idcard_sim.control("GET", "/traffic")[1]["traffic"]]
    assert "garbage" in notes


def test_disconnect_goes_offline_and_reopen_recovers(reader, clean_idcard_sim):
    got = Collector(reader)
    reader.enable()
    wait_for_finds(clean_idcard_sim, 1)
    clean_idcard_sim.control("POST", "/fault", {"kind": "disconnect"})
    assert got.wait_status(lambda s: s.state == DeviceState.OFFLINE)
    reader.reopen()
    assert reader.status.state == DeviceState.ONLINE
    clean_idcard_sim.control("POST", "/place", {"persona": "he_shuifa"})
    assert got.cards.get(timeout=WAIT).appended_address == PERSONAS["he_shuifa"].appended_address


def test_unplug_and_replug(reader, clean_idcard_sim):
    got = Collector(reader)
    reader.enable()
    wait_for_finds(clean_idcard_sim, 1)
    clean_idcard_sim.control("POST", "/unplug")
    assert got.wait_status(lambda s: s.state == DeviceState.OFFLINE)
    with pytest.raises(DeviceError):
        reader.reopen()  # nothing listens while unplugged
    assert reader.status.state == DeviceState.NO_DEVICE
    clean_idcard_sim.control("POST", "/replug")
    reader.reopen()
    clean_idcard_sim.control("POST", "/place", {"persona": "liang_zihao"})
    assert got.cards.get(timeout=WAIT).nation == "瑶"


def test_read_once_without_card_times_out_with_clear_message(reader):
    with pytest.raises(DeviceError) as err:
        reader.read_once(timeout=0.3)
    assert err.value.completion == Completion.TIMEOUT
    assert "SW3=0x80" in err.value.detail


def test_transport_lost_is_raised_for_direct_calls(reader, clean_idcard_sim):
    clean_idcard_sim.control("POST", "/unplug")
    with pytest.raises(TransportLost):
        reader.sam_id()
    clean_idcard_sim.control("POST", "/replug")
