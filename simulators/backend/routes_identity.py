"""Identity: open a session by ID card, 社保卡 or e-ID QR token; add a face check; add a 代办 agent;
end the session.

One design: every identifying call returns a session token; later calls carry it in the
X-Session-Token header. The face check (simulation, see face_match.py) and the agent of a 代办
(proxy.py) are added to an open session.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from simulators.backend import face_match
from simulators.backend import proxy as proxies
from simulators.backend.context import (
    SESSION_TTL_S,
    BackendDep,
    IdempotencyHeader,
    Session,
    SessionDep,
    check_auth_method,
    check_proxy,
    iso,
    kiosk_id,
    new_session,
    save_session,
    utc_iso,
)
from simulators.backend.errors import ApiError, responses
from simulators.personas import Persona, by_eid_token, by_id_number

router = APIRouter(prefix="/api/v1/identity", tags=["identity"])

DOCUMENT_TYPES = {"resident": "居民身份证", "J": "港澳台居民居住证", "I": "外国人永久居留身份证",
                  "Y": "外国人永久居留身份证"}
FACE_ATTEMPTS = 3


class Profile(BaseModel):
    name: str
    english_name: str | None
    sex: Literal["男", "女", "未说明"]
    birth_date: str
    age: int
    elderly: bool
    document_type: str
    id_number_masked: str
    phone_masked: str
    has_sscard: bool


class SessionOut(BaseModel):
    session_token: str
    expires_at: str
    methods: list[str]
    profile: Profile
    id_number: str | None = Field(None, description=(
        "the holder's full ID number, for an e-ID session only: the kiosk read no card, and prints it "
        "on an A4 certificate; null for card sessions (the kiosk sent it)"))


class IdCardIn(BaseModel):
    id_number: str = Field(min_length=15, max_length=18, pattern=r"^[0-9A-Za-z]+$")
    name: str = Field(min_length=1, max_length=64)


class SsCardIn(BaseModel):
    card_number: str = Field(min_length=9, max_length=9, pattern=r"^[0-9A-Z]+$")
    id_number: str = Field(min_length=15, max_length=18, pattern=r"^[0-9A-Za-z]+$")
    name: str = Field(min_length=1, max_length=64)


class EidIn(BaseModel):
    token: str = Field(min_length=1, max_length=512)


class FaceOut(BaseModel):
    matched: bool
    score: float
    threshold: float
    method: str
    simulation: Literal[True] = True
    attempts_left: int
    methods: list[str]


def mask_id(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) > 8 else "*" * len(number)


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


def profile(p: Persona, today_age: int) -> Profile:
    sex = {"1": "男", "2": "女"}.get(p.sex_code, "未说明")
    return Profile(name=p.name, english_name=p.english_name, sex=sex, birth_date=p.birth_date,
                   age=today_age, elderly=today_age >= 60, document_type=DOCUMENT_TYPES[p.layout],
                   id_number_masked=mask_id(p.id_number), phone_masked=mask_phone(p.phone),
                   has_sscard=p.sscard is not None)


def _session_out(b: BackendDep, s: Session) -> SessionOut:
    return SessionOut(session_token=s.token, expires_at=utc_iso(s.expires_at), methods=s.methods,
                      profile=profile(s.persona, s.persona.age(b.now().date())),
                      id_number=s.persona.id_number if s.methods[0] == "eid_qr" else None)


def _not_found(what: str) -> ApiError:
    return ApiError(404, "person_not_found", "没有查到您的信息，请确认证件后重试，或到窗口咨询。", what)


def _check_name(p: Persona, name: str) -> None:
    if name.strip() != p.name:
        raise ApiError(403, "identity_mismatch", "证件信息核验不一致，请重新刷卡；如仍失败请到窗口办理。",
                       "the name does not match the registered holder of this number")


def _check_card_valid(b: BackendDep, p: Persona) -> None:
    if p.card_expired(b.now().date()):
        raise ApiError(403, "id_card_expired",
                       "您的身份证已过有效期，请改用社保卡或“粤省事”电子身份证，并尽快到派出所换领新证。",
                       f"the ID card expired on {p.valid_to}")


@router.post("/idcard", response_model=SessionOut, responses=responses(403, 404, 409, 422),
             summary="Open a session with data read from the ID card")
def identity_idcard(body: IdCardIn, b: BackendDep, request: Request,
                    idempotency_key: IdempotencyHeader = None) -> SessionOut:
    p = by_id_number(body.id_number)
    if p is None:
        raise _not_found("no resident with this ID number")
    _check_name(p, body.name)
    _check_card_valid(b, p)
    return _session_out(b, new_session(b, p, "idcard", kiosk_id(request)))


@router.post("/sscard", response_model=SessionOut, responses=responses(403, 404, 409, 422),
             summary="Open a session with data read from the 社保卡")
def identity_sscard(body: SsCardIn, b: BackendDep, request: Request,
                    idempotency_key: IdempotencyHeader = None) -> SessionOut:
    p = by_id_number(body.id_number)
    if p is None or p.sscard is None or p.sscard.card_number != body.card_number:
        raise _not_found("no 社保卡 with this card number for this ID number")
    _check_name(p, body.name)
    if p.sscard.expired(b.now().date()):
        raise ApiError(403, "sscard_expired", "您的社保卡已过有效期，请改用身份证，并到银行网点换领社保卡。",
                       f"the 社保卡 expired on {p.sscard.expiry_date}")
    return _session_out(b, new_session(b, p, "sscard", kiosk_id(request)))


@router.post("/eid", response_model=SessionOut, responses=responses(404, 409, 422),
             summary="Open a session with an e-ID (粤省事码) QR token")
def identity_eid(body: EidIn, b: BackendDep, request: Request,
                 idempotency_key: IdempotencyHeader = None) -> SessionOut:
    p = by_eid_token(body.token)
    if p is None:
        raise ApiError(404, "eid_invalid", "电子身份证二维码无效或已过期，请在手机上刷新二维码后重新扫描。",
                       "unknown or expired e-ID token")
    return _session_out(b, new_session(b, p, "eid_qr", kiosk_id(request)))


@router.post(
    "/face", response_model=FaceOut, responses=responses(400, 401, 403, 409, 413, 415, 422),
    summary="Face check of the session holder (SIMULATION, not biometrics)",
    description=("The body is one JPEG camera frame (Content-Type: image/jpeg). The reference backend "
                 "compares it with the enrolled image of the session's persona by local features (ORB) "
                 "on the detected face. This is a documented simulation for testing, not biometrics. "
                 f"After {FACE_ATTEMPTS} failed checks the session may not try again."),
    openapi_extra={"requestBody": {"required": True, "content": {
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}})
async def identity_face(request: Request, session: SessionDep, b: BackendDep,
                        idempotency_key: IdempotencyHeader = None) -> FaceOut:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "image/jpeg":
        raise ApiError(415, "unsupported_media_type", "照片格式不正确，请重新拍照。",
                       f"expected Content-Type image/jpeg, got {content_type or 'none'}")
    failures = int(session.doc.get("face_failures", 0))
    if failures >= FACE_ATTEMPTS:
        raise ApiError(403, "face_attempts_exceeded", "人脸核验未通过次数过多，请到窗口由工作人员协助办理。",
                       f"{failures} failed face checks in this session")
    data = await request.body()
    try:
        result = face_match.match(data, session.persona.face_photo, threshold=b.settings.face_threshold,
                                  cache_dir=b.settings.face_cache_dir)
    except face_match.FaceImageError as exc:
        raise ApiError(400, exc.code, exc.user_message, str(exc)) from exc
    if result.matched:
        if "face" not in session.methods:
            session.methods.append("face")
    else:
        failures += 1
        session.doc["face_failures"] = failures
    save_session(b, session)
    return FaceOut(matched=result.matched, score=round(result.score, 4), threshold=result.threshold,
                   method=result.method, attempts_left=max(0, FACE_ATTEMPTS - failures),
                   methods=session.methods)


class ProxyIn(proxies.Proxy):
    """The agent's ID card (name, id_number, as read) and how they relate to the principal."""

    item_id: str = Field(min_length=1, max_length=64, description="the proxy_ok item being handled")


