"""Camera speed at 640×480 on this machine: detection fps, face-check fps, preview fps.

    .venv/bin/python bench/bench_camera.py [--seconds S] [--sim-fps N]

1. Detection: FaceDetector.assess (Haar face + quality checks) on the live-face frames of both face
   photos, frames per second on one thread. Target >= 15.
2. Face check: FaceCheckSession.feed (quality + blink challenge, eye cascades) per frame. Target >= 15.
3. Document: find_page + rectify + enhance + JPEG on the document scene, scans per second.
4. Preview: the Camera driver against the simulator serving MJPEG at --sim-fps (default 30, above the
   target so the driver is the limit, not the source); frames reaching a frame listener per second,
   and the median gap between two of them. Target >= 15.

Run it on an otherwise idle machine; the figures are per process, and OpenCV may use both cores.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import cv2
import numpy as np

from kiosk.devices.camera import Camera
from kiosk.devices.document_scan import scan_document
from kiosk.devices.face_capture import FaceDetector
from kiosk.devices.liveness import FaceCheckSession, FaceCheckSettings
from simulators.camera.scenes import parse_scene, scene_frames
from simulators.process import start_simulator

TARGET_FPS = 15.0


def decoded(scene: str) -> list[np.ndarray]:
    return [cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_COLOR) for b in scene_frames(parse_scene(scene))]


def rate(fn, frames: list[np.ndarray], seconds: float) -> float:
    """Calls per second of fn(frame), cycling through the frames for about `seconds`."""
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds or n < len(frames):
        fn(frames[n % len(frames)])
        n += 1
    return n / elapsed


def bench_detection(seconds: float) -> float:
    frames = decoded("face:chen_guiying") + decoded("face:li_jianguo")
    detector = FaceDetector()
    return rate(detector.assess, frames, seconds)


def bench_face_check(seconds: float) -> float:
    frames = decoded("face:chen_guiying") + decoded("face:li_jianguo")
    state = {"session": None, "t": 0.0}

    def feed(frame: np.ndarray) -> None:
        session = state["session"]
        if session is None or session.finished:
            session = state["session"] = FaceCheckSession(settings=FaceCheckSettings(liveness_timeout_s=1e9))
        state["t"] += 1 / 15
        session.feed(frame, state["t"])

    return rate(feed, frames, seconds)


def bench_document(seconds: float) -> float:
    return rate(scan_document, decoded("document"), seconds)


def bench_preview(seconds: float, sim_fps: float) -> tuple[float, float]:
    with start_simulator("camera", "--fps", str(sim_fps), "--scene", "face:chen_guiying") as sim:
        camera = Camera("camera", sim.ports["url"])
        stamps: list[float] = []
        ready = threading.Event()

        def on_frame(frame_id: int, frame: np.ndarray) -> None:
            stamps.append(time.perf_counter())
            if len(stamps) >= 5:
                ready.set()

        camera.add_frame_listener(on_frame)
        camera.open()
        try:
            camera.enable()
            ready.wait(30)
            first = len(stamps)
            time.sleep(seconds)
            window = stamps[first:]
        finally:
            camera.close()
    fps = (len(window) - 1) / (window[-1] - window[0]) if len(window) > 1 else 0.0
    gaps = [b - a for a, b in zip(window, window[1:], strict=False)]
    return fps, 1000 * statistics.median(gaps) if gaps else float("nan")


def verdict(fps: float) -> str:
    return "ok" if fps >= TARGET_FPS else f"BELOW the {TARGET_FPS:g} fps target"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement (default 5)")
    ap.add_argument("--sim-fps", type=float, default=30.0, help="simulator frame rate for the preview")
    args = ap.parse_args()
    print(f"camera bench, 640x480, OpenCV {cv2.__version__}, {cv2.getNumberOfCPUs()} CPUs, "
          f"{cv2.getNumThreads()} OpenCV threads")
    det = bench_detection(args.seconds)
    print(f"detection (face + quality checks): {det:6.1f} fps  {verdict(det)}")
    chk = bench_face_check(args.seconds)
    print(f"face check (quality + blink):      {chk:6.1f} fps  {verdict(chk)}")
    doc = bench_document(args.seconds)
    print(f"document scan (find+warp+enhance):  {doc:6.1f} scans/s")
    fps, gap = bench_preview(args.seconds, args.sim_fps)
    print(f"preview via the driver (MJPEG at {args.sim_fps:g} fps): {fps:6.1f} fps, median frame gap "
          f"{gap:.1f} ms  {verdict(fps)}")


if __name__ == "__main__":
    main()
