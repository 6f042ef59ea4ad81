"""The hub's backend fault proxy (`kiosk-sim backend-proxy`), at the HTTP level with plain requests:
TLS with the set-up CA, the five modes, counted faults, control validation, and the hub wiring
(the kiosk's backend port is the proxy; POST /backend/mode switches it)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.services import signing
from simulators.backend.pki import ensure_pki
from simulators.process import SimProcess, http_json, start_simulator


@pytest.fixture(scope="module")
def pki_and_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("proxy")
    signing.generate_key_file(tmp / "kiosk.key")
    ensure_pki(tmp / "pki")
    return tmp / "pki", tmp / "kiosk.key"


@pytest.fixture(scope="module")
def backend(pki_and_key: tuple[Path, Path]) -> Iterator[SimProcess]:
    pki, key = pki_and_key
    with start_simulator("backend", "--pki", str(pki), "--kiosk-key", str(key)) as sim:
        yield sim


@pytest.fixture(scope="module")
def proxy(backend: SimProcess, pki_and_key: tuple[Path, Path]) -> Iterator[SimProcess]:
    with start_simulator("backend-proxy", "--upstream", f"https://127.0.0.1:{backend.ports['listen']}",
                         "--pki", str(pki_and_key[0])) as sim:
        yield sim


@pytest.fixture(autouse=True)
def back_up(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "proxy" in request.fixturenames:
        request.getfixturevalue("proxy").control("POST", "/mode", {"mode": "up"})


@pytest.fixture
def http(pki_and_key: tuple[Path, Path]) -> Iterator[requests.Session]:
    s = requests.Session()
    s.verify = str(pki_and_key[0] / "ca.pem")
    s.trust_env = False
    yield s
    s.close()


def url(proxy: SimProcess, path: str) -> str:
    return f"https://127.0.0.1:{proxy.ports['listen']}/api/v1{path}"


def set_mode(proxy: SimProcess, **body: Any) -> dict[str, Any]:
    status, answer = proxy.control("POST", "/mode", body)
    assert status == 200, answer
    return answer


def signed_post(http: requests.Session, proxy: SimProcess, key_file: Path, path: str, body: dict[str, Any],
                idem: str, timeout: float = 10) -> requests.Response:
    data = json.dumps(body).encode()
    headers = signing.signed_headers(signing.load_key(key_file), "GD-TEST-PROXY", "POST", f"/api/v1{path}",
                                     int(time.time()), data)
    headers.update({"Content-Type": "application/json", "Idempotency-Key": idem})
    return http.post(url(proxy, path), data=data, headers=headers, timeout=timeout)


def test_up_forwards_over_tls_from_the_setup_ca(proxy: SimProcess, http: requests.Session) -> None:
    for _ in range(3):  # several requests on one kept-alive connection
        r = http.get(url(proxy, "/time"), timeout=10)
        assert r.status_code == 200 and r.json()["max_skew_s"] == 300
    r = http.get(url(proxy, "/catalog"), timeout=10)
    etag = r.headers["ETag"]
    assert len(r.json()["items"]) > 100
    assert http.get(url(proxy, "/catalog"), headers={"If-None-Match": etag}, timeout=10).status_code == 304
    assert proxy.control("GET", "/mode")[1]["mode"] == "up"


def test_a_client_without_the_setup_ca_refuses_the_proxy(proxy: SimProcess) -> None:
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url(proxy, "/time"), timeout=10, verify=True)  # the public CA store


def test_error_answers_5xx_without_forwarding(proxy: SimProcess, http: requests.Session) -> None:
    before = proxy.control("GET", "/state")[1]["counters"]["forwarded"]
    set_mode(proxy, mode="error", status=502)
    r = http.get(url(proxy, "/time"), timeout=10)
    assert r.status_code == 502
    assert r.json()["error"]["message"].startswith("政务服务平台暂时出现故障")
    assert proxy.control("GET", "/state")[1]["counters"]["forwarded"] == before


def test_down_refuses_and_cuts_open_connections(proxy: SimProcess, http: requests.Session) -> None:
    assert http.get(url(proxy, "/time"), timeout=10).status_code == 200  # a kept-alive connection
    set_mode(proxy, mode="down")
    with pytest.raises(requests.exceptions.ConnectionError):
        http.get(url(proxy, "/time"), timeout=10)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url(proxy, "/time"), timeout=10, verify=http.verify)
    set_mode(proxy, mode="up")
    assert http.get(url(proxy, "/time"), timeout=10).status_code == 200  # same port again


def test_drop_cuts_the_answer_after_the_backend_acted(proxy: SimProcess, backend: SimProcess,
                                                      http: requests.Session, pki_and_key: tuple[Path, Path]) -> None:
    ratings = backend.control("GET", "/state")[1]["counts"].get("rating", 0)
    set_mode(proxy, mode="drop")
    idem = uuid.uuid4().hex
    body = {"item_id": "social-insurance-certificate-print", "level": 5}
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)):
        signed_post(http, proxy, pki_and_key[1], "/ratings", body, idem)
    assert backend.control("GET", "/state")[1]["counts"]["rating"] == ratings + 1
    set_mode(proxy, mode="up")
    again = signed_post(http, proxy, pki_and_key[1], "/ratings", body, idem)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert backend.control("GET", "/state")[1]["counts"]["rating"] == ratings + 1


def test_slow_holds_the_answer_back(proxy: SimProcess, http: requests.Session) -> None:
    set_mode(proxy, mode="slow", seconds=30)
    with pytest.raises(requests.exceptions.Timeout):
        http.get(url(proxy, "/time"), timeout=0.5)
    assert proxy.control("GET", "/state")[1]["counters"]["delayed"] >= 1


def test_count_faults_only_the_next_requests(proxy: SimProcess, http: requests.Session) -> None:
    set_mode(proxy, mode="error", count=2)
    assert [http.get(url(proxy, "/time"), timeout=10).status_code for _ in range(3)] == [503, 503, 200]
    assert proxy.control("GET", "/mode")[1]["mode"] == "up"
    recent = proxy.control("GET", "/requests?clear=1")[1]["requests"]
    assert [(r["path"], r["status"]) for r in recent[-3:]] == [("/api/v1/time", 503)] * 2 + [("/api/v1/time", 200)]
    assert proxy.control("GET", "/requests")[1]["requests"] == []


@pytest.mark.parametrize("body", [{"mode": "sideways"}, {"mode": "error", "status": 404},
                                  {"mode": "slow", "seconds": -1}, {"mode": "up", "count": 2},
                                  {"mode": "drop", "count": 0}, {}])
def test_bad_control_requests_are_refused(proxy: SimProcess, body: dict[str, Any]) -> None:
    status, answer = proxy.control("POST", "/mode", body)
    assert status == 400 and answer["error"]
    assert proxy.control("GET", "/mode")[1]["mode"] == "up"


def test_usage_errors() -> None:
    from simulators.fault_proxy import main

    assert main(["--upstream", "https://127.0.0.1:1", "--listen", "nonsense"]) == 2
    assert main(["--upstream", "ftp://x", "--listen", "127.0.0.1:0", "--plain-http"]) == 2
    assert main(["--upstream", "https://127.0.0.1:1", "--tls-cert", "x.pem"]) == 2


# ---- the hub wiring ------------------------------------------------------------------------------

def test_hub_puts_the_proxy_on_the_backend_port(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with start_simulator("all", "--ephemeral", "--only", "backend", "--state", str(state),
                         listen="", control="", ready_timeout=120) as hub:
        ports = json.loads(state.read_text())
        control = f"http://127.0.0.1:{ports['control']}"
        backend, server = ports["backend"], ports["backend-server"]
        assert backend["upstream"] == server["listen"] != backend["listen"]
        session = requests.Session()
        session.verify = str(load_config(DEFAULT_CONFIG, env={}).backend.ca_bundle)  # the hub's PKI
        session.trust_env = False
        api = f"https://127.0.0.1:{backend['listen']}/api/v1/time"
        assert session.get(api, timeout=10).status_code == 200
        assert http_json("POST", control + "/backend/mode", {"mode": "error", "status": 503}) == (
            200, {"mode": "error", "seconds": 3.0, "status": 503, "count": None})
        assert session.get(api, timeout=10).status_code == 503
        assert http_json("GET", control + "/backend/mode")[1]["mode"] == "error"
        status, backend_state = http_json("GET", control + "/backend/state")  # the real backend's route
        assert status == 200 and "catalogue_version" in backend_state
        http_json("POST", control + "/backend/mode", {"mode": "down"})
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(api, timeout=10, verify=session.verify)
        http_json("POST", control + "/backend/mode", {"mode": "up"})
        assert session.get(api, timeout=10).status_code == 200
        assert http_json("GET", control + "/health")[1]["alive"] == {"backend-server": True, "backend": True}
        session.close()
        assert hub.proc.poll() is None