class ProxyOut(proxies.ProxyRecord):
    item_id: str
    recorded_at: str


@router.post(
    "/proxy", response_model=ProxyOut, responses=responses(401, 403, 404, 409, 422),
    summary="代办: the agent identifies by ID card for the session holder",
    description=("Adds the agent to the principal's session for a `proxy_ok` item. The principal must "
                 "have identified by one of the item's methods and, where the item lists `face`, passed "
                 "the face check first. From then on the session's records, certificates, "
                 "certifications and applications record the agent; items without `proxy_ok` refuse "
                 "with `proxy_not_allowed`."))
def identity_proxy(body: ProxyIn, session: SessionDep, b: BackendDep,
                   idempotency_key: IdempotencyHeader = None) -> ProxyOut:
    item = b.item(body.item_id)
    check_proxy(item, body)
    check_auth_method(item, session)  # the principal first, with the face where the item needs one
    agent = by_id_number(body.id_number)
    if agent is None:
        raise _not_found("no resident with the agent's ID number")
    _check_name(agent, body.name)
    _check_card_valid(b, agent)
    if agent.id == session.persona.id:
        raise ApiError(422, "proxy_same_person", "代办人不能是办理人本人，请由代办人放置自己的身份证。",
                       "the agent's ID card is the session holder's own")
    session.doc["proxy"] = {"name": agent.name, "id_number": agent.id_number, "relation": body.relation,
                            "item_id": item["id"]}
    save_session(b, session)
    recorded = proxies.record(session.doc["proxy"])
    assert recorded is not None
    return ProxyOut(item_id=item["id"], recorded_at=iso(b.now()), **recorded.model_dump())


class Ended(BaseModel):
    ended: bool


@router.post("/session/end", response_model=Ended, responses=responses(401, 409, 422),
             summary="End the session (退出): the token stops working")
def end_session(session: SessionDep, b: BackendDep, idempotency_key: IdempotencyHeader = None) -> Ended:
    session.doc["ended"] = True
    save_session(b, session)
    return Ended(ended=True)


__all__ = ["router", "profile", "mask_id", "SESSION_TTL_S"]
