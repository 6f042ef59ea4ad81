"""Camera driver against the camera simulator (a real process serving MJPEG) and a video file."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.config import BackendConfig, Config, DeviceConfig
from kiosk.devices.camera import Camera
from kiosk.devices.device_url import DeviceUrlError
from kiosk.devices.document_scan import enhance
from kiosk.devices.face_capture import FaceDetector
from kiosk.devices.liveness import BLINK_PROMPT, DONE_PROMPT, LIVENESS_FAILED, FaceCheckSettings
from kiosk.devices.manager import DeviceManager
from kiosk.devices.model import Completion, DeviceError, DeviceState, HealthLevel
from kiosk.devices.registry import driver_class
from kiosk.services import messages
from simulators.camera.scenes import paper_sheet
from simulators.process import start_simulator
from tests.devices.camera_frames import frames as frames_of
from tests.simulators.printer_control import wait_until

WAIT = 30.0


@pytest.fixture(scope="module")
def sim():
    with start_simulator("camera") as proc:
        yield proc


def scene(sim, name: str, variant: str | None = None) -> None:
    body = {"scene": name} | ({"variant": variant} if variant else {})
    assert sim.control("POST", "/scene", body)[0] == 200


class Frames:
    """A frame listener that lets a test wait for a number of frames."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.ids: list[int] = []
        self.shapes: set[tuple[int, ...]] = set()

    def __call__(self, frame_id: int, frame: np.ndarray) -> None:
        with self.cond:
            self.ids.append(frame_id)
            self.shapes.add(frame.shape)
            self.cond.notify_all()

    def wait(self, count: int, timeout: float = WAIT) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: len(self.ids) >= count, timeout)


class States:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.seen: list[DeviceState] = []

    def __call__(self, status) -> None:
        with self.cond:
            self.seen.append(status.state)
            self.cond.notify_all()

    def wait(self, state: DeviceState, timeout: float = WAIT) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: state in self.seen, timeout)


@pytest.fixture
def camera(sim):
    cam = Camera("camera", sim.ports["url"], command_timeout=20.0)
    yield cam
    cam.close()


def test_registry_names_the_driver():
    assert driver_class("opencv") is Camera


def test_bad_source_and_options_are_rejected_without_io():
    with pytest.raises(DeviceUrlError):
        Camera("camera", "rtsp://127.0.0.1/stream")
    with pytest.raises(ValueError, match="unknown camera option"):
        Camera("camera", "index:0", zoom=2)


def test_preview_frames_reach_listeners_on_the_capture_thread(sim, camera):
    scene(sim, "face:chen_guiying")
    frames = Frames()
    threads: set[str] = set()
    camera.add_frame_listener(frames)
    camera.add_frame_listener(lambda i, f: threads.add(threading.current_thread().name))
    camera.open()
    assert camera.status.state is DeviceState.ONLINE
    assert camera.status.extras["size"] == "640x480"
    camera.enable()
    assert frames.wait(10)
    assert frames.shapes == {(480, 640, 3)}
    assert frames.ids == sorted(frames.ids) and len(set(frames.ids)) == len(frames.ids)
    assert threads == {"camera-capture"}
    latest = camera.latest_frame()
    assert latest is not None and latest[0] >= frames.ids[9]


def test_listeners_are_quiet_while_disabled_but_commands_still_get_frames(sim, camera):
    scene(sim, "empty")
    frames = Frames()
    camera.add_frame_listener(frames)
    camera.open()
    jpeg = camera.snapshot().wait()
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (480, 640, 3)
    assert frames.ids == []


def test_a_slow_consumer_gets_the_newest_frame_not_a_backlog(sim, camera):
    scene(sim, "empty")
    frames = Frames()
    camera.add_frame_listener(frames)
    camera.open()
    camera.enable()
    assert frames.wait(2)
    first_id, _ = camera.wait_frame(0)
    with frames.cond:
        target = len(frames.ids) + 5
    assert frames.wait(target)  # the consumer was busy while five more frames came in
    next_id, _ = camera.wait_frame(first_id)
    assert next_id >= first_id + 5  # it skips to the newest one; nothing was queued for it


