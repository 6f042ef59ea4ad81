"""Appointments (slot → booking) and queue tickets (take a number) for items with those flows.

Slots: working days from tomorrow, 08:30–12:00 and 14:30–17:30. Other residents' bookings are
simulated deterministically per slot, and the first slot of every day is always fully booked (the
one everybody wants), so the full-slot path is real data, not a special case. The control API can
fill any other slot (`fill_slot`, POST /appointments/fill) to test a slot that fills while the
resident is choosing: the booking is then refused with 409 `slot_full`.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from simulators.backend.context import (
    Backend,
    BackendDep,
    IdempotencyHeader,
    SessionDep,
    iso,
    new_number,
    session_item,
)
from simulators.backend.errors import ApiError, responses
from simulators.backend.forms import validate_form
from simulators.backend.routes_identity import mask_phone

router = APIRouter(prefix="/api/v1", tags=["appointments and queue"])

OPENING = (("08:30", "12:00"), ("14:30", "17:30"))


class Slot(BaseModel):
    slot_id: str
    date: str
    start: str
    end: str
    capacity: int
    remaining: int


class SlotsOut(BaseModel):
    item_id: str
    place: str
    address: str
    slot_minutes: int
    services: list[str]
    slots: list[Slot]


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _prebooked(slot_id: str, capacity: int, first_of_day: bool) -> int:
    """Other residents' bookings, deterministic per slot: the day's first slot is full, the others
    at most three quarters booked."""
    if first_of_day:
        return capacity
    return int(hashlib.sha256(slot_id.encode()).hexdigest()[:4], 16) % (capacity + 1) * 3 // 4


def _slots(b: Backend, item: dict[str, Any], only: date | None) -> list[Slot]:
    block = item["appointment"]
    capacity = block.get("capacity_per_slot", 1)
    today = b.now().date()
    out = []
    for offset in range(1, block["days_ahead"] + 1):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5 or (only is not None and day != only):
            continue
        for start, end in OPENING:
            t = _minutes(start)
            while t + block["slot_minutes"] <= _minutes(end):
                slot_id = f"{day.isoformat()}T{_hhmm(t).replace(':', '')}"
                booked = _prebooked(slot_id + item["id"], capacity, _hhmm(t) == OPENING[0][0]) + len(
                    b.storage.find("booking", item_id=item["id"], slot_id=slot_id)) + _filled(b, item, slot_id)
                out.append(Slot(slot_id=slot_id, date=day.isoformat(), start=_hhmm(t),
                                end=_hhmm(t + block["slot_minutes"]), capacity=capacity,
                                remaining=max(0, capacity - booked)))
                t += block["slot_minutes"]
    return out


def _filled(b: Backend, item: dict[str, Any], slot_id: str) -> int:
    doc = b.storage.get("slot_fill", f"{item['id']}/{slot_id}")
    return int(doc["places"]) if doc else 0


def fill_slot(b: Backend, item_id: str, slot_id: str | None = None) -> dict[str, Any]:
    """Control API: other residents take every remaining place of a slot (the first free one when
    no slot is named). Returns the slot, now full. Raises ApiError for an unknown item or slot."""
    item = b.item(item_id, "appointment")
    slots = _slots(b, item, None)
    slot = next((s for s in slots if s.slot_id == slot_id or (slot_id is None and s.remaining > 0)), None)
    if slot is None:
        raise ApiError(404, "slot_invalid", "没有这个时段。", f"no open slot {slot_id!r} of item {item_id}")
    key = f"{item['id']}/{slot.slot_id}"
    b.storage.put("slot_fill", key, {"places": _filled(b, item, slot.slot_id) + slot.remaining})
    return slot.model_copy(update={"remaining": 0}).model_dump()


@router.get("/appointments/slots", response_model=SlotsOut, responses=responses(404, 422),
            summary="Free appointment slots of an item (working days from tomorrow)")
def appointment_slots(b: BackendDep, item_id: Annotated[str, Query(min_length=1, max_length=64)],
                      on: Annotated[date | None, Query(alias="date", description="only this day")] = None,
                      ) -> SlotsOut:
    item = b.item(item_id, "appointment")
    block = item["appointment"]
    return SlotsOut(item_id=item_id, place=block["place"], address=block["address"],
                    slot_minutes=block["slot_minutes"], services=block.get("services", []),
                    slots=_slots(b, item, on))


class BookingIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    slot_id: str = Field(min_length=1, max_length=32)
    service: str | None = Field(None, min_length=1, max_length=40)
    form: dict[str, Any] | None = Field(None, description="the item's form fields (checked like an application's); "
                                                          "a phone field there gets the SMS")


class BookingOut(BaseModel):
    booking_no: str
    item_id: str
    place: str
    address: str
    date: str
    start: str
    end: str
    service: str | None
    status: str
    sms_to: str
    bring: list[str] = Field(description="what to bring to the appointment")
    message: str


@router.post("/appointments", response_model=BookingOut, responses=responses(401, 403, 404, 409, 422),
             summary="Book a slot for the session holder")
def book(body: BookingIn, session: SessionDep, b: BackendDep,
         idempotency_key: IdempotencyHeader = None) -> BookingOut:
    item, block = session_item(b, session, body.item_id, "appointment")
    if body.service is not None and body.service not in block.get("services", []):
        raise ApiError(422, "service_invalid", "请从列表中选择要办理的业务。",
                       f"service {body.service!r} is not offered by item {item['id']}")
    form = validate_form(item, body.form) if body.form is not None else {}
    slot = next((s for s in _slots(b, item, None) if s.slot_id == body.slot_id), None)
    if slot is None:
        raise ApiError(422, "slot_invalid", "这个时段不可预约，请重新选择。",
                       f"slot {body.slot_id!r} is not an open slot of item {item['id']}")
    mine = b.storage.find("booking", item_id=item["id"], persona_id=session.persona.id, date=slot.date)
    if mine:
        raise ApiError(409, "already_booked", f"您已预约{slot.date}的该业务，无需重复预约。",
                       f"person already holds booking {mine[0]['booking_no']} that day")
    if slot.remaining <= 0:
        raise ApiError(409, "slot_full", "这个时段已约满，请选择其他时段。", f"slot {slot.slot_id} is full")
    phone = next((v for f in item["form_fields"] if f["type"] == "phone" and (v := form.get(f["name"]))),
                 session.persona.phone)
    bring = ["本人有效身份证件原件", *(m["name"] for m in item.get("materials", []))]
    doc = {"booking_no": new_number(b, "YY"), "item_id": item["id"], "place": block["place"],
           "address": block["address"], "date": slot.date, "start": slot.start, "end": slot.end,
           "service": body.service, "status": "已预约", "sms_to": mask_phone(phone), "bring": bring,
           "message": f"请于{slot.date} {slot.start}前携带{'、'.join(bring)}到{block['place']}办理，过号需重新预约。",
           "slot_id": slot.slot_id, "persona_id": session.persona.id, "form": form}
    b.storage.put("booking", doc["booking_no"], doc)
    return BookingOut(**{k: doc[k] for k in BookingOut.model_fields})


class TicketIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    form: dict[str, Any] | None = Field(None, description="the item's form fields, e.g. which business (checked "
                                                          "like an application's)")


class TicketOut(BaseModel):
    ticket_no: str
    item_id: str
    hall: str
    windows: list[str]
    business: str | None = Field(description="the chosen business (the item's select field), if any")
    waiting_ahead: int
    remote: bool
    issued_at: str
    message: str


@router.post("/queue/tickets", response_model=TicketOut, responses=responses(401, 403, 404, 409, 422),
             summary="Take a queue number for a hall (取号)")
def take_ticket(body: TicketIn, session: SessionDep, b: BackendDep,
                idempotency_key: IdempotencyHeader = None) -> TicketOut:
    item, block = session_item(b, session, body.item_id, "queue")
    form = validate_form(item, body.form) if body.form is not None else {}
    business = next((form[f["name"]] for f in item["form_fields"] if f["type"] == "select" and f["name"] in form),
                    None)
    now: datetime = b.now()
    seq = b.storage.next_sequence(f"ticket/{item['id']}/{now.date().isoformat()}")
    ahead = (seq * 7) % 9
    ticket = f"{block['ticket_prefix']}{seq:03d}"
    doc = {"ticket_no": ticket, "item_id": item["id"], "hall": block["hall"], "windows": block["windows"],
           "business": business, "waiting_ahead": ahead, "remote": bool(block.get("remote", False)), "issued_at": iso(now),
           "message": (f"您的号码是 {ticket}，前面还有 {ahead} 人。" + ("请留意短信叫号，到大厅后直接等候。"
                       if block.get("remote") else "请留意大厅叫号屏。")),
           "persona_id": session.persona.id}
    b.storage.put("ticket", f"{item['id']}/{now.date().isoformat()}/{ticket}", doc)
    return TicketOut(**{k: doc[k] for k in TicketOut.model_fields})
