"""IPP/2.0 message encoding and decoding (RFC 8010 §3), the wire format of the A4 printer simulator.

A message is: version (2 bytes) · operation-id or status-code (2) · request-id (4) · attribute groups
· end-of-attributes tag (0x03) · document data. An attribute is value-tag (1) · name-length (2) · name
· value-length (2) · value; further values of the same attribute repeat with name-length 0.
Collections (begCollection … endCollection, members named by memberAttrName) are decoded into dicts.

Only what a printer needs: decode requests from CUPS's `ipp` backend, encode responses.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

# delimiter tags
OPERATION, JOB, END, PRINTER, UNSUPPORTED = 0x01, 0x02, 0x03, 0x04, 0x05
# value tags
UNSUPPORTED_VALUE, UNKNOWN, NO_VALUE = 0x10, 0x12, 0x13
INTEGER, BOOLEAN, ENUM = 0x21, 0x22, 0x23
OCTET_STRING, DATETIME, RESOLUTION, RANGE, BEG_COLLECTION = 0x30, 0x31, 0x32, 0x33, 0x34
TEXT_LANG, NAME_LANG, END_COLLECTION = 0x35, 0x36, 0x37
TEXT, NAME, KEYWORD, URI, URI_SCHEME, CHARSET, LANGUAGE, MIME, MEMBER_NAME = (
    0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A)

_STRING_TAGS = {TEXT, NAME, KEYWORD, URI, URI_SCHEME, CHARSET, LANGUAGE, MIME, MEMBER_NAME}

# operations (RFC 8011 §5.4.15)
PRINT_JOB, VALIDATE_JOB, CREATE_JOB, SEND_DOCUMENT = 0x0002, 0x0004, 0x0005, 0x0006
CANCEL_JOB, GET_JOB_ATTRIBUTES, GET_JOBS, GET_PRINTER_ATTRIBUTES = 0x0008, 0x0009, 0x000A, 0x000B

# status codes
OK = 0x0000
BAD_REQUEST, NOT_FOUND, NOT_POSSIBLE, DOCUMENT_FORMAT = 0x0400, 0x0406, 0x0404, 0x040A
INTERNAL_ERROR, OPERATION_NOT_SUPPORTED, VERSION_NOT_SUPPORTED = 0x0500, 0x0501, 0x0503
NOT_ACCEPTING_JOBS = 0x0506

# printer-state / job-state enums
PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5
JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED, JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = range(3, 10)


class IppError(ValueError):
    """A message that does not follow RFC 8010."""


@dataclass
class Attribute:
    name: str
    tag: int
    values: list[Any]


@dataclass
class Message:
    version: tuple[int, int]
    code: int  # operation-id in a request, status-code in a response
    request_id: int
    groups: list[tuple[int, list[Attribute]]] = field(default_factory=list)
    data: bytes = b""

    def group(self, tag: int) -> list[Attribute]:
        return [a for t, attrs in self.groups if t == tag for a in attrs]

    def get(self, name: str, default: Any = None, tag: int = OPERATION) -> Any:
        """The first value of an attribute in the groups of `tag`."""
        for a in self.group(tag):
            if a.name == name and a.values:
                return a.values[0]
        return default

    def values(self, name: str, tag: int = OPERATION) -> list[Any]:
        for a in self.group(tag):
            if a.name == name:
                return list(a.values)
        return []


# ---- decoding -------------------------------------------------------------------------------------

def _decode_value(tag: int, raw: bytes) -> Any:
    if tag in (INTEGER, ENUM):
        if len(raw) != 4:
            raise IppError(f"integer/enum value of {len(raw)} bytes")
        return struct.unpack(">i", raw)[0]
    if tag == BOOLEAN:
        if len(raw) != 1:
            raise IppError(f"boolean value of {len(raw)} bytes")
        return raw != b"\x00"
    if tag == RANGE:
        if len(raw) != 8:
            raise IppError(f"rangeOfInteger value of {len(raw)} bytes")
        return struct.unpack(">ii", raw)
    if tag == RESOLUTION:
        if len(raw) != 9:
            raise IppError(f"resolution value of {len(raw)} bytes")
        return struct.unpack(">iib", raw)
    if tag in _STRING_TAGS:
        return raw.decode("utf-8", errors="replace")
    if tag in (TEXT_LANG, NAME_LANG):  # language length, language, text length, text
        if len(raw) < 4 or len(raw) < 4 + struct.unpack(">H", raw[:2])[0]:
            raise IppError(f"textWithLanguage/nameWithLanguage value of {len(raw)} bytes")
        n = struct.unpack(">H", raw[:2])[0]
        m = struct.unpack(">H", raw[2 + n:4 + n])[0]
        return raw[4 + n:4 + n + m].decode("utf-8", errors="replace")
    return raw  # octetString, dateTime, out-of-band and unknown tags stay bytes


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise IppError(f"message ends inside a field (need {n} bytes at offset {self.pos})")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]

    def triple(self, tag: int) -> tuple[str, bytes]:
        """name and value of one attribute field whose tag was already read"""
        name = self.take(self.u16()).decode("utf-8", errors="replace")
        return name, self.take(self.u16())


def _collection(r: _Reader) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    member: str | None = None
    while True:
        tag = r.u8()
        name, raw = r.triple(tag)
        if tag == END_COLLECTION:
            return out
        if tag == MEMBER_NAME:
            member = raw.decode("utf-8", errors="replace")
            out.setdefault(member, [])
            continue
        if member is None:
            raise IppError("collection value before its memberAttrName")
        out[member].append(_collection(r) if tag == BEG_COLLECTION else _decode_value(tag, raw))


def decode(data: bytes) -> Message:
    """Decode one IPP message (request or response); the document data follows the end tag."""
    r = _Reader(data)
    major, minor = r.u8(), r.u8()
    code, request_id = r.u16(), struct.unpack(">I", r.take(4))[0]
    msg = Message((major, minor), code, request_id)
    current: list[Attribute] | None = None
    while True:
        tag = r.u8()
        if tag == END:
            msg.data = data[r.pos:]
            return msg
        if tag < 0x10:  # a delimiter: a new group
            current = []
            msg.groups.append((tag, current))
            continue
        if current is None:
            raise IppError(f"attribute (tag 0x{tag:02x}) before any group")
        name, raw = r.triple(tag)
        value = _collection(r) if tag == BEG_COLLECTION else _decode_value(tag, raw)
        if name:
            current.append(Attribute(name, tag, [value]))
        elif current:
            current[-1].values.append(value)  # an additional value of the previous attribute
        else:
            raise IppError("additional value with no attribute before it")


# ---- encoding -------------------------------------------------------------------------------------

def _encode_value(tag: int, value: Any) -> bytes:
    if tag in (INTEGER, ENUM):
        return struct.pack(">i", int(value))
    if tag == BOOLEAN:
        return b"\x01" if value else b"\x00"
    if tag == RANGE:
        return struct.pack(">ii", *value)
    if tag == RESOLUTION:
        return struct.pack(">iib", *value)
    if tag in _STRING_TAGS:
        return str(value).encode("utf-8")
    if tag in (NO_VALUE, UNKNOWN, UNSUPPORTED_VALUE):
        return b""
    if isinstance(value, bytes):
        return value
    raise IppError(f"cannot encode {value!r} with tag 0x{tag:02x}")


def _field(tag: int, name: str, raw: bytes) -> bytes:
    n = name.encode("utf-8")
    return struct.pack(">BH", tag, len(n)) + n + struct.pack(">H", len(raw)) + raw


def encode(msg: Message) -> bytes:
    out = bytearray(struct.pack(">BBHI", msg.version[0], msg.version[1], msg.code, msg.request_id))
    for group_tag, attrs in msg.groups:
        out.append(group_tag)
        for a in attrs:
            values = a.values or [None]
            if a.tag != NO_VALUE and not a.values:
                raise IppError(f"attribute {a.name!r} has no values")
            for i, v in enumerate(values):
                out += _field(a.tag, a.name if i == 0 else "", _encode_value(a.tag, v))
    out.append(END)
    return bytes(out) + msg.data