def capture_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "camera-capture"]


def stream_clients(sim) -> int:
    return sim.control("GET", "/state")[1]["clients"]


def test_the_source_is_held_only_while_frames_are_wanted(sim, camera):
    """Idle at zero: open() only checks the source; enable() and commands hold it, disable() lets it go."""
    scene(sim, "empty")
    camera.open()
    assert camera.status.state is DeviceState.ONLINE and camera.status.extras["size"] == "640x480"
    assert camera._cap is None and capture_threads() == []
    wait_until(lambda: stream_clients(sim) == 0, "the camera to let the stream go after open()")
    frames = Frames()
    camera.add_frame_listener(frames)
    camera.enable()
    assert frames.wait(2)
    assert capture_threads() == ["camera-capture"] and stream_clients(sim) == 1
    camera.disable()
    camera.submit("sync", lambda token: None).wait()  # runs after the stop queued by disable()
    assert camera._cap is None and capture_threads() == [] and camera.latest_frame() is None
    assert camera.snapshot().wait()[:2] == b"\xff\xd8"  # a command holds the source while it runs
    assert camera._cap is None and capture_threads() == []
    assert camera.status.state is DeviceState.ONLINE
    wait_until(lambda: stream_clients(sim) == 0, "the simulator to see the stream closed")


def test_health_reports_frames(sim, camera):
    scene(sim, "empty")
    camera.open()
    report = camera.check_health(HealthLevel.EXTERNAL)
    assert report.ok and "640x480" in report.text


