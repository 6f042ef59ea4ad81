"""`kiosk-diag speaker`: check voice guidance's speaker (espeak-ng → WAV).

    kiosk-diag speaker test [--url espeak:cmn] [--play]        the test phrase in both voices: length, level
    kiosk-diag speaker say TEXT [--voice cmn|yue] [--url URL] [--out FILE.wav] [--play]

--url is a speaker URL (docs/vocabulary.md): `espeak:cmn`, `espeak:yue` (default: the config's
[devices.speaker], else espeak:cmn). --play plays the WAV through `aplay` on the default sound
device, where one exists; the kiosk itself plays through Qt Multimedia. The speaker refuses a text
that may carry personal data (names registered, more than 3 digits in a row, amounts): exit 2.
Exit status: 0 ok; 2 bad usage or a refused text; 3 offline (espeak-ng or a voice missing, silence).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kiosk.devices.device_url import SPEAKER_VOICES, DeviceUrlError
from kiosk.devices.model import DeviceError, HealthLevel
from kiosk.devices.speaker import HEALTH_TEXT, Speaker, SpeechRefused, wav_info
from kiosk.diag import exit_codes


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kiosk-diag speaker", description=__doc__.splitlines()[0],
                                 epilog=exit_codes.HELP)
    sub = ap.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="render the test phrase in both voices and measure it")
    say = sub.add_parser("say", help="render one text (a template, never personal data)")
    say.add_argument("text")
    say.add_argument("--voice", choices=SPEAKER_VOICES, help="default: the URL's voice")
    say.add_argument("--out", help="also copy the WAV here")
    for p in (test, say):
        p.add_argument("--url", help="espeak:cmn or espeak:yue (default: the config's speaker)")
        p.add_argument("--play", action="store_true", help="play it with aplay on the default sound device")
    return ap


def _url(arg: str | None) -> str:
    if arg:
        return arg
    from kiosk.config import ConfigError, load_config

    try:
        dev = load_config().device("speaker")
    except ConfigError:
        dev = None
    return dev.url if dev is not None and dev.url != "null:" else "espeak:cmn"


def _play(wav: Path) -> int:
    aplay = shutil.which("aplay")
    if aplay is None:
        print("kiosk-diag speaker: --play needs aplay (apt-get install alsa-utils)", file=sys.stderr)
        return exit_codes.DEGRADED
    result = subprocess.run([aplay, "-q", str(wav)], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        print(f"kiosk-diag speaker: no sound device played it: {result.stderr.strip()[:200]}", file=sys.stderr)
        return exit_codes.DEGRADED
    return exit_codes.OK


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        speaker = Speaker("speaker", _url(args.url), cache_dir=tempfile.mkdtemp(prefix="kiosk-diag-voice-"))
    except DeviceUrlError as exc:
        print(f"kiosk-diag speaker: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    if speaker.recording_only:
        print("kiosk-diag speaker: null: renders nothing; give --url espeak:cmn", file=sys.stderr)
        return exit_codes.USAGE
    try:
        speaker.open()
        if args.command == "test":
            report = speaker.check_health(HealthLevel.EXTERNAL)
            print(report.text)
            status = exit_codes.OK if report.ok else exit_codes.OFFLINE
            if report.ok and args.play:
                for voice in SPEAKER_VOICES:
                    status = max(status, _play(speaker.say(HEALTH_TEXT, voice).wait().wav))
            return status
        utterance = speaker.say(args.text, args.voice).wait()
        info = wav_info(utterance.wav)
        if args.out:
            shutil.copyfile(utterance.wav, args.out)
        print(f"{utterance.voice}: {info.seconds:.1f} s, peak {info.peak:.2f}"
              + (f", written to {args.out}" if args.out else ""))
        if info.peak <= 0.01:
            return exit_codes.OFFLINE
        return _play(utterance.wav) if args.play else exit_codes.OK
    except SpeechRefused as exc:
        print(f"kiosk-diag speaker: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    except DeviceError as exc:
        print(f"kiosk-diag speaker: {exc.completion}: {exc.detail}", file=sys.stderr)
        return exit_codes.for_device_error(exc)
    finally:
        speaker.close()
        if speaker.cache_dir is not None:
            shutil.rmtree(speaker.cache_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
