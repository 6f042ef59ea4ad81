"""The speaker device: URLs, the null: recording, espeak-ng WAVs in both voices, the cache, cut-off of
pending renders, and the guard that refuses anything that may be personal data."""

from __future__ import annotations

import array
import threading
import wave
from pathlib import Path

import pytest

from kiosk.devices.device_url import DeviceUrlError, SpeakerUrl, parse_device_url
from kiosk.devices.model import Completion, DeviceError, DeviceState, HealthLevel
from kiosk.devices.speaker import Speaker, wav_info
from kiosk.devices.speaker_guard import SpeechRefused, refusal
from kiosk.logging_setup import PersonalDataFilter

PROMPT = "请把身份证平放在下方的读卡区。"


def peak(path: Path) -> tuple[float, float]:
    """(seconds, peak level 0..1) read with the standard wave module, independent of the driver."""
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        samples = array.array("h", w.readframes(w.getnframes()))
        return w.getnframes() / w.getframerate(), max(abs(s) for s in samples) / 32768


@pytest.fixture
def espeak(tmp_path: Path):
    speaker = Speaker("speaker", "espeak:cmn", cache_dir=str(tmp_path / "cache"))
    speaker.open()
    yield speaker
    speaker.close()


@pytest.fixture
def recorder():
    speaker = Speaker("speaker", "null:")
    speaker.open()
    yield speaker
    speaker.close()


@pytest.fixture(autouse=True)
def _no_names():
    yield
    PersonalDataFilter.clear_names()


# ---- URLs ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "parsed"), [
    ("espeak:cmn", SpeakerUrl("espeak", "cmn")), ("espeak:yue", SpeakerUrl("espeak", "yue")),
    ("null:", SpeakerUrl("null", "cmn")),
])
def test_speaker_urls(url: str, parsed: SpeakerUrl) -> None:
    assert parse_device_url("speaker", url) == parsed


@pytest.mark.parametrize("url", ["espeak:", "espeak:fr", "espeak:zh", "null", "null:x", "/dev/snd", "", None])
def test_bad_speaker_urls_say_what_is_expected(url) -> None:
    with pytest.raises(DeviceUrlError, match="espeak:cmn .*espeak:yue .*null:"):
        parse_device_url("speaker", url)


# ---- null: records what would have been said ------------------------------------------------------
def test_null_records_in_order_and_renders_nothing(recorder: Speaker) -> None:
    first = recorder.say(PROMPT).wait()
    second = recorder.say("请取走您的身份证。", "yue").wait()
    assert (first.wav, second.wav) == (None, None)
    assert [(u.text, u.voice) for u in recorder.spoken] == [(PROMPT, "cmn"), ("请取走您的身份证。", "yue")]
    assert recorder.renders == 0 and recorder.status.state == DeviceState.ONLINE


def test_say_rejects_an_unknown_voice_and_empty_text(recorder: Speaker) -> None:
    with pytest.raises(ValueError, match="cmn, yue"):
        recorder.say(PROMPT, "fr")
    with pytest.raises(ValueError, match="nothing to say"):
        recorder.say("  \n ")


# ---- espeak-ng -----------------------------------------------------------------------------------
@pytest.mark.parametrize("voice", ["cmn", "yue"])
def test_espeak_renders_an_audible_wav_in_both_voices(espeak: Speaker, voice: str) -> None:
    u = espeak.say(PROMPT, voice).wait()
    seconds, level = peak(u.wav)
    assert seconds > 1.0 and level > 0.1, (seconds, level)
    assert wav_info(u.wav).seconds == pytest.approx(seconds)


def test_the_cache_is_by_text_and_voice_and_survives_a_restart(espeak: Speaker, tmp_path: Path) -> None:
    a = espeak.say(PROMPT).wait()
    again = espeak.say(PROMPT).wait()
    other = espeak.say(PROMPT, "yue").wait()
    assert (a.cached, again.cached, other.cached) == (False, True, False)
    assert again.wav == a.wav != other.wav and espeak.renders == 2
    espeak.close()
    later = Speaker("speaker", "espeak:yue", cache_dir=str(tmp_path / "cache"))
    later.open()
    try:
        assert later.say(PROMPT, "cmn").wait().cached and later.renders == 0
        assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted([a.wav.name, other.wav.name])
    finally:
        later.close()


def test_the_cache_is_pruned_to_its_size_at_open(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    for i in range(5):
        (cache / f"{i:064x}.wav").write_bytes(b"x")
    speaker = Speaker("speaker", "espeak:cmn", cache_dir=str(cache), max_cached=2)
    speaker.open()
    speaker.close()
    assert len(list(cache.glob("*.wav"))) == 2


def test_without_a_cache_dir_it_renders_into_a_private_folder_removed_at_close() -> None:
    speaker = Speaker("speaker", "espeak:cmn")
    speaker.open()
    wav = speaker.say(PROMPT).wait().wav
    assert wav.exists()
    speaker.close()
    assert not wav.parent.exists()


def test_stop_cancels_what_is_not_rendered_yet(espeak: Speaker) -> None:
    release = threading.Event()
    blocker = espeak.submit("block", lambda token: release.wait(10))  # keeps the worker busy
    pending = [espeak.say(f"第{i}句。") for i in range(3)]
    assert espeak.stop() == 3
    release.set()
    blocker.wait()
    for cmd in pending:
        with pytest.raises(DeviceError) as err:
            cmd.wait()
        assert err.value.completion == Completion.CANCELED
    assert espeak.spoken == [] and espeak.renders == 0


def test_a_missing_espeak_leaves_the_speaker_not_ready(tmp_path: Path) -> None:
    speaker = Speaker("speaker", "espeak:cmn", espeak="espeak-ng-not-installed")
    with pytest.raises(DeviceError, match="not installed"):
        speaker.open()
    assert speaker.status.state == DeviceState.NO_DEVICE
    speaker.close()


def test_health_renders_both_voices(espeak: Speaker) -> None:
    report = espeak.check_health(HealthLevel.EXTERNAL)
    assert report.ok and "cmn:" in report.text and "yue:" in report.text


# ---- never personal data -------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "您的身份证号码是440204194203080028。", "请核对卡号 A44021076。", "请拨打13827510261。",
    "本次缴费180.00元。", "应缴 ¥180。", "共缴纳 360 元。", "出生于1942年。", "号码四四零二零四。",
    "全角数字４４０２。", "时间 10:30。",
])
def test_the_guard_refuses_numbers_and_amounts(recorder: Speaker, text: str) -> None:
    assert refusal(text) is not None
    with pytest.raises(SpeechRefused) as err:
        recorder.say(text)
    assert text not in str(err.value)  # the refusal never quotes what it refused
    assert recorder.spoken == []


@pytest.mark.parametrize("text", [
    PROMPT, "您还在操作吗？20秒后将返回首页。", "第 2 步，共 5 步。", "还有120秒。", "请取走您的身份证和打印的凭条，谢谢！",
])
def test_the_guard_lets_templates_and_small_counts_through(text: str) -> None:
    assert refusal(text) is None


def test_the_guard_refuses_the_names_the_session_registered(recorder: Speaker) -> None:
    assert refusal("陈桂英，请取走身份证。") is None
    PersonalDataFilter.register_names("陈桂英", "440204194203080028")
    with pytest.raises(SpeechRefused, match="personal data"):
        recorder.say("陈桂英，请取走身份证。")
    assert recorder.spoken == []
    PersonalDataFilter.clear_names()  # the session ended: the registry is empty again
    assert refusal("陈桂英，请取走身份证。") is None
