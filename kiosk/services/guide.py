"""The 办事指南 of an item as sections of text, all at once (一次性告知). Pure, no Qt.

The screen and the printed 一次性告知单 read the same sections, under the standard element names.
Every material says how it can be provided at this kiosk — an e-licence, a signed 告知承诺, later
delivery (容缺), a photo on the document camera — or, plainly, that it must go to the window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.services import materials, receipts

FORMS = {"original": "原件", "copy": "复印件", "electronic": "电子材料"}
DELIVERY = {"kiosk_print": "本终端当场打印", "mail": "邮寄", "window": "窗口领取", "screen": "屏幕显示",
            "sms": "短信通知", "electronic": "电子证照"}


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


def time_limit(item: Mapping[str, Any]) -> tuple[str, str]:
    """(法定办结时限, 承诺办结时限) as residents read them: 0 days is 即办; no legal limit (None) is
    said as such, never passed off as 即办."""
    def days(n: Any, unset: str) -> str:
        if n is None:
            return unset
        return "即办" if n == 0 else f"自受理之日起 {n} 个工作日"
    return (days(item.get("legal_limit_days"), "法律法规未作规定"),
            days(item.get("promised_limit_days"), "即办"))


ROUTE_TEXT = {"elicence": "可调用{kind}，免提交纸质材料", "commitment": "可签署告知承诺书代替",
              "missing": "可容缺受理，先办理后补交", "capture": "可在本机高拍仪拍照上传",
              "shared": "无需本人提供，本一件事内办理后部门间共享"}


def material_routes(material: Mapping[str, Any], hardware: Sequence[str] = ()) -> list[str]:
    """How this material can be provided at the kiosk (kiosk/services/materials.py ways); [] means
    only at the window. A bundle's `shared_from` material needs nothing from the resident."""
    if material.get("shared_from"):
        return [ROUTE_TEXT["shared"]]
    kind = material.get("elicence_type") or "电子证照"
    return [ROUTE_TEXT[w].format(kind=kind) for w in materials.ways(material, hardware)]


def material_line(material: Mapping[str, Any], hardware: Sequence[str] = ()) -> str:
    form = FORMS.get(str(material.get("form")), "")
    copies = material.get("copies")
    head = f"{material['name']}（{form}{f' {copies} 份' if copies and form != '电子材料' else ''}）"
    if material.get("shared_from"):  # nothing to bring: no form or copies to say
        head = material["name"]
    if material.get("condition"):
        head += f"〔{material['condition']}〕"
    routes = material_routes(material, hardware)
    where = "；".join(routes) if routes else "本终端无法提供，需携带到窗口提交"
    extra = f"。{material['note']}" if material.get("note") else ""
    return f"{head}：{where}{extra}"


# The standard 办事指南 element names, in the order every guide shows them (docs/ui-rules.md).
ELEMENTS = ("受理条件", "申请材料", "办理流程", "法定办结时限", "承诺办结时限", "收费标准", "办理结果",
            "设定依据", "办理地点", "办理时间", "咨询电话", "投诉电话", "常见问题")


def _phone(contact: Mapping[str, Any], fallback: str) -> str:
    phone = contact.get("phone") or fallback
    hours = contact.get("hours") or ""
    online = contact.get("online") or ""
    text = f"{phone}（{hours}）" if hours else str(phone)
    return f"{text}；网上：{online}" if online else text


