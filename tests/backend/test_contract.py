"""Contract tests: schemathesis against the served /openapi.json, and the repo copy of the contract."""

from __future__ import annotations

import json

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from simulators.backend.app import OPENAPI_FILE, build_openapi, create_app
from simulators.backend.context import Settings
from tests.backend.bundles import diagnostics_zip

CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]
# Diagnostics uploads are raw zips: a valid bundle, a broken one, or any bytes.
schemathesis.openapi.media_type("application/zip",
                                st.sampled_from([diagnostics_zip(), b"PK\x03\x04broken"]) | st.binary(max_size=64))
EXAMPLES = 6  # per operation: keeps the suite fast on 2 cores; raise locally for a deeper run


OPERATIONS = sorted((path, method) for path, ops in json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
                    ["paths"].items() for method in ops)


@pytest.fixture(scope="module")
def api_schema(api):
    doc = requests.get(api.base + "/openapi.json", verify=str(api.ca), timeout=30).json()
    return schemathesis.openapi.from_dict(doc)


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_operation_conforms_to_the_contract(api, api_schema, signed_session, path, method):
    """Generated requests (schemathesis, capped examples) get documented statuses, types and bodies."""
    operation = api_schema[path][method]
    token = api.login("li_jianguo")

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    @given(case=operation.as_strategy())
    def run(case):
        # every other case carries a real session so person-specific paths are exercised too
        if case.headers is not None and "X-Session-Token" in case.headers and len(str(case.body)) % 2 == 0:
            case.headers["X-Session-Token"] = token
        case.call_and_validate(base_url=api.base, session=signed_session, checks=CHECKS, verify=str(api.ca))

    run()


def test_repo_copy_of_the_contract_is_current():
    served = json.loads(json.dumps(build_openapi(create_app(Settings(key=b"\0" * 32)))))
    kept = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    assert kept == served, (  # the catalogue item schema included: the kiosk validates with it too
        "simulators/backend/openapi.json is stale: run `python -m simulators.backend.app --write-openapi`")


def test_every_route_is_in_the_contract_and_under_api_v1():
    app = create_app(Settings(key=b"\0" * 32))
    doc = app.state.openapi_doc
    served = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    flat = [inner for r in app.routes for inner in getattr(getattr(r, "original_router", None), "routes", [r])]
    routes = {(m, r.path) for r in flat for m in getattr(r, "methods", ()) if m != "HEAD"}
    assert len(routes) > 30
    assert routes == served
    assert all(p.startswith("/api/v1/") or p in ("/openapi.json", "/verify") for _, p in served)
    assert doc["info"]["version"] and doc["openapi"].startswith("3.")
