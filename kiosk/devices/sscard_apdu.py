"""社会保障卡 public data over ISO 7816-4 APDUs (docs/device-protocols.md §2). Pure: no PC/SC, no threads.

Everything here works over an injected `transmit(c_apdu: bytes) -> r_apdu: bytes` (response data
followed by SW1 SW2), so the same code runs against pyscard, the emulator or a test double.

Read sequence: SELECT the SSSE by AID "sx1.sh.社会保障" (GBK) → SELECT EF05 → READ RECORD 01…07 →
SELECT EF06 → READ RECORD 08…0D. Each record answers `tag len value`. `61 xx` is followed by
GET RESPONSE, `6C xx` by resending the command with Le = xx.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.devices.id_card_fields import SEX
from kiosk.devices.model import Completion, DeviceError

Transmit = Callable[[bytes], bytes]

SSSE_AID = "sx1.sh.社会保障".encode("gbk")
EF05 = 0xEF05  # card data: identifier, type, version, institution, dates, card number
EF06 = 0xEF06  # holder data: ID number, name, sex, nation, birthplace, birth date
EF05_TAGS = (0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07)
EF06_TAGS = (0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D)
SW_OK = 0x9000
MAX_EXCHANGE_ROUNDS = 260  # 61xx / 6Cxx follow-ups (a card may hand out 1 byte per GET RESPONSE)

# ---- errors ---------------------------------------------------------------------------------
class SocialSecurityCardError(DeviceError):
    """A failed 社保卡 read. `reason` is machine-readable (the `kiosk-diag sscard` error): wrong_card,
    card_removed, no_card, status_word, bad_data, protocol (card talks nonsense), no_reader,
    no_service (pcscd down). `code` is the message code of what the resident is told."""

    def __init__(self, reason: str, completion: Completion, detail: str, code: str,
                 sw: int | None = None, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(completion, detail, code, params)
        self.reason = reason
        self.sw = sw


# SW → (English meaning, completion, message code). Only SWs a reader of the public files can
# plausibly meet; anything else is `sscard.unknown_status`, which shows the SW to the resident.
STATUS_WORDS: dict[int, tuple[str, Completion, str]] = {
    0x6281: ("part of the returned data may be corrupted", Completion.HARDWARE_ERROR, "sscard.card_fault"),
    0x6283: ("selected file or application invalidated (card locked or cancelled)", Completion.USER_ERROR,
             "sscard.app_blocked"),
    0x6581: ("memory failure", Completion.HARDWARE_ERROR, "sscard.chip_fault"),
    0x6700: ("wrong length", Completion.HARDWARE_ERROR, "sscard.read_failed"),
    0x6982: ("security status not satisfied (PIN or PSAM required)", Completion.USER_ERROR,
             "sscard.pin_required"),
    0x6983: ("authentication method blocked (PIN locked)", Completion.USER_ERROR, "sscard.pin_locked"),
    0x6985: ("conditions of use not satisfied", Completion.USER_ERROR, "sscard.not_usable"),
    0x6A81: ("function not supported", Completion.USER_ERROR, "sscard.wrong_card"),
    0x6A82: ("file or application not found", Completion.USER_ERROR, "sscard.bad_data"),
    0x6A83: ("record not found", Completion.HARDWARE_ERROR, "sscard.bad_data"),
    0x6A86: ("incorrect P1-P2", Completion.HARDWARE_ERROR, "sscard.read_failed"),
    0x6D00: ("instruction not supported", Completion.USER_ERROR, "sscard.wrong_card"),
    0x6E00: ("class not supported", Completion.USER_ERROR, "sscard.wrong_card"),
    0x6F00: ("no precise diagnosis (card internal error)", Completion.HARDWARE_ERROR, "sscard.card_fault"),
}
# Answers to SELECT SSSE that mean "this card has no 社保 application": a bank card, a transit card…
WRONG_CARD_SWS = frozenset({0x6A82, 0x6A81, 0x6A86, 0x6D00, 0x6E00})


def status_word_error(sw: int, step: str) -> SocialSecurityCardError:
    meaning, completion, code = STATUS_WORDS.get(
        sw, ("unknown status word", Completion.HARDWARE_ERROR, "sscard.unknown_status"))
    return SocialSecurityCardError("status_word", completion, f"{step}: card answered SW {sw:04X} ({meaning})",
                                   code, sw=sw, params={"sw": f"{sw:04X}"})


def bad_data(detail: str) -> SocialSecurityCardError:
    return SocialSecurityCardError("bad_data", Completion.INVALID_DATA, detail, "sscard.bad_data")


# ---- APDU builders --------------------------------------------------------------------------
def select_aid(aid: bytes = SSSE_AID) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(aid)]) + aid


def select_file(fid: int) -> bytes:
    return bytes([0x00, 0xA4, 0x02, 0x00, 0x02, fid >> 8, fid & 0xFF])


def read_record(tag: int, le: int = 0) -> bytes:
    """READ RECORD by tag (P1 = tag, P2 = 00). Le 0 asks for up to 256 bytes."""
    return bytes([0x00, 0xB2, tag, 0x00, le & 0xFF])


def get_response(length: int) -> bytes:
    return bytes([0x00, 0xC0, 0x00, 0x00, length & 0xFF])


# ---- exchange with 61xx / 6Cxx handling -----------------------------------------------------
@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK


def split_response(r_apdu: bytes) -> Response:
    if len(r_apdu) < 2:
        raise SocialSecurityCardError("protocol", Completion.HARDWARE_ERROR,
                                      f"response of {len(r_apdu)} bytes has no status word", "sscard.read_failed")
    return Response(bytes(r_apdu[:-2]), (r_apdu[-2] << 8) | r_apdu[-1])


def exchange(transmit: Transmit, apdu: bytes) -> Response:
    """Send one command and follow the card's 61xx (GET RESPONSE) and 6Cxx (resend with Le=xx)."""
    collected = b""
    command = apdu
    for _ in range(MAX_EXCHANGE_ROUNDS):
        resp = split_response(transmit(command))
        sw1, sw2 = resp.sw >> 8, resp.sw & 0xFF
        if sw1 == 0x61:  # more data waiting: fetch it
            collected += resp.data
            command = get_response(sw2)
        elif sw1 == 0x6C:  # wrong Le: the card tells the exact length; resend the same command
            command = command[:-1] + bytes([sw2])
        else:
            return Response(collected + resp.data, resp.sw)
    raise SocialSecurityCardError("protocol", Completion.HARDWARE_ERROR,
                                  f"card kept answering 61xx/6Cxx after {MAX_EXCHANGE_ROUNDS} rounds "
                                  f"(command {apdu[:4].hex(' ')})", "sscard.read_failed")


