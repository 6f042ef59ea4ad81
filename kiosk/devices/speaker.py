"""The speaker: voice prompts rendered to WAV by espeak-ng, on the device model. No Qt.

URL (device_url.py):
- `espeak:cmn` — Mandarin, espeak-ng's `cmn-latn-pinyin` voice (plain `cmn` reads tone numbers in
  English); `espeak:yue` — Cantonese. The URL's voice is the default; `say(text, voice)` picks
  either per utterance, because the voice language is the resident's own setting.
- `null:` — renders nothing and records what would have been said, as python-escpos's Dummy keeps
  the bytes of a print: tests and scenarios read `spoken`.

Playback is not here: the UI plays the WAV through Qt Multimedia (kiosk/ui/voice.py), so the same
driver serves a kiosk with or without a sound device.

Never personal data: `say()` refuses (SpeechRefused, at once, on the caller's thread) any text the
guard (speaker_guard.py) rejects, before it is rendered, cached or recorded.

Cache: a WAV is named by the SHA-256 of (espeak voice, rate, text) in `cache_dir`, so a prompt is
rendered once and then reused, also after a restart. Prompts are templates, so the set is small;
at open the oldest files beyond `max_cached` are removed. Without a cache_dir the speaker renders
into a private temporary directory removed at close.

Threads: `say()` returns a Command at once; espeak-ng runs as a subprocess on the speaker's worker
thread (about 30 ms a sentence here) and the completion callbacks run there. `stop()` cancels
utterances still waiting to be rendered.
"""

from __future__ import annotations

import array
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import wave
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from kiosk.devices import speaker_guard
from kiosk.devices.device_url import SPEAKER_VOICES, SpeakerUrl, parse_speaker_url
from kiosk.devices.model import (
    CancelToken,
    Command,
    Completion,
    Device,
    DeviceError,
    HealthLevel,
    HealthReport,
)
from kiosk.devices.speaker_guard import SpeechRefused

log = logging.getLogger(__name__)

ESPEAK_VOICES = {"cmn": "cmn-latn-pinyin", "yue": "yue", "en": "en-gb"}  # our voice id → espeak-ng's voice
assert set(ESPEAK_VOICES) == set(SPEAKER_VOICES)
HEALTH_TEXT = "语音测试。"  # a fixed template, spoken by check_health and kiosk-diag speaker

__all__ = ["ESPEAK_VOICES", "Speaker", "SpeechRefused", "Utterance", "WavInfo", "wav_info"]


@dataclass(frozen=True)
class Utterance:
    """One text the speaker was asked to say; `wav` is None for `null:` (nothing rendered)."""

    text: str
    voice: str  # cmn | yue
    wav: Path | None = None
    cached: bool = False  # the WAV was in the cache already


@dataclass(frozen=True)
class WavInfo:
    seconds: float
    peak: float  # largest sample, 0..1 of full scale (0 = silence)


def wav_info(path: Path) -> WavInfo:
    """Duration and peak level of a 16-bit PCM WAV (what espeak-ng writes)."""
    with wave.open(str(path), "rb") as w:
        frames = w.readframes(w.getnframes())
        seconds = w.getnframes() / float(w.getframerate() or 1)
        if w.getsampwidth() != 2:
            raise ValueError(f"{path.name}: expected 16-bit samples, got {w.getsampwidth() * 8}-bit")
    samples = array.array("h", frames)
    peak = max((abs(s) for s in samples), default=0) / 32768.0
    return WavInfo(seconds, peak)


