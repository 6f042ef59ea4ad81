"""Scenario files (simulators/scenario/scenario_file.py): every malformed case names the file, the
line and the expected shape; a good file gives the steps as written. No Qt, no hub."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulators.scenario.scenario_file import (
    SHAPES,
    STEP_KINDS,
    ScenarioFileError,
    load_scenario,
    load_scenarios,
    screen_names,
)

GOOD = """\
name: 全部步骤
mode: elderly
language: zh_CN
orientation: landscape
steps:
  - tap: 个人社保参保证明打印
  - tap: 1
  - type: {field: 身份证号码, text: 44020419420308002X}
  - place_card: li_jianguo
  - lift_card
  - insert_sscard: chen_guiying
  - remove_sscard:
  - scan: "GDEID:abc"
  - scan: {persona: chen_guiying}
  - scan: {account: water, persona: chen_guiying}
  - printer: near_end
  - printer: {paper_out_after_lines: 3}
  - camera: "face:chen_guiying"
  - camera: {scene: "photo:li_jianguo", variant: far}
  - unplug: idcard
  - replug: scanner
  - backend: down
  - backend: {mode: slow, seconds: 12}
  - backend: {mode: error, status: 502}
  - pay: paid
  - expect_text: 请放置身份证
  - wait_for_text: {text: 打印, timeout: 30}
  - expect_no_text: 李建国
  - expect_screen: identify
  - expect_receipt: ¥10.00
  - expect_backend: {counts: {application: 1, rating: 0}}
  - idle: 80
  - expect_spoken: 请把身份证
  - expect_not_spoken: 李建国
  - screenshot: 首页_1.after-tap
  - docprinter: media_empty
  - expect_document: 参保证明
  - open_item: 社保业务窗口预约
  - expect_taps: {max: 40}
  - restart_kiosk
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_good_file_gives_every_step_as_written(tmp_path: Path) -> None:
    s = load_scenario(write(tmp_path, GOOD))
    assert (s.name, s.mode, s.language, s.orientation) == ("全部步骤", "elderly", "zh_CN", "landscape")
    assert [st.kind for st in s.steps][:3] == ["tap", "tap", "type"]
    assert {st.kind for st in s.steps} == set(STEP_KINDS)  # the file above uses every kind
    assert [st.index for st in s.steps] == list(range(1, len(s.steps) + 1))
    assert s.steps[0].line == 6 and s.steps[-1].line == 40
    assert s.steps[-2].arg == 40 and s.steps[-1].arg is None
    by_line = {st.line: st.arg for st in s.steps}
    assert by_line[7] == "1"  # a number is the text as written
    assert by_line[8] == {"field": "身份证号码", "text": "44020419420308002X"}
    assert by_line[10] is None and by_line[12] is None
    assert by_line[15] == {"account": "water", "persona": "chen_guiying"}
    assert by_line[17] == {"paper_out_after_lines": 3}
    assert by_line[19] == {"scene": "photo:li_jianguo", "variant": "far"}
    assert by_line[23] == {"mode": "slow", "seconds": 12}
    assert by_line[31] == {"application": 1, "rating": 0}
    assert by_line[32] == 80
    assert s.devices() == {"backend", "idcard", "printer", "scanner", "sscard", "camera", "docprinter"}
    described = {st.line: st.describe() for st in s.steps}  # as written: what a failure quotes
    assert described[6] == "tap: 个人社保参保证明打印" and described[10] == "lift_card"
    assert described[27] == "wait_for_text: {text: 打印, timeout: 30}"


def test_defaults_and_the_devices_a_print_visit_needs(tmp_path: Path) -> None:
    s = load_scenario(write(tmp_path, "name: x\nsteps:\n  - tap: 确定\n"))
    assert (s.mode, s.language, s.orientation) == ("standard", "zh_CN", "landscape")
    assert s.devices() == {"backend", "idcard", "printer"}


