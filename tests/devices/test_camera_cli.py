"""`kiosk-diag camera` against the camera simulator."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from kiosk.diag.camera import main
from simulators.process import start_simulator


@pytest.fixture(scope="module")
def sim():
    with start_simulator("camera", "--scene", "face:chen_guiying") as proc:
        yield proc


def decode(path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert image is not None
    return image


def test_snapshot_writes_a_frame(sim, tmp_path, capsys):
    out = tmp_path / "frame.jpg"
    assert main(["snapshot", "--source", sim.ports["url"], "--out", str(out)]) == 0
    assert decode(out).shape == (480, 640, 3)
    assert "wrote" in capsys.readouterr().out


def test_snapshot_face_waits_for_a_checked_live_face(sim, tmp_path, capsys):
    sim.control("POST", "/scene", {"scene": "face:chen_guiying"})
    out = tmp_path / "face.jpg"
    code = main(["snapshot", "--source", sim.ports["url"], "--out", str(out), "--face", "--json",
                 "--timeout", "60", "--liveness-timeout", "30"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    summary = json.loads(captured.out)
    assert summary["mode"] == "face" and summary["blinks"] >= 1 and summary["bytes"] == out.stat().st_size
    assert "请眨眨眼" in captured.err
    image = decode(out)
    assert image.shape[0] > image.shape[1]


def test_snapshot_face_reports_guidance_and_fails_when_too_far(sim, tmp_path, capsys):
    sim.control("POST", "/scene", {"scene": "face:chen_guiying", "variant": "far"})
    out = tmp_path / "far.jpg"
    assert main(["snapshot", "--source", sim.ports["url"], "--out", str(out), "--face", "--timeout", "8"]) == 1
    err = capsys.readouterr().err
    assert "请靠近一点" in err and "timeout" in err
    assert not out.exists()


def test_snapshot_face_without_liveness_accepts_a_photo(sim, tmp_path):
    sim.control("POST", "/scene", {"scene": "photo:chen_guiying"})
    out = tmp_path / "photo.jpg"
    assert main(["snapshot", "--source", sim.ports["url"], "--out", str(out), "--face", "--no-liveness"]) == 0
    assert out.stat().st_size > 0


def test_snapshot_document_writes_the_straightened_page(sim, tmp_path, capsys):
    sim.control("POST", "/scene", {"scene": "document"})
    out = tmp_path / "page.jpg"
    assert main(["snapshot", "--source", sim.ports["url"], "--out", str(out), "--document", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    page = decode(out)
    assert page.ndim == 2 and page.shape[1] > page.shape[0]
    assert summary["size"] == [page.shape[1], page.shape[0]] and len(summary["corners"]) == 4


def test_status_measures_frames(sim, capsys):
    assert main(["status", "--source", sim.ports["url"], "--seconds", "1"]) == 0
    assert "640x480" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "code"), [
    (["snapshot", "--source", "rtsp://x", "--out", "/tmp/x.jpg"], 2),
    (["snapshot", "--source", "index:0", "--out", "/tmp/x.png"], 2),
    (["snapshot", "--out", "/tmp/x.jpg"], 2),
    (["fly"], 2),
])
def test_usage_errors(argv, code, capsys):
    assert main(argv) == code


def test_unreachable_source_is_a_device_failure(capsys):
    assert main(["snapshot", "--source", "http://127.0.0.1:9/stream.mjpg", "--out", "/tmp/never.jpg"]) == 3
    err = capsys.readouterr().err
    assert "device_not_ready" in err and "摄像头暂时无法使用" in err and "[camera.unavailable]" in err
