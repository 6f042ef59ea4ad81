"""One reference-backend process per test session (real HTTPS, real signatures), plus a signing client."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.services.signing import generate_key_file, load_key, signed_headers
from simulators.process import SimProcess, start_simulator

KIOSK_ID = "GD-TEST-0001"


class SignedAuth(requests.auth.AuthBase):
    """Signs the prepared request exactly as sent (method, path?query, body)."""

    def __init__(self, key: bytes, kiosk_id: str = KIOSK_ID, clock_offset: float = 0.0) -> None:
        self.key, self.kiosk_id, self.clock_offset = key, kiosk_id, clock_offset

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body or b""
        if isinstance(body, str):
            body = body.encode()
        r.headers.update(signed_headers(self.key, self.kiosk_id, r.method or "GET", r.path_url,
                                        int(time.time() + self.clock_offset), body))
        return r


@dataclass
class Api:
    base: str
    ca: Path
    key: bytes
    sim: SimProcess

    def call(self, method: str, path: str, body: Any = None, *, session: str | None = None,
             idem: str | None = None, data: bytes | None = None, content_type: str | None = None,
             headers: dict[str, str] | None = None, params: dict[str, Any] | None = None,
             signed: bool = True) -> requests.Response:
        h = dict(headers or {})
        if session:
            h["X-Session-Token"] = session
        if idem:
            h["Idempotency-Key"] = idem
        payload = data
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault("Content-Type", "application/json")
        elif content_type:
            h["Content-Type"] = content_type
        return requests.request(method, self.base + path, data=payload, headers=h, params=params,
                                auth=SignedAuth(self.key) if signed else None, verify=str(self.ca),
                                timeout=60)

    def login(self, persona_id: str, method: str = "idcard") -> str:
        from simulators.personas import get_persona

        p = get_persona(persona_id)
        if method == "idcard":
            r = self.call("POST", "/api/v1/identity/idcard", {"id_number": p.id_number, "name": p.name})
        elif method == "sscard":
            assert p.sscard is not None
            r = self.call("POST", "/api/v1/identity/sscard", {"card_number": p.sscard.card_number,
                                                              "id_number": p.id_number, "name": p.name})
        else:
            r = self.call("POST", "/api/v1/identity/eid", {"token": p.eid_token})
        assert r.status_code == 200, r.text
        return r.json()["session_token"]

    def state(self) -> dict[str, Any]:
        status, body = self.sim.control("GET", "/state")
        assert status == 200
        return body


@pytest.fixture(scope="session")
def backend_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("backend")
    generate_key_file(d / "kiosk.key")
    return d


@pytest.fixture(scope="session")
def api(backend_dir: Path) -> Api:
    sim = start_simulator("backend", "--pki", str(backend_dir / "pki"), "--kiosk-key",
                          str(backend_dir / "kiosk.key"), "--db", str(backend_dir / "backend.sqlite3"))
    try:
        assert sim.ports["scheme"] == "https"
        yield Api(base=f"https://127.0.0.1:{sim.ports['listen']}", ca=backend_dir / "pki" / "ca.pem",
                  key=load_key(backend_dir / "kiosk.key"), sim=sim)
    finally:
        sim.stop()


@pytest.fixture(scope="session")
def signed_session(api: Api) -> requests.Session:
    """A requests session that signs every request and trusts the set-up CA."""
    s = requests.Session()
    s.auth = SignedAuth(api.key)
    s.verify = str(api.ca)
    return s


@pytest.fixture
def idem() -> str:
    return "t-" + uuid.uuid4().hex
