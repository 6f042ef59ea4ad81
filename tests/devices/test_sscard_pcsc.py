"""社保卡 end to end through the machine's real pcscd + vsmartcard-vpcd (no pyscard mocking).

One pcscd per machine and a fixed vpcd port: these tests share one emulator process and one opened
reader for the module, run serially (`-m pcsc`, see tools/run_tests.sh) and skip only when pcscd or
vsmartcard-vpcd is not installed. Every wait is on a condition with a generous timeout.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from kiosk.services import messages
from simulators.personas import load_personas
from simulators.process import SimProcess, start_simulator
from simulators.sscard.pcscd import Pcscd, missing_parts

pytestmark = pytest.mark.pcsc

WAIT_S = 30.0
CARD_HOLDERS = sorted(p.id for p in load_personas().values() if p.sscard is not None)
READER_URL = "pcsc:Virtual PCD 00 00"  # vpcd port 35963


def wait_pcscd_card_gone(timeout: float = WAIT_S) -> None:
    """Ground truth from pcscd itself (own PC/SC context), not from the driver under test: block in
    SCardGetStatusChange until pcscd reports the reader empty."""
    from smartcard import scard

    reader = READER_URL[len("pcsc:"):]
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hr == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hr)
    try:
        known = scard.SCARD_STATE_UNAWARE
        deadline = time.monotonic() + timeout
        while True:
            left_ms = int(max(0.0, deadline - time.monotonic()) * 1000)
            hr, states = scard.SCardGetStatusChange(ctx, left_ms, [(reader, known)])
            assert hr != scard.SCARD_E_TIMEOUT, f"pcscd still reports a card after {timeout:.0f} s"
            assert hr == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hr)
            known = states[0][1] & ~scard.SCARD_STATE_CHANGED
            if not known & scard.SCARD_STATE_PRESENT:
                return
    finally:
        scard.SCardReleaseContext(ctx)


def remove_card(sim: SimProcess) -> None:
    control(sim, "POST", "/remove")
    wait_pcscd_card_gone()


def expected(persona_id: str) -> dict[str, str]:
    p = load_personas()[persona_id]
    assert p.sscard is not None
    return {"card_number": p.sscard.card_number, "id_number": p.id_number, "name": p.name,
            "sex": {"1": "男", "2": "女"}[p.sex_code], "birth_date": p.birth_date,
            "issue_date": p.sscard.issue_date, "expiry_date": p.sscard.expiry_date,
            "region_code": p.sscard.region_code}


@pytest.fixture(scope="module")
def pcscd() -> Iterator[Pcscd]:
    missing = missing_parts()
    if missing:
        reason = "PC/SC tests need " + " and ".join(missing)
        print(f"\nSKIP: {reason}", file=sys.stderr)
        pytest.skip(reason)
    daemon = Pcscd().ensure()  # reuses a running pcscd; stops it afterwards only if it started it
    yield daemon
    daemon.stop()


@pytest.fixture(scope="module")
def sim(pcscd: Pcscd) -> Iterator[SimProcess]:
    with start_simulator("sscard") as proc:
        yield proc


def control(sim: SimProcess, method: str, path: str, body: dict | None = None) -> dict:
    status, payload = sim.control(method, path, body, timeout=30)
    assert status == 200, f"{method} {path} → {status} {payload}"
    return payload


class Watched:
    """The driver plus a record of its card_present status changes."""

    def __init__(self, device) -> None:
        self.device = device
        self.present_changes: list[bool] = []
        self._changed = threading.Condition()
        device.add_status_listener(self._on_status)

    def _on_status(self, status) -> None:
        if "card_present" in status.extras:
            with self._changed:
                if not self.present_changes or self.present_changes[-1] != status.extras["card_present"]:
                    self.present_changes.append(status.extras["card_present"])
                self._changed.notify_all()

    @property
    def present(self) -> bool:
        return bool(self.device.status.extras.get("card_present"))

    def wait_present(self, present: bool, what: str) -> None:
        """Block until the driver's card_present status is `present` (woken by status changes)."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.present is present, WAIT_S):
                raise AssertionError(f"timed out after {WAIT_S:.0f} s waiting for {what}")

    def next_event(self):
        try:
            return self.device.events.get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError(f"no card event within {WAIT_S:.0f} s") from None

    def next_failure(self):
        try:
            return self.device.read_errors.get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError(f"no read failure within {WAIT_S:.0f} s") from None


@pytest.fixture(scope="module")
def opened_reader(sim: SimProcess) -> Iterator[Watched]:
    from kiosk.devices.registry import driver_class

    cls = driver_class("pcsc_sscard")
    device = cls("sscard", READER_URL, poll_interval=0.1, command_timeout=20.0)
    device.open()
    device.enable()
    try:
        yield Watched(device)
    finally:
        device.close()


