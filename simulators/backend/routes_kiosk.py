"""Kiosk operations: signature check, heartbeat with device health, usage events without personal data."""

from __future__ import annotations

import re
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from kiosk.services.signing import MAX_SKEW_S
from simulators.backend.context import Backend, BackendDep, IdempotencyHeader, iso, kiosk_id, new_number
from simulators.backend.errors import responses

router = APIRouter(prefix="/api/v1/kiosk", tags=["kiosk operations"])

DeviceId = Literal["idcard", "scanner", "printer", "camera", "sscard"]
DeviceStateName = Literal["starting", "online", "offline", "no_device", "power_off", "hw_error",
                          "user_error", "busy", "closed"]
Scalar = str | int | float | bool

# Usage events are statistics: they must never carry who the resident is.
PERSONAL_KEYS = re.compile(r"(^|_)(name|id_?number|idno|phone|mobile|address|birth|face|photo|image|card_?number|"
                           r"eid|token|persona|sscard|passport|pass_number)($|_)", re.IGNORECASE)
PERSONAL_VALUES = (re.compile(r"\d{17}[\dXx]"), re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
                   re.compile(r"EID1\.[A-Z0-9]{8,}"))


def find_personal_data(node: Any, path: str = "") -> str | None:
    """The path of the first key or value that looks like personal data, else None."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if PERSONAL_KEYS.search(str(key)):
                return here
            found = find_personal_data(value, here)
            if found:
                return found
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found = find_personal_data(value, f"{path}[{i}]")
            if found:
                return found
    elif isinstance(node, str) and any(p.search(node) for p in PERSONAL_VALUES):
        return path
    return None


def _file(b: Backend, request: Request, kind: str, prefix: str, data: dict[str, Any]) -> tuple[str, str]:
    """Store what a kiosk sent under a new number, with the kiosk and the time; (number, time)."""
    number, received_at = new_number(b, prefix), iso(b.now())
    b.storage.put(kind, number, {**data, "kiosk_id": kiosk_id(request), "received_at": received_at})
    return number, received_at


class AuthCheck(BaseModel):
    kiosk_id: str
    signature: Literal["accepted"]
    server_time: str
    max_skew_s: int


@router.get("/auth-check", response_model=AuthCheck, summary="Is this kiosk's signature accepted?")
def auth_check(b: BackendDep, request: Request) -> AuthCheck:
    return AuthCheck(kiosk_id=kiosk_id(request), signature="accepted", server_time=iso(b.now()),
                     max_skew_s=MAX_SKEW_S)


class DeviceHealth(BaseModel):
    state: DeviceStateName
    detail: str | None = Field(None, max_length=200)
    extras: dict[str, Scalar] = Field(default_factory=dict)


class HeartbeatIn(BaseModel):
    app_version: str = Field(min_length=1, max_length=40)
    uptime_s: float = Field(ge=0)
    devices: dict[DeviceId, DeviceHealth] = Field(default_factory=dict)
    outbox_pending: int = Field(0, ge=0)
    catalogue_version: str | None = Field(None, max_length=64)


class HeartbeatOut(BaseModel):
    received_at: str
    server_epoch_s: float
    catalogue_version: str
    catalogue_stale: bool


@router.post("/heartbeat", response_model=HeartbeatOut, responses=responses(409, 422),
             summary="Heartbeat with device health (the answer tells whether the catalogue changed)")
def heartbeat(body: HeartbeatIn, b: BackendDep, request: Request,
              idempotency_key: IdempotencyHeader = None) -> HeartbeatOut:
    _, received_at = _file(b, request, "heartbeat", "HB", body.model_dump())
    return HeartbeatOut(received_at=received_at, server_epoch_s=round(b.settings.now(), 3),
                        catalogue_version=b.version,
                        catalogue_stale=body.catalogue_version not in (None, b.version))


class UsageEvent(BaseModel):
    type: str = Field(pattern=r"^[a-z][a-z0-9_.]{0,63}$", description="e.g. item.start, item.done, screen.timeout")
    at: str = Field(max_length=40, description="ISO 8601 time on the kiosk")
    item_id: str | None = Field(None, max_length=64)
    flow: Literal["query", "print", "certify", "apply", "pay", "appointment", "queue", "progress",
                  "bundle"] | None = None
    screen: str | None = Field(None, max_length=64)
    duration_ms: int | None = Field(None, ge=0)
    outcome: Literal["success", "cancel", "error", "timeout"] | None = None
    error_code: str | None = Field(None, max_length=64)
    elderly_mode: bool | None = None
    props: dict[str, Scalar] = Field(default_factory=dict)


class EventsIn(BaseModel):
    events: list[UsageEvent] = Field(min_length=1, max_length=500)

    @model_validator(mode="before")
    @classmethod
    def no_personal_data(cls, data: Any) -> Any:
        where = find_personal_data(data)
        if where is not None:
            raise PydanticCustomError("personal_data", "personal data is not accepted in usage events: {where}",
                                      {"where": where})
        return data


class EventsOut(BaseModel):
    accepted: int
    batch_no: str


@router.post("/events", response_model=EventsOut, responses=responses(409, 422),
             summary="Usage events (statistics; any personal data gets the batch refused with 422)")
def events(body: EventsIn, b: BackendDep, request: Request,
           idempotency_key: IdempotencyHeader = None) -> EventsOut:
    number, _ = _file(b, request, "events", "EV", {"events": [e.model_dump() for e in body.events]})
    return EventsOut(accepted=len(body.events), batch_no=number)