def sections(item: Mapping[str, Any]) -> list[Section]:
    """Every element, always (an item that lacks one says so instead of leaving it out)."""
    body = item.get("implementing_body") or {}
    legal, promised = time_limit(item)
    hardware = item.get("hardware") or []
    materials = [material_line(m, hardware) for m in item.get("materials") or []]
    result = item.get("result") or {}
    steps = [f"{i}. {s}" for i, s in enumerate(item.get("steps") or [], 1)]
    special = [f"特殊环节：{s}" for s in item.get("special_steps") or []]
    visits = item.get("visits")
    delivery = "、".join(DELIVERY.get(d, d) for d in item.get("delivery") or [])
    result_lines = [str(result.get("name") or "无")]
    if delivery:
        result_lines.append(f"送达方式：{delivery}")
    if isinstance(visits, int):
        result_lines.append("到现场次数：" + ("0 次（本终端即可办结）" if visits == 0 else f"{visits} 次"))
    where = f"{body.get('name', '')}：{body.get('address', '')}".strip("：") or "本终端"
    faq = [f"问：{f['q']}\n答：{f['a']}" for f in item.get("faq") or []]
    return [
        Section("受理条件", tuple(item.get("conditions") or ["无特别条件"])),
        Section("申请材料", tuple(materials) or ("无需提交材料",)),
        Section("办理流程", tuple(steps + special) or ("在本终端按屏幕提示办理",)),
        Section("法定办结时限", (legal,)),
        Section("承诺办结时限", (promised,)),
        Section("收费标准", (str(item.get("fee") or "不收费"),)),
        Section("办理结果", tuple(result_lines)),
        Section("设定依据", tuple(item.get("basis") or ["无"])),
        Section("办理地点", (where,)),
        Section("办理时间", (str(body.get("hours") or "工作日"),)),
        Section("咨询电话", (_phone(item.get("consult") or {}, body.get("phone") or "12345"),)),
        Section("投诉电话", (_phone(item.get("complaint") or {}, "12345"),)),
        Section("常见问题", tuple(faq) or ("暂无常见问题。有疑问请拨打咨询电话，或点「帮办」请工作人员帮忙。",)),
    ]


def facts(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The guide at a glance: (what, value) for the top of the screen."""
    legal, promised = time_limit(item)
    materials = item.get("materials") or []
    missing = unavailable_materials(item)
    need = f"{len(materials)} 项" if materials else "无需材料"
    if missing:
        need += f"（{len(missing)} 项需到窗口）"
    visits = item.get("visits")
    return [("办理部门", str(item.get("department") or "—")), ("承诺时限", promised),
            ("收费", str(item.get("fee") or "不收费")), ("申请材料", need),
            ("到现场", "0 次" if visits == 0 else f"{visits} 次" if isinstance(visits, int) else "按指南")]


def unavailable_materials(item: Mapping[str, Any]) -> list[str]:
    """Materials with no route at this kiosk: the resident is told before starting."""
    hardware = item.get("hardware") or []
    return [m["name"] for m in item.get("materials") or [] if not material_routes(m, hardware)]


def guide_receipt(item: Mapping[str, Any], *, printed_at: datetime, kiosk_id: str) -> receipts.Receipt:
    """打印指南: the 一次性告知单 slip, with every element the screen shows."""
    body = item.get("implementing_body") or {}
    consult = item.get("consult") or {}
    legal, promised = time_limit(item)
    hardware = item.get("hardware") or []
    shown = {s.title: s.lines for s in sections(item)}
    notes = [f"法定办结时限：{legal}", f"承诺办结时限：{promised}", f"收费标准：{shown['收费标准'][0]}",
             *(f"办理结果：{line}" if n == 0 else line for n, line in enumerate(shown["办理结果"])),
             "办理流程：", *shown["办理流程"], f"投诉电话：{shown['投诉电话'][0]}"]
    return receipts.item_guide(
        item["name"], [material_line(m, hardware) for m in item.get("materials") or []],
        conditions=item.get("conditions") or [], where=f"{body.get('name', '')} {body.get('address', '')}".strip(),
        hours=str(body.get("hours") or ""), phone=str(consult.get("phone") or body.get("phone") or ""),
        time_limit=f"承诺 {promised}（法定 {legal}）" if promised != legal else promised,
        printed_at=printed_at, kiosk_id=kiosk_id, notes=notes)
