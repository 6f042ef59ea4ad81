"""The tester console's parts without a window or a hub: each action is a scenario step the runner's
reader accepts (and reads back as the argument the runner's step function gets), the recording is
saved as a scenario file, wire traffic is tailed and shown as hex and text, and the hub link refuses
to run on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from simulators.console import actions
from simulators.console.actions import parse_step, yaml_scalar
from simulators.console.hub_link import HubLink, HubRefused, HubUnreachable
from simulators.console.recording import Recording
from simulators.console.traffic import TrafficTail, as_text, format_entry
from simulators.console.window import explain
from simulators.control import WireLog
from simulators.scenario.hub_client import StepFailed
from simulators.scenario.scenario_file import ScenarioFileError, load_scenario

# (the action, the step as written, the argument scenario_file hands to steps.STEPS)
ACTIONS = [
    (actions.place_card("li_jianguo", "李建国"), "place_card: li_jianguo", "li_jianguo"),
    (actions.lift_card(), "lift_card", None),
    (actions.insert_sscard("chen_guiying", "陈桂英"), "insert_sscard: chen_guiying", "chen_guiying"),
    (actions.remove_sscard(), "remove_sscard", None),
    (actions.scan_text("https://gd.gov.cn/q?x=1 号"), "scan: 'https://gd.gov.cn/q?x=1 号'",
     {"code": "https://gd.gov.cn/q?x=1 号"}),
    (actions.scan_text("0015"), "scan: '0015'", {"code": "0015"}),  # YAML would read a number
    (actions.scan_text("yes"), "scan: 'yes'", {"code": "yes"}),  # … or a boolean
    (actions.scan_text("a: b # c"), "scan: 'a: b # c'", {"code": "a: b # c"}),
    (actions.scan_text("第一行\n第二行"), 'scan: "第一行\\n第二行"', {"code": "第一行\n第二行"}),
    (actions.scan_eid("chen_guiying", "陈桂英"), "scan: {persona: chen_guiying}", {"persona": "chen_guiying"}),
    (actions.scan_account("gas", "he_shuifa", "何水发"), "scan: {account: gas, persona: he_shuifa}",
     {"account": "gas", "persona": "he_shuifa"}),
    *[(actions.printer_state(s), f"printer: {s}", s) for s in actions.PRINTER_STATES],
    (actions.paper_out_after(3), "printer: {paper_out_after_lines: 3}", {"paper_out_after_lines": 3}),
    (actions.camera_scene("face:chen_guiying"), "camera: 'face:chen_guiying'", {"scene": "face:chen_guiying"}),
    (actions.camera_scene("photo:li_jianguo", "off-centre"),
     "camera: {scene: 'photo:li_jianguo', variant: off-centre}", {"scene": "photo:li_jianguo", "variant": "off-centre"}),
    (actions.camera_scene("two-faces"), "camera: two-faces", {"scene": "two-faces"}),
    *[(actions.unplug(d), f"unplug: {d}", d) for d in ("idcard", "scanner", "printer", "camera", "sscard")],
    (actions.replug("printer"), "replug: printer", "printer"),
    (actions.backend_mode("down"), "backend: down", {"mode": "down"}),
    (actions.backend_mode("slow", seconds=12.5), "backend: {mode: slow, seconds: 12.5}", {"mode": "slow", "seconds": 12.5}),
    (actions.backend_mode("error", status=502), "backend: {mode: error, status: 502}", {"mode": "error", "status": 502}),
    (actions.pay_newest(), "pay: paid", "paid"),
]


@pytest.mark.parametrize("action,written,arg", ACTIONS, ids=[a[1] for a in ACTIONS])
def test_every_action_is_the_step_the_runner_reads(action, written, arg) -> None:
    assert action.step == written
    step = parse_step(action.step)
    assert (step.kind, step.arg) == (written.partition(":")[0], arg)


def test_every_cable_is_a_scenario_step(tmp_path: Path) -> None:
    a = actions.unplug("docprinter")
    assert a.step == "unplug: docprinter" and a.call is None  # the runner's own step does the call
    rec = Recording()
    rec.add(actions.place_card("li_jianguo", "李建国"))
    assert rec.add(a) == "- unplug: docprinter"
    scenario = rec.save(tmp_path / "bug.yaml", "A4 打印机拔线")
    assert [(s.kind, s.arg) for s in scenario.steps] == [("place_card", "li_jianguo"), ("unplug", "docprinter")]


def test_yaml_scalars_read_back_as_written() -> None:
    import yaml

    for text in ("个人社保参保证明打印", "1", "null", "~", "- x", "[1]", "{a: 1}", "'q'", '"q"', "a #b", " lead",
                 "trail ", "100%", "@x", "`x`", "x: y", "?", "|", ">", "*a", "&a", "!t", "%x", "tab\there"):
        assert yaml.safe_load(f"k: {yaml_scalar(text)}") == {"k": text}, text


def test_the_saved_fragment_is_a_scenario_file_with_the_manual_screen_steps(tmp_path: Path) -> None:
    rec = Recording()
    rec.add_manual("tap", "个人社保参保证明打印")
    rec.add(actions.place_card("li_jianguo", "李建国"))
    rec.add_manual("expect_screen", "document")
    rec.add_manual("expect_text", "1")
    rec.add(actions.printer_state("out"))
    path = tmp_path / "bug.yaml"
    scenario = rec.save(path, "缺纸: 打印前")
    text = path.read_text(encoding="utf-8")
    assert "name: '缺纸: 打印前'" in text and "kiosk-sim run" in text.splitlines()[0]
    assert text.endswith("steps:\n  - tap: 个人社保参保证明打印\n  - place_card: li_jianguo\n"
                         "  - expect_screen: document\n  - expect_text: '1'\n  - printer: out\n")
    assert scenario.name == "缺纸: 打印前"
    assert [(s.kind, s.arg) for s in load_scenario(path).steps] == [
        ("tap", "个人社保参保证明打印"), ("place_card", "li_jianguo"), ("expect_screen", "document"),
        ("expect_text", "1"), ("printer", "out")]


def test_a_manual_step_the_reader_refuses_is_not_added_and_says_why() -> None:
    rec = Recording()
    with pytest.raises(ScenarioFileError) as err:
        rec.add_manual("expect_screen", "documnt")
    assert "unknown screen 'documnt' (did you mean 'document'?)" in explain(err.value)
    assert rec.lines == []
    with pytest.raises(ValueError, match="至少需要一个步骤"):
        rec.save(Path("/nonexistent/x.yaml"), "空")
    rec.add(actions.lift_card())
    with pytest.raises(ValueError, match="场景名称"):
        rec.save(Path("/nonexistent/x.yaml"), "  ")


def test_traffic_tail_returns_each_entry_once_even_at_the_same_instant() -> None:
    log = [{"t": 1.0, "hex": "01"}, {"t": 2.0, "hex": "02"}, {"t": 2.0, "hex": "03"}]
    tail = TrafficTail()
    assert tail.query() == {}
    assert [e["hex"] for e in tail.take(list(log))] == ["01", "02", "03"]
    assert tail.query() == {"since": "2.0"}
    # the simulator answers ?since=2.0 with the two at 2.0 again, plus what is new (one more at 2.0)
    log += [{"t": 2.0, "hex": "04"}, {"t": 3.5, "hex": "05"}]
    assert [e["hex"] for e in tail.take([e for e in log if e["t"] >= 2.0])] == ["04", "05"]
    assert tail.take([{"t": 3.5, "hex": "05"}]) == []
    assert tail.take([]) == [] and tail.query() == {"since": "3.5"}
    # a log that is not filtered on the server (the proxy's request log) is filtered here
    assert [e["hex"] for e in tail.take([*log, {"t": 4.0, "hex": "06"}])] == ["06"]


def test_wire_log_since_keeps_the_entries_from_that_time_on() -> None:
    log = WireLog()
    log.add("in", b"\x01")
    first = log.entries()[0]["t"]
    threading.Event().wait(0.002)  # a later time stamp (rounded to 0.1 ms); not a synchronisation
    log.add("out", b"\x02")
    assert [e["hex"] for e in log.handler({}, {"since": repr(first)})[1]["traffic"]] == ["01", "02"]
    later = log.entries()[1]["t"]
    assert [e["hex"] for e in log.handler({}, {"since": repr(later)})[1]["traffic"]] == ["02"]
    assert len(log.handler({}, {})[1]["traffic"]) == 2  # nothing was cleared
    from simulators.control import ControlError

    with pytest.raises(ControlError, match="since must be a time stamp"):
        log.handler({}, {"since": "yesterday"})


def test_traffic_lines_show_hex_and_text() -> None:
    sam = bytes.fromhex("aaaaaa96690003200122")
    line = format_entry({"t": 0.0, "dir": "in", "hex": sam.hex(" "), "len": len(sam)})
    assert "终端→设备" in line and "AA AA AA 96 69 00 03 20 01 22" in line and "│...." in line
    code = "粤省事码 ABC".encode() + b"\r"
    assert as_text(code) == "粤省事码 ABC␍"
    assert as_text("打印".encode("gb18030")) == "打印"
    big = format_entry({"t": 0.0, "dir": "out", "hex": (b"\x00" * 1024).hex(" "), "len": 1024, "note": "read"})
    assert "1024 B" in big and "…(+928 B)" in big and "〔read〕" in big
    proxy = format_entry({"t": 0.0, "method": "POST", "path": "/api/v1/identity/idcard", "mode": "down", "status": 503})
    assert "终端→平台  POST /api/v1/identity/idcard → 503" in proxy


def test_the_hub_link_refuses_the_gui_thread() -> None:
    link = HubLink("http://127.0.0.1:9")
    with pytest.raises(RuntimeError, match="GUI thread"):
        link.call("GET", "/ports")
    with pytest.raises(RuntimeError, match="GUI thread"):
        link.snapshot_jpeg()
    seen: list[BaseException] = []
    t = threading.Thread(target=lambda: seen.append(_raises(link.connect)))
    t.start()
    t.join(30)
    assert isinstance(seen[0], HubUnreachable) and "no hub answers at http://127.0.0.1:9" in str(seen[0])


def _raises(fn) -> BaseException | None:
    try:
        fn()
    except BaseException as exc:  # the test looks at it
        return exc
    return None


def test_failures_are_explained_in_chinese_with_the_cause() -> None:
    assert explain(HubUnreachable("no hub answers at http://127.0.0.1:7000 (refused)")).startswith("模拟器中心没有应答")
    assert "没有等待支付的订单" in explain(HubRefused("POST", "/backend/payments/paid", 404, "no order is waiting for payment"))
    assert "当前状态下不能这样做（no kiosk is connected" in explain(
        HubRefused("POST", "/scanner/scan", 409, "no kiosk is connected to the scanner (or it is unplugged)"))
    assert "没有运行该模拟器" in explain(HubRefused("POST", "/sscard/insert", 404, "no simulator 'sscard' in this hub; running: a"))
    assert "没有终端连接着扫码枪" in explain(StepFailed("the kiosk did not connect to the scanner within 0 s"))


def test_the_command_is_a_kiosk_sim_subcommand_and_needs_a_display(monkeypatch, capsys) -> None:
    from simulators.cli import main

    with pytest.raises(SystemExit) as help_exit:
        main(["console", "--help"])
    assert help_exit.value.code == 0 and "--hub URL" in capsys.readouterr().out
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["console", "--hub", "http://127.0.0.1:9"]) == 2
    assert "no display ($DISPLAY is not set)" in capsys.readouterr().err
