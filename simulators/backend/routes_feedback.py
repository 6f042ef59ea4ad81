"""好差评 ratings (GB/T 39734/39735: five levels, indicators, optional comment) and assistance requests."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from simulators.backend.applications import add_working_days
from simulators.backend.context import (
    BackendDep,
    IdempotencyHeader,
    OptionalSessionDep,
    iso,
    kiosk_id,
    new_number,
)
from simulators.backend.errors import ApiError, responses

router = APIRouter(prefix="/api/v1", tags=["feedback and help"])

LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
IN_PERSON_INDICATORS = ("整体满意度", "服务效率", "服务水平", "服务态度")
ONLINE_INDICATORS = ("整体满意度", "办事效率", "办事指南精确度", "办事便捷度", "平台操作性")
INDICATORS = tuple(dict.fromkeys(IN_PERSON_INDICATORS + ONLINE_INDICATORS))
FOLLOW_UP_WORKING_DAYS = 15


class RatingIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    level: int = Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    indicators: dict[str, int] = Field(default_factory=dict, description=f"any of {', '.join(INDICATORS)}: 1-5")
    comment: str | None = Field(None, max_length=300)
    acceptance_no: str | None = Field(None, max_length=32)


class RatingOut(BaseModel):
    rating_id: str
    level: int
    level_text: str
    follow_up: bool
    follow_up_due: str | None
    message: str


@router.post("/ratings", response_model=RatingOut, responses=responses(404, 409, 422),
             summary="Rate a completed item (好差评; voluntary, never forced)")
def rate(body: RatingIn, b: BackendDep, session: OptionalSessionDep, request: Request,
         idempotency_key: IdempotencyHeader = None) -> RatingOut:
    b.item(body.item_id)
    for name, value in body.indicators.items():
        if name not in INDICATORS or not 1 <= value <= 5:
            raise ApiError(422, "indicator_invalid", "评价指标不正确，请重新评价。",
                           f"indicator {name!r}={value!r}: names are {INDICATORS}, values 1-5")
    follow_up = body.level <= 2
    due: date | None = add_working_days(b.now().date(), FOLLOW_UP_WORKING_DAYS) if follow_up else None
    rating_id = new_number(b, "PJ")
    b.storage.put("rating", rating_id, {
        "rating_id": rating_id, "item_id": body.item_id, "level": body.level, "indicators": body.indicators,
        "comment": body.comment, "acceptance_no": body.acceptance_no, "channel": "self_service_terminal",
        "kiosk_id": kiosk_id(request), "persona_id": session.persona.id if session else None,
        "created_at": iso(b.now())})
    message = ("感谢您的评价。我们将在15个工作日内回访核实并整改。" if follow_up else "感谢您的评价！")
    return RatingOut(rating_id=rating_id, level=body.level, level_text=LEVELS[body.level], follow_up=follow_up,
                     follow_up_due=due.isoformat() if due else None, message=message)


class AssistanceIn(BaseModel):
    reason: Literal["operation_help", "device_fault", "card_unreadable", "face_check_failed", "other"]
    item_id: str | None = Field(None, min_length=1, max_length=64)
    screen: str | None = Field(None, max_length=64, description="where the resident got stuck")
    note: str | None = Field(None, max_length=200)


class RemoteHelp(BaseModel):
    """粤视会-style video help: the resident (or a family member) opens the link on a phone, or a
    staff member enters the code, and an agent sees the kiosk's screen name and item."""

    url: str = Field(description="the video-help link, shown as a QR code on the kiosk")
    code: str = Field(pattern=r"^[0-9]{6}$", description="the same session as a 6-digit code")
    valid_minutes: int


class AssistanceOut(BaseModel):
    request_no: str
    eta_minutes: int
    message: str
    remote_help: RemoteHelp


@router.post("/assistance", response_model=AssistanceOut, responses=responses(404, 409, 422),
             summary="Call a person to the kiosk (机器+人: staff or volunteer)")
def assistance(body: AssistanceIn, b: BackendDep, request: Request,
               idempotency_key: IdempotencyHeader = None) -> AssistanceOut:
    if body.item_id is not None:
        b.item(body.item_id)
    eta = 5 if body.reason != "device_fault" else 30
    number = new_number(b, "XZ")
    b.storage.put("assistance", number, {**body.model_dump(), "request_no": number,
                                         "kiosk_id": kiosk_id(request), "created_at": iso(b.now())})
    who = "维护人员" if body.reason == "device_fault" else "工作人员或志愿者"
    code = f"{int(number[-6:]) * 7919 % 1_000_000:06d}"  # stands in for the video service's room code
    remote = RemoteHelp(url=f"https://yueshihui.gdzwfw.example/remote-help/{number}?code={code}", code=code,
                        valid_minutes=30)
    return AssistanceOut(request_no=number, eta_minutes=eta, remote_help=remote,
                         message=f"已通知{who}，预计{eta}分钟内到达，请在终端旁稍候。")

