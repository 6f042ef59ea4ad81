"""Voice guidance: every screen's prompt and every instruction spoken, in 普通话 or 粤语.

The API a screen or the kiosk uses (never scraping widgets):
    voice.say_prompt(screen)    a screen showed: cut off whatever was being said, say screen.prompt()
    voice.say(code, **counts)   an instruction that appeared while the screen shows (a message code:
                                camera guidance, 请取走凭条…); it waits for the prompt to end, and only
                                the newest waiting one is kept; a step calls ctx.say(code)
    voice.countdown(seconds)    the inactivity warning's countdown (cuts in: time is short)
    voice.repeat()              重听: the current screen's prompt again (even with the voice off)
Texts are templates without personal fields: `say()` takes a code and whole numbers only (small
counts such as seconds), never a string, and the speaker refuses anything that looks personal
(kiosk/devices/speaker_guard.py).

Session state: on or off, 普通话 / 粤语, the volume. The voice is on in 长者模式 and off in standard
mode, anyone can switch it (the 语音 panel, at the foot of every screen), and `reset()` at
Session.wipe and whenever home shows puts it back to what 长者模式 and the config say. The language's default comes from the config's region
(`voice.language = "auto"`: 粤语 in the Cantonese-speaking prefectures) and is 粤语 with the zh_HK UI
(`set_ui_language`, the languages issue's hook).

Threads: the speaker renders on its worker thread (kiosk/devices/speaker.py); its completion comes
back through a queued signal, so playback starts on the GUI thread and never blocks input. A render
that arrives after a cut-off (a newer screen) is dropped by its ticket.

Playback: kiosk/ui/voice_playback.py (Qt Multimedia; without an audio output device the same
timing, silently, and the missing device logged once).
"""

from __future__ import annotations

import logging
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.devices.device_url import SPEAKER_VOICES
from kiosk.devices.model import Completion
from kiosk.devices.speaker_guard import SpeechRefused
from kiosk.services import messages
from kiosk.ui.voice_playback import Playback

log = logging.getLogger(__name__)

# Prefectures (the first 4 digits of region_code) whose villages speak Cantonese at home, and Hong
# Kong / Macao: the voice starts in 粤语 there. Elsewhere in Guangdong (Hakka: 梅州, 河源, 韶关;
# Teochew: 汕头, 潮州, 揭阳, 汕尾) espeak-ng has no matching voice and 普通话 is the common ground.
CANTONESE_REGIONS = ("4401", "4404", "4406", "4407", "4408", "4409", "4412", "4417", "4418", "4419",
                     "4420", "4453", "81", "82")
VOLUME_LEVELS = (0.2, 0.4, 0.6, 0.8, 1.0)
MAX_COUNT = 999  # the largest number say() speaks (the speaker refuses longer digit runs anyway)


def default_language(region_code: str, configured: str = "auto", ui_language: str = "zh_CN") -> str:
    """The voice language a session starts with: 粤语 with the zh_HK UI, else the config's choice,
    else (auto) by the kiosk's region."""
    if ui_language == "zh_HK":
        return "yue"
    if ui_language == "en":  # the English UI is spoken in English
        return "en"
    if configured in SPEAKER_VOICES:
        return configured
    return "yue" if region_code.startswith(CANTONESE_REGIONS) else "cmn"


def instruction_text(code: str, **counts: int) -> str:
    """The text of an instruction code, its placeholders filled with whole numbers only. Raises
    ValueError for an unknown code, a missing count or anything that is not a small whole number."""
    template = messages.MESSAGES.get(code)
    if template is None:
        raise ValueError(f"no message text for instruction code {code!r}")
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            raise ValueError(f"{code}: {name} must be a whole number from 0 to {MAX_COUNT}, not a {type(value).__name__}")
    template = QCoreApplication.translate("messages", template)  # the session's language (kiosk/ui/i18n.py)
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    if fields != set(counts):
        raise ValueError(f"{code}: takes {sorted(fields)}, got {sorted(counts)}")
    return messages.text(code, **counts)


