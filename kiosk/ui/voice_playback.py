"""Playback of rendered prompts: one WAV at a time through Qt Multimedia (QSoundEffect: uncompressed
WAV, low latency), or, with no audio output device, silently for as long as the WAV lasts (on
kiosk/ui/countdown.py's clock), so the kiosk behaves the same; the missing device is logged once and
a device that appears later is used. Qt Multimedia is loaded at the first prompt, not at start-up.
`stop()` cuts off (no `finished`); `log` keeps what was played, cut and done (guarded templates)."""

from __future__ import annotations

import logging
import math
from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal

from kiosk.ui.countdown import Countdown

log = logging.getLogger("kiosk.ui.voice")  # one logger for voice guidance


class Playback(QObject):
    """One WAV at a time through Qt Multimedia, or silently for as long as it lasts when there is no
    audio output device. `log` keeps what was played and cut (texts are guarded templates)."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None, *, use_device: bool = True) -> None:
        super().__init__(parent)
        self.volume = 0.8
        self.playing = False
        self.current = ""
        self.log: deque[tuple[str, str]] = deque(maxlen=200)  # ("play" | "cut" | "done", text)
        self._silent = Countdown(self)
        self._silent.finished.connect(self._done)
        self._effect: Any = None
        self._want: Path | None = None
        self._devices: Any = None
        self.device_name = ""
        self._warned = False
        self._use_device = use_device
        self._probed = False  # Qt Multimedia loads at the first prompt, not at start-up (~60 ms)

    def probe(self) -> None:
        """Look for an audio output now, and follow the system's device list from then on."""
        if self._probed:
            return
        self._probed = True
        if self._use_device:
            from PySide6.QtMultimedia import QMediaDevices

            self._devices = QMediaDevices(self)
            self._devices.audioOutputsChanged.connect(self._find_device)
        self._find_device()

    @property
    def has_device(self) -> bool:
        return bool(self.device_name)

    def _find_device(self) -> None:
        outputs = self._devices.audioOutputs() if self._devices is not None else []
        name = outputs[0].description() if outputs else ""
        if name and name != self.device_name:
            log.info("voice: playing through the audio output %r", name)
        elif not name and not self._warned:
            log.warning("voice: no audio output device; prompts are rendered but not heard "
                        "(the kiosk works the same)")
            self._warned = True
        self.device_name = name
        if name and self._effect is None:
            from PySide6.QtMultimedia import QSoundEffect

            self._effect = QSoundEffect(self)
            self._effect.playingChanged.connect(self._on_playing_changed)
            self._effect.statusChanged.connect(self._on_status)
        if self._effect is not None:
            from PySide6.QtMultimedia import QMediaDevices

            self._effect.setAudioDevice(QMediaDevices.defaultAudioOutput())

    def set_volume(self, volume: float) -> None:
        self.volume = volume
        if self._effect is not None:
            self._effect.setVolume(volume)

    def play(self, wav: Path | None, text: str) -> None:
        """Start `wav` (None: nothing rendered, e.g. the null: speaker; it ends at once)."""
        self.probe()
        self.stop()
        self.playing, self.current = True, text
        self.log.append(("play", text))
        if wav is None:
            self._done()
            return
        if self.has_device and self._effect is not None:
            self._want = wav
            self._effect.setVolume(self.volume)
            self._effect.setSource(QUrl.fromLocalFile(str(wav)))
            self._on_status()  # already loaded (the same file again): start now
            return
        self._silent.start(math.ceil(_seconds(wav)))  # no device: the same timing, unheard

    def stop(self) -> None:
        """Cut off what is playing (no `finished`)."""
        if not self.playing:
            return
        self.playing, self._want = False, None
        self.log.append(("cut", self.current))
        self._silent.stop()
        if self._effect is not None:
            self._effect.stop()

    def _on_status(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if self._want is None or self._effect is None:
            return
        status = self._effect.status()
        if status == QSoundEffect.Status.Ready:
            self._want = None
            self._effect.play()
        elif status == QSoundEffect.Status.Error:
            log.warning("voice: the audio output could not play a prompt")
            self._want = None
            self._done()

    def _on_playing_changed(self) -> None:
        if self.playing and self._want is None and not self._effect.isPlaying():
            self._done()

    def _done(self) -> None:
        self._silent.stop()
        if not self.playing:
            return
        self.playing = False
        self.log.append(("done", self.current))
        self.finished.emit()


def _seconds(wav: Path) -> float:
    from kiosk.devices.speaker import wav_info

    try:
        return wav_info(wav).seconds
    except (OSError, ValueError, EOFError):
        return 1.0