@pytest.fixture
def reader(opened_reader: Watched, sim: SimProcess) -> Iterator[Watched]:
    """Each test starts with no card in the reader, no fault and no pending event."""
    control(sim, "POST", "/fault", {"kind": "none"})
    control(sim, "POST", "/replug")
    remove_card(sim)
    opened_reader.wait_present(False, "the reader to report no card")
    opened_reader.device.events.clear()
    opened_reader.device.read_errors.clear()
    opened_reader.present_changes.clear()
    yield opened_reader
    control(sim, "POST", "/remove")


@pytest.fixture
def cli(opened_reader: Watched, sim: SimProcess) -> Iterator[None]:
    """CLI tests: the module's driver is disabled so only the CLI process reads the card."""
    control(sim, "POST", "/fault", {"kind": "none"})
    remove_card(sim)
    opened_reader.device.disable()
    try:
        yield
    finally:
        control(sim, "POST", "/fault", {"kind": "none"})
        remove_card(sim)
        opened_reader.device.enable()


def insert(sim: SimProcess, persona_id: str, **extra) -> None:
    state = control(sim, "POST", "/insert", {"persona": persona_id, **extra})
    assert state["seen_by_vpcd"], f"vpcd never polled the inserted card: {state}"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.diag.cli", "sscard", "read", *args],
                          capture_output=True, text=True, timeout=120)


# ---- every persona --------------------------------------------------------------------------------
@pytest.mark.parametrize("persona_id", CARD_HOLDERS)
def test_driver_reads_every_persona_on_insertion(reader, sim, persona_id):
    from kiosk.devices.sscard_reader import SocialSecurityCardData

    insert(sim, persona_id, padding="nul" if CARD_HOLDERS.index(persona_id) % 2 else "space")
    event = reader.next_event()
    assert isinstance(event, SocialSecurityCardData), event
    assert event.to_dict() == expected(persona_id)
    assert reader.present and reader.present_changes == [True]
    assert len(reader.device.events) == 0 and len(reader.device.read_errors) == 0  # one insertion, one event
    control(sim, "POST", "/remove")
    reader.wait_present(False, "card_present to go False after removal")
    assert reader.present_changes == [True, False]


