"""What every route needs: settings, storage, the catalogue, the clock, and the caller's session."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from simulators.backend import catalogue
from simulators.backend.errors import ApiError
from simulators.backend.storage import Storage
from simulators.personas import Persona, get_persona

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
SESSION_TTL_S = 15 * 60


@dataclass
class Settings:
    key: bytes
    db_path: Path | str = ":memory:"
    catalogue_dir: Path | None = None  # default: the bundled items
    clock_offset_s: float = 0.0  # the control API shifts the server clock to test skew handling
    face_threshold: float | None = None  # None: face_match.DEFAULT_THRESHOLD
    face_cache_dir: Path | None = None

    def now(self) -> float:
        return time.time() + self.clock_offset_s


@dataclass
class Backend:
    settings: Settings
    storage: Storage
    items: list[dict[str, Any]]
    version: str
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings) -> Backend:
        items = catalogue.load_items(settings.catalogue_dir)
        return cls(settings=settings, storage=Storage(settings.db_path), items=items,
                   version=catalogue.catalogue_version(items), by_id={i["id"]: i for i in items})

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.settings.now(), CHINA_TZ)

    def item(self, item_id: str, flow: str | tuple[str, ...] | None = None) -> dict[str, Any]:
        item = self.by_id.get(item_id)
        if item is None:
            raise ApiError(404, "item_not_found", "没有找到这个事项，请返回首页重新选择。",
                           f"no catalogue item {item_id!r}")
        flows = (flow,) if isinstance(flow, str) else flow
        if flows and item["flow"] not in flows:
            raise ApiError(422, "wrong_flow", "这个事项不能这样办理，请返回首页重新选择。",
                           f"item {item_id!r} has flow {item['flow']!r}, this endpoint serves {flows}")
        return item


def backend(request: Request) -> Backend:
    return request.app.state.backend


BackendDep = Annotated[Backend, Depends(backend)]


def kiosk_id(request: Request) -> str:
    return getattr(request.state, "kiosk_id", "") or "unsigned"


@dataclass
class Session:
    token: str
    persona: Persona
    methods: list[str]
    kiosk_id: str
    expires_at: float
    doc: dict[str, Any]

    @property
    def face_verified(self) -> bool:
        return "face" in self.methods


def new_session(b: Backend, persona: Persona, method: str, kiosk: str) -> Session:
    token = "S-" + secrets.token_urlsafe(24)
    doc = {"token": token, "persona_id": persona.id, "methods": [method], "kiosk_id": kiosk,
           "expires_at": b.settings.now() + SESSION_TTL_S, "face_failures": 0}
    b.storage.put("session", token, doc)
    return Session(token, persona, doc["methods"], kiosk, doc["expires_at"], doc)


def save_session(b: Backend, s: Session) -> None:
    s.doc["methods"] = s.methods
    b.storage.put("session", s.token, s.doc)


def load_session(b: Backend, token: str | None) -> Session | None:
    if not token:
        return None
    doc = b.storage.get("session", token)
    if doc is None or doc.get("ended") or doc["expires_at"] < b.settings.now():
        return None
    return Session(token, get_persona(doc["persona_id"]), list(doc["methods"]), doc["kiosk_id"],
                   doc["expires_at"], doc)


SessionHeader = Annotated[str | None, Header(alias="X-Session-Token", description=(
    "the token from POST /api/v1/identity/* (valid 15 minutes)"))]


def require_session(b: BackendDep, token: SessionHeader = None) -> Session:
    session = load_session(b, token)
    if session is None:
        raise ApiError(401, "session_required", "请先刷身份证、社保卡或扫描电子身份证核验身份。",
                       "missing, unknown, ended or expired X-Session-Token")
    return session


def optional_session(b: BackendDep, token: SessionHeader = None) -> Session | None:
    return load_session(b, token)


SessionDep = Annotated[Session, Depends(require_session)]
OptionalSessionDep = Annotated[Session | None, Depends(optional_session)]

IdempotencyHeader = Annotated[str | None, Header(
    alias="Idempotency-Key", pattern=r"^[\x21-\x7e]{1,200}$",
    description="a repeat with the same key and request returns the first answer; nothing new is stored")]


def iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


def utc_iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def check_proxy(item: dict[str, Any], proxy: Any) -> None:
    """代办 only for items tagged proxy_ok (proxy.py)."""
    if proxy is not None and "proxy_ok" not in item["tags"]:
        raise ApiError(422, "proxy_not_allowed", "这个事项需要本人办理，不能代办。",
                       f"item {item['id']} is not tagged proxy_ok")


def check_auth_method(item: dict[str, Any], session: Session, need_face: bool | None = None) -> None:
    """The item's auth_methods: one identifying method, plus face when listed; and a 代办 session
    (POST /identity/proxy) only for proxy_ok items."""
    check_proxy(item, session.doc.get("proxy"))
    identifying = [m for m in item["auth_methods"] if m != "face"]
    if identifying and not any(m in session.methods for m in identifying):
        raise ApiError(403, "auth_method_not_allowed", "这个事项需要用其他方式核验身份，请按屏幕提示操作。",
                       f"item {item['id']} accepts {identifying}, session has {session.methods}")
    needs_face = ("face" in item["auth_methods"]) if need_face is None else need_face
    if needs_face and not session.face_verified:
        raise ApiError(403, "face_required", "这个事项需要先完成人脸核验，请正对摄像头。",
                       f"item {item['id']} requires a matched face check in this session")


def session_item(b: Backend, session: Session, item_id: str, flow: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The catalogue item of this flow, checked against the session's identity methods, and the
    item's block for the flow (item["appointment"], item["queue"], …; {} when it has none)."""
    item = b.item(item_id, flow)
    check_auth_method(item, session)
    return item, item.get(flow) or {}


def new_number(b: Backend, prefix: str) -> str:
    """Numbers like YS20261123000042: prefix, the Beijing date, a 6-digit daily sequence."""
    day = b.now().strftime("%Y%m%d")
    return f"{prefix}{day}{b.storage.next_sequence(prefix + day):06d}"


Clock = Callable[[], float]
