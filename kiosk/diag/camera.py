"""`kiosk-diag camera`: check the camera (face check and 高拍仪).

    kiosk-diag camera snapshot --source SRC --out FILE.jpg            one fresh frame
    kiosk-diag camera snapshot --source SRC --out FILE.jpg --face     wait for a quality-checked, live
                                                                      face (blink); the portrait crop
    kiosk-diag camera snapshot --source SRC --out FILE.jpg --face --no-liveness   quality checks only
    kiosk-diag camera snapshot --source SRC --out FILE.jpg --document a straightened, enhanced page
    kiosk-diag camera status   --source SRC                           open, read frames, measure fps

SRC is a camera source (docs/vocabulary.md): `index:0`, `file:///path/video.avi`, `http://HOST:PORT/stream.mjpg`.
Guidance shown to the resident (请靠近一点 …) is printed on stderr as it changes.
Exit status: 0 ok; 1 the check did not pass in time (no usable face, no page, no live blink);
2 bad usage; 3 offline (the source cannot be opened, no frames, camera error).
Images are written only to --out, never logged.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

from kiosk.devices.camera import Camera
from kiosk.devices.device_url import DeviceUrlError
from kiosk.devices.liveness import FaceCheckProgress, FaceCheckSettings
from kiosk.devices.model import DeviceError, HealthLevel
from kiosk.diag import exit_codes
from kiosk.services import messages


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kiosk-diag camera", description=__doc__.splitlines()[0],
                                 epilog=exit_codes.HELP)
    sub = ap.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="write a JPEG: a frame, a checked face or a page")
    snap.add_argument("--source", required=True, help="index:N, file:///path or http://HOST:PORT/stream.mjpg")
    snap.add_argument("--out", required=True, help="the JPEG file to write")
    mode = snap.add_mutually_exclusive_group()
    mode.add_argument("--face", action="store_true", help="wait for a quality-checked live face")
    mode.add_argument("--document", action="store_true", help="find, straighten and enhance a page")
    snap.add_argument("--no-liveness", action="store_true", help="with --face: skip the blink challenge")
    snap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait (default 30)")
    snap.add_argument("--liveness-timeout", type=float, default=8.0,
                      help="with --face: seconds the blink challenge may take (default 8)")
    snap.add_argument("--json", action="store_true", help="print the result as one JSON object")
    status = sub.add_parser("status", help="open the source, read frames for a few seconds, report")
    status.add_argument("--source", required=True)
    status.add_argument("--seconds", type=float, default=3.0)
    return ap


def _open(source: str) -> Camera:
    camera = Camera("camera", source, command_timeout=15.0)
    camera.open()
    return camera


def _snapshot(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".jpg", ".jpeg"):
        print("kiosk-diag camera: --out must name a .jpg file", file=sys.stderr)
        return 2
    camera = _open(args.source)
    try:
        summary: dict[str, object] = {"source": args.source, "out": str(out)}
        if args.face:
            def show(progress: FaceCheckProgress) -> None:
                print(f"[{progress.stage}] {messages.text(progress.code)}", file=sys.stderr, flush=True)

            settings = FaceCheckSettings(liveness=not args.no_liveness,
                                         liveness_timeout_s=args.liveness_timeout)
            result = camera.capture_face(on_progress=show, timeout=args.timeout, settings=settings).wait()
            data = result.jpeg
            summary.update(mode="face", liveness=not args.no_liveness, blinks=result.blinks,
                           frames=result.frames, metrics=result.metrics)
        elif args.document:
            scan = camera.scan_document(
                on_progress=lambda code: print(messages.text(code), file=sys.stderr, flush=True),
                timeout=args.timeout).wait()
            data = scan.jpeg
            summary.update(mode="document", size=[int(scan.image.shape[1]), int(scan.image.shape[0])],
                           corners=[[round(float(v), 1) for v in p] for p in scan.corners])
        else:
            data = camera.snapshot(timeout=args.timeout).wait()
            summary.update(mode="frame")
    finally:
        camera.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    summary["bytes"] = len(data)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"wrote {out} ({len(data)} bytes, {summary['mode']})")
    return 0


def _status(args: argparse.Namespace) -> int:
    camera = _open(args.source)
    times: list[float] = []
    done = threading.Event()

    def count(frame_id: int, frame: object) -> None:
        times.append(time.monotonic())

    camera.add_frame_listener(count)
    try:
        camera.enable()
        done.wait(args.seconds)
        report = camera.check_health(HealthLevel.EXTERNAL)
    finally:
        camera.close()
    fps = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 2 else 0.0
    print(f"{report.text}; {len(times)} frames in {args.seconds:g} s ({fps:.1f} fps)")
    return exit_codes.OK if report.ok and times else exit_codes.OFFLINE


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return _snapshot(args) if args.command == "snapshot" else _status(args)
    except DeviceUrlError as exc:
        print(f"kiosk-diag camera: {exc}", file=sys.stderr)
        return 2
    except DeviceError as exc:
        print(f"kiosk-diag camera: {exc.completion}: {exc.detail}", file=sys.stderr)
        print(f"{messages.for_error(exc)} [{exc.code}]", file=sys.stderr)
        waited_for_person = args.command == "snapshot" and (args.face or args.document)
        return exit_codes.for_device_error(exc, person_step=waited_for_person)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
