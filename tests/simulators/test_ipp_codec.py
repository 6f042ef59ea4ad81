"""The A4 printer simulator's IPP/2.0 codec (RFC 8010): known bytes, round trips, collections, bad input."""

from __future__ import annotations

import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from simulators.docprinter import ipp
from simulators.docprinter.ipp import Attribute, IppError, Message


def _request() -> bytes:
    """A Get-Printer-Attributes request as CUPS sends it (built by hand from RFC 8010 §3.1)."""
    def field(tag: int, name: str, value: bytes) -> bytes:
        return struct.pack(">BH", tag, len(name)) + name.encode() + struct.pack(">H", len(value)) + value

    return (b"\x02\x00" + b"\x00\x0b" + b"\x00\x00\x00\x07" + b"\x01"
            + field(0x47, "attributes-charset", b"utf-8")
            + field(0x48, "attributes-natural-language", b"en")
            + field(0x45, "printer-uri", b"ipp://127.0.0.1:631/ipp/print")
            + field(0x44, "requested-attributes", b"printer-state") + field(0x44, "", b"printer-state-reasons")
            + b"\x03")


def test_decodes_a_request_byte_for_byte():
    msg = ipp.decode(_request())
    assert (msg.version, msg.code, msg.request_id) == ((2, 0), ipp.GET_PRINTER_ATTRIBUTES, 7)
    assert msg.get("printer-uri") == "ipp://127.0.0.1:631/ipp/print"
    assert msg.values("requested-attributes") == ["printer-state", "printer-state-reasons"]
    assert msg.data == b""


def test_encode_decode_round_trip_with_document_data():
    msg = Message((2, 0), ipp.OK, 42, [
        (ipp.OPERATION, [Attribute("attributes-charset", ipp.CHARSET, ["utf-8"])]),
        (ipp.JOB, [Attribute("job-id", ipp.INTEGER, [3]), Attribute("job-state", ipp.ENUM, [9]),
                   Attribute("job-state-reasons", ipp.KEYWORD, ["job-completed-successfully", "none"]),
                   Attribute("printer-is-accepting-jobs", ipp.BOOLEAN, [True]),
                   Attribute("copies-supported", ipp.RANGE, [(1, 99)]),
                   Attribute("job-name", ipp.NAME, ["参保证明"])]),
    ], data=b"%PDF-1.4 ...")
    back = ipp.decode(ipp.encode(msg))
    assert back == msg


def test_collections_decode_to_dicts():
    def field(tag: int, name: str, value: bytes) -> bytes:
        return struct.pack(">BH", tag, len(name)) + name.encode() + struct.pack(">H", len(value)) + value

    body = (b"\x02\x00\x00\x05\x00\x00\x00\x01\x02"
            + field(0x34, "media-col", b"")
            + field(0x4A, "", b"media-size") + field(0x34, "", b"")
            + field(0x4A, "", b"x-dimension") + field(0x21, "", struct.pack(">i", 21000))
            + field(0x37, "", b"")
            + field(0x4A, "", b"media-source") + field(0x44, "", b"auto")
            + field(0x37, "", b"")
            + b"\x03")
    msg = ipp.decode(body)
    assert msg.get("media-col", tag=ipp.JOB) == {"media-size": [{"x-dimension": [21000]}], "media-source": ["auto"]}


def test_truncated_messages_are_errors():
    raw = _request()
    for cut in (3, 9, 12, len(raw) - 1):
        try:
            ipp.decode(raw[:cut])
        except IppError:
            continue
        raise AssertionError(f"decoding {cut} of {len(raw)} bytes did not fail")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_only_ever_raises_ipp_error(data):
    try:
        ipp.decode(data)
    except IppError:
        pass


def test_short_text_with_language_is_an_error():
    raw = b"\x02\x00\x00\x0b\x00\x00\x00\x01\x01" + b"\x35\x00\x01a\x00\x03\x00\x09x" + b"\x03"
    try:
        ipp.decode(raw)
    except IppError:
        return
    raise AssertionError("a 3-byte textWithLanguage value decoded")
