"""Voice guidance in the window: every screen change speaks its prompt and cuts off the old one, an
instruction waits for the prompt, the inactivity countdown is spoken, 重听 and the 语音 panel, on in
长者模式 and reset at the session's end, playback never blocks input, and nothing personal is said.
Runs against the fake desk with a real speaker (null: records; espeak:cmn renders WAVs)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.devices.speaker import Speaker
from kiosk.services.backend_types import BackendError
from kiosk.ui import countdown, find
from kiosk.ui.inactivity import InactivityWatcher
from kiosk.ui.voice import (
    Playback,
    attach,
    countdown_code,
    default_language,
    instruction_text,
)
from simulators.personas import get_persona
from tests.ui.fake_desk import BY_ID, card_of

PRINT = BY_ID["social-insurance-certificate-print"]
HOME = "您好！请选择要办理的业务，或输入拼音首字母搜索。"
GUIDE = "请阅读办事指南，准备好后点「开始办理」。"
GUIDE_ELDERLY = "请阅读办事指南的要点，准备好后点「开始办理」。"  # 长者模式 shows the essentials first


def kiosk_voice(ui, tmp_path: Path, url: str = "null:", watcher: bool = False):
    cfg = load_config(DEFAULT_CONFIG, env={"KIOSK_VOICE__CACHE_DIR": str(tmp_path / "voice")})
    if watcher:  # as build_kiosk wires it
        w = InactivityWatcher(60, 20, ui.window)
        QApplication.instance().installEventFilter(w)
        ui.runner.screen_changed.connect(lambda name: w.arm(name not in ("home", "busy")))
        w.warn.connect(ui.window.idle_warning.show_seconds)
        w.resumed.connect(ui.window.idle_warning.hide)
        ui.window.watcher = w
    speaker = Speaker("speaker", url)
    voice = attach(ui.window, ui.runner, speaker, cfg)  # before open, as build_kiosk does
    speaker.open()
    voice.say_prompt(ui.window.screens[ui.window.current])  # home showed before the voice was attached
    return voice, speaker


@pytest.fixture
def voiced(ui, tmp_path: Path):
    voice, speaker = kiosk_voice(ui, tmp_path)
    yield ui, voice, speaker
    speaker.close()
    countdown.stop_all()


@pytest.fixture
def rendered(ui, tmp_path: Path):
    voice, speaker = kiosk_voice(ui, tmp_path, "espeak:cmn")
    yield ui, voice, speaker
    speaker.close()
    countdown.stop_all()


def tap(ui, text: str) -> None:
    find.tap_text(ui.window, text, timeout_s=10)


def played(voice) -> list[tuple[str, str]]:
    return list(voice.playback.log)


# ---- on in 长者模式, off in standard mode, switchable, reset by the session ----------------------
def test_standard_mode_is_silent_until_switched_on_and_the_session_end_resets_it(voiced, qtbot) -> None:
    ui, voice, speaker = voiced
    ui.runner.start_item(PRINT)
    qtbot.waitUntil(lambda: ui.window.current == "guide")
    assert not voice.enabled and speaker.spoken == []
    assert ui.window.voice_button.text() == "语音：关"
    tap(ui, "语音")
    tap(ui, "打开语音")  # anyone can switch it on
    qtbot.waitUntil(lambda: speaker.spoken_texts() == [GUIDE])
    assert ui.window.voice_button.text() == "语音：开"
    tap(ui, "大声一点")
    assert voice.level == 4 and voice.playback.volume == 1.0
    assert not ui.window.voice_panel.louder_button.isEnabled()  # the loudest
    tap(ui, "完成设置")
    tap(ui, "返回首页")  # the session ends: back to standard mode's silence, default volume
    qtbot.waitUntil(lambda: ui.window.current == "home")
    assert not voice.enabled and voice.level == 3 and ui.window.voice_button.text() == "语音：关"
    assert speaker.spoken_texts() == [GUIDE]


def test_elderly_mode_turns_it_on_and_every_screen_speaks(voiced, qtbot) -> None:
    ui, voice, speaker = voiced
    tap(ui, "长者模式")
    qtbot.waitUntil(lambda: speaker.spoken_texts() == [HOME])
    ui.runner.start_item(PRINT)
    tap(ui, "开始办理")
    qtbot.waitUntil(lambda: ui.window.current == "identify")
    ui.devices.get("idcard").events.put(card_of("chen_guiying"))
    qtbot.waitUntil(lambda: ui.window.current == "document")
    document = "请核对证明内容，确认无误后点打印。"  # 打印证明, or 打印 A4 证明 / 打印凭条 with an A4 printer
    assert ui.runner.steps["document"].prompt() == document
    qtbot.waitUntil(lambda: document in speaker.spoken_texts())
    said = speaker.spoken_texts()
    identify = ui.runner.steps["identify"].prompt()  # the methods this item offers
    assert said[:3] == [HOME, GUIDE_ELDERLY, identify] and identify.startswith("请把身份证平放在下方的读卡区")
    assert said.index(identify) < said.index(document)
    tap(ui, "返回首页")
    qtbot.waitUntil(lambda: ui.window.current == "home")
    qtbot.waitUntil(lambda: not voice.enabled)  # 长者模式 lasts for the session only (issue 22), its voice too


def test_repeat_speaks_the_screen_again_even_with_the_voice_off(voiced, qtbot) -> None:
    ui, voice, speaker = voiced
    tap(ui, "重听")
    qtbot.waitUntil(lambda: speaker.spoken_texts() == [HOME])
    assert not voice.enabled


def test_a_chosen_language_says_the_screen_again_in_it_and_lasts_for_the_session(voiced, qtbot) -> None:
    ui, voice, speaker = voiced
    tap(ui, "长者模式")
    qtbot.waitUntil(lambda: [u.voice for u in speaker.spoken] == ["cmn"])  # a tap now would cut it off unsaid
    tap(ui, "语音")
    tap(ui, "粤语")
    qtbot.waitUntil(lambda: [u.voice for u in speaker.spoken] == ["cmn", "yue"])
    assert ui.window.voice_panel.language_buttons["yue"].text() == "✓ 粤语"  # not colour only
    ui.runner.start_item(PRINT)
    qtbot.waitUntil(lambda: speaker.spoken[-1].text == GUIDE_ELDERLY)
    assert speaker.spoken[-1].voice == "yue"
    tap(ui, "返回首页")
    qtbot.waitUntil(lambda: ui.window.current == "home")
    assert voice.language == "cmn"  # the next resident starts with the region's default


def test_the_panel_closes_when_the_screen_changes(voiced, qtbot) -> None:
    ui, voice, _ = voiced
    tap(ui, "语音")
    assert ui.window.voice_panel.isVisible()
    ui.runner.start_item(PRINT)
    qtbot.waitUntil(lambda: ui.window.current == "guide")
    assert not ui.window.voice_panel.isVisible()


# ---- cut-off, waiting instructions, never blocking ------------------------------------------------
def test_a_new_screen_cuts_off_the_old_prompt(rendered, qtbot) -> None:
    ui, voice, speaker = rendered
    tap(ui, "长者模式")
    qtbot.waitUntil(lambda: ("play", HOME) in played(voice))
    assert voice.playback.playing  # a WAV of several seconds, playing (silently: no audio device here)
    ui.runner.start_item(PRINT)
    qtbot.waitUntil(lambda: ("play", GUIDE_ELDERLY) in played(voice))
    assert played(voice) == [("play", HOME), ("cut", HOME), ("play", GUIDE_ELDERLY)]


def test_a_prompt_cut_off_while_rendering_is_never_played(rendered, qtbot) -> None:
    ui, voice, speaker = rendered
    voice.set_enabled(True)
    qtbot.waitUntil(lambda: ("play", HOME) in played(voice))
    release = threading.Event()
    speaker.submit("busy", lambda token: release.wait(10))  # the renderer is busy
    ui.runner.busy.prepare("正在连接政务服务平台，请稍候……")
    voice.say_prompt(ui.runner.steps["guide"])
    voice.say_prompt(ui.runner.busy)  # the resident moved on at once
    assert not release.is_set()  # say_prompt returned without waiting for the renderer
    tap(ui, "语音")  # and the window still takes taps meanwhile
    assert ui.window.voice_panel.isVisible()
    release.set()
    qtbot.waitUntil(lambda: ("play", ui.runner.busy.prompt()) in played(voice))
    assert ("play", GUIDE) not in played(voice)


def test_an_instruction_waits_for_the_prompt_and_only_the_newest_is_kept(rendered, qtbot) -> None:
    ui, voice, speaker = rendered
    voice.set_enabled(True)
    qtbot.waitUntil(lambda: ("play", HOME) in played(voice))
    voice.say("camera.guidance.too_far")
    voice.say("camera.guidance.too_close")
    voice.say("camera.guidance.too_close")  # the same instruction again is not repeated
    qtbot.waitUntil(lambda: len(speaker.spoken) == 3)
    QApplication.processEvents()
    assert played(voice) == [("play", HOME)]  # still the prompt
    countdown.advance_all(30)  # the prompt's seconds pass
    qtbot.waitUntil(lambda: ("play", "请后退一点。") in played(voice))
    assert ("play", "请靠近一点。") not in played(voice)


def test_a_step_speaks_its_instructions_only_while_it_shows(voiced, qtbot) -> None:
    ui, voice, speaker = voiced
    voice.set_enabled(True)
    ui.runner.start_item(PRINT)
    tap(ui, "开始办理")
    qtbot.waitUntil(lambda: ui.window.current == "identify")
    ctx = ui.runner.steps["identify"].ctx
    ctx.say("idcard.read_failed")
    qtbot.waitUntil(lambda: speaker.spoken_texts()[-1].startswith("身份证没有读取成功"))
    ctx.prompt_changed()  # a step that moved to another page of its own: its prompt again
    qtbot.waitUntil(lambda: speaker.spoken_texts()[-1] == ui.runner.steps["identify"].prompt())
    tap(ui, "上一步")
    qtbot.waitUntil(lambda: speaker.spoken_texts()[-1] == GUIDE)  # the guide again
    count = len(speaker.spoken)
    ctx.say("idcard.card_moved")  # a late event of a step that is gone
    QApplication.processEvents()
    assert len(speaker.spoken) == count


def test_the_inactivity_countdown_is_spoken(ui, tmp_path: Path, qtbot) -> None:
    voice, speaker = kiosk_voice(ui, tmp_path, watcher=True)
    try:
        voice.set_enabled(True)
        ui.runner.start_item(PRINT)
        qtbot.waitUntil(lambda: speaker.spoken_texts()[-1:] == [GUIDE])
        expected = [(60, "您还在操作吗？20秒后将返回首页，并清除您的信息。如需继续，请点屏幕上的「继续办理」。"),
                    (5, "还有15秒返回首页。如需继续，请点「继续办理」。"), (5, "还有10秒返回首页。如需继续，请点「继续办理」。"),
                    (5, "还有5秒返回首页。如需继续，请点「继续办理」。"), (2, "3。"), (1, "2。"), (1, "1。")]
        for seconds, text in expected:  # idle, then the warning down to its last second
            # Step the clock as the seconds really pass: each speech is rendered (~30 ms) before the
            # next one cuts in; a 79-second burst would let the next cut cancel it still unrendered.
            countdown.advance_all(seconds)
            qtbot.waitUntil(lambda text=text: speaker.spoken_texts()[-1] == text)
        said = speaker.spoken_texts()[said_from(speaker, GUIDE):]
        assert said == [text for _, text in expected]  # nothing in the silent seconds between
        tap(ui, "继续办理")
        assert not voice.playback.playing
    finally:
        QApplication.instance().removeEventFilter(ui.window.watcher)
        speaker.close()
        countdown.stop_all()


def test_the_elderly_countdown_is_spoken_gently(ui, tmp_path: Path, qtbot) -> None:
    """长者模式 doubles the time (120 s idle, a 40 s warning) and speaks it calmly, without a 3-2-1."""
    voice, speaker = kiosk_voice(ui, tmp_path, watcher=True)
    try:
        tap(ui, "长者模式")  # the voice comes on with the mode
        ui.runner.start_item(PRINT)
        qtbot.waitUntil(lambda: speaker.spoken_texts()[-1:] != [] and speaker.spoken_texts()[-1].startswith("请阅读办事指南"))
        expected = [(120, "您还在办理吗？不着急，慢慢来。要继续，请点屏幕上的「继续办理」。40秒后回到首页。"),
                    (10, "不着急。要继续办理，请点「继续办理」。还有30秒。"),
                    (10, "不着急。要继续办理，请点「继续办理」。还有20秒。"),
                    (10, "不着急。要继续办理，请点「继续办理」。还有10秒。")]
        start = len(speaker.spoken_texts())
        for seconds, text in expected:
            countdown.advance_all(seconds)
            qtbot.waitUntil(lambda text=text: speaker.spoken_texts()[-1] == text)
        countdown.advance_all(9)  # down to the last second: nothing more is said
        assert speaker.spoken_texts()[start:] == [text for _, text in expected]
        tap(ui, "继续办理")
    finally:
        QApplication.instance().removeEventFilter(ui.window.watcher)
        speaker.close()
        countdown.stop_all()


def said_from(speaker, text: str) -> int:
    return speaker.spoken_texts().index(text) + 1


# ---- never personal data -------------------------------------------------------------------------
def test_a_prompt_carrying_a_name_is_refused_and_nothing_is_said(voiced, qtbot, caplog) -> None:
    ui, voice, speaker = voiced
    voice.set_enabled(True)
    persona = get_persona("chen_guiying")
    ui.desk.fail_next("issue_certificate", BackendError(
        "record_missing", "no record", 404, platform_message=f"{persona.name}，没有查到您的参保记录。"))
    ui.runner.start_item(PRINT)
    tap(ui, "开始办理")
    ui.devices.get("idcard").events.put(card_of(persona.id))
    qtbot.waitUntil(lambda: ui.window.current == "error")
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.voice"):
        tap(ui, "重听")
    assert voice.refused == 2  # when the error screen showed, and again for 重听
    assert all(persona.name not in t for t in speaker.spoken_texts())
    assert all(persona.name not in r.getMessage() for r in caplog.records)


# ---- pure rules ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("region", "configured", "ui_language", "expected"), [
    ("440204", "auto", "zh_CN", "cmn"),  # 韶关市浈江区: Hakka and 粤北土话 country, 普通话
    ("440106", "auto", "zh_CN", "yue"),  # 广州市天河区
    ("441900", "auto", "zh_CN", "yue"),  # 东莞
    ("445102", "auto", "zh_CN", "cmn"),  # 潮州: Teochew
    ("440204", "yue", "zh_CN", "yue"),  # the config decides
    ("440106", "cmn", "zh_CN", "cmn"),
    ("440204", "cmn", "zh_HK", "yue"),  # the zh_HK UI speaks 粤语
])
def test_the_default_language(region: str, configured: str, ui_language: str, expected: str) -> None:
    assert default_language(region, configured, ui_language) == expected


def test_the_zh_hk_ui_brings_cantonese_unless_the_resident_chose(voiced) -> None:
    _, voice, _ = voiced
    voice.set_ui_language("zh_HK")
    assert voice.language == "yue"
    voice.set_language("cmn")
    voice.set_ui_language("zh_HK")
    assert voice.language == "cmn"


def test_instructions_take_whole_numbers_only() -> None:
    assert instruction_text("voice.idle_left", seconds=15).startswith("还有15秒")
    for bad in ({"seconds": "陈桂英"}, {"seconds": 1.5}, {"seconds": True}, {"seconds": 12345}, {}):
        with pytest.raises(ValueError):
            instruction_text("voice.idle_left", **bad)
    with pytest.raises(ValueError, match="no message text"):
        instruction_text("voice.no_such_code")
    with pytest.raises(ValueError, match="takes"):
        instruction_text("camera.guidance.too_far", seconds=3)


def test_what_the_countdown_says_when() -> None:
    said = {s: countdown_code(s, first=(s == 20)) for s in range(20, 0, -1)}
    assert {s: c for s, c in said.items() if c} == {
        20: "voice.idle_warning", 15: "voice.idle_left", 10: "voice.idle_left", 5: "voice.idle_left",
        3: "voice.idle_count", 2: "voice.idle_count", 1: "voice.idle_count"}


def test_the_elderly_countdown_is_gentler() -> None:
    """长者模式: an unhurried warning, a reminder every 10 seconds, no 3-2-1 count (issue 22)."""
    said = {s: countdown_code(s, first=(s == 40), gentle=True) for s in range(40, 0, -1)}
    assert {s: c for s, c in said.items() if c} == {
        40: "voice.idle_warning_gentle", 30: "voice.idle_left_gentle", 20: "voice.idle_left_gentle",
        10: "voice.idle_left_gentle"}
    assert "不着急" in instruction_text("voice.idle_warning_gentle", seconds=40)


def test_no_audio_device_is_logged_once_and_playback_keeps_the_timing(qtbot, caplog, tmp_path: Path) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.voice"):
        playback = Playback()
        playback.probe()
        playback._find_device()  # the device list changed: still none
    assert not playback.has_device  # this machine has no sound device
    assert sum("no audio output device" in r.getMessage() for r in caplog.records) == 1
    speaker = Speaker("speaker", "espeak:cmn", cache_dir=str(tmp_path))
    speaker.open()
    try:
        wav = speaker.say("请取走您的身份证。").wait().wav
    finally:
        speaker.close()
    playback.play(wav, "请取走您的身份证。")
    assert playback.playing
    with qtbot.waitSignal(playback.finished, timeout=1000):
        countdown.advance_all(5)
    assert list(playback.log) == [("play", "请取走您的身份证。"), ("done", "请取走您的身份证。")]
