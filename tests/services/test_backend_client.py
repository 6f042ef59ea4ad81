"""The backend client against the real reference backend behind the fault proxy (real processes,
HTTPS with a CA made for this test): every error path gives its code and Chinese user message,
retries happen only where they are safe, TLS failures are refused (never a fallback), and a
drifting kiosk clock is corrected from the server's time."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import BackendConfig
from kiosk.services import messages
from kiosk.services.backend_client import BackendClient
from kiosk.services.backend_types import BackendError
from kiosk.services.signing import generate_key_file, load_key
from simulators.backend.pki import ensure_pki, mint_expired_cert, mint_foreign_cert
from simulators.personas import get_persona
from simulators.process import SimProcess, start_simulator


@dataclass
class Platform:
    tmp: Path
    key_file: Path
    pki: Path
    backend: SimProcess
    proxy: SimProcess

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.proxy.ports['listen']}"

    def config(self, **changes: Any) -> BackendConfig:
        cfg = BackendConfig(url=self.url, key_file=self.key_file, ca_bundle=self.pki / "ca.pem", timeout_s=5.0)
        return replace(cfg, **changes)

    def client(self, key: bytes | None = None, **changes: Any) -> BackendClient:
        return BackendClient(self.config(**changes), "GD-TEST-0001", key or load_key(self.key_file),
                             retries=2, backoff_s=0.01)

    def mode(self, mode: str, **extra: Any) -> None:
        status, body = self.proxy.control("POST", "/mode", {"mode": mode, **extra})
        assert status == 200, body

    def proxy_requests(self) -> list[dict[str, Any]]:
        return self.proxy.control("GET", "/requests?clear=1")[1]["requests"]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    tmp = tmp_path_factory.mktemp("platform")
    key_file, pki = tmp / "kiosk.key", tmp / "pki"
    generate_key_file(key_file)
    ensure_pki(pki)
    backend = start_simulator("backend", "--pki", str(pki), "--kiosk-key", str(key_file),
                              "--db", str(tmp / "backend.sqlite3"))
    try:
        proxy = start_simulator("backend-proxy", "--upstream", f"https://127.0.0.1:{backend.ports['listen']}",
                                "--pki", str(pki))
        try:
            yield Platform(tmp, key_file, pki, backend, proxy)
        finally:
            proxy.stop()
    finally:
        backend.stop()


@pytest.fixture(autouse=True)
def proxy_up(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "platform" in request.fixturenames:
        p: Platform = request.getfixturevalue("platform")
        p.mode("up")
        p.backend.control("POST", "/clock", {"offset_s": 0})


# the hub's fault proxy answers 5xx with the platform's error shape and this sentence
PROXY_MESSAGE = "政务服务平台暂时出现故障，请稍后再试；如急需办理，请到服务窗口或联系工作人员。"


def expect_error(call: Any, code: str, message_code: str, platform_message: str | None = None) -> BackendError:
    """The error's code, its message code, and the sentence the resident gets: the platform's own
    when it sent one, else the table's."""
    with pytest.raises(BackendError) as info:
        call()
    assert info.value.code == code, info.value.detail
    assert messages.code_of(info.value) == message_code
    assert info.value.platform_message == platform_message
    assert messages.for_error(info.value) == (platform_message or messages.text(message_code))
    assert info.value.detail  # precise English for the log
    return info.value


# ---- the happy path and typed results -------------------------------------------------------------

def test_typed_results_through_the_proxy(platform: Platform) -> None:
    client = platform.client()
    t = client.sync_clock()
    assert t.max_skew_s == 300 and abs(t.skew_s) < 60
    assert client.auth_check().kiosk_id == "GD-TEST-0001"
    fresh = client.fetch_catalogue()
    assert fresh.changed and fresh.etag and fresh.version and len(fresh.items or []) > 100
    same = client.fetch_catalogue(fresh.etag)
    assert not same.changed and same.items is None and same.etag == fresh.etag
    assert client.connectivity.state.online is True
    client.close()


# ---- network failures: code and Chinese message, connectivity offline -----------------------------