@pytest.mark.parametrize("persona_id", CARD_HOLDERS)
def test_cli_reads_every_persona_as_json(cli, sim, persona_id):
    insert(sim, persona_id)
    result = run_cli("--reader", "Virtual PCD 00 00", "--timeout", str(WAIT_S), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected(persona_id)


def test_cli_without_json_prints_labelled_lines(cli, sim):
    insert(sim, "chen_guiying")
    result = run_cli("--reader", "Virtual PCD 00 00", "--timeout", str(WAIT_S))
    assert result.returncode == 0, result.stderr
    assert "姓名: 陈桂英" in result.stdout and "性别: 女" in result.stdout


# ---- faults ----------------------------------------------------------------------------------------
def read_failure(reader: Watched):
    from kiosk.devices.sscard_reader import CardReadFailed

    event = reader.next_failure()
    assert isinstance(event, CardReadFailed), f"expected a failed read, got {event!r}"
    assert len(reader.device.events) == 0  # a failed read is no card event
    return event.error


def test_wrong_card(reader, sim):
    control(sim, "POST", "/fault", {"kind": "wrong_card"})
    insert(sim, "li_jianguo")
    err = read_failure(reader)
    assert err.reason == "wrong_card" and "6A82" in err.detail, err.detail
    assert err.code == "sscard.wrong_card" and "不是社会保障卡" in messages.for_error(err)


def test_card_removed_mid_read(reader, sim):
    control(sim, "POST", "/fault", {"kind": "remove_mid_read", "after": 4})
    insert(sim, "huang_xiaomei")
    err = read_failure(reader)
    assert err.reason == "card_removed" and "removed during the read" in err.detail
    assert err.code == "sscard.removed"
    assert "拔出" in messages.for_error(err) and "重新插入" in messages.for_error(err)
    reader.wait_present(False, "card_present to go False")
    assert control(sim, "GET", "/state")["fault"] == {"kind": "none"}  # one-shot fault
    insert(sim, "huang_xiaomei")  # the next insertion reads normally
    assert reader.next_event().name == "黄晓梅"


@pytest.mark.parametrize(("sw", "on", "reason_text", "message_part"), [
    ("6982", "read_ef06", "security status not satisfied", "密码"),
    ("6283", "select_app", "invalidated", "停用"),
    ("6581", "read_ef05", "memory failure", "芯片故障"),
    ("6A83", "read_ef06", "record not found", "数据不完整"),
    ("6F00", "select_ef05", "no precise diagnosis", "重新插卡"),
])
def test_error_status_words(reader, sim, sw, on, reason_text, message_part):
    control(sim, "POST", "/fault", {"kind": "sw", "sw": sw, "on": on})
    insert(sim, "zhou_zhiqiang")
    err = read_failure(reader)
    assert err.reason == "status_word" and err.sw == int(sw, 16)
    assert sw in err.detail and reason_text in err.detail
    assert message_part in messages.for_error(err)


@pytest.mark.parametrize("chunk", [0, 7])
def test_need_get_response(reader, sim, chunk):
    control(sim, "POST", "/fault", {"kind": "need_get_response", "chunk": chunk})
    insert(sim, "liang_zihao")
    assert reader.next_event().to_dict() == expected("liang_zihao")
    traffic = control(sim, "GET", "/traffic")["traffic"]
    assert any(e["dir"] == "in" and e["hex"].startswith("00 c0 00 00") for e in traffic)


def test_wrong_le(reader, sim):
    control(sim, "GET", "/traffic?clear=1")
    control(sim, "POST", "/fault", {"kind": "wrong_le"})
    insert(sim, "he_shuifa")
    assert reader.next_event().to_dict() == expected("he_shuifa")
    answers = [e["hex"] for e in control(sim, "GET", "/traffic")["traffic"] if e["dir"] == "out"]
    assert any(a.startswith("6c ") for a in answers)


@pytest.mark.parametrize(("fault", "reason", "message_part"), [
    ({"kind": "wrong_card"}, "wrong_card", "不是社会保障卡"),
    ({"kind": "sw", "sw": "6982", "on": "read_ef06"}, "status_word", "密码"),
    ({"kind": "remove_mid_read", "after": 2}, "card_removed", "拔出"),
])
def test_cli_reports_faults_clearly(cli, sim, fault, reason, message_part):
    control(sim, "POST", "/fault", fault)
    insert(sim, "li_jianguo")
    result = run_cli("--reader", "Virtual PCD 00 00", "--timeout", str(WAIT_S), "--json")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["error"] == reason and message_part in payload["message"]
    assert payload["code"] in messages.MESSAGES
    assert message_part in result.stderr


def test_cli_no_card_times_out_clearly(cli, sim):
    result = run_cli("--reader", "Virtual PCD 00 00", "--timeout", "1.5", "--json")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["error"] == "no_card" and payload["code"] == "sscard.no_card" and "插入" in payload["message"]


def test_cli_unknown_reader(sim):
    result = run_cli("--reader", "No Such Reader", "--timeout", "2", "--json")
    assert result.returncode == 3  # offline: no such reader
    payload = json.loads(result.stdout)
    assert payload["error"] == "no_reader" and "Virtual PCD 00 00" in payload["detail"]


# ---- presence, unplug, explicit read, health ----------------------------------------------------------
def test_unplug_and_replug(reader, sim):
    insert(sim, "chen_guiying")
    assert reader.next_event().name == "陈桂英"
    control(sim, "POST", "/unplug")
    reader.wait_present(False, "card_present False after unplug")
    state = control(sim, "GET", "/state")
    assert state["plugged"] is False and state["connected"] is False and state["persona"] == "chen_guiying"
    control(sim, "POST", "/replug")
    reader.wait_present(True, "card_present True after replug")
    assert reader.next_event().name == "陈桂英"  # back in the reader = a new insertion


def test_card_already_inside_is_read_on_enable(reader, sim):
    reader.device.disable()
    try:
        insert(sim, "li_jianguo")
        assert len(reader.device.events) == 0  # disabled: no polling, nothing read
    finally:
        reader.device.enable()
    assert reader.next_event().name == "李建国"


def test_explicit_read_and_health(reader, sim):
    from kiosk.devices.model import HealthLevel

    insert(sim, "he_shuifa")
    assert reader.next_event().name == "何水发"
    data = reader.device.read_card(timeout=WAIT_S).wait()
    assert data.to_dict() == expected("he_shuifa")
    report = reader.device.check_health(HealthLevel.EXTERNAL)
    assert report.ok and "card present" in report.text


def test_control_api_rejects_bad_requests(sim):
    assert sim.control("POST", "/insert", {"persona": "nobody"})[0] == 404
    status, payload = sim.control("POST", "/insert", {"persona": "lan_yan"})
    assert status == 409 and "no social security card" in payload["error"]
    assert sim.control("POST", "/fault", {"kind": "melt"})[0] == 400
    assert sim.control("POST", "/fault", {"kind": "sw", "sw": "9000"})[0] == 400
    assert sim.control("POST", "/fault", {"kind": "sw", "sw": "6982", "on": "ef07"})[0] == 400


def test_reset_takes_the_card_out_clears_the_fault_and_plugs_back_in(sim):
    control(sim, "POST", "/insert", {"persona": "chen_guiying"})
    control(sim, "POST", "/fault", {"kind": "wrong_card"})
    control(sim, "POST", "/unplug")
    state = control(sim, "POST", "/reset")
    assert state["persona"] is None and state["plugged"] is True and state["fault"] == {"kind": "none"}
    assert control(sim, "POST", "/insert", {"persona": "li_jianguo"})["seen_by_vpcd"]  # works as new
    control(sim, "POST", "/remove")
