"""HTTPS with the set-up CA, and rejection of unsigned, wrongly signed and stale requests."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import time

import pytest
import requests

from kiosk.services.signing import signed_headers
from simulators.backend.pki import ensure_pki, mint_expired_cert, mint_foreign_cert
from simulators.process import start_simulator

PRIVATE = "/api/v1/kiosk/auth-check"


def raw(api, method, path, body=b"", headers=None):
    return requests.request(method, api.base + path, data=body, headers=headers or {}, verify=str(api.ca),
                            timeout=30)


def signed(api, method, path, body=b"", *, ts=None, key=None, sign_path=None, sign_body=None):
    h = signed_headers(key or api.key, "GD-TEST-0001", method, sign_path or path,
                       int(time.time() if ts is None else ts), body if sign_body is None else sign_body)
    if body:
        h["Content-Type"] = "application/json"
    return raw(api, method, path, body, h)


def code(r):
    return r.json()["error"]["code"]


def test_served_over_https_verified_by_the_setup_ca(api):
    assert api.base.startswith("https://")
    r = raw(api, "GET", "/api/v1/time")
    assert r.status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(api.base + "/api/v1/time", timeout=30)  # the system store does not know our CA
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(api.base.replace("https://", "http://") + "/api/v1/time", timeout=30)
    ctx = ssl.create_default_context(cafile=str(api.ca))
    assert ctx.get_ca_certs()  # the CA file is a real certificate


def test_valid_signature_accepted(api):
    r = signed(api, "GET", PRIVATE)
    assert r.status_code == 200 and r.json()["signature"] == "accepted"


@pytest.mark.parametrize("missing", ["X-Kiosk-Id", "X-Timestamp", "X-Nonce", "X-Signature"])
def test_missing_header_rejected(api, missing):
    h = signed_headers(api.key, "GD-TEST-0001", "GET", PRIVATE, int(time.time()), b"")
    del h[missing]
    r = raw(api, "GET", PRIVATE, headers=h)
    assert r.status_code == 401 and code(r) == "signature_missing" and missing in r.json()["error"]["detail"]


def test_wrong_key_rejected(api):
    r = signed(api, "GET", PRIVATE, key=b"\x01" * 32)
    assert r.status_code == 401 and code(r) == "signature_invalid"
    assert "终端" in r.json()["error"]["message"]


def test_tampered_body_and_path_rejected(api):
    body = json.dumps({"reason": "other"}).encode()
    r = signed(api, "POST", "/api/v1/assistance", body, sign_body=json.dumps({"reason": "device_fault"}).encode())
    assert r.status_code == 401 and code(r) == "signature_invalid"
    r = signed(api, "POST", "/api/v1/assistance", body, sign_path="/api/v1/ratings")
    assert r.status_code == 401 and code(r) == "signature_invalid"
    r = signed(api, "GET", "/api/v1/records/pension_payments?months=12",
               sign_path="/api/v1/records/pension_payments?months=24")
    assert r.status_code == 401 and code(r) == "signature_invalid"


@pytest.mark.parametrize("offset", [-301, 301, -3600, 86400])
def test_stale_timestamp_rejected_with_server_time(api, offset):
    r = signed(api, "GET", PRIVATE, ts=time.time() + offset)
    assert r.status_code == 401 and code(r) == "timestamp_stale"
    assert abs(int(r.headers["X-Server-Time"]) - time.time()) < 120


def test_timestamp_within_window_accepted(api):
    assert signed(api, "GET", PRIVATE, ts=time.time() - 200).status_code == 200


def test_garbage_timestamp_rejected(api):
    h = signed_headers(api.key, "GD-TEST-0001", "GET", PRIVATE, int(time.time()), b"")
    h["X-Timestamp"] = "yesterday"
    r = raw(api, "GET", PRIVATE, headers=h)
    assert r.status_code == 401 and code(r) == "timestamp_invalid"


def test_public_routes_need_no_signature_but_writes_do(api):
    for path in ("/api/v1/time", "/api/v1/catalog", "/api/v1/catalog/social-insurance-certificate-print",
                 "/openapi.json"):
        assert raw(api, "GET", path).status_code == 200, path
    # a stale signature on a public route does not matter: the kiosk corrects its clock from /time
    assert signed(api, "GET", "/api/v1/time", ts=time.time() - 9999).status_code == 200
    r = raw(api, "POST", "/api/v1/identity/eid", json.dumps({"token": "x"}).encode(),
            {"Content-Type": "application/json"})
    assert r.status_code == 401 and code(r) == "signature_missing"


def test_server_clock_offset_via_control(api):
    status, _ = api.sim.control("POST", "/clock", {"offset_s": 900})
    try:
        assert code(signed(api, "GET", PRIVATE)) == "timestamp_stale"
        assert signed(api, "GET", PRIVATE, ts=time.time() + 900).status_code == 200
    finally:
        api.sim.control("POST", "/clock", {"offset_s": 0})


def test_plain_http_only_on_loopback(backend_dir):
    cmd = [sys.executable, "-m", "simulators.cli", "backend", "--listen", "0.0.0.0:0", "--plain-http",
           "--kiosk-key", str(backend_dir / "kiosk.key")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "127.0.0.1" in done.stderr
    with start_simulator("backend", "--plain-http", "--kiosk-key", str(backend_dir / "kiosk.key")) as sim:
        assert sim.ports["scheme"] == "http"
        r = requests.get(f"http://127.0.0.1:{sim.ports['listen']}/api/v1/time", timeout=30)
        assert r.status_code == 200


def test_pki_is_idempotent_and_mints_bad_certs(tmp_path, backend_dir):
    first = ensure_pki(tmp_path / "pki")
    before = first.cert_pem.read_bytes(), first.ca_pem.read_bytes()
    again = ensure_pki(tmp_path / "pki")
    assert (again.cert_pem.read_bytes(), again.ca_pem.read_bytes()) == before
    expired = mint_expired_cert(tmp_path / "pki", tmp_path / "bad")
    foreign = mint_foreign_cert(tmp_path / "bad")
    key = str(backend_dir / "kiosk.key")
    for files, reason in ((expired, "expired"), (foreign, "unable to get local issuer")):
        with start_simulator("backend", "--pki", str(tmp_path / "pki"), "--kiosk-key", key,
                             "--tls-cert", str(files.cert_pem), "--tls-key", str(files.key_pem)) as sim:
            with pytest.raises(requests.exceptions.SSLError, match=reason):
                requests.get(f"https://127.0.0.1:{sim.ports['listen']}/api/v1/time",
                             verify=str(tmp_path / "pki" / "ca.pem"), timeout=30)


# ---- replay (issue 16, case 5) ----------------------------------------------------------------

def test_a_replayed_rating_without_idempotency_key_is_refused(api):
    """The same signed POST /ratings, byte for byte, sent again within the 300 s window: the first
    is filed, the replay is refused with nonce_reused and files nothing."""
    body = json.dumps({"item_id": "social-insurance-certificate-print", "level": 5}).encode()
    h = signed_headers(api.key, "GD-TEST-0001", "POST", "/api/v1/ratings", int(time.time()), body)
    h["Content-Type"] = "application/json"
    before = api.state()["counts"].get("rating", 0)
    first = raw(api, "POST", "/api/v1/ratings", body, h)
    assert first.status_code == 200, first.text
    again = raw(api, "POST", "/api/v1/ratings", body, h)
    assert again.status_code == 401 and code(again) == "nonce_reused"
    assert "重复" in again.json()["error"]["message"]
    assert api.state()["counts"]["rating"] == before + 1


def test_a_replayed_read_is_refused_and_a_fresh_nonce_is_not(api):
    h = signed_headers(api.key, "GD-TEST-0001", "GET", PRIVATE, int(time.time()), b"")
    assert raw(api, "GET", PRIVATE, headers=h).status_code == 200
    assert code(raw(api, "GET", PRIVATE, headers=h)) == "nonce_reused"
    assert signed(api, "GET", PRIVATE).status_code == 200  # signed_headers draws a new nonce


def test_nonces_are_per_kiosk_and_a_bad_one_is_refused(api):
    h = signed_headers(api.key, "GD-TEST-0001", "GET", PRIVATE, int(time.time()), b"", nonce="n" * 32)
    other = signed_headers(api.key, "GD-TEST-0002", "GET", PRIVATE, int(time.time()), b"", nonce="n" * 32)
    assert raw(api, "GET", PRIVATE, headers=h).status_code == 200
    assert raw(api, "GET", PRIVATE, headers=other).status_code == 200
    for bad in ("short", "x" * 200, "bad nonce with spaces!"):
        r = raw(api, "GET", PRIVATE, headers=signed_headers(api.key, "GD-TEST-0001", "GET", PRIVATE,
                                                            int(time.time()), b"", nonce=bad))
        assert r.status_code == 401 and code(r) == "nonce_invalid", bad


def test_the_nonce_is_signed(api):
    h = signed_headers(api.key, "GD-TEST-0001", "GET", PRIVATE, int(time.time()), b"")
    h["X-Nonce"] = "f" * 32  # a replay with a new nonce does not verify
    r = raw(api, "GET", PRIVATE, headers=h)
    assert r.status_code == 401 and code(r) == "signature_invalid"
