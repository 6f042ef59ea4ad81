"""The camera simulator: MJPEG on the wire, scenes switched live, unplug/replug, control API."""

from __future__ import annotations

import socket
import urllib.request

import cv2
import numpy as np
import pytest

from kiosk.devices.document_scan import find_page
from kiosk.devices.face_capture import FaceDetector, Guidance
from simulators.camera.server import main as camera_main
from simulators.personas import load_personas
from simulators.process import start_simulator

WAIT_FRAMES = 60  # frames to wait for a scene switch to show (it shows on the next one)


@pytest.fixture(scope="module")
def sim():
    with start_simulator("camera", "--fps", "20") as proc:
        yield proc


class MjpegReader:
    """A minimal multipart/x-mixed-replace client, reading the bytes exactly as sent."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        # small receive buffer: this reader is slow (face detection per frame) and must not fall
        # behind the live stream
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(b"GET /stream.mjpg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.file = self.sock.makefile("rb")
        status = self.file.readline()
        assert status.startswith(b"HTTP/1.0 200"), status
        self.headers = self._headers()
        ctype = self.headers["content-type"]
        assert ctype.startswith("multipart/x-mixed-replace; boundary=")
        self.boundary = ctype.split("boundary=", 1)[1].encode()

    def _headers(self) -> dict[str, str]:
        headers = {}
        while (line := self.file.readline().rstrip(b"\r\n")):
            key, _, value = line.decode().partition(":")
            headers[key.strip().lower()] = value.strip()
        return headers

    def part(self) -> tuple[dict[str, str], bytes]:
        line = self.file.readline()
        if not line:
            raise EOFError("stream ended")
        assert line.rstrip(b"\r\n") == b"--" + self.boundary, line
        headers = self._headers()
        body = self.file.read(int(headers["content-length"]))
        assert self.file.read(2) == b"\r\n"
        return headers, body

    def frame(self) -> np.ndarray:
        headers, body = self.part()
        assert headers["content-type"] == "image/jpeg"
        image = cv2.imdecode(np.frombuffer(body, np.uint8), cv2.IMREAD_COLOR)
        assert image is not None
        return image

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def set_scene(sim, scene: str, variant: str | None = None) -> dict:
    body = {"scene": scene} if variant is None else {"scene": scene, "variant": variant}
    status, payload = sim.control("POST", "/scene", body)
    assert status == 200, payload
    return payload


def test_ready_line_names_the_stream(sim):
    assert sim.ports["url"] == f"http://127.0.0.1:{sim.ports['listen']}/stream.mjpg"
    status, state = sim.control("GET", "/state")
    assert status == 200 and state["plugged"] is True and state["fps"] == 20.0


def test_stream_is_mjpeg_of_640x480_jpegs(sim):
    set_scene(sim, "face:chen_guiying")
    reader = MjpegReader(sim.ports["listen"])
    try:
        for _ in range(3):
            assert reader.frame().shape == (480, 640, 3)
    finally:
        reader.close()


def test_snapshot_is_one_jpeg(sim):
    set_scene(sim, "document")
    with urllib.request.urlopen(f"http://127.0.0.1:{sim.ports['listen']}/snapshot.jpg", timeout=10) as r:
        assert r.headers["Content-Type"] == "image/jpeg"
        image = cv2.imdecode(np.frombuffer(r.read(), np.uint8), cv2.IMREAD_COLOR)
    assert find_page(image) is not None


def wait_for(reader: MjpegReader, predicate, what: str = "") -> np.ndarray:
    for _ in range(WAIT_FRAMES):
        frame = reader.frame()
        if predicate(frame):
            return frame
    raise AssertionError(f"no frame of {what or 'the expected scene'} within {WAIT_FRAMES} frames")


def test_scenes_switch_live_on_an_open_stream(sim):
    detector = FaceDetector()
    set_scene(sim, "empty")
    reader = MjpegReader(sim.ports["listen"])
    try:
        wait_for(reader, lambda f: detector.assess(f).guidance is Guidance.NO_FACE)
        expectations = [
            ("face:li_jianguo", None, lambda f: detector.assess(f).ok),
            ("two-faces", None, lambda f: detector.assess(f).guidance is Guidance.MULTIPLE_FACES),
            ("dark", None, lambda f: detector.assess(f).guidance is Guidance.TOO_DARK),
            ("face:chen_guiying", "far", lambda f: detector.assess(f).guidance is Guidance.TOO_FAR),
            ("document", None, lambda f: find_page(f) is not None),
            ("photo:chen_guiying", None, lambda f: detector.assess(f).ok),
        ]
        for scene, variant, predicate in expectations:
            set_scene(sim, scene, variant)
            wait_for(reader, predicate, f"{scene} {variant or ''}")
            # once switched, it stays switched
            for _ in range(3):
                assert predicate(reader.frame()), scene
    finally:
        reader.close()


def test_scene_and_variant_are_reported(sim):
    payload = set_scene(sim, "face:he_shuifa", "blurry")
    assert payload["scene"] == "face:he_shuifa" and payload["variant"] == "blurry" and payload["frames"] > 0
    assert sim.control("GET", "/scene") == (200, {"scene": "face:he_shuifa", "variant": "blurry"})
    assert sim.control("GET", "/state")[1]["scene"] == "face:he_shuifa"


def test_every_persona_has_face_and_photo_scenes(sim):
    status, payload = sim.control("GET", "/scenes")
    assert status == 200
    for persona in load_personas():
        assert f"face:{persona}" in payload["scenes"] and f"photo:{persona}" in payload["scenes"]
    assert {"empty", "two-faces", "dark", "document"} <= set(payload["scenes"])
    assert payload["variants"] == ["far", "close", "off-centre", "blurry"]


@pytest.mark.parametrize("body", [
    {"scene": "face:nobody"},
    {"scene": "sunset"},
    {"scene": "empty:chen_guiying"},
    {"scene": "face:chen_guiying", "variant": "upside-down"},
    {"scene": "dark", "variant": "far"},
    {},
])
def test_bad_scene_requests_are_400_and_change_nothing(sim, body):
    set_scene(sim, "empty")
    status, payload = sim.control("POST", "/scene", body)
    assert status == 400 and payload["error"]
    assert sim.control("GET", "/scene")[1]["scene"] == "empty"


def test_unplug_ends_streams_and_refuses_connections_then_replug_serves_again(sim):
    set_scene(sim, "empty")
    reader = MjpegReader(sim.ports["listen"])
    reader.frame()
    assert sim.control("POST", "/unplug") == (200, {"plugged": False})
    try:
        with pytest.raises((EOFError, OSError, AssertionError)):
            for _ in range(WAIT_FRAMES):
                reader.frame()
    finally:
        reader.close()
    with pytest.raises(OSError):
        MjpegReader(sim.ports["listen"])
    assert sim.control("GET", "/state")[1]["plugged"] is False
    assert sim.control("POST", "/replug") == (200, {"plugged": True})
    reader = MjpegReader(sim.ports["listen"])  # the same port
    try:
        assert reader.frame().shape == (480, 640, 3)
    finally:
        reader.close()


def test_traffic_logs_connections_and_part_headers_not_images(sim):
    sim.control("GET", "/traffic?clear=1")
    reader = MjpegReader(sim.ports["listen"])
    try:
        reader.frame()
    finally:
        reader.close()
    status, payload = sim.control("GET", "/traffic")
    notes = [e.get("note", "") for e in payload["traffic"]]
    assert status == 200 and any("connected" in n for n in notes)
    assert any(n.startswith("frame ") for n in notes)
    assert all(e["len"] < 200 for e in payload["traffic"])  # headers only, never image bytes


@pytest.mark.parametrize("args", [["--fps", "0"], ["--scene", "sunset"], ["--listen", "nonsense"]])
def test_bad_command_line_is_usage_error(args, capsys):
    assert camera_main(args) == 2
    assert "kiosk-sim camera" in capsys.readouterr().err


def test_reset_is_the_start_scene_and_the_cable_in(sim):
    set_scene(sim, "dark")
    sim.control("POST", "/unplug")
    status, state = sim.control("POST", "/reset")
    assert status == 200 and state["scene"] == "empty" and state["plugged"] is True  # --scene default
    reader = MjpegReader(sim.ports["listen"])
    try:
        assert reader.frame().shape == (480, 640, 3)
    finally:
        reader.close()
