"""The emulated 社保卡: file system (MF / SSSE / EF05, EF06), ISO 7816-4 command processing, faults.

Written independently of the kiosk's parser (simulators never share code with kiosk/), so the
end-to-end tests cross-check two implementations of docs/device-protocols.md §2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulators.personas import Persona

SSSE_AID = "sx1.sh.社会保障".encode("gbk")
# T=0 ATR like a contact CPU card: TS 3B, T0 6C (TB1, TC1, 12 historical bytes), TB1 00, TC1 00.
SSCARD_ATR = bytes.fromhex("3B6C0000") + b"VILLAGE-SSC3"
# A card from another issuer (e.g. a bank card): answers no 社保 application.
OTHER_CARD_ATR = bytes.fromhex("3B6C0000") + b"OTHER-BANK01"

FAULT_KINDS = ("none", "wrong_card", "remove_mid_read", "sw", "need_get_response", "wrong_le")
SW_STEPS = ("select_app", "select_ef05", "select_ef06", "read_ef05", "read_ef06")
NAME_FIELD_LEN = 30


def _bcd(digits: str, length: int) -> bytes:
    """Packed BCD, right-padded with F nibbles to `length` bytes."""
    nibbles = digits + "F" * (2 * length - len(digits))
    return bytes.fromhex(nibbles)


def _bcd_date(iso: str) -> bytes:
    return _bcd(iso.replace("-", ""), 4)


def _text(value: str, length: int, pad: bytes) -> bytes:
    raw = value.encode("ascii")
    return raw + pad * (length - len(raw))


def card_records(persona: Persona, padding: str = "space") -> dict[int, dict[int, bytes]]:
    """EF05 and EF06 record values by tag for a persona's 社保卡."""
    ss = persona.sscard
    if ss is None:
        raise ValueError(f"persona {persona.id!r} has no social security card")
    pad = b"\x00" if padding == "nul" else b" "
    name = persona.name.encode("gbk")
    if len(name) > NAME_FIELD_LEN:
        raise ValueError(f"persona {persona.id!r}: name longer than {NAME_FIELD_LEN} GBK bytes")
    sex = persona.sex_code.encode("ascii")
    return {
        0xEF05: {
            0x01: _text(ss.card_identifier, 16, pad),
            0x02: _text(ss.card_type, 1, pad),
            0x03: _text(ss.spec_version, 4, pad),
            0x04: _text(ss.issuing_institution, 12, pad),
            0x05: _bcd_date(ss.issue_date),
            0x06: _bcd_date(ss.expiry_date),
            0x07: _text(ss.card_number, 9, pad),
        },
        0xEF06: {
            0x08: _text(persona.id_number, 18, pad),
            0x09: name + pad * (NAME_FIELD_LEN - len(name)),
            0x0A: sex,
            0x0B: _bcd(persona.nation_code or "", 1),
            0x0C: _bcd(ss.birthplace, 3),
            0x0D: _bcd_date(persona.birth_date),
        },
    }


@dataclass
class Fault:
    kind: str = "none"
    sw: int = 0x6F00  # kind "sw": the status word to answer …
    on: str = "read_ef06"  # … at this step
    after: int = 3  # kind "remove_mid_read": commands answered before the card is pulled
    chunk: int = 0  # kind "need_get_response": bytes per GET RESPONSE (0 = all at once)

    def to_dict(self) -> dict:
        out: dict = {"kind": self.kind}
        if self.kind == "sw":
            out.update(sw=f"{self.sw:04X}", on=self.on)
        elif self.kind == "remove_mid_read":
            out["after"] = self.after
        elif self.kind == "need_get_response":
            out["chunk"] = self.chunk
        return out


class CardRemoved(Exception):
    """Raised by process(): the card leaves the reader instead of answering (remove_mid_read)."""


@dataclass
class EmulatedCard:
    persona: Persona
    padding: str = "space"
    fault: Fault = field(default_factory=Fault)
    _records: dict[int, dict[int, bytes]] = field(init=False)
    _app_selected: bool = field(init=False, default=False)
    _ef: int | None = field(init=False, default=None)
    _pending: bytes = field(init=False, default=b"")  # data waiting for GET RESPONSE
    answered: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._records = card_records(self.persona, self.padding)

    @property
    def atr(self) -> bytes:
        return OTHER_CARD_ATR if self.fault.kind == "wrong_card" else SSCARD_ATR

    def reset(self) -> None:
        """Power-on / warm reset: back to the MF, nothing pending."""
        self._app_selected = False
        self._ef = None
        self._pending = b""

    def process(self, apdu: bytes) -> bytes:
        if self.fault.kind == "remove_mid_read" and self.answered >= self.fault.after:
            raise CardRemoved()
        self.answered += 1
        return self._answer(apdu)

    # ---- command processing -------------------------------------------------------------------
    def _answer(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = apdu[:4]
        if cla != 0x00:
            return b"\x6E\x00"
        if self.fault.kind == "wrong_card":
            return b"\x6A\x82" if ins == 0xA4 else b"\x69\x85"
        if ins == 0xA4:
            return self._select(p1, apdu[5:5 + apdu[4]] if len(apdu) > 5 else b"")
        if ins == 0xB2:
            return self._read_record(p1, apdu[4] if len(apdu) == 5 else 0)
        if ins == 0xC0:
            return self._get_response(apdu[4] if len(apdu) == 5 else 0)
        return b"\x6D\x00"

    def _fault_sw(self, step: str) -> bytes | None:
        if self.fault.kind == "sw" and self.fault.on == step:
            return self.fault.sw.to_bytes(2, "big")
        return None

    def _select(self, p1: int, data: bytes) -> bytes:
        self._pending = b""
        if p1 == 0x04:
            if data != SSSE_AID:
                return b"\x6A\x82"
            if (sw := self._fault_sw("select_app")) is not None:
                return sw
            self._app_selected, self._ef = True, None
            return b"\x90\x00"
        if p1 in (0x00, 0x02) and len(data) == 2:
            fid = int.from_bytes(data, "big")
            if not self._app_selected or fid not in self._records:
                return b"\x6A\x82"
            if (sw := self._fault_sw(f"select_ef{fid & 0xFF:02x}")) is not None:
                return sw
            self._ef = fid
            return b"\x90\x00"
        return b"\x6A\x86"

    def _read_record(self, tag: int, le: int) -> bytes:
        self._pending = b""
        if self._ef is None:
            return b"\x69\x86"  # command not allowed: no current EF
        if (sw := self._fault_sw(f"read_ef{self._ef & 0xFF:02x}")) is not None:
            return sw
        value = self._records[self._ef].get(tag)
        if value is None:
            return b"\x6A\x83"
        tlv = bytes([tag, len(value)]) + value
        if self.fault.kind == "need_get_response":
            self._pending = tlv
            return bytes([0x61, len(tlv) & 0xFF])
        wanted = le or 256
        if self.fault.kind == "wrong_le" and wanted != len(tlv):
            return bytes([0x6C, len(tlv)])
        return tlv[:wanted] + b"\x90\x00"

    def _get_response(self, le: int) -> bytes:
        if not self._pending:
            return b"\x69\x85"
        wanted = le or 256
        if self.fault.chunk:
            wanted = min(wanted, self.fault.chunk)
        out, self._pending = self._pending[:wanted], self._pending[wanted:]
        if self._pending:
            return out + bytes([0x61, len(self._pending) & 0xFF])
        return out + b"\x90\x00"