def test_backend_down_is_offline(platform: Platform) -> None:
    client = platform.client()
    platform.mode("down")
    err = expect_error(client.auth_check, "offline", "backend.offline")
    assert err.retryable and err.offline and err.status is None
    assert client.connectivity.is_offline and client.connectivity.state.reason == "offline"
    platform.mode("up")
    client.auth_check()
    assert client.connectivity.state.online is True


def test_server_error_after_retries(platform: Platform) -> None:
    client = platform.client()
    platform.proxy_requests()
    platform.mode("error", status=503)
    err = expect_error(client.auth_check, "platform_unavailable", "backend.server", PROXY_MESSAGE)
    assert err.status == 503 and err.retryable
    assert len(platform.proxy_requests()) == 1 + client.retries  # GET is retried
    assert client.connectivity.state.reason == "server"


def test_internal_error_on_a_write(platform: Platform) -> None:
    client = platform.client()
    platform.mode("error", status=500)
    err = expect_error(lambda: client.submit("/ratings", {"item_id": "x", "level": 5},
                                             idempotency_key=uuid.uuid4().hex),
                       "platform_unavailable", "backend.server", PROXY_MESSAGE)
    assert err.status == 500


def test_answer_dropped_mid_response_is_broken(platform: Platform) -> None:
    client = platform.client()
    platform.mode("drop")
    err = expect_error(client.auth_check, "broken", "backend.broken")
    assert err.retryable and err.offline


def test_slow_answer_times_out(platform: Platform) -> None:
    client = platform.client(timeout_s=0.5)
    client.retries = 0
    platform.mode("slow", seconds=30)
    err = expect_error(client.auth_check, "timeout", "backend.timeout")
    assert err.retryable


def test_idempotent_calls_are_retried_through_faults(platform: Platform) -> None:
    client = platform.client()
    platform.proxy_requests()
    platform.mode("error", count=2)
    assert client.auth_check().kiosk_id == "GD-TEST-0001"
    assert [r["status"] for r in platform.proxy_requests()] == [503, 503, 200]
    platform.mode("drop", count=1)
    assert client.fetch_catalogue().changed  # a body cut off mid-way is fetched again


def test_write_with_key_is_retried_and_filed_once(platform: Platform) -> None:
    client = platform.client()
    key = uuid.uuid4().hex
    before = platform.backend.control("GET", "/state")[1]["counts"].get("rating", 0)
    platform.mode("drop", count=1)  # the backend files the rating, the answer is lost
    ack = client.submit("/ratings", {"item_id": "social-insurance-certificate-print", "level": 5},
                        idempotency_key=key)
    assert ack.status == 200 and ack.replayed  # the retry got the first answer back
    assert platform.backend.control("GET", "/state")[1]["counts"]["rating"] == before + 1


def test_write_without_key_is_not_retried(platform: Platform) -> None:
    client = platform.client()
    platform.proxy_requests()
    platform.mode("error", count=1)
    err = expect_error(lambda: client.post_json("/ratings", {"item_id": "social-insurance-certificate-print",
                                                             "level": 4}),
                       "platform_unavailable", "backend.server", PROXY_MESSAGE)
    assert err.status == 503
    assert len(platform.proxy_requests()) == 1


# ---- refusals carry the backend's own message ------------------------------------------------------

def test_refusal_carries_the_backends_message(platform: Platform) -> None:
    client = platform.client()
    err = expect_error(lambda: client.submit("/applications", {"item_id": "housing-fund-account-transfer"},
                                             idempotency_key=uuid.uuid4().hex),
                       "session_required", "backend.rejected", "请先刷身份证、社保卡或扫描电子身份证核验身份。")
    assert err.status == 401 and not err.retryable and not err.offline
    assert client.connectivity.state.online is True  # the platform answered