def test_live_face_passes_with_guidance_and_a_portrait_jpeg(sim, camera):
    scene(sim, "face:li_jianguo")
    camera.open()
    prompts: list[str] = []
    settings = FaceCheckSettings(liveness_timeout_s=30.0)  # generous: a busy machine skips frames
    result = camera.capture_face(on_progress=lambda p: prompts.append(p.code), timeout=60,
                                 settings=settings).wait()
    assert result.blinks >= 1
    crop = cv2.imdecode(np.frombuffer(result.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert crop.shape[0] > crop.shape[1]
    assert FaceDetector().assess(cv2.resize(crop, (400, 480))).face_count == 1
    assert BLINK_PROMPT in prompts and prompts[-1] == DONE_PROMPT


def test_photo_held_up_fails_liveness(sim, camera):
    scene(sim, "photo:li_jianguo")
    camera.open()
    prompts: list[str] = []
    settings = FaceCheckSettings(liveness_timeout_s=3.0, min_challenge_frames=20)
    cmd = camera.capture_face(on_progress=lambda p: prompts.append(p.code), timeout=90, settings=settings)
    with pytest.raises(DeviceError) as info:
        cmd.wait()
    assert cmd.completion is Completion.USER_ERROR
    assert info.value.code == LIVENESS_FAILED
    assert BLINK_PROMPT in prompts and prompts[-1] == LIVENESS_FAILED


def test_face_check_times_out_with_the_last_guidance(sim, camera):
    scene(sim, "face:chen_guiying", "far")
    camera.open()
    cmd = camera.capture_face(timeout=8.0)  # long enough for a loaded machine to check a frame
    with pytest.raises(DeviceError) as info:
        cmd.wait()
    assert cmd.completion is Completion.TIMEOUT
    assert info.value.code == "camera.face_timeout_hint"
    assert info.value.params == {"hint": "camera.guidance.too_far"}
    assert "请靠近一点" in messages.for_error(info.value)


def test_document_scan_gives_a_straight_page(sim, camera):
    scene(sim, "document")
    camera.open()
    hints: list[str] = []
    scan = camera.scan_document(on_progress=hints.append, timeout=30).wait()
    page = scan.image
    assert page.shape[1] > page.shape[0]
    sheet = cv2.cvtColor(paper_sheet(), cv2.COLOR_BGR2GRAY)
    t = round(0.01 * min(sheet.shape))  # the scan trims 1 % off each edge
    truth = cv2.resize(enhance(sheet[t:-t, t:-t]), (page.shape[1], page.shape[0]), interpolation=cv2.INTER_AREA)
    # A corner found 1-2 px off (the scene jitters like a hand) shifts the whole scan by a pixel or
    # two, which alone drops a pixel correlation of text lines a lot: register the shift first
    # (it must stay tiny), then require the straightened page to match the original.
    (dx, dy), _ = cv2.phaseCorrelate(truth.astype(np.float32), page.astype(np.float32))
    assert abs(dx) < 4 and abs(dy) < 4, (dx, dy)
    shifted = cv2.warpAffine(truth, np.float32([[1, 0, dx], [0, 1, dy]]), (truth.shape[1], truth.shape[0]),
                             borderMode=cv2.BORDER_REPLICATE)
    a, b = page.astype(float) - page.mean(), shifted.astype(float) - shifted.mean()
    assert (a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()) > 0.8
    assert "camera.document.hold_still" in hints


def test_document_scan_without_a_page_times_out_with_guidance(sim, camera):
    scene(sim, "face:chen_guiying")  # a person, no page
    camera.open()
    cmd = camera.scan_document(timeout=8.0)  # long enough for a loaded machine to check a frame
    with pytest.raises(DeviceError) as info:
        cmd.wait()
    assert cmd.completion is Completion.TIMEOUT and info.value.code == "camera.document.no_page"
    assert "请把材料平放" in messages.for_error(info.value)


def test_open_fails_cleanly_when_nothing_listens():
    with socket_port() as port:
        cam = Camera("camera", f"http://127.0.0.1:{port}/stream.mjpg", command_timeout=10.0)
    with pytest.raises(DeviceError) as info:
        cam.open()
    try:
        assert info.value.completion is Completion.DEVICE_NOT_READY
        assert cam.status.state is DeviceState.NO_DEVICE
        assert info.value.code == "camera.unavailable"
    finally:
        cam.close()


def socket_port():
    """A port that was free a moment ago (bound, then closed)."""
    import contextlib
    import socket

    @contextlib.contextmanager
    def _free():
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        yield port

    return _free()


def test_unplug_goes_offline_and_the_manager_reconnects_after_replug():
    with start_simulator("camera", "--scene", "empty") as sim:
        config = Config(kiosk_id="T-1", region_code="440204", log_dir=Path("/tmp"),
                        backend=BackendConfig(url="https://127.0.0.1:1", key_file=Path("/tmp/k")),
                        devices={"camera": DeviceConfig(driver="opencv", url=sim.ports["url"], timeout_s=10.0,
                                                        options={"read_timeout_s": 2.0})})
        manager = DeviceManager(config, backoff_initial=0.2, backoff_max=1.0)
        states = States()
        manager.add_status_listener(states)
        try:
            manager.open_all()
            camera = manager.get("camera")
            assert isinstance(camera, Camera) and camera.status.state is DeviceState.ONLINE
            frames = Frames()
            camera.add_frame_listener(frames)
            camera.enable()
            assert frames.wait(3)
            sim.control("POST", "/unplug")
            assert states.wait(DeviceState.OFFLINE)
            with pytest.raises(DeviceError):
                camera.snapshot(timeout=5).wait()
            assert states.wait(DeviceState.NO_DEVICE)  # the watchdog tried while unplugged
            with states.cond:
                states.seen.clear()
            seen_before = len(frames.ids)
            sim.control("POST", "/replug")
            assert states.wait(DeviceState.ONLINE)
            assert frames.wait(seen_before + 5)  # still enabled: the preview resumes by itself
            assert camera.snapshot().wait()[:2] == b"\xff\xd8"
        finally:
            manager.close_all()


def test_a_video_file_plays_in_a_loop(tmp_path):
    path = tmp_path / "face.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 480))
    for frame in frames_of("face:chen_guiying")[:6]:
        writer.write(frame)
    writer.release()
    cam = Camera("camera", f"file://{path}")
    frames = Frames()
    cam.add_frame_listener(frames)
    try:
        cam.open()
        assert cam.status.extras["source"] == "file"
        cam.enable()
        assert frames.wait(15)  # more frames than the file holds: it looped
        assert cam.status.state is DeviceState.ONLINE
    finally:
        cam.close()
    assert cam.status.state is DeviceState.CLOSED