# (file text, line of the problem, fragments the message must hold)
MALFORMED = [
    ("name: [x\n", 2, ["not valid YAML", "flow sequence (line 1)"]),
    ("name: x\nsteps:\n  - tap: a\n - tap: b\n", 4, ["not valid YAML"]),
    ("- tap: x\n", 1, ["expected a mapping with name: and steps:"]),
    ("", 1, ["expected a mapping"]),
    ("steps:\n  - tap: x\n", 1, ["missing name:"]),
    ("name: x\n", 1, ["missing steps:"]),
    ("name:\nsteps:\n  - tap: x\n", 1, ["expected a name"]),
    ("name: x\nsteps: []\n", 2, ["non-empty list"]),
    ("name: x\nsteps: tap\n", 2, ["non-empty list"]),
    ("name: x\nname: y\nsteps:\n  - tap: x\n", 2, ["'name' is given twice"]),
    ("name: x\ncolour: red\nsteps:\n  - tap: x\n", 2, ["unknown key 'colour'", "expected name, mode"]),
    ("name: x\nmode: old\nsteps:\n  - tap: x\n", 2, ["unknown mode 'old'", "standard, elderly"]),
    ("name: x\nlanguage: fr\nsteps:\n  - tap: x\n", 2, ["unknown language 'fr'", "zh_CN, zh_HK, en"]),
    ("name: x\norientation: upright\nsteps:\n  - tap: x\n", 2, ["unknown orientation", "landscape, portrait"]),
    ("name: x\nsteps:\n  - tapp: x\n", 3, ["step 1", "unknown step 'tapp'", "did you mean 'tap'"]),
    ("name: x\nsteps:\n  - dance\n", 3, ["unknown step 'dance'", "expected one of tap, type"]),
    ("name: x\nsteps:\n  - tap:\n", 3, ["tap: expected text", SHAPES["tap"]]),
    ("name: x\nsteps:\n  - tap\n", 3, ["tap: expected text"]),
    ("name: x\nsteps:\n  - tap: [a, b]\n", 3, ["tap: expected text"]),
    ("name: x\nsteps:\n  - {tap: a, idle: 3}\n", 3, ["several keys", "its own `- `"]),
    ("name: x\nsteps:\n  - [tap, a]\n", 3, ["one `kind: argument` pair"]),
    ("name: x\nsteps:\n  - lift_card: now\n", 3, ["lift_card: takes no argument"]),
    ("name: x\nsteps:\n  - remove_sscard: li_jianguo\n", 3, ["remove_sscard: takes no argument"]),
    ("name: x\nsteps:\n  - restart_kiosk: hard\n", 3, ["restart_kiosk: takes no argument"]),
    ("name: x\nsteps:\n  - place_card: li_jiangguo\n", 3,
     ["unknown persona 'li_jiangguo'", "did you mean 'li_jianguo'", SHAPES["place_card"]]),
    ("name: x\nsteps:\n  - insert_sscard: lan_yan\n", 3, ["'lan_yan' has no 社保卡", "personas with one"]),
    ("name: x\nsteps:\n  - type: 123\n", 3, ["type: expected a mapping {field, text}", SHAPES["type"]]),
    ("name: x\nsteps:\n  - type: {field: 号码}\n", 3, ["missing text"]),
    ("name: x\nsteps:\n  - type: {field: 号码, txt: 1}\n", 3, ["unknown key 'txt'", "did you mean 'text'"]),
    ("name: x\nsteps:\n  - type: {field: 号码, text: 1, text: 2}\n", 3, ["'text' is given twice"]),
    ("name: x\nsteps:\n  - scan: {persona: nobody}\n", 3, ["unknown persona 'nobody'"]),
    ("name: x\nsteps:\n  - scan: {account: phone, persona: li_jianguo}\n", 3,
     ["unknown account kind 'phone'", "water, electricity, gas", SHAPES["scan"]]),
    ("name: x\nsteps:\n  - scan: {code: x}\n", 3, ["unknown key 'code'"]),
    ("name: x\nsteps:\n  - printer: broken\n", 3, ["unknown printer state 'broken'", SHAPES["printer"]]),
    ("name: x\nsteps:\n  - docprinter: empty\n", 3, ["unknown A4 printer state 'empty'", SHAPES["docprinter"]]),
    ("name: x\nsteps:\n  - printer: {paper_out_after_lines: 0}\n", 3, ["a whole number >= 1, got '0'"]),
    ("name: x\nsteps:\n  - printer: {paper_out_after_lines: 2.5}\n", 3, ["a whole number >= 1"]),
    ("name: x\nsteps:\n  - printer: {paper_out: 3}\n", 3, ["unknown key 'paper_out'"]),
    ("name: x\nsteps:\n  - camera: smiling\n", 3, ["unknown scene 'smiling'", SHAPES["camera"]]),
    ("name: x\nsteps:\n  - camera: face:nobody\n", 3, ["unknown persona 'nobody' in scene"]),
    ("name: x\nsteps:\n  - camera: {scene: empty, variant: far}\n", 3, ["variants apply to face:/photo:"]),
    ("name: x\nsteps:\n  - camera: {scene: 'face:li_jianguo', variant: upside-down}\n", 3, ["unknown variant"]),
    ("name: x\nsteps:\n  - unplug: modem\n", 3, ["unknown device 'modem'", "idcard, scanner, printer"]),
    ("name: x\nsteps:\n  - replug:\n", 3, ["replug: expected device"]),
    ("name: x\nsteps:\n  - backend: sleepy\n", 3, ["unknown backend mode 'sleepy'", SHAPES["backend"]]),
    ("name: x\nsteps:\n  - backend: {mode: up, seconds: 3}\n", 3, ["seconds goes with mode: slow"]),
    ("name: x\nsteps:\n  - backend: {mode: error, status: 404}\n", 3, ["status", ">= 500"]),
    ("name: x\nsteps:\n  - backend: {mode: error, status: 600}\n", 3, ["status (500-599) goes with mode: error"]),
    ("name: x\nsteps:\n  - pay: later\n", 3, ["unknown payment outcome 'later'", "pay: paid"]),
    ("name: x\nsteps:\n  - wait_for_text: {text: x}\n", 3, ["missing timeout", SHAPES["wait_for_text"]]),
    ("name: x\nsteps:\n  - wait_for_text: {text: x, timeout: -1}\n", 3, ["timeout: a number > 0"]),
    ("name: x\nsteps:\n  - wait_for_text: x\n", 3, ["expected a mapping {text, timeout}"]),
    ("name: x\nsteps:\n  - expect_screen: take_away\n", 3, ["unknown screen 'take_away'", "identify", "not_built"]),
    ("name: x\nsteps:\n  - expect_backend: {counts: {applications: 1}}\n", 3,
     ["unknown count kind 'applications'", "did you mean 'application'"]),
    ("name: x\nsteps:\n  - expect_backend: {counts: {application: many}}\n", 3, ["application: a whole number"]),
    ("name: x\nsteps:\n  - expect_backend: {application: 1}\n", 3, ["unknown key 'application'"]),
    ("name: x\nsteps:\n  - expect_backend: {counts: {}}\n", 3, ["expected counts: {KIND: N"]),
    ("name: x\nsteps:\n  - expect_spoken:\n", 3, ["expect_spoken: expected text", SHAPES["expect_spoken"]]),
    ("name: x\nsteps:\n  - expect_not_spoken: [a]\n", 3, ["expect_not_spoken: expected text"]),
    ("name: x\nsteps:\n  - idle: 1.5\n", 3, ["a whole number > 0, got '1.5'", SHAPES["idle"]]),
    ("name: x\nsteps:\n  - idle: 0\n", 3, ["a whole number > 0"]),
    ("name: x\nsteps:\n  - expect_taps: 4\n", 3, ["expected a mapping {max}", SHAPES["expect_taps"]]),
    ("name: x\nsteps:\n  - idle: soon\n", 3, ["a whole number > 0, got 'soon'"]),
    ("name: x\nsteps:\n  - screenshot: ../home\n", 3, ["may hold only letters, digits"]),
    ("name: x\nsteps:\n  - screenshot: a/b\n", 3, ["no path"]),
    ("name: x\nsteps:\n  - open_item: 电费交纳\n", 3, ["unknown item '电费交纳'", "did you mean '电费缴纳'",
                                                    SHAPES["open_item"]]),
]


