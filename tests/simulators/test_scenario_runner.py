"""The scenario runner itself: screen steps against small local widgets (tap ambiguity, the keypad
contract of `type`, idle on the injectable clock, exceptions in kiosk slots), and `kiosk-sim run`
as a command: exit 2 for a malformed file before anything runs; exit 1, the message and the
screenshot of a failing scenario; options that are not built yet."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.countdown import Countdown
from kiosk.ui.find import FindError
from simulators.scenario.hub_client import StepFailed
from simulators.scenario.runner import _qt_exceptions
from simulators.scenario.steps import STEPS, Context

REPO = Path(__file__).resolve().parents[2]
SHORT = 0.3  # s: how long a screen step looks for something that is not there (bounds the test only)


def screen(qtbot, *widgets: QWidget) -> QWidget:
    root = QWidget()
    lay = QVBoxLayout(root)
    for w in widgets:
        lay.addWidget(w)
    qtbot.addWidget(root)
    root.resize(600, 800)
    root.show()
    qtbot.waitExposed(root)
    return root


def context(root: QWidget, tmp_path: Path, screen_name: str = "") -> Context:
    return Context(root=root, hub=None, current_screen=lambda: screen_name, screenshots=tmp_path,
                   timeout_s=SHORT)


def test_tap_taps_exactly_one_visible_enabled_target_and_counts_it(qtbot, tmp_path: Path) -> None:
    hidden, disabled, shown = QPushButton("确定"), QPushButton("确定"), QPushButton("确定")
    disabled.setEnabled(False)
    root = screen(qtbot, hidden, disabled, shown)
    hidden.hide()
    clicks: list[str] = []
    for name, b in (("hidden", hidden), ("disabled", disabled), ("shown", shown)):
        b.clicked.connect(lambda _=False, n=name: clicks.append(n))
    ctx = context(root, tmp_path)
    STEPS["tap"](ctx, "确定")
    assert clicks == ["shown"] and ctx.taps == 1


def test_tap_on_two_matching_buttons_fails_and_lists_what_is_visible(qtbot, tmp_path: Path) -> None:
    root = screen(qtbot, QLabel("请确认"), QPushButton("确定"), QPushButton("确定"))
    ctx = context(root, tmp_path)
    with pytest.raises(FindError) as err:
        STEPS["tap"](ctx, "确定")
    assert "2 widgets read '确定' (ambiguous)" in str(err.value)
    assert "visible: " in str(err.value) and "请确认" in str(err.value)
    assert ctx.taps == 0
    with pytest.raises(FindError, match=r"nothing to tap reads '取消' within 0.3 s; visible: .*请确认"):
        STEPS["tap"](ctx, "取消")


class Keypad(QWidget):
    """A stand-in that follows the kiosk keypad's contract: each key's accessible name is the
    character it types, plus 删除 and 清空; keys type into the field tapped last."""

    def __init__(self, field: QLineEdit) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        for key in [*"0123456789X", "删除", "清空"]:
            b = QPushButton(key)
            b.setAccessibleName(key)
            b.clicked.connect(lambda _=False, k=key: self.press(field, k))
            lay.addWidget(b)

    @staticmethod
    def press(field: QLineEdit, key: str) -> None:
        if key == "删除":
            field.backspace()
        elif key == "清空":
            field.clear()
        else:
            field.insert(key)


def test_type_goes_through_the_keypad_key_by_key(qtbot, tmp_path: Path) -> None:
    field = QLineEdit()
    field.setAccessibleName("身份证号码")
    root = screen(qtbot, field, Keypad(field))
    ctx = context(root, tmp_path)
    STEPS["type"](ctx, {"field": "身份证号码", "text": "44020419420308002X"})
    assert field.text() == "44020419420308002X"
    assert ctx.taps == 1 + 18  # the field, then one tap per key


def test_type_fails_clearly_for_chinese_on_a_keypad_field_and_keys_the_keypad_lacks(qtbot, tmp_path: Path) -> None:
    field = QLineEdit()
    field.setAccessibleName("姓名")
    root = screen(qtbot, field, Keypad(field))
    ctx = context(root, tmp_path)
    with pytest.raises(StepFailed) as err:
        STEPS["type"](ctx, {"field": "姓名", "text": "陈桂英"})
    assert "typed on the keypad" in str(err.value)  # Chinese goes on the on-screen keyboard (xserver tests)
    with pytest.raises(StepFailed, match=r"no keypad key types 'x'.*write X, not x"):
        STEPS["type"](ctx, {"field": "姓名", "text": "12x"})
    with pytest.raises(FindError, match="nothing to tap reads 'A'"):  # this keypad has digits only
        STEPS["type"](ctx, {"field": "姓名", "text": "A1"})
    assert field.text() == ""  # nothing typed before the missing key was looked for


def test_type_notices_a_field_that_did_not_take_the_keys(qtbot, tmp_path: Path) -> None:
    field, other = QLineEdit(), QLineEdit()
    field.setAccessibleName("手机号码")
    root = screen(qtbot, field, other, Keypad(other))  # the keys type somewhere else
    with pytest.raises(StepFailed, match="after typing '138' the field '手机号码' reads ''"):
        STEPS["type"](context(root, tmp_path), {"field": "手机号码", "text": "138"})


def test_text_and_screen_expectations(qtbot, tmp_path: Path) -> None:
    label = QLabel("您正在办理：个人社保参保证明打印")
    root = screen(qtbot, label)
    ctx = context(root, tmp_path, screen_name="identify")
    STEPS["expect_text"](ctx, "社保参保证明")
    STEPS["wait_for_text"](ctx, {"text": "办理", "timeout": SHORT})
    STEPS["expect_no_text"](ctx, "李建国")
    STEPS["expect_screen"](ctx, "identify")
    with pytest.raises(StepFailed, match="'个人社保参保证明打印' is visible: 您正在办理"):
        STEPS["expect_no_text"](ctx, "个人社保参保证明打印")
    with pytest.raises(FindError, match="no visible text contains '李建国'"):
        STEPS["expect_text"](ctx, "李建国")
    with pytest.raises(StepFailed, match="the screen is 'identify', not 'document'"):
        STEPS["expect_screen"](ctx, "document")
    STEPS["screenshot"](ctx, "here")
    assert (tmp_path / "here.png").stat().st_size > 1000


def test_idle_advances_the_kiosk_countdowns_without_waiting(qtbot, tmp_path: Path) -> None:
    label = QLabel("waiting")
    root = screen(qtbot, label)
    clock = Countdown(root)
    clock.finished.connect(lambda: label.setText("gone home"))
    clock.start(90)  # a real QTimer would take 90 s
    ctx = context(root, tmp_path)
    STEPS["idle"](ctx, 89)
    assert label.text() == "waiting" and clock.left == 1
    STEPS["idle"](ctx, 1)
    assert label.text() == "gone home" and not clock.active


def test_an_exception_in_a_kiosk_slot_fails_the_step(qtbot, tmp_path: Path) -> None:
    button = QPushButton("打印证明")
    button.clicked.connect(lambda: 1 / 0)
    ctx = context(screen(qtbot, button), tmp_path)
    with pytest.raises(StepFailed, match="the kiosk raised ZeroDivisionError"), _qt_exceptions():
        STEPS["tap"](ctx, "打印证明")


# ---- the command -------------------------------------------------------------------------------
def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "simulators.cli", "run", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def scenario(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_malformed_file_exits_2_before_anything_runs(tmp_path: Path) -> None:
    good = scenario(tmp_path, "good.yaml", "name: ok\nsteps:\n  - tap: 确定\n")
    bad = scenario(tmp_path, "bad.yaml", "name: bad\nsteps:\n  - tap: 确定\n  - place_card: nobody\n")
    out = run_cli(str(good), str(bad), "--screenshots", str(tmp_path / "shots"), timeout=60)
    assert out.returncode == 2, out.stderr
    assert f"{bad}:4: step 2: place_card: unknown persona 'nobody'" in out.stderr
    assert "shape: place_card: PERSONA" in out.stderr
    assert "nothing was run" in out.stderr and "starting a hub" not in out.stdout
    assert not (tmp_path / "shots").exists()


@pytest.mark.e2e
def test_a_failing_scenario_exits_1_naming_the_step_with_a_screenshot(tmp_path: Path) -> None:
    """Its own hub (no --hub): one scenario passes in 长者模式, one fails at a named step, two ask for
    options that are not built; the JUnit report says the same."""
    passing = scenario(tmp_path, "elderly_home.yaml", """\
        name: 长者模式首页
        mode: elderly
        steps:
          - expect_text: 个人社保参保证明打印
          - screenshot: elderly-home
        """)
    failing = scenario(tmp_path, "broken.yaml", """\
        name: 坏掉的场景
        steps:
          - tap: 个人社保参保证明打印
          - tap: 开始办理
          - place_card: li_jianguo
          - expect_screen: document
          - expect_no_text: 李建国
          - tap: 打印证明
        """)
    english = scenario(tmp_path, "english.yaml", "name: English\nlanguage: en\nsteps:\n  - expect_screen: home\n")
    portrait = scenario(tmp_path, "portrait.yaml",
                        "name: 竖屏\norientation: portrait\nsteps:\n  - tap: 搜索业务\n  - screenshot: tall\n")
    shots, junit = tmp_path / "shots", tmp_path / "report.xml"
    out = run_cli(str(passing), str(failing), str(english), str(portrait), "--screenshots", str(shots),
                  "--junit", str(junit))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "starting a hub with backend, idcard, printer" in out.stdout
    assert 'PASS "长者模式首页": 2 steps, taps: 1,' in out.stdout  # the 长者模式 toggle is a tap
    assert (shots / "elderly_home" / "elderly-home.png").stat().st_size > 10_000
    assert "\n    5. expect_no_text: 李建国 … FAILED\n" in out.stdout
    message = (f'FAIL "坏掉的场景" ({failing}) at step 5 (line 7) expect_no_text: 李建国: '
               "'李建国' is visible: 李建国")
    assert message in out.stdout and message in out.stderr  # as it happens, and in the summary
    screenshot = shots / "broken" / "failed-step05.png"
    assert f"screenshot: {screenshot}" in out.stdout and screenshot.stat().st_size > 10_000
    assert "taps: 2," in out.stdout.split('"坏掉的场景"')[2]
    assert (shots / "broken" / "kiosk.log").exists() and "李建国" not in (shots / "broken" / "kiosk.log").read_text()
    assert 'PASS "English": 1 steps' in out.stdout  # the runner taps EN on home first (issue 24)
    assert 'PASS "竖屏": 2 steps, taps: 1,' in out.stdout  # display.orientation = portrait
    from PySide6.QtGui import QImage
    tall = QImage(str(shots / "portrait" / "tall.png"))
    assert (tall.width(), tall.height()) == (1080, 1920)
    assert "kiosk-sim run: 3 passed, 1 failed" in out.stdout
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("4", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["长者模式首页"].find("failure") is None
    failure = cases["坏掉的场景"].find("failure")
    assert failure is not None and "at step 5 (line 7) expect_no_text" in (failure.get("message") or "")


@pytest.mark.pcsc
@pytest.mark.e2e
def test_sscard_steps_reach_the_emulator_and_the_reset_takes_the_card_out(hub_with, qapp, tmp_path: Path) -> None:
    """A scenario with the 社保卡 gets a hub with the emulator (one pcscd, so the PC/SC phase); the
    kiosk's 社保卡 reader must be online before the first step, and the next reset empties it."""
    from simulators.scenario.hub_client import HubClient
    from simulators.scenario.runner import run_scenario
    from simulators.scenario.scenario_file import load_scenario

    path = scenario(tmp_path, "sscard.yaml", """\
        name: 社保卡插入和取出
        steps:
          - insert_sscard: chen_guiying
          - expect_screen: home
          - remove_sscard
          - insert_sscard: he_shuifa
        """)
    hub = HubClient(hub_with({"sscard"}).url)
    lines: list[str] = []
    result = run_scenario(load_scenario(path), hub, tmp_path / "shots", emit=lines.append)
    assert result.passed, "\n".join(lines)
    assert hub.call("GET", "/sscard/state")["persona"] == "he_shuifa"
    hub.reset()
    assert hub.call("GET", "/sscard/state")["persona"] is None


def test_no_hub_at_the_given_url_exits_1_saying_so(tmp_path: Path) -> None:
    good = scenario(tmp_path, "good.yaml", "name: ok\nsteps:\n  - tap: 确定\n")
    out = run_cli(str(good), "--hub", "http://127.0.0.1:9", "--screenshots", str(tmp_path), timeout=60)
    assert out.returncode == 1 and "kiosk-sim run: no hub answers at http://127.0.0.1:9" in out.stderr
