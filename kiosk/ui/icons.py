"""Icons (qtawesome: Font Awesome 6, drawn from a font, so they stay sharp at any size and take the
theme's colours) and how the home screen groups the catalogue's departments into tiles.

Both are presentation only: an item's department, flow and home_rank come from the catalogue; a
department this table does not know still gets a tile of its own, under its own name.
"""

from __future__ import annotations

from dataclasses import dataclass

import qtawesome as qta
from PySide6.QtGui import QIcon, QPixmap

ICONS = {
    "logo": "fa6s.landmark", "elderly": "fa6s.person-cane", "help": "fa6s.headset",
    "search": "fa6s.magnifying-glass", "back": "fa6s.arrow-left", "home": "fa6s.house",
    "touch": "fa6s.hand-pointer", "idcard": "fa6s.id-card", "offline": "fa6s.triangle-exclamation",
    "more": "fa6s.chevron-right", "clear": "fa6s.xmark", "guide": "fa6s.list-ol",
    "materials": "fa6s.file-signature", "time": "fa6s.clock", "fee": "fa6s.coins",
    "result": "fa6s.award", "place": "fa6s.location-dot", "phone": "fa6s.phone-volume",
    "faq": "fa6s.circle-question", "ok": "fa6s.circle-check", "warn": "fa6s.circle-exclamation",
    "basis": "fa6s.scale-balanced", "conditions": "fa6s.user-check", "print": "fa6s.print",
}

# One per flow kind (kiosk/services/flows/kinds.py FLOW_KINDS): what the tile of an item shows.
FLOW_ICONS = {
    "print": "fa6s.print", "query": "fa6s.file-lines", "certify": "fa6s.user-check", "pay": "fa6s.qrcode",
    "apply": "fa6s.file-pen", "bundle": "fa6s.layer-group", "appointment": "fa6s.calendar-check",
    "queue": "fa6s.ticket", "progress": "fa6s.list-check",
}
DEFAULT_ICON = "fa6s.folder-open"


@dataclass(frozen=True)
class Group:
    label: str
    icon: str
    departments: tuple[str, ...]


# How residents look for things: by the office they know. Several departments may share a tile.
GROUPS = (
    Group("社保就业", "fa6s.people-group", ("人社",)),
    Group("医疗保障", "fa6s.kit-medical", ("医保",)),
    Group("户籍证件", "fa6s.shield-halved", ("公安",)),
    Group("民政救助", "fa6s.hand-holding-heart", ("民政",)),
    Group("水电气", "fa6s.bolt", ("供电", "供水", "燃气")),
    Group("公积金", "fa6s.house", ("公积金",)),
    Group("卫生健康", "fa6s.heart-pulse", ("卫健",)),
    Group("税务", "fa6s.file-invoice-dollar", ("税务",)),
    Group("交通出行", "fa6s.car", ("交警",)),
    Group("农业农村", "fa6s.wheat-awn", ("农业农村",)),
    Group("残疾人服务", "fa6s.wheelchair", ("残联",)),
    Group("教育", "fa6s.graduation-cap", ("教育",)),
    Group("不动产", "fa6s.map-location-dot", ("自然资源",)),
    Group("出入境", "fa6s.passport", ("出入境",)),
    Group("退役军人", "fa6s.medal", ("退役军人",)),
    Group("法律服务", "fa6s.scale-balanced", ("司法",)),
    Group("村级证明", "fa6s.house-flag", ("村委会",)),
)


def group_of(department: str) -> Group:
    for group in GROUPS:
        if department in group.departments:
            return group
    return Group(department or "其他", DEFAULT_ICON, (department,))


def icon(name: str, color: str) -> QIcon:
    return qta.icon(ICONS.get(name, name), color=color)


def pixmap(name: str, color: str, size: int) -> QPixmap:
    return icon(name, color).pixmap(size, size)
