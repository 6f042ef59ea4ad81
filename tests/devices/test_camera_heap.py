"""The camera keeps frame-sized buffers out of glibc's arenas (issue 27, docs/performance.md).

In a fresh interpreter (the allocator's state is the process's): by default blocks of 200 KiB
grow the heap once a larger block was freed (glibc's dynamic mmap threshold); after the camera has
opened its source, glibc maps such blocks on their own (and unmaps them when freed) rather than
grow a heap for them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import ctypes, sys
    import cv2
    import numpy as np

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                    "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL(None)
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.mallinfo2.restype = MallInfo2

    def frame_sized_blocks_are_mapped():
        # A large block freed: glibc's dynamic threshold would rise to its size. Then 50 blocks of
        # 200 KiB (10 MiB, more than the free space a fresh interpreter's heap has to serve them from):
        # mapped on their own, or carved out of a growing heap?
        libc.free(libc.malloc(16 << 20))
        before = libc.mallinfo2().hblkhd
        blocks = [libc.malloc(200 << 10) for _ in range(50)]
        mapped = libc.mallinfo2().hblkhd - before
        for block in blocks:
            libc.free(block)
        libc.malloc_trim(0)  # what the heap grew by goes back: the next call starts from the same place
        return mapped >= 5 << 20

    print("before", frame_sized_blocks_are_mapped())
    from kiosk.devices.camera import Camera

    writer = cv2.VideoWriter(sys.argv[1], cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (64, 48))
    for _ in range(3):
        writer.write(np.zeros((48, 64, 3), np.uint8))
    writer.release()
    cam = Camera("camera", "file://" + sys.argv[1])
    cam.open()
    cam.close()
    print("after", frame_sized_blocks_are_mapped())
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_frames_are_unmapped_when_freed_once_the_camera_has_opened(tmp_path):
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "clip.avi")], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["before", "False", "after", "True"]