# ---- TLV and field decoding ------------------------------------------------------------------
def parse_tlv(data: bytes) -> dict[int, bytes]:
    """Simple one-byte-tag TLVs with short or 81/82 long-form lengths."""
    out: dict[int, bytes] = {}
    i = 0
    while i < len(data):
        tag = data[i]
        if i + 1 >= len(data):
            raise bad_data(f"TLV tag {tag:02X} at offset {i} has no length")
        length, i = data[i + 1], i + 2
        if length == 0x81 or length == 0x82:
            n = length - 0x80
            if i + n > len(data):
                raise bad_data(f"TLV tag {tag:02X}: truncated long-form length")
            length, i = int.from_bytes(data[i:i + n], "big"), i + n
        if i + length > len(data):
            raise bad_data(f"TLV tag {tag:02X}: length {length} exceeds the {len(data) - i} bytes left")
        out[tag] = data[i:i + length]
        i += length
    return out


def strip_padding(value: bytes) -> bytes:
    """Fixed-length fields are padded with spaces or NULs (either, depending on the issuer)."""
    return value.rstrip(b" \x00")


def decode_text(value: bytes, what: str) -> str:
    try:
        return strip_padding(value).decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise bad_data(f"{what}: not ASCII") from exc


def decode_name(value: bytes) -> str:
    try:
        name = strip_padding(value).decode("gbk").strip()
    except UnicodeDecodeError as exc:
        raise bad_data("name: not valid GBK") from exc
    if not name:
        raise bad_data("name: empty")
    return name


def bcd_digits(value: bytes, what: str) -> str:
    """Packed BCD; an F nibble ends the number (FF padding)."""
    digits = []
    for nibble in value.hex().upper():
        if nibble == "F":
            break
        if not nibble.isdigit():
            raise bad_data(f"{what}: nibble {nibble} is not BCD")
        digits.append(nibble)
    return "".join(digits)


def decode_bcd_date(value: bytes, what: str) -> str:
    """4-byte BCD YYYYMMDD → ISO YYYY-MM-DD."""
    digits = bcd_digits(value, what)
    if len(digits) != 8:
        raise bad_data(f"{what}: expected 8 BCD digits, got {len(digits)}")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError as exc:
        raise bad_data(f"{what}: not a calendar date") from exc


def decode_sex_code(value: bytes) -> str:
    """GB/T 2261.1 code, stored as an ASCII digit or as a raw byte by different issuers."""
    if len(value) != 1:
        raise bad_data(f"sex: expected 1 byte, got {len(value)}")
    b = value[0]
    code = chr(b) if 0x30 <= b <= 0x39 else str(b) if b <= 9 else ""
    if code not in ("0", "1", "2", "9"):
        raise bad_data("sex: not a GB/T 2261.1 code")
    return code


