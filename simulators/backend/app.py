"""The reference backend's FastAPI app: create_app(settings).

The contract is the OpenAPI document this app generates; the copy kept in the repo
(simulators/backend/openapi.json) is checked against it by the tests and rewritten with
`python -m simulators.backend.app --write-openapi`. The app serves it at /openapi.json.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from simulators.backend import catalogue
from simulators.backend.context import Backend, Settings
from simulators.backend.errors import install_error_handlers
from simulators.backend.security import SignedApiMiddleware, is_public

OPENAPI_FILE = Path(__file__).with_name("openapi.json")
API_VERSION = "1.0.0"
DESCRIPTION = """\
Kiosk ↔ provincial platform API (reference backend). All routes live under /api/v1 and speak JSON.

**Signatures.** Every /api/v1 request carries X-Kiosk-Id, X-Timestamp (unix seconds), X-Nonce
(16-128 letters, digits, "-" or "_", fresh for every request) and X-Signature = hex
HMAC-SHA256(key, METHOD "\\n" TARGET "\\n" TIMESTAMP "\\n" NONCE "\\n" hex sha256(body)), TARGET
being the path plus "?query" exactly as sent. Stale (> 300 s) or wrong signatures get 401, and so
does a nonce already seen within the window (401 nonce_reused: a replayed request runs once).
Server time and catalogue reads are public (the kiosk signs them anyway).

**Sessions.** POST /api/v1/identity/{idcard,sscard,eid} return a session token; calls for a person
carry it as X-Session-Token. A face check (a SIMULATION, not biometrics) is added to a session.

**Idempotency.** Every write accepts Idempotency-Key; a repeat returns the first answer and
stores nothing new (header Idempotent-Replayed: true).

**Errors.** {"error": {"code", "message" (Chinese, tells the resident what to do), "detail"}}.
"""


def _embed_catalogue_schema(doc: dict[str, Any]) -> None:
    """Put kiosk/services/catalogue_schema.json into components as CatalogueItem (+ its $defs)."""
    item = copy.deepcopy(catalogue.schema())
    defs = item.pop("$defs", {})
    for key in ("$schema", "$id"):
        item.pop(key, None)

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (v.replace("#/$defs/", "#/components/schemas/CatalogueItem_")
                        if k == "$ref" and isinstance(v, str) else rewrite(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["CatalogueItem"] = rewrite(item)
    for name, sub in defs.items():
        schemas[f"CatalogueItem_{name}"] = rewrite(sub)


def _add_security(doc: dict[str, Any]) -> None:
    schemes = doc.setdefault("components", {}).setdefault("securitySchemes", {})
    for name, header in (("kioskId", "X-Kiosk-Id"), ("timestamp", "X-Timestamp"), ("nonce", "X-Nonce"),
                         ("signature", "X-Signature")):
        schemes[name] = {"type": "apiKey", "in": "header", "name": header}
    signed = [{"kioskId": [], "timestamp": [], "nonce": [], "signature": []}]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            if not path.startswith("/api/v1/"):
                continue
            if is_public(method.upper(), path.replace("{item_id}", "x")):
                op["security"] = [{}, *signed]  # optional: public, the kiosk signs anyway
            else:
                op["security"] = signed
                op.setdefault("responses", {}).setdefault("401", {
                    "description": "missing, invalid or stale signature, or a replayed nonce",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}})


def build_openapi(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(title="Village kiosk platform API", version=API_VERSION, description=DESCRIPTION,
                      routes=app.routes)
    doc["servers"] = [{"url": "https://127.0.0.1:8443", "description": "reference backend (kiosk-sim backend)"}]
    _embed_catalogue_schema(doc)
    _add_security(doc)
    return doc


def create_app(settings: Settings) -> FastAPI:
    from simulators.backend import (
        routes_applications,
        routes_certificates,
        routes_feedback,
        routes_identity,
        routes_kiosk,
        routes_payments,
        routes_public,
        routes_records,
        routes_services,
    )

    app = FastAPI(title="Village kiosk platform API", version=API_VERSION, docs_url=None, redoc_url=None,
                  openapi_url=None)
    backend = Backend.create(settings)
    app.state.backend = backend
    install_error_handlers(app)
    for module in (routes_public, routes_identity, routes_records, routes_certificates, routes_applications,
                   routes_payments, routes_services, routes_feedback, routes_kiosk):
        app.include_router(module.router)
    @app.get("/openapi.json", tags=["public"], summary="This contract (OpenAPI 3.1)", response_model=None,
             responses={200: {"description": "the OpenAPI document",
                              "content": {"application/json": {"schema": {"type": "object"}}}}})
    def openapi_json() -> dict[str, Any]:
        return schema

    schema = build_openapi(app)
    app.openapi_schema = schema
    app.state.openapi_doc = schema  # app.openapi() may regenerate without our additions

    app.add_middleware(SignedApiMiddleware, key=settings.key, storage=backend.storage, clock=settings.now)
    return app


def openapi_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["--write-openapi"]:
        print("usage: python -m simulators.backend.app --write-openapi", file=sys.stderr)
        return 2
    app = create_app(Settings(key=b"\0" * 32))
    OPENAPI_FILE.write_text(openapi_text(app.state.openapi_doc), encoding="utf-8")
    print(f"wrote {OPENAPI_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
