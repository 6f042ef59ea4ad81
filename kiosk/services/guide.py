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


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


def time_limit(item: Mapping[str, Any]) -> tuple[str, str]:
    """(法定办结时限, 承诺办结时限) as residents read them; 0 days is 即办."""
    def days(n: Any) -> str:
        return "即办" if not n else f"自受理之日起 {n} 个工作日"
    return days(item.get("legal_limit_days")), days(item.get("promised_limit_days"))


ROUTE_TEXT = {"elicence": "可调用{kind}，免提交纸质材料", "commitment": "可签署告知承诺书代替",
              "missing": "可容缺受理，先办理后补交", "capture": "可在本机高拍仪拍照上传"}


def material_routes(material: Mapping[str, Any], hardware: Sequence[str] = ()) -> list[str]:
    """How this material can be provided at the kiosk (kiosk/services/materials.py ways); [] means
    only at the window."""
    kind = material.get("elicence_type") or "电子证照"
    return [ROUTE_TEXT[w].format(kind=kind) for w in materials.ways(material, hardware)]


def material_line(material: Mapping[str, Any], hardware: Sequence[str] = ()) -> str:
    form = FORMS.get(str(material.get("form")), "")
    copies = material.get("copies")
    head = f"{material['name']}（{form}{f' {copies} 份' if copies and form != '电子材料' else ''}）"
    routes = material_routes(material, hardware)
    where = "；".join(routes) if routes else "本终端无法提供，需携带到窗口提交"
    extra = f"。{material['note']}" if material.get("note") else ""
    return f"{head}：{where}{extra}"


def sections(item: Mapping[str, Any]) -> list[Section]:
    body = item.get("implementing_body") or {}
    consult = item.get("consult") or {}
    complaint = item.get("complaint") or {}
    legal, promised = time_limit(item)
    hardware = item.get("hardware") or []
    materials = [material_line(m, hardware) for m in item.get("materials") or []]
    result = item.get("result") or {}
    out = [
        Section("受理条件", tuple(item.get("conditions") or ["无特别条件"])),
        Section("申请材料", tuple(materials) or ("无需提交材料",)),
        Section("办理流程", tuple(f"{i}. {s}" for i, s in enumerate(item.get("steps") or [], 1))),
        Section("办结时限", (f"法定办结时限：{legal}", f"承诺办结时限：{promised}")),
        Section("收费标准", (str(item.get("fee") or "不收费"),)),
        Section("办理结果", (str(result.get("name") or "—"),)),
        Section("设定依据", tuple(item.get("basis") or ["—"])),
        Section("办理地点", (f"{body.get('name', '')}：{body.get('address', '')}".strip("："),)),
        Section("办理时间", (str(body.get("hours") or "—"),)),
        Section("咨询电话", (f"{consult.get('phone', body.get('phone', '—'))}（{consult.get('hours', '')}）"
                             .replace("（）", ""),)),
        Section("投诉电话", (f"{complaint.get('phone', '12345')}（{complaint.get('hours', '')}）"
                             .replace("（）", ""),)),
    ]
    faq = [f"问：{f['q']}\n答：{f['a']}" for f in item.get("faq") or []]
    if faq:
        out.append(Section("常见问题", tuple(faq)))
    return out


def unavailable_materials(item: Mapping[str, Any]) -> list[str]:
    """Materials with no route at this kiosk: the resident is told before starting."""
    hardware = item.get("hardware") or []
    return [m["name"] for m in item.get("materials") or [] if not material_routes(m, hardware)]


def guide_receipt(item: Mapping[str, Any], *, printed_at: datetime, kiosk_id: str) -> receipts.Receipt:
    """打印指南: the 一次性告知单 slip."""
    body = item.get("implementing_body") or {}
    consult = item.get("consult") or {}
    legal, promised = time_limit(item)
    hardware = item.get("hardware") or []
    return receipts.item_guide(
        item["name"], [material_line(m, hardware) for m in item.get("materials") or []],
        conditions=item.get("conditions") or [], where=f"{body.get('name', '')} {body.get('address', '')}".strip(),
        hours=str(body.get("hours") or ""), phone=str(consult.get("phone") or body.get("phone") or ""),
        time_limit=f"承诺 {promised}（法定 {legal}）" if promised != legal else promised,
        printed_at=printed_at, kiosk_id=kiosk_id, notes=[f"收费标准：{item.get('fee') or '不收费'}"])