def test_form_error_names_the_field(platform: Platform) -> None:
    client = platform.client()
    p = get_persona("li_jianguo")
    token = client.post_json("/identity/idcard", {"id_number": p.id_number, "name": p.name},
                             idempotency_key=uuid.uuid4().hex)["session_token"]
    err = expect_error(lambda: client.submit("/applications", {"item_id": "housing-fund-account-transfer",
                                                               "form": {"from_city": "广州市", "phone": "138"}},
                                             idempotency_key=uuid.uuid4().hex, headers={"X-Session-Token": token}),
                       "form_invalid", "backend.rejected", "“转出地公积金中心”为必填项，请修改后重新提交。")
    assert err.status == 422 and err.field == "from_centre"  # read from the error body's `field`
    assert p.id_number not in err.detail and p.name not in err.detail


def test_wrong_key_is_a_signature_failure(platform: Platform) -> None:
    client = platform.client(key=b"\x01" * 32)
    err = expect_error(client.auth_check, "signature_invalid", "backend.signature",
                       "终端请求签名无效，请联系工作人员检查终端密钥。")
    assert err.status == 401 and not err.retryable


# ---- the clock ------------------------------------------------------------------------------------

def test_stale_timestamp_is_corrected_from_the_server_time(platform: Platform) -> None:
    platform.backend.control("POST", "/clock", {"offset_s": 3600})  # the kiosk is an hour behind
    client = platform.client()
    assert client.skew_s == 0
    assert client.auth_check().kiosk_id == "GD-TEST-0001"  # 401 stale → re-synced → accepted
    assert 3500 < client.skew_s < 3700
    ack = client.submit("/ratings", {"item_id": "social-insurance-certificate-print", "level": 3},
                        idempotency_key=uuid.uuid4().hex)
    assert ack.status == 200


def test_sync_clock_learns_the_skew_before_signing(platform: Platform) -> None:
    platform.backend.control("POST", "/clock", {"offset_s": -7200})
    client = platform.client()
    platform.proxy_requests()
    assert -7300 < client.sync_clock().skew_s < -7100
    client.auth_check()
    assert [r["status"] for r in platform.proxy_requests()] == [200, 200]  # no stale round trip


# ---- TLS: refused with a clear message, never a fallback -----------------------------------------

def test_wrong_ca_is_refused(platform: Platform, tmp_path: Path) -> None:
    foreign = mint_foreign_cert(tmp_path)
    client = platform.client(ca_bundle=foreign.ca_pem)  # the kiosk trusts some other CA
    platform.proxy_requests()
    err = expect_error(client.auth_check, "tls", "backend.tls")
    assert not err.retryable and err.offline
    assert "certificate" in err.detail.lower()
    assert platform.proxy_requests() == []  # nothing was sent over the untrusted connection
    assert client.session.verify == str(foreign.ca_pem)  # verification stayed on


def test_expired_certificate_is_refused(platform: Platform, tmp_path: Path) -> None:
    expired = mint_expired_cert(platform.pki, tmp_path)
    with start_simulator("backend-proxy", "--upstream", f"https://127.0.0.1:{platform.backend.ports['listen']}",
                         "--pki", str(platform.pki), "--tls-cert", str(expired.cert_pem),
                         "--tls-key", str(expired.key_pem)) as proxy:
        client = platform.client(url=f"https://127.0.0.1:{proxy.ports['listen']}")
        err = expect_error(client.auth_check, "tls", "backend.tls")
        assert "expired" in err.detail.lower()


def test_untrusted_server_cert_is_refused(platform: Platform, tmp_path: Path) -> None:
    foreign = mint_foreign_cert(tmp_path)
    with start_simulator("backend-proxy", "--upstream", f"https://127.0.0.1:{platform.backend.ports['listen']}",
                         "--pki", str(platform.pki), "--tls-cert", str(foreign.cert_pem),
                         "--tls-key", str(foreign.key_pem)) as proxy:
        client = platform.client(url=f"https://127.0.0.1:{proxy.ports['listen']}")
        expect_error(client.fetch_catalogue, "tls", "backend.tls")