def countdown_code(seconds: int, first: bool, gentle: bool = False) -> str | None:
    """What the inactivity warning says at `seconds` left: the whole warning when it appears, then
    every 5 seconds how long is left, and the last three seconds counted. 长者模式 (`gentle`) is
    calmer: its own unhurried warning, a reminder every 10 seconds, and no 3-2-1 count to hurry anyone."""
    if first:
        return "voice.idle_warning_gentle" if gentle else "voice.idle_warning"
    if gentle:
        return "voice.idle_left_gentle" if seconds % 10 == 0 else None
    if seconds <= 3:
        return "voice.idle_count"
    if seconds % 5 == 0:
        return "voice.idle_left"
    return None


class Voice(QObject):
    rendered = Signal(int, str, object)  # (ticket, kind, Command): from the speaker's worker thread
    changed = Signal()  # on/off, language or volume changed (the controls follow)

    def __init__(self, speaker: Any, *, language: str = "cmn", volume: float = 0.8, region_code: str = "",
                 configured_language: str = "auto", playback: Playback | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speaker = speaker  # kiosk.devices.speaker.Speaker, or None when none is configured
        self.playback = playback or Playback(self)
        self.playback.finished.connect(self._play_waiting)
        self.region_code, self.configured_language = region_code, configured_language
        self.default_language = language
        self.default_volume = volume
        self.enabled_by_default: Callable[[], bool] = lambda: False  # 长者模式 (set by attach)
        self.enabled = False
        self.language = language
        self.level = _level_of(volume)
        self.playback.set_volume(VOLUME_LEVELS[self.level])
        self.refused = 0  # texts the speaker refused (a screen's prompt carried personal data)
        self.screen: Any = None
        self._ticket = 0
        self._waiting: tuple[Path | None, str] | None = None
        self._last_code: str | None = None
        self._counting = False
        self._language_chosen = False
        self.rendered.connect(self._on_rendered)
        if speaker is None:
            log.warning("voice: no speaker device configured ([devices.speaker]); voice guidance is silent")

    # ---- what is said ---------------------------------------------------------------------------
    def say_prompt(self, screen: Any) -> None:
        """A screen showed: cut off the old prompt and say this one's (when the voice is on)."""
        self.screen = screen
        self._last_code, self._counting = None, False
        self.cut()
        if self.enabled:
            self._speak(screen.prompt(), "prompt")

    def say(self, code: str, **counts: int) -> None:
        """An instruction that appeared on the current screen (the same code twice in a row is said once)."""
        text = instruction_text(code, **counts)
        if not self.enabled or code == self._last_code:
            return
        self._last_code = code
        self._speak(text, "instruction")

    def countdown(self, seconds: int) -> None:
        """The inactivity warning shows `seconds` left (called every second while it counts)."""
        code = countdown_code(seconds, first=not self._counting, gentle=self.enabled_by_default())
        self._counting = True
        if code is not None and self.enabled:
            self.cut()
            self._speak(instruction_text(code, seconds=seconds), "countdown")

    def end_countdown(self) -> None:
        """The resident touched the screen: the warning is gone, so is its voice."""
        if self._counting:
            self._counting = False
            self.cut()

    def repeat(self) -> None:
        """重听: the current screen's prompt again, from the start, even with the voice off."""
        self.cut()
        if self.screen is not None:
            self._speak(self.screen.prompt(), "prompt")

    def cut(self) -> None:
        """Stop speaking now: what plays, what waits, and what is still being rendered."""
        self._ticket += 1
        self._waiting = None
        self.playback.stop()
        if self.speaker is not None:
            self.speaker.stop()

    # ---- settings (session state) ---------------------------------------------------------------
    def set_enabled(self, on: bool) -> None:
        if on == self.enabled:
            return
        self.enabled = on
        if on and self.screen is not None:
            self.cut()
            self._speak(self.screen.prompt(), "prompt")
        elif not on:
            self.cut()
        self.changed.emit()

    def set_language(self, language: str, *, chosen: bool = True) -> None:
        if language not in SPEAKER_VOICES:
            raise ValueError(f"unknown voice language {language!r}; expected one of {', '.join(SPEAKER_VOICES)}")
        self._language_chosen = self._language_chosen or chosen
        if language == self.language:
            return
        self.language = language
        self.changed.emit()
        if chosen and self.screen is not None:  # say it again in the language just chosen
            self.repeat()

    def set_ui_language(self, ui_language: str) -> None:
        """The UI language changed (the languages issue calls this): zh_HK brings 粤语, unless the
        resident chose a voice language this session."""
        self.default_language = default_language(self.region_code, self.configured_language, ui_language)
        if not self._language_chosen:
            self.set_language(self.default_language, chosen=False)

    def set_level(self, level: int) -> None:
        level = max(0, min(len(VOLUME_LEVELS) - 1, level))
        if level != self.level:
            self.level = level
            self.playback.set_volume(VOLUME_LEVELS[level])
            self.changed.emit()

    def louder(self) -> None:
        self.set_level(self.level + 1)

    def softer(self) -> None:
        self.set_level(self.level - 1)

    def reset(self) -> None:
        """The session ended (Session.wipe): back to what 长者模式 and the config say."""
        self.enabled = self.enabled_by_default()
        self.language = self.default_language
        self._language_chosen = False
        self.level = _level_of(self.default_volume)
        self.playback.set_volume(VOLUME_LEVELS[self.level])
        self.changed.emit()

    # ---- rendering and playing ------------------------------------------------------------------
    def _speak(self, text: str, kind: str) -> None:
        if self.speaker is None or not text.strip():
            return
        ticket = self._ticket
        try:
            cmd = self.speaker.say(text, self.language)
        except SpeechRefused as exc:  # never log the text: it is what was refused
            self.refused += 1
            log.error("voice: the speaker refused a %s of screen %s (%s); nothing was said", kind,
                      getattr(self.screen, "name", "?"), exc.reason)
            return
        cmd.add_done_callback(lambda c: self.rendered.emit(ticket, kind, c))

    def _on_rendered(self, ticket: int, kind: str, cmd: Any) -> None:
        if ticket != self._ticket:
            return  # cut off meanwhile (a newer screen): never played
        if cmd.error is not None:
            if cmd.error.completion != Completion.CANCELED:
                log.warning("voice: rendering failed: %s", cmd.error.detail)
            return
        wav, text = cmd.result.wav, cmd.result.text
        if kind == "instruction" and self.playback.playing:
            self._waiting = (wav, text)  # after the prompt; a newer instruction replaces it
            return
        self.playback.play(wav, text)

    def _play_waiting(self) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.playback.play(*waiting)


def _level_of(volume: float) -> int:
    return min(range(len(VOLUME_LEVELS)), key=lambda i: abs(VOLUME_LEVELS[i] - volume))


def attach(window: Any, runner: Any, speaker: Any, cfg: Any) -> Voice:
    """Wire the kiosk's voice: every screen change, 长者模式, the session's end, the inactivity
    warning, and the 重听 / 语音 controls at the foot of the window. Call after the inactivity watcher exists."""
    region = getattr(cfg, "region_code", "")
    voice = Voice(speaker, language=default_language(region, cfg.voice.language),
                  volume=cfg.voice.volume, region_code=region, configured_language=cfg.voice.language,
                  parent=window)
    if speaker is not None:
        speaker.set_cache_dir(cfg.voice.cache_dir or cfg.state_dir / "voice-cache")
    voice.enabled_by_default = window.elderly_button.isChecked
    runner.voice = voice
    window.voice = voice

    def screen_changed(name: str) -> None:
        if name == "home":  # the journey is over (with or without a session): the next one starts afresh
            voice.reset()
        voice.say_prompt(window.screens[name])

    runner.screen_changed.connect(screen_changed)
    runner.session_wiped.connect(voice.reset)
    window.elderly_toggled.connect(voice.set_enabled)
    watcher = getattr(window, "watcher", None)
    if watcher is not None:
        watcher.warn.connect(voice.countdown)
        watcher.resumed.connect(voice.end_countdown)
    window.voice_panel.bind(voice, window.repeat_button, window.voice_button)
    runner.screen_changed.connect(lambda _: window.voice_panel.hide())
    return voice
