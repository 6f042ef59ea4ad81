"""Fuzz every pure parser of the kiosk: device URLs, the kiosk config, SAM frames (stream and single),
ID-card text blocks, scanner framing and decoding, DLE EOT status bytes, 社保卡 TLVs and fields, and
CUPS/IPP attributes. Each target gets mutated valid inputs and plain random ones, and may only raise
its own error type; anything else is a crash, an input that runs longer than --hang-s is a hang.

    .venv/bin/python bench/bench_fuzz_parsers.py [--inputs 1000000] [--only NAME,...] [--seed N]

Prints, per target: inputs, crashes, hangs, inputs per second and the slowest input; the first few
crashing inputs are printed in full. Exit 1 if any target crashed or hung. The test suite runs a short
version (tests/test_fuzz_parsers.py, a few thousand inputs per target).
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.config import DEFAULT_CONFIG, ConfigError, config_from_toml  # noqa: E402
from kiosk.devices import device_url, ipp_status, printer_status, sam_frame, sscard_apdu  # noqa: E402
from kiosk.devices.id_card_fields import IdCardFieldError, parse_appended_address, parse_text_block  # noqa: E402
from kiosk.devices.qr_scanner import ScanError, ScanFramer, decode_payload, printable  # noqa: E402

BATCH = 500  # inputs between two arms of the hang alarm


class Hang(Exception):
    pass


@dataclass
class Target:
    name: str
    make: Callable[[random.Random], Any]  # one input
    run: Callable[[Any], Any]  # the parser on it
    allowed: tuple[type[BaseException], ...]  # its own error types


@dataclass
class Result:
    name: str
    inputs: int = 0
    seconds: float = 0.0
    slowest_s: float = 0.0
    crashes: list[tuple[Any, str]] = field(default_factory=list)
    crash_count: int = 0
    hangs: list[Any] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.inputs / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> bool:
        return not self.crash_count and not self.hangs


# ---- mutation --------------------------------------------------------------------------------------

def mutate(rng: random.Random, data: bytes, pieces: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    """A few random edits: flip, set, insert, delete, duplicate a span, splice in a known piece."""
    b = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 8))):
        op = rng.randrange(6 if pieces else 5)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[pos % len(b)] ^= 1 << rng.randrange(8)
        elif op == 1 and b:
            b[pos % len(b)] = rng.choice((0x00, 0xFF, 0x7F, 0x80, rng.randrange(256)))
        elif op == 2:
            b[pos:pos] = rng.randbytes(rng.randint(1, 8))
        elif op == 3 and b:
            del b[pos:pos + rng.randint(1, 16)]
        elif op == 4 and b:
            start = rng.randrange(len(b))
            b[pos:pos] = b[start:start + rng.randint(1, 32)]
        elif op == 5:
            b[pos:pos] = rng.choice(pieces)
    return bytes(b)


def pick(rng: random.Random, seeds: list[bytes], pieces: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    r = rng.random()
    if r < 0.1:
        return rng.randbytes(rng.randint(0, 64))
    if r < 0.2:
        return rng.choice(seeds)
    return mutate(rng, rng.choice(seeds), pieces)


# ---- targets ---------------------------------------------------------------------------------------

URL_SEEDS = ["/dev/ttyUSB0", "COM3", "socket://127.0.0.1:7001", "loop://", "spy://socket://h:1", "rfc2217://h:2",
             "tcp://127.0.0.1:9100", "tcp://[::1]:9100", "usb://04b8:0202", "serial:///dev/ttyS0?baudrate=9600",
             "index:0", "file:///tmp/v.avi", "http://127.0.0.1:7004/stream.mjpg", "pcsc:Virtual PCD",
             "ipp://127.0.0.1:8631/printers/A4", "cups:A4"]
URL_PIECES = [b"[", b"]", b"::1", b":", b":99999", b":0", b"%", b"%zz", b"?baudrate=", b"?baudrate=-1", b"#", b"@",
              b"//", b"\x00", "中".encode(), b" ", b"/printers/", b"tcp://", b"http://[", b"\\"]
DEVICE_IDS = [*device_url.DEVICE_IDS, "webcam"]


def make_url(rng: random.Random) -> tuple[str, str]:
    raw = pick(rng, [u.encode() for u in URL_SEEDS], URL_PIECES)
    return rng.choice(DEVICE_IDS), raw.decode("utf-8", "replace")


def run_url(arg: tuple[str, str]) -> None:
    device_url.parse_device_url(*arg)


CONFIG = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
CONFIG_VALUES: list[Any] = [float("nan"), float("inf"), -1, 0, -0.0, 1e308, 2**70, 99999, 65535, "", "x", "abc",
                            "440204", "tcp://[::1:9100", "https://[::1", "https://127.0.0.1:0", "http://127.0.0.1:1",
                            "/dev/null", "../var", "中文", "a\nb", True, False, [], [1, "a"], {}, {"suffix": "tab"},
                            {"profile": "90mm"}, {"nested": {"deep": 1}}]


def _copy(node: Any) -> Any:
    return {k: _copy(v) for k, v in node.items()} if isinstance(node, dict) else node


def make_config(rng: random.Random) -> dict[str, Any]:
    """The default config with one to three values replaced, keys dropped or unknown keys added."""
    data = _copy(CONFIG)
    for _ in range(rng.randint(1, 3)):
        table = data
        while True:
            keys = list(table)
            if not keys:
                break
            key = rng.choice(keys)
            if isinstance(table[key], dict) and rng.random() < 0.75:
                table = table[key]
                continue
            break
        op = rng.random()
        if op < 0.7 and table:
            table[rng.choice(list(table))] = rng.choice(CONFIG_VALUES)
        elif op < 0.85 and table:
            del table[rng.choice(list(table))]
        else:
            table[rng.choice(("extra", "url", "driver", "options", "camera", "idcard"))] = rng.choice(CONFIG_VALUES)
    return data


def run_config(data: dict[str, Any]) -> None:
    config_from_toml(data, DEFAULT_CONFIG, env={})


def _sam_seeds() -> list[bytes]:
    from simulators.idcard.card_encoding import photo_blob, text_block
    from simulators.personas import load_personas

    p = next(iter(load_personas().values()))
    data = (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + text_block(p) + photo_blob(p)
    return [sam_frame.build_response(0x90, data), sam_frame.build_response(0x9F, b"\0" * 4),
            sam_frame.build_response(0x80), sam_frame.build_response(0x90, b"\1" * 8),
            sam_frame.build_response(0x41)]


SAM_SEEDS = _sam_seeds()
SAM_PIECES = [sam_frame.PREAMBLE, b"\x00\x04", b"\xaa\xaa", b"\xff\xff", b"\x05\x08"]


def make_sam_stream(rng: random.Random) -> tuple[bytes, list[int]]:
    stream = b"".join(pick(rng, SAM_SEEDS, SAM_PIECES) for _ in range(rng.randint(1, 3)))
    cuts = sorted(rng.randrange(len(stream) + 1) for _ in range(rng.randint(0, 6)))
    return stream, cuts


def run_sam_stream(arg: tuple[bytes, list[int]]) -> None:
    stream, cuts = arg
    dec = sam_frame.FrameDecoder()
    pos = 0
    for cut in [*cuts, len(stream)]:
        dec.feed(stream[pos:cut])
        pos = cut
        while True:  # every pop consumes bytes or asks for more: this ends
            try:
                if dec.pop() is None:
                    break
            except sam_frame.SamFrameError:
                continue
        if dec.needed() < 1:
            raise AssertionError("the decoder asks for no bytes")


def run_sam_frame(frame: bytes) -> None:
    resp = sam_frame.parse_response(frame)
    if sam_frame.build_response(resp.sw3, resp.data, resp.sw1, resp.sw2) != frame:
        raise AssertionError("a parsed frame does not rebuild to itself")


def _text_seeds() -> list[bytes]:
    from simulators.idcard.card_encoding import text_block
    from simulators.personas import load_personas

    return [text_block(p) for p in load_personas().values()]


TEXT_SEEDS = _text_seeds()


def make_text_block(rng: random.Random) -> bytes:
    raw = pick(rng, TEXT_SEEDS, ["长期".encode("utf-16-le"), b"J\x00", b"I\x00", b"Y\x00", b"\x00\xd8"])
    return raw[:256].ljust(256, b" ") if rng.random() < 0.9 else raw


def run_text_block(block: bytes) -> None:
    parse_text_block(block)
    parse_appended_address(block[:70])


def make_scan(rng: random.Random) -> tuple[str, str, list[bytes]]:
    seeds = [b"GD-EID-TOKEN-0001\r\n", "广东省韶关市\r".encode(), "广东省韶关市\r".encode("gbk"), b"\r\n\r\n"]
    data = pick(rng, seeds, [b"\r", b"\n", b"\r\n", b"\xc2\x85", b"\xef\xbb\xbf", b"\xaa\xa1", b"\x00"])
    parts, pos = [], 0
    while pos < len(data):
        n = rng.randint(1, 16)
        parts.append(data[pos:pos + n])
        pos += n
    return rng.choice(("auto", "cr", "lf", "crlf")), rng.choice(("auto", "utf-8", "gbk")), parts


def run_scan(arg: tuple[str, str, list[bytes]]) -> None:
    suffix, encoding, parts = arg
    framer = ScanFramer(suffix, 64)
    for part in parts:
        for frame in framer.feed(part):
            if isinstance(frame, bytes):
                try:
                    code = decode_payload(frame, encoding)
                except ScanError:
                    continue
                if not printable(code.code):
                    raise AssertionError("an unprintable code was passed on")


def make_status(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(256), rng.randrange(256), rng.randrange(256)


def run_status(arg: tuple[int, int, int]) -> None:
    status = printer_status.decode_status(*arg)
    if not all(printer_status.is_status_reply(b) for b in arg):
        raise AssertionError(f"decoded bytes that are not replies: {status}")


def _sscard_seeds() -> list[dict[int, dict[int, bytes]]]:
    from simulators.personas import load_personas
    from simulators.sscard.card import card_records

    return [card_records(p, pad) for p in load_personas().values() if p.sscard is not None for pad in ("space", "nul")]


SSCARD_SEEDS = _sscard_seeds()


def make_sscard(rng: random.Random) -> tuple[bytes, dict[int, bytes], dict[int, bytes]]:
    records = rng.choice(SSCARD_SEEDS)
    ef05 = {t: pick(rng, [v]) if rng.random() < 0.3 else v for t, v in records[0xEF05].items()}
    ef06 = {t: pick(rng, [v], [b"\xff", b"\x00", b"\x99"]) if rng.random() < 0.3 else v
            for t, v in records[0xEF06].items()}
    tlv = b"".join(bytes([t, len(v)]) + v for t, v in ef06.items())
    return pick(rng, [tlv], [b"\x81", b"\x82\xff\xff", b"\x08"]), ef05, ef06


def run_sscard(arg: tuple[bytes, dict[int, bytes], dict[int, bytes]]) -> None:
    tlv, ef05, ef06 = arg
    try:
        sscard_apdu.parse_tlv(tlv)
    except sscard_apdu.SocialSecurityCardError:
        pass
    sscard_apdu.split_response(tlv)
    sscard_apdu.decode_card(ef05, ef06)


ATTR_VALUES: list[Any] = [None, "", "none", "idle", 3, 4, 5, -1, 2**40, "3", "x", True, False, 3.5, b"\xff",
                          ["media-empty-error", "door-open-warning"], ["paused"], ("offline-report",), [1, None],
                          "The printer is not responding.", {"a": 1}]


def make_ipp(rng: random.Random) -> dict[str, Any]:
    keys = ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message",
            "job-state", "job-state-reasons", "job-printer-state-message"]
    return {k: rng.choice(ATTR_VALUES) for k in keys if rng.random() < 0.7}


def run_ipp(attrs: dict[str, Any]) -> None:
    q = ipp_status.decode_printer(attrs)
    q.to_dict()
    ipp_status.merge_live(q, ipp_status.decode_printer(attrs) if attrs.get("printer-state") else None).to_dict()
    job = ipp_status.decode_job(attrs)
    _ = job.name, job.done


TARGETS = [
    Target("device_url", make_url, run_url, (device_url.DeviceUrlError,)),
    Target("config", make_config, run_config, (ConfigError,)),
    Target("sam_stream", make_sam_stream, run_sam_stream, ()),
    Target("sam_frame", lambda rng: pick(rng, SAM_SEEDS, SAM_PIECES), run_sam_frame, (sam_frame.SamFrameError,)),
    Target("id_text_block", make_text_block, run_text_block, (IdCardFieldError,)),
    Target("scanner", make_scan, run_scan, ()),
    Target("printer_status", make_status, run_status, (printer_status.StatusByteError,)),
    Target("sscard", make_sscard, run_sscard, (sscard_apdu.SocialSecurityCardError,)),
    Target("ipp_status", make_ipp, run_ipp, ()),
]


# ---- the harness -----------------------------------------------------------------------------------

def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def fuzz(target: Target, inputs: int, seed: int = 16, hang_s: float = 5.0) -> Result:
    """Run `inputs` inputs through one target (main thread: the hang alarm is SIGALRM)."""
    rng = random.Random(f"{seed}:{target.name}")
    result = Result(target.name)
    outer = signal.getitimer(signal.ITIMER_REAL)[0]  # e.g. pytest-timeout's alarm: given back below
    previous = signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    try:
        for _ in range(inputs):
            arg = target.make(rng)
            signal.setitimer(signal.ITIMER_REAL, hang_s)
            t0 = time.perf_counter()
            try:
                target.run(arg)
            except Hang:
                result.hangs.append(arg)
            except target.allowed:
                pass
            except Exception as exc:  # a crash: anything but the parser's own error
                result.crash_count += 1
                if len(result.crashes) < 3:
                    result.crashes.append((arg, f"{type(exc).__name__}: {exc}"))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            result.slowest_s = max(result.slowest_s, time.perf_counter() - t0)
            result.inputs += 1
    finally:
        signal.signal(signal.SIGALRM, previous)
        result.seconds = time.perf_counter() - start
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(0.001, outer - result.seconds))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=1_000_000, help="inputs per target (default 1,000,000)")
    ap.add_argument("--only", help="comma-separated target names: " + ",".join(t.name for t in TARGETS))
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--hang-s", type=float, default=5.0, help="one input running longer is a hang")
    args = ap.parse_args(argv)
    chosen = [t for t in TARGETS if not args.only or t.name in args.only.split(",")]
    print(f"{'target':16} {'inputs':>10} {'crashes':>8} {'hangs':>6} {'inputs/s':>10} {'slowest':>10}")
    ok = True
    for target in chosen:
        r = fuzz(target, args.inputs, args.seed, args.hang_s)
        ok &= r.ok
        print(f"{r.name:16} {r.inputs:>10,} {r.crash_count:>8} {len(r.hangs):>6} {r.per_second:>10,.0f} "
              f"{r.slowest_s * 1000:>8.1f} ms", flush=True)
        for arg, error in r.crashes:
            print(f"    crash: {error}\n      input: {arg!r:.300}")
        for arg in r.hangs[:3]:
            print(f"    hang: input {arg!r:.300}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