@pytest.mark.parametrize(("text", "line", "fragments"), MALFORMED, ids=[f"{i:02d}" for i in range(len(MALFORMED))])
def test_every_malformed_case_names_the_file_the_line_and_the_shape(tmp_path: Path, text, line, fragments) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioFileError) as err:
        load_scenario(path)
    first = err.value.problems[0]
    message = str(err.value).splitlines()[0]
    assert message.startswith(f"{path}:{line}: "), message
    assert first.line == line
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_every_step_kind_has_a_malformed_case() -> None:
    covered = {kind for text, _, _ in MALFORMED for kind in STEP_KINDS if f"- {kind}" in text
               or f"{{{kind}:" in text}
    assert covered >= set(STEP_KINDS) - {"expect_text", "expect_no_text", "expect_receipt",
                                         "expect_document"}  # = tap's check


def test_all_problems_of_a_file_come_at_once_in_line_order(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\nmode: old\nsteps:\n  - tap:\n  - idle: 0\n  - tap: ok\n  - dance\n")
    with pytest.raises(ScenarioFileError) as err:
        load_scenario(path)
    assert [p.line for p in err.value.problems] == [2, 4, 5, 7]
    assert "step 4: unknown step 'dance'" in str(err.value)


def test_a_missing_or_binary_file_is_a_problem_too(tmp_path: Path) -> None:
    with pytest.raises(ScenarioFileError, match="cannot read the file"):
        load_scenario(tmp_path / "none.yaml")
    bad = tmp_path / "bin.yaml"
    bad.write_bytes(b"\xff\xfe\x00name")
    with pytest.raises(ScenarioFileError, match="cannot read the file"):
        load_scenario(bad)


def test_load_scenarios_collects_the_good_and_the_bad(tmp_path: Path) -> None:
    good = write(tmp_path, "name: x\nsteps:\n  - tap: 确定\n", "good.yaml")
    bad = write(tmp_path, "name: x\nsteps:\n  - tapp: 确定\n", "bad.yaml")
    scenarios, errors = load_scenarios([good, bad])
    assert [s.path for s in scenarios] == [good] and [e.path for e in errors] == [bad]


def test_screen_names_are_the_frozen_step_kinds_plus_the_other_screens() -> None:
    names = screen_names()
    for name in ("guide", "identify", "document", "payment", "rate", "home", "busy", "error", "not_built"):
        assert name in names
