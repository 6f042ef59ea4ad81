"""The ID card's 256-byte text block (GA/T 467 / docs/device-protocols.md §1): pure parsing, no I/O.

The block is UCS-2 little-endian, padded with spaces. The character at bytes 248–249 names the layout:
'J' (港澳台居民居住证), 'I' (外国人永久居留身份证 2017), 'Y' (外国人永久居留身份证 2023); anything else is a
resident card (居民身份证). `parse_text_block` returns an `IdCardData` whose `to_json()` carries the keys
the technician CLI prints. Its repr hides every personal field so an accidental log line leaks nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from kiosk.devices.model import Completion, DeviceError

TEXT_LEN = 256
LONG_TERM = "长期"

SEX: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

NATIONS: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯",
    "39": "阿昌", "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克",
    "46": "德昂", "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}

CARD_TYPES = {"resident": "resident", "J": "hk_mo_tw_residence", "I": "foreign_permanent",
              "Y": "foreign_permanent"}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

class IdCardFieldError(DeviceError):
    """The text block is not a valid card layout (a corrupt read or an unsupported card)."""

    def __init__(self, detail: str) -> None:
        super().__init__(Completion.INVALID_DATA, detail, "idcard.read_incomplete")


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need exactly 17 ASCII digits")
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number_valid(number: str) -> bool:
    """True for an 18-character ID number whose check character matches (x accepted as X)."""
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    return id_check_digit(number[:17]) == number[17].upper()


@dataclass(frozen=True, repr=False)
class IdCardData:
    """One card read. Keys of `to_json()` are fixed by the technician CLI contract."""

    card_type: str  # resident | hk_mo_tw_residence | foreign_permanent
    name: str
    english_name: str | None
    sex: str  # 男 / 女 / 未知 / 未说明
    nation: str | None  # 汉 / 畲 …, resident cards only
    nationality: str | None  # GB/T 2659 three-letter code, foreigner cards only
    birth_date: str  # YYYY-MM-DD
    address: str | None
    id_number: str  # I/Y cards: the permit number
    authority: str | None  # I cards: the 4-digit authority code; Y cards: none
    valid_from: str  # YYYY-MM-DD
    valid_to: str  # YYYY-MM-DD or 长期
    pass_number: str | None  # J cards: 通行证号码
    issue_count: str | None  # J: 签发次数; Y: 换证次数
    layout: str = "resident"  # resident | J | I | Y (the raw flag)
    appended_address: str | None = None  # 30 03, the latest 追加住址 when the card has one
    photo_wlt: bytes = field(default=b"")  # the raw 1024-byte WLT photo
    photo_bmp: bytes | None = None  # decoded by the optional WLT plug-in (wlt_photo.py)

    JSON_KEYS = ("card_type", "name", "english_name", "sex", "nation", "nationality", "birth_date",
                 "address", "id_number", "authority", "valid_from", "valid_to", "pass_number",
                 "issue_count")

    def to_json(self) -> dict[str, str | None]:
        return {key: getattr(self, key) for key in self.JSON_KEYS}

    def __repr__(self) -> str:  # never personal data
        return f"IdCardData(card_type={self.card_type!r}, layout={self.layout!r}, <fields hidden>)"

    __str__ = __repr__

    def with_extras(self, **changes: object) -> IdCardData:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return IdCardData(**values)  # type: ignore[arg-type]


def decode_ucs2(raw: bytes) -> str:
    """UCS-2LE text without the space / NUL padding. Raises IdCardFieldError."""
    if len(raw) % 2:
        raise IdCardFieldError(f"odd UCS-2 field length {len(raw)}")
    try:
        text = raw.decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise IdCardFieldError(f"invalid UCS-2 text at byte {exc.start}") from exc
    return text.rstrip(" \x00")


def _date(raw: bytes, what: str, allow_long_term: bool = False) -> str:
    text = decode_ucs2(raw).strip()
    if allow_long_term and text == LONG_TERM:
        return LONG_TERM
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise IdCardFieldError(f"{what}: expected YYYYMMDD, got {len(text)} characters")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError as exc:
        raise IdCardFieldError(f"{what}: not a calendar date") from exc


def _sex(raw: bytes) -> str:
    code = decode_ucs2(raw)
    if code not in SEX:
        raise IdCardFieldError(f"unknown sex code ({len(code)} characters)")
    return SEX[code]


def _nation(raw: bytes) -> str:
    code = decode_ucs2(raw)
    if code not in NATIONS:
        raise IdCardFieldError("unknown nation code")
    return NATIONS[code]


def _id_number(raw: bytes) -> str:
    number = decode_ucs2(raw).upper()
    if not id_number_valid(number):
        raise IdCardFieldError("ID number fails the ISO 7064 MOD 11-2 check")
    return number


def _opt(raw: bytes) -> str | None:
    return decode_ucs2(raw).strip() or None


def card_layout(block: bytes) -> str:
    """'J', 'I', 'Y' or 'resident' from the flag at bytes 248–249."""
    flag = block[248:250]
    return {b"J\x00": "J", b"I\x00": "I", b"Y\x00": "Y"}.get(bytes(flag), "resident")


def parse_text_block(block: bytes) -> IdCardData:
    """Parse the 256-byte text block. Raises IdCardFieldError (never anything else)."""
    if len(block) != TEXT_LEN:
        raise IdCardFieldError(f"text block is {len(block)} bytes, expected {TEXT_LEN}")
    layout = card_layout(block)
    parse = {"resident": _resident, "J": _hk_mo_tw, "I": _foreign_2017, "Y": _foreign_2023}[layout]
    return parse(block)


def _resident(b: bytes) -> IdCardData:
    return IdCardData(
        card_type=CARD_TYPES["resident"], layout="resident",
        name=decode_ucs2(b[0:30]), english_name=None, sex=_sex(b[30:32]), nation=_nation(b[32:36]),
        nationality=None, birth_date=_date(b[36:52], "birth date"), address=decode_ucs2(b[52:122]),
        id_number=_id_number(b[122:158]), authority=decode_ucs2(b[158:188]),
        valid_from=_date(b[188:204], "valid from"), valid_to=_date(b[204:220], "valid to", True),
        pass_number=None, issue_count=None,
    )


def _hk_mo_tw(b: bytes) -> IdCardData:
    return IdCardData(
        card_type=CARD_TYPES["J"], layout="J",
        name=decode_ucs2(b[0:30]), english_name=None, sex=_sex(b[30:32]), nation=None,
        nationality=None, birth_date=_date(b[36:52], "birth date"), address=decode_ucs2(b[52:122]),
        id_number=_id_number(b[122:158]), authority=decode_ucs2(b[158:188]),
        valid_from=_date(b[188:204], "valid from"), valid_to=_date(b[204:220], "valid to", True),
        pass_number=_opt(b[220:238]), issue_count=_opt(b[238:242]),
    )


def _foreign_2017(b: bytes) -> IdCardData:
    permit = decode_ucs2(b[122:152]).strip().upper()
    if len(permit) != 15 or not permit[:3].isalpha() or not permit[3:].isdigit():
        raise IdCardFieldError("2017 permit number is not 3 letters + 12 digits")
    return IdCardData(
        card_type=CARD_TYPES["I"], layout="I",
        name=decode_ucs2(b[158:188]), english_name=_opt(b[0:120]), sex=_sex(b[120:122]), nation=None,
        nationality=_opt(b[152:158]), birth_date=_date(b[220:236], "birth date"), address=None,
        id_number=permit, authority=_opt(b[240:248]),
        valid_from=_date(b[188:204], "valid from"), valid_to=_date(b[204:220], "valid to", True),
        pass_number=None, issue_count=None,
    )


def _foreign_2023(b: bytes) -> IdCardData:
    # fields in order from offset 0: name 30, sex 2, renewal 4, birth 16, English name 70, ID 36,
    # reserved 30, from 16, to 16, English-name extension 22, nationality 6, flag 2, previous link 6
    english = (decode_ucs2(b[52:122]).ljust(35) + decode_ucs2(b[220:242])).strip() or None
    return IdCardData(
        card_type=CARD_TYPES["Y"], layout="Y",
        name=decode_ucs2(b[0:30]), english_name=english, sex=_sex(b[30:32]), nation=None,
        nationality=_opt(b[242:248]), birth_date=_date(b[36:52], "birth date"), address=None,
        id_number=_id_number(b[122:158]), authority=None,
        valid_from=_date(b[188:204], "valid from"), valid_to=_date(b[204:220], "valid to", True),
        pass_number=None, issue_count=_opt(b[32:36]),
    )


def parse_appended_address(data: bytes) -> str | None:
    """30 03 answer data: 70 bytes UCS-2LE (None when blank). Raises IdCardFieldError."""
    if len(data) != 70:
        raise IdCardFieldError(f"appended address is {len(data)} bytes, expected 70")
    return decode_ucs2(data).strip() or None
