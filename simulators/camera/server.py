"""`kiosk-sim camera`: a network camera serving MJPEG, with scenes switched live.

    kiosk-sim camera --listen 127.0.0.1:7004 [--control HOST:PORT] [--fps 15] [--scene empty]

Stream:  GET http://HOST:PORT/stream.mjpg   multipart/x-mixed-replace JPEG frames (640×480)
         GET http://HOST:PORT/snapshot.jpg  the current frame
The kiosk opens the stream with cv2.VideoCapture (docs/vocabulary.md: camera url `http://…/stream.mjpg`).

Control API (JSON; the hub forwards /camera/<path> here):
    POST /scene   {"scene": "face:chen_guiying", "variant": "far"}   switch now (variant optional)
    GET  /scene   the current scene
    GET  /scenes  what can be asked for
    GET  /state   scene, plugged, clients, frames sent, fps
    POST /unplug  close every stream and refuse connections (same port kept)
    POST /replug  listen again
    POST /reset   back to the start scene (--scene), plugged in
    GET  /traffic connection events and part headers (no image bytes)
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from simulators.camera.scenes import (
    PERSONA_SCENES,
    SIMPLE_SCENES,
    VARIANTS,
    Scene,
    SceneError,
    parse_scene,
    scene_frames,
)
from simulators.control import (
    ControlError,
    ControlServer,
    WireLog,
    announce_ready,
    parse_listen,
    plug_routes,
    wait_forever,
)
from simulators.personas import load_personas
from simulators.personas.faces import ensure_face_cache

BOUNDARY = "kioskframe"
SEND_BUFFER = 64 * 1024  # bytes: about one frame


class FrameClock:
    """The camera's sensor: the current scene's frames, advanced at `fps` on its own thread."""

    def __init__(self, fps: float, scene: Scene) -> None:
        self.fps = fps
        self._cond = threading.Condition()
        self._lock = threading.Lock()  # scene switches, one at a time
        self.scene = scene
        self._frames: list[bytes] = []  # rendered by start(): no file reads in the constructor
        self.seq = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="camera-clock", daemon=True)

    def start(self) -> FrameClock:
        self.switch(self.scene)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        period = 1.0 / self.fps
        next_tick = time.monotonic()
        while not self._stop.is_set():
            next_tick += period
            delay = next_tick - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
            else:
                next_tick = time.monotonic()  # fell behind (busy machine): do not burst
            with self._cond:
                self.seq += 1
                self._cond.notify_all()

    def switch(self, scene: Scene) -> int:
        """Render the new scene, then swap it in; frames served after this returns are the new ones."""
        with self._lock:
            frames = scene_frames(scene)
            with self._cond:
                self.scene, self._frames = scene, frames
                self.seq += 1
                self._cond.notify_all()
            return len(frames)

    def current(self) -> tuple[int, bytes]:
        with self._cond:
            return self.seq, self._frames[self.seq % len(self._frames)]

    def wait_next(self, after: int, timeout: float = 1.0) -> tuple[int, bytes]:
        with self._cond:
            self._cond.wait_for(lambda: self.seq != after, timeout)
            return self.seq, self._frames[self.seq % len(self._frames)]


class CameraSimulator:
    def __init__(self, host: str, port: int, fps: float, scene: str) -> None:
        self.host, self.port = host, port
        self.start_scene = parse_scene(scene)
        self.clock = FrameClock(fps, self.start_scene)
        self.wire = WireLog()
        self.frames_sent = 0
        self.connections = 0
        self._clients: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.plugged = threading.Event()

    # ---- the stream server ------------------------------------------------------------------
    def _make_handler(self) -> type[BaseHTTPRequestHandler]:
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # the stream ends when the connection closes

            def log_message(self, fmt: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/stream.mjpg":
                    sim._stream(self)
                elif path == "/snapshot.jpg":
                    _, jpeg = sim.clock.current()
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", str(len(jpeg)))
                    self.end_headers()
                    self.wfile.write(jpeg)
                else:
                    self.send_error(404, "try /stream.mjpg or /snapshot.jpg")

        return Handler

    def _stream(self, handler: BaseHTTPRequestHandler) -> None:
        conn = handler.connection
        # A small send buffer, like a real IP camera: a slow client gets the newest frame when it is
        # ready again instead of a long backlog of stale ones.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        with self._lock:
            if not self.plugged.is_set():
                return
            self._clients.add(conn)
            self.connections += 1
        peer = f"{handler.client_address[0]}:{handler.client_address[1]}"
        self.wire.add("in", b"", f"client {peer} connected")
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
            handler.send_header("Cache-Control", "no-cache, no-store")
            handler.send_header("Pragma", "no-cache")
            handler.end_headers()
            seq = -1
            while self.plugged.is_set():
                seq, jpeg = self.clock.wait_next(seq)
                head = (f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                        f"Content-Length: {len(jpeg)}\r\n\r\n").encode()
                handler.wfile.write(head + jpeg + b"\r\n")
                self.wire.add("out", head, f"frame {seq} ({len(jpeg)} bytes JPEG)")
                with self._lock:
                    self.frames_sent += 1
        except OSError:
            pass  # the client went away, or unplug closed the socket under us
        finally:
            with self._lock:
                self._clients.discard(conn)
            self.wire.add("in", b"", f"client {peer} gone")

    def start(self) -> CameraSimulator:
        server = ThreadingHTTPServer((self.host, self.port), self._make_handler())
        server.daemon_threads = True
        self.port = server.server_address[1]  # kept across unplug/replug
        self._server = server
        self.plugged.set()
        threading.Thread(target=server.serve_forever, name="camera-http", daemon=True).start()
        return self

    def unplug(self) -> None:
        self.plugged.clear()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        with self._lock:
            clients = list(self._clients)
        for conn in clients:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.wire.add("in", b"", "unplugged")

    def replug(self) -> None:
        if self._server is None:
            self.start()
            self.wire.add("in", b"", "replugged")

    # ---- control ----------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        scene = self.clock.scene
        with self._lock:
            clients = len(self._clients)
        return {"scene": scene.name, "variant": scene.variant or None, "plugged": self.plugged.is_set(),
                "clients": clients, "connections": self.connections, "frames_sent": self.frames_sent,
                "fps": self.clock.fps, "port": self.port,
                "stream": f"http://{self.host}:{self.port}/stream.mjpg"}

    def control_routes(self) -> dict[tuple[str, str], Any]:
        def set_scene(body: dict, query: dict) -> tuple[int, Any]:
            if "scene" not in body:
                raise ControlError('body needs "scene", e.g. {"scene": "face:chen_guiying"}')
            try:
                scene = parse_scene(body["scene"], body.get("variant") or "")
            except SceneError as exc:
                raise ControlError(str(exc)) from exc
            frames = self.clock.switch(scene)
            return 200, {"scene": scene.name, "variant": scene.variant or None, "frames": frames}

        def reset(body: dict, query: dict) -> tuple[int, Any]:
            if self.clock.scene != self.start_scene:
                self.clock.switch(self.start_scene)
            self.replug()
            return 200, self.state()

        def get_scene(body: dict, query: dict) -> tuple[int, Any]:
            scene = self.clock.scene
            return 200, {"scene": scene.name, "variant": scene.variant or None}

        def scenes(body: dict, query: dict) -> tuple[int, Any]:
            personas = sorted(load_personas())
            listed = [f"{kind}:{p}" for kind in PERSONA_SCENES for p in personas] + list(SIMPLE_SCENES)
            return 200, {"scenes": listed, "variants": list(VARIANTS)}

        return {
            ("POST", "/scene"): set_scene,
            ("GET", "/scene"): get_scene,
            ("GET", "/scenes"): scenes,
            ("POST", "/reset"): reset,
            ("GET", "/state"): lambda body, query: (200, self.state()),
            **plug_routes(self),
            ("GET", "/traffic"): self.wire.handler,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-sim camera", description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT of the MJPEG stream (0 = any)")
    parser.add_argument("--control", default="127.0.0.1:0", help="HOST:PORT of the JSON control API")
    parser.add_argument("--fps", type=float, default=15.0, help="frames per second (default 15)")
    parser.add_argument("--scene", default="empty", help="initial scene (default: empty)")
    args = parser.parse_args(argv)
    try:
        host, port = parse_listen(args.listen)
        chost, cport = parse_listen(args.control)
        parse_scene(args.scene)
    except (ValueError, SceneError) as exc:
        print(f"kiosk-sim camera: {exc}", file=sys.stderr)
        return 2
    if not 1 <= args.fps <= 60:
        print("kiosk-sim camera: --fps must be between 1 and 60", file=sys.stderr)
        return 2
    ensure_face_cache()  # build once before READY so scene switches are quick
    sim = CameraSimulator(host, port, args.fps, args.scene)
    sim.clock.start()
    sim.start()
    control = ControlServer(sim.control_routes(), host=chost, port=cport).start()
    announce_ready(listen=sim.port, control=control.port,
                   url=f"http://{host}:{sim.port}/stream.mjpg")
    wait_forever()
    sim.unplug()
    sim.clock.stop()
    control.stop()
    return 0
