"""Optional WLT photo decoding through a plug-in. Without one the photo stays raw.

The 1024-byte WLT photo on an ID card decodes (to 102×126 24-bit BGR) only through a vendor library;
no open codec exists. A decoder is found, in this order:

1. an entry point in the group ``kiosk.wlt_decoders`` (first one wins): a callable
   ``decode(wlt: bytes) -> bytes`` returning an image file (BMP) or raising on failure;
2. the environment variable ``KIOSK_WLT_LIBRARY`` naming a shared library with the common vendor
   signature ``int unpack(char *wlt, char *bmp, int save_file)`` (libwlt2bmp.so / libwltdecode.so);
   ``KIOSK_WLT_FUNCTION`` overrides the symbol name. Return value 1 means success.

A decoder failure is logged (without data) and the photo stays raw; it never fails a card read.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable
from importlib.metadata import entry_points

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "kiosk.wlt_decoders"
ENV_LIBRARY = "KIOSK_WLT_LIBRARY"
ENV_FUNCTION = "KIOSK_WLT_FUNCTION"
WLT_LEN = 1024
BMP_LEN = 38862  # 54-byte header + 126 rows × 308 bytes (102 × 3 padded to 4)

Decoder = Callable[[bytes], bytes]


def library_decoder(path: str, function: str = "unpack") -> Decoder:
    """Wrap a vendor library's ``unpack(wlt, bmp, 0)``. Raises OSError / AttributeError."""
    lib = ctypes.CDLL(path)
    unpack = getattr(lib, function)
    unpack.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
    unpack.restype = ctypes.c_int

    def decode(wlt: bytes) -> bytes:
        if len(wlt) != WLT_LEN:
            raise ValueError(f"WLT photo is {len(wlt)} bytes, expected {WLT_LEN}")
        out = ctypes.create_string_buffer(BMP_LEN)
        rc = unpack(wlt, out, 0)
        if rc != 1:
            raise RuntimeError(f"{function}() returned {rc}")
        return out.raw

    return decode


def find_decoder(env: dict[str, str] | None = None) -> Decoder | None:
    """The installed decoder, or None. Looked up once per reader open, not per read."""
    env = dict(os.environ) if env is None else env
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            return ep.load()
        except Exception:
            log.warning("WLT decoder entry point %s failed to load", ep.name, exc_info=True)
    path = env.get(ENV_LIBRARY)
    if path:
        try:
            return library_decoder(path, env.get(ENV_FUNCTION) or "unpack")
        except (OSError, AttributeError) as exc:
            log.warning("WLT library %s unusable: %s", path, exc)
    return None


def decode_photo(decoder: Decoder | None, wlt: bytes) -> bytes | None:
    """Decoded image bytes, or None when there is no decoder or it fails."""
    if decoder is None or not wlt:
        return None
    try:
        return decoder(wlt)
    except Exception as exc:  # a vendor library's problem must not fail the card read
        log.warning("WLT decoding failed: %s", type(exc).__name__)
        return None