def test_ca_bundle_from_the_environment_is_ignored(platform: Platform, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE (or a proxy) in the environment never change whom the kiosk trusts."""
    foreign = mint_foreign_cert(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(platform.pki / "ca.pem"))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(platform.pki / "ca.pem"))
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # would make every call fail if honoured
    # the config trusts another CA: the environment's bundle (which would accept the proxy) is not used
    expect_error(platform.client(ca_bundle=foreign.ca_pem).auth_check, "tls", "backend.tls")
    # no CA configured: the system store, not the environment's bundle
    expect_error(platform.client(ca_bundle=None).auth_check, "tls", "backend.tls")
    # and the configured CA still works with a foreign bundle or an empty value in the environment
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(foreign.ca_pem))
    monkeypatch.setenv("CURL_CA_BUNDLE", "")
    assert platform.client().auth_check().kiosk_id == "GD-TEST-0001"


def test_missing_ca_bundle_is_a_config_error(platform: Platform, tmp_path: Path) -> None:
    client = platform.client(ca_bundle=tmp_path / "nowhere.pem")
    expect_error(client.auth_check, "tls_config", "backend.tls_config")


# ---- configuration and answers that are not JSON ---------------------------------------------------

def test_plain_http_only_to_loopback_and_only_when_allowed(tmp_path: Path) -> None:
    key = b"\0" * 32
    for url, allow in (("http://127.0.0.1:8443", False), ("http://10.0.0.5:8443", True), ("ftp://x", True)):
        cfg = BackendConfig(url=url, key_file=tmp_path / "k", allow_plain_http=allow)
        with pytest.raises(BackendError) as info:
            BackendClient(cfg, "K", key)
        assert info.value.code == "config" and messages.code_of(info.value) == "backend.config"


class _HtmlHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        data = b"<html>captive portal</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_answer_that_is_not_json_is_bad_answer(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        cfg = BackendConfig(url=f"http://127.0.0.1:{server.server_address[1]}", key_file=tmp_path / "k",
                            allow_plain_http=True, timeout_s=5)
        client = BackendClient(cfg, "K", b"\0" * 32, retries=0)
        expect_error(client.auth_check, "bad_answer", "backend.bad_answer")
        expect_error(client.fetch_catalogue, "bad_answer", "backend.bad_answer")
    finally:
        server.shutdown()
        server.server_close()


class _RecordingHandler(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        type(self).seen.append({k: v for k, v in self.headers.items()} | {"target": self.path})
        data = b'{"kiosk_id": "K", "server_time": "now"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_every_request_carries_a_fresh_signed_nonce(tmp_path: Path) -> None:
    """Issue 16, case 5 (the kiosk side): a new X-Nonce each time, inside the signature."""
    from kiosk.services import signing

    server = ThreadingHTTPServer(("127.0.0.1", 0), _RecordingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    key = bytes(range(32))
    try:
        cfg = BackendConfig(url=f"http://127.0.0.1:{server.server_address[1]}", key_file=tmp_path / "k",
                            allow_plain_http=True, timeout_s=5)
        client = BackendClient(cfg, "K", key, retries=0)
        for _ in range(3):
            client.auth_check()
        client.close()
    finally:
        server.shutdown()
        server.server_close()
    seen = _RecordingHandler.seen
    nonces = [h["X-Nonce"] for h in seen]
    assert len(nonces) == 3 == len(set(nonces)) and all(signing.NONCE_PATTERN.fullmatch(n) for n in nonces)
    for h in seen:
        assert signing.verify(key, "GET", h["target"], int(h["X-Timestamp"]), h["X-Nonce"], b"", h["X-Signature"])


def test_a_retry_of_the_same_bytes_is_signed_afresh(platform: Platform) -> None:
    """A lost answer makes the transport repeat the exact request; the platform refuses that replay
    (nonce_reused), so the client signs once more and the keyed write is still filed once."""
    client = platform.client()
    before = platform.backend.control("GET", "/state")[1]["counts"].get("rating", 0)
    for _ in range(2):
        platform.mode("drop", count=1)
        ack = client.submit("/ratings", {"item_id": "social-insurance-certificate-print", "level": 4},
                            idempotency_key=uuid.uuid4().hex)
        assert ack.status == 200
        platform.mode("drop", count=1)
        assert client.auth_check().kiosk_id == "GD-TEST-0001"
    assert platform.backend.control("GET", "/state")[1]["counts"]["rating"] == before + 2