class Speaker(Device):
    capabilities = frozenset({"speech", "wav"})
    is_input = False

    def __init__(self, device_id: str, url: str, *, poll_interval: float = 0.3,
                 command_timeout: float = 10.0, cache_dir: str | None = None, rate: int = 150,
                 max_cached: int = 2000, espeak: str = "espeak-ng", keep_spoken: int = 500) -> None:
        super().__init__(device_id, url, poll_interval=poll_interval, command_timeout=command_timeout)
        self.target: SpeakerUrl = parse_speaker_url(url)  # validation only, no I/O
        self.default_voice = self.target.voice
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.rate = int(rate)  # words per minute; espeak-ng's default 175 is quick for an elderly ear
        self.max_cached = max_cached
        self.espeak = espeak
        self._temp_dir: Path | None = None
        self._spoken: deque[Utterance] = deque(maxlen=keep_spoken)
        self._lock = threading.Lock()
        self._pending: set[Command] = set()
        self.renders = 0  # espeak-ng runs (a cached prompt costs none)

    @property
    def recording_only(self) -> bool:
        return self.target.kind == "null"

    # ---- public API -------------------------------------------------------------------------
    def say(self, text: str, voice: str | None = None) -> Command:
        """Render `text` in `voice` (default: the URL's). The Command's result is an Utterance.
        Raises SpeechRefused at once for a text that may carry personal data, ValueError for an
        unknown voice."""
        voice = voice or self.default_voice
        if voice not in SPEAKER_VOICES:
            raise ValueError(f"unknown voice {voice!r}; expected one of {', '.join(SPEAKER_VOICES)}")
        text = " ".join(text.split())
        if not text:
            raise ValueError("nothing to say")
        speaker_guard.check(text)
        cmd = self.submit("say", lambda token: self._render(text, voice, token))
        with self._lock:
            self._pending.add(cmd)
        cmd.add_done_callback(self._forget)
        return cmd

    def stop(self) -> int:
        """Cancel every utterance not rendered yet (a new screen cuts the old prompt off).
        Returns how many were cancelled."""
        with self._lock:
            pending = list(self._pending)
        return sum(cmd.cancel() for cmd in pending)

    @property
    def spoken(self) -> list[Utterance]:
        """What was said (rendered, or recorded by `null:`), oldest first."""
        with self._lock:
            return list(self._spoken)

    def spoken_texts(self) -> list[str]:
        return [u.text for u in self.spoken]

    def set_cache_dir(self, path: Path | None) -> None:
        """Where WAVs are kept (the kiosk sets `voice.cache_dir` or <state_dir>/voice-cache)."""
        self.cache_dir = Path(path) if path else None

    def check_health(self, level: HealthLevel = HealthLevel.INTERNAL) -> HealthReport:
        if level == HealthLevel.INTERNAL or self.recording_only:
            return super().check_health(level)
        parts, ok = [], True
        for voice in SPEAKER_VOICES:
            try:
                u: Utterance = self.say(HEALTH_TEXT, voice).wait()
                info = wav_info(u.wav) if u.wav else WavInfo(0.0, 0.0)
            except (DeviceError, OSError, ValueError) as exc:
                ok = False
                parts.append(f"{voice}: {getattr(exc, 'detail', exc)}")
                continue
            ok = ok and info.peak > 0.01 and info.seconds > 0.2
            parts.append(f"{voice}: {info.seconds:.1f} s, peak {info.peak:.2f}")
        return HealthReport(self.device_id, level, ok, f"{self.device_id}: " + "; ".join(parts))

    # ---- transport (worker thread) ----------------------------------------------------------
    def _open_transport(self) -> None:
        if self.recording_only:
            return
        if shutil.which(self.espeak) is None:
            raise DeviceError(Completion.DEVICE_NOT_READY, f"{self.espeak} is not installed (apt-get install espeak-ng)")
        for voice, name in ESPEAK_VOICES.items():  # both voices, since the resident may switch
            result = subprocess.run([self.espeak, "-q", "-v", name, "."], capture_output=True, timeout=10)
            if result.returncode != 0 or result.stderr.strip():
                raise DeviceError(Completion.DEVICE_NOT_READY,
                                  f"espeak-ng has no usable {name} voice ({voice}): "
                                  f"{result.stderr.decode(errors='replace').strip()[:200]}")
        if self.cache_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="kiosk-voice-"))
        else:
            self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._prune()

    def _close_transport(self) -> None:
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def _prune(self) -> None:
        assert self.cache_dir is not None
        files = sorted(self.cache_dir.glob("*.wav"), key=lambda p: p.stat().st_mtime)
        for old in files[: max(0, len(files) - self.max_cached)]:
            old.unlink(missing_ok=True)

    def _render(self, text: str, voice: str, token: CancelToken) -> Utterance:
        if self.recording_only:
            return self._record(Utterance(text, voice))
        folder = self.cache_dir or self._temp_dir
        if folder is None:
            raise DeviceError(Completion.SEQUENCE_ERROR, "speaker: not open")
        name = ESPEAK_VOICES[voice]
        key = hashlib.sha256(f"{name}\0{self.rate}\0{text}".encode()).hexdigest()
        wav = folder / f"{key}.wav"
        if wav.exists():
            return self._record(Utterance(text, voice, wav, cached=True))
        token.check()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # also when set_cache_dir came after open
        partial = folder / f".{key}.{threading.get_ident()}.part"
        try:
            result = subprocess.run([self.espeak, "-v", name, "-s", str(self.rate), "-b", "1", "-w", str(partial),
                                     "--stdin"], input=text.encode("utf-8"), capture_output=True,
                                    timeout=max(0.5, token.remaining()))
        except subprocess.TimeoutExpired as exc:
            partial.unlink(missing_ok=True)
            raise DeviceError(Completion.TIMEOUT, "espeak-ng took too long", "device.timeout") from exc
        if result.returncode != 0 or not partial.exists():
            partial.unlink(missing_ok=True)
            raise DeviceError(Completion.HARDWARE_ERROR,
                              f"espeak-ng failed ({result.returncode}): {result.stderr.decode(errors='replace')[:200]}")
        os.replace(partial, wav)  # atomic: a reader never sees half a file
        self.renders += 1
        return self._record(Utterance(text, voice, wav))

    def _record(self, utterance: Utterance) -> Utterance:
        with self._lock:
            self._spoken.append(utterance)
        return utterance

    def _forget(self, cmd: Command) -> None:
        with self._lock:
            self._pending.discard(cmd)
