"""代办 (proxy): an agent acting for the session holder (the principal), on items tagged `proxy_ok`.

The principal opens the platform session (and gives the face where the item needs one); the agent
then identifies by ID card with POST /identity/proxy, which adds them to that session. From then on
every item call of the session is made on the principal's behalf by that agent: records,
certificates, certifications and applications record the agent, and an item without `proxy_ok`
refuses with `proxy_not_allowed` (context.check_auth_method, which every item route calls). POST /applications still accepts the agent in its body as before.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from simulators.backend.context import Session, check_proxy


class Proxy(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    id_number: str = Field(min_length=15, max_length=18, pattern=r"^[0-9A-Za-z]+$")
    relation: str = Field(min_length=1, max_length=20, description="e.g. 子女, 配偶, 村干部")


class ProxyRecord(BaseModel):
    """The agent as a record shows it: the number masked."""

    name: str
    relation: str
    id_number_masked: str


def mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) > 8 else "*" * len(number)


def session_proxy(session: Session | None) -> dict[str, Any] | None:
    """The agent added to this session by POST /identity/proxy (name, id_number, relation), if any."""
    return None if session is None else session.doc.get("proxy")


def record(proxy: dict[str, Any] | None) -> ProxyRecord | None:
    if proxy is None:
        return None
    return ProxyRecord(name=proxy["name"], relation=proxy["relation"], id_number_masked=mask(proxy["id_number"]))


__all__ = ["Proxy", "ProxyRecord", "check_proxy", "mask", "record", "session_proxy"]
