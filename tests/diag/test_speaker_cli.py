"""`kiosk-diag speaker`: the test phrase in both voices, one text to a WAV, refusals and bad URLs."""

from __future__ import annotations

import wave
from pathlib import Path

from kiosk.diag import cli


def test_test_renders_both_voices(capsys) -> None:
    assert cli.main(["speaker", "test", "--url", "espeak:cmn"]) == 0
    out = capsys.readouterr().out
    assert "cmn:" in out and "yue:" in out


def test_say_writes_an_audible_wav(tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.wav"
    assert cli.main(["speaker", "say", "请取走您的身份证。", "--voice", "yue", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("yue: ")
    with wave.open(str(out)) as w:
        assert w.getnframes() / w.getframerate() > 1.0


def test_a_personal_text_is_refused_and_a_bad_url_is_usage(capsys) -> None:
    assert cli.main(["speaker", "say", "您的号码是440204194203080028。"]) == 2
    assert "refused" in capsys.readouterr().err
    assert cli.main(["speaker", "test", "--url", "espeak:fr"]) == 2  # voices: cmn, yue, en
    assert "espeak:cmn" in capsys.readouterr().err
    assert cli.main(["speaker", "test", "--url", "null:"]) == 2