# ---- the decoded card --------------------------------------------------------------------------
@dataclass(frozen=True)
class SocialSecurityCardData:
    """Public data of one 社保卡. Personal fields are kept out of repr() so a logged event is safe."""

    region_code: str
    card_type: str
    spec_version: str
    issue_date: str
    expiry_date: str
    card_identifier: str = field(repr=False)
    issuing_institution: str = field(repr=False)
    card_number: str = field(repr=False)
    id_number: str = field(repr=False)
    name: str = field(repr=False)
    sex_code: str = field(repr=False)
    nation_code: str = field(repr=False)
    birthplace: str = field(repr=False)
    birth_date: str = field(repr=False)

    @property
    def sex(self) -> str:
        return SEX[self.sex_code]  # GB/T 2261.1, as on the ID card

    def expired(self, on: date) -> bool:
        return date.fromisoformat(self.expiry_date) < on

    def to_dict(self) -> dict[str, Any]:
        """The keys of `kiosk-diag sscard read --json`."""
        return {"card_number": self.card_number, "id_number": self.id_number, "name": self.name,
                "sex": self.sex, "birth_date": self.birth_date, "issue_date": self.issue_date,
                "expiry_date": self.expiry_date, "region_code": self.region_code}


def decode_card(ef05: dict[int, bytes], ef06: dict[int, bytes]) -> SocialSecurityCardData:
    identifier = decode_text(ef05[0x01], "card identifier")
    if len(identifier) != 16 or not identifier[:6].isdigit():
        raise bad_data("card identifier: expected 16 characters starting with a 6-digit region code")
    card_number = decode_text(ef05[0x07], "card number")
    if not re.fullmatch(r"[0-9A-Z]{9}", card_number):
        raise bad_data("card number: expected 9 letters or digits")
    id_number = decode_text(ef06[0x08], "social security number").upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]|[A-Z]{3}[0-9]{12}", id_number):
        raise bad_data("social security number: not an ID number")
    return SocialSecurityCardData(
        region_code=identifier[:6],
        card_type=decode_text(ef05[0x02], "card type"),
        spec_version=decode_text(ef05[0x03], "spec version"),
        issue_date=decode_bcd_date(ef05[0x05], "issue date"),
        expiry_date=decode_bcd_date(ef05[0x06], "expiry date"),
        card_identifier=identifier,
        issuing_institution=decode_text(ef05[0x04], "issuing institution"),
        card_number=card_number,
        id_number=id_number,
        name=decode_name(ef06[0x09]),
        sex_code=decode_sex_code(ef06[0x0A]),
        nation_code=bcd_digits(ef06[0x0B], "nation").zfill(2),
        birthplace=bcd_digits(ef06[0x0C], "birthplace"),
        birth_date=decode_bcd_date(ef06[0x0D], "birth date"),
    )


# ---- the whole read ------------------------------------------------------------------------------
def _checked(transmit: Transmit, apdu: bytes, step: str) -> bytes:
    resp = exchange(transmit, apdu)
    if not resp.ok:
        raise status_word_error(resp.sw, step)
    return resp.data


def _read_file(transmit: Transmit, fid: int, tags: tuple[int, ...]) -> dict[int, bytes]:
    name = f"EF{fid & 0xFF:02X}"
    _checked(transmit, select_file(fid), f"SELECT {name}")
    values: dict[int, bytes] = {}
    for tag in tags:
        record = parse_tlv(_checked(transmit, read_record(tag), f"READ RECORD {name}/{tag:02X}"))
        if tag not in record:
            raise bad_data(f"READ RECORD {name}/{tag:02X}: answer holds tags "
                           f"{' '.join(f'{t:02X}' for t in record) or 'none'}")
        values[tag] = record[tag]
    return values


def select_ssse(transmit: Transmit) -> None:
    resp = exchange(transmit, select_aid())
    if resp.sw in WRONG_CARD_SWS:
        raise SocialSecurityCardError("wrong_card", Completion.USER_ERROR,
                                      f"SELECT SSSE: card answered SW {resp.sw:04X}: not a social "
                                      "security card", "sscard.wrong_card", sw=resp.sw)
    if not resp.ok:
        raise status_word_error(resp.sw, "SELECT SSSE")


def read_public_data(transmit: Transmit) -> SocialSecurityCardData:
    """The full public read (EF05 + EF06); raises SocialSecurityCardError."""
    select_ssse(transmit)
    ef05 = _read_file(transmit, EF05, EF05_TAGS)
    ef06 = _read_file(transmit, EF06, EF06_TAGS)
    return decode_card(ef05, ef06)
