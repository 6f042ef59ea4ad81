"""The technician screen's Qt-free parts: the event log (typed events only, masked, bounded) and
where the diagnostics bundle can go (mounted USB sticks, the configured directory)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from kiosk.devices.model import DeviceState, DeviceStatus
from kiosk.services.connectivity import ConnectivityState
from kiosk.ui.technician.event_log import EventLog
from kiosk.ui.technician.export_targets import export_targets, removable_media

ID_NUMBER = "440102199001011234"


def status(state: DeviceState, detail: str = "", **extras) -> DeviceStatus:
    return DeviceStatus("printer", state, MappingProxyType(extras), detail)


def test_device_changes_are_logged_once_with_the_watched_extras_only() -> None:
    log = EventLog(clock=lambda: 0.0)
    log.device_status(status(DeviceState.ONLINE, paper="ok", card_present=True))
    log.device_status(status(DeviceState.ONLINE, paper="ok", card_present=False))  # nothing watched changed
    log.device_status(status(DeviceState.ONLINE, paper="near_end"))
    log.device_status(status(DeviceState.USER_ERROR, "paper out", paper="out"))
    texts = [e.text for e in log.events()]
    assert texts == ["start -> online paper=ok", "paper=near_end",
                     "online -> user_error paper=out (paper out)"]
    assert all(e.source == "printer" for e in log.events())


def test_details_are_masked_and_lines_bounded() -> None:
    log = EventLog(clock=lambda: 0.0)
    log.device_status(status(DeviceState.OFFLINE, f"read {ID_NUMBER} then 13800138000 " + "x" * 400))
    [event] = log.events()
    assert ID_NUMBER not in event.text and "13800138000" not in event.text and "***" in event.text
    assert len(event.text) <= 200


def test_the_outbox_and_the_platform_give_kinds_and_states_never_bodies() -> None:
    @dataclass
    class Entry:  # what Outbox hands its ack listeners: the body is the resident's submission
        id: int
        kind: str
        body: dict

    log = EventLog(clock=lambda: 0.0)
    log.outbox_ack(Entry(7, "application", {"name": "陈桂英", "id_number": ID_NUMBER}), ack=object())
    log.connectivity(ConnectivityState(None))
    log.connectivity(ConnectivityState(False, "timeout"))
    log.connectivity(ConnectivityState(True))
    assert [e.text for e in log.events()] == ["application #7 delivered", "offline (timeout)", "online"]
    assert "陈桂英" not in "\n".join(log.lines())


def test_the_log_keeps_the_newest_and_tells_its_listeners() -> None:
    seen = []
    log = EventLog(limit=3, clock=lambda: 0.0)
    log.add_listener(seen.append)
    for n in range(5):
        log.action(f"step {n}")
    assert [e.text for e in log.events()] == ["step 2", "step 3", "step 4"] and len(seen) == 5
    log.self_test("idcard", False, "idcard.no_card")
    assert log.lines()[-1].endswith("self-test idcard: fail (idcard.no_card)")


def test_usb_sticks_are_mount_points_under_the_media_roots(tmp_path: Path) -> None:
    media, run_media = tmp_path / "media", tmp_path / "run-media"
    for p in (media / "usb0", media / "cdrom", media / "kiosk" / "KINGSTON", run_media / "tech" / "SANDISK",
              run_media / "tech" / "not-mounted"):
        p.mkdir(parents=True)
    mounted = {media / "usb0", media / "kiosk" / "KINGSTON", run_media / "tech" / "SANDISK"}
    found = removable_media((media, run_media), is_mount=lambda p: p in mounted)
    assert set(found) == mounted
    assert removable_media((tmp_path / "absent",)) == []


def test_the_configured_directory_is_offered_only_when_it_exists(tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "usb0").mkdir(parents=True)
    export = tmp_path / "export"
    none_yet = export_targets(export, (media,), is_mount=lambda p: p == media / "usb0")
    assert [(t.path, t.kind) for t in none_yet] == [(media / "usb0", "usb")]  # an absent directory is not made
    export.mkdir()
    targets = export_targets(export, (media,), is_mount=lambda p: p == media / "usb0")
    assert [(t.kind, t.writable) for t in targets] == [("usb", True), ("config", True)]
    assert targets[0].label == f"U 盘 {media / 'usb0'}" and targets[1].label == f"配置目录 {export}"
    same = export_targets(media / "usb0", (media,), is_mount=lambda p: p == media / "usb0")
    assert len(same) == 1  # the configured directory is that stick: listed once
