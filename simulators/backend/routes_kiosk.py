"""Kiosk operations: signature check, usage events without personal data, diagnostics bundles.

Kiosk telemetry (state, heartbeats, offline detection) goes over MQTT, not here (docs/fleet.md:
the HTTPS heartbeat was retired). The diagnostics route receives what the fleet's `collect_logs`
command uploads."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from typing import Any, Literal

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from kiosk.services.signing import MAX_SKEW_S
from simulators.backend.context import Backend, BackendDep, IdempotencyHeader, iso, kiosk_id, new_number
from simulators.backend.errors import ApiError, responses

router = APIRouter(prefix="/api/v1/kiosk", tags=["kiosk operations"])

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


MAX_BUNDLE = 20 * 1024 * 1024
BUNDLE_REQUIRED = ("manifest.json", "status.json")


class DiagnosticsOut(BaseModel):
    bundle_no: str = Field(description="ZD + Beijing date + 6-digit sequence")
    received_at: str
    bytes: int
    sha256: str
    files: list[str]
    command_id: str | None


def _check_bundle(data: bytes) -> list[str]:
    """The zip's file names; refuses a bundle that is not a zip, lacks the manifest or status, or
    carries anything that looks like an ID or phone number or an e-ID token (it must be masked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            missing = [n for n in BUNDLE_REQUIRED if n not in names]
            if missing:
                raise ApiError(422, "bundle_invalid", "诊断包内容不完整，请重新导出。",
                               f"the bundle lacks {', '.join(missing)}")
            for name in names:
                text = z.read(name).decode("utf-8", errors="replace")
                for pattern in PERSONAL_VALUES:
                    if pattern.search(text):
                        raise ApiError(422, "personal_data_rejected", "诊断包含有未遮盖的个人信息，平台拒收。",
                                       f"{name} contains unmasked personal data ({pattern.pattern[:20]}…)")
    except zipfile.BadZipFile as exc:
        raise ApiError(400, "bundle_unreadable", "诊断包无法识别，请重新导出。", f"not a zip file: {exc}") from None
    return names


@router.post(
    "/diagnostics", response_model=DiagnosticsOut, responses=responses(400, 409, 413, 415, 422),
    summary="Upload a diagnostics bundle (zip: manifest, status, masked logs); what the fleet's collect_logs sends",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
async def diagnostics(request: Request, b: BackendDep, idempotency_key: IdempotencyHeader = None,
                      x_command_id: str | None = Header(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                                        description="the fleet command that asked for it")
                      ) -> DiagnosticsOut:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/zip":
        raise ApiError(415, "unsupported_media_type", "诊断包格式不对，请重新导出。",
                       f"Content-Type must be application/zip, got {content_type or 'none'}")
    data = await request.body()
    if len(data) > MAX_BUNDLE:
        raise ApiError(413, "upload_too_large", "诊断包太大，请联系运维中心。",
                       f"bundle is {len(data)} bytes, limit {MAX_BUNDLE}")
    names = _check_bundle(data)
    digest = hashlib.sha256(data).hexdigest()
    number, received_at = new_number(b, "ZD"), iso(b.now())
    b.storage.put_blob(number, data)
    b.storage.put("diagnostics", number, {"bundle_no": number, "kiosk_id": kiosk_id(request), "received_at": received_at,
                                          "bytes": len(data), "sha256": digest, "files": names,
                                          "command_id": x_command_id})
    return DiagnosticsOut(bundle_no=number, received_at=received_at, bytes=len(data), sha256=digest, files=names,
                          command_id=x_command_id)
