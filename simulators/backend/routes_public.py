"""Public routes (no signature needed, the kiosk signs them anyway): server time and catalogue reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from kiosk.services.signing import MAX_SKEW_S
from simulators.backend.context import BackendDep, iso
from simulators.backend.errors import responses

router = APIRouter(prefix="/api/v1", tags=["public"])

ITEM_REF = {"$ref": "#/components/schemas/CatalogueItem"}


class ServerTime(BaseModel):
    epoch_s: float
    iso: str
    timezone: str
    max_skew_s: int


@router.get("/time", response_model=ServerTime, summary="Server time (public)")
def server_time(b: BackendDep) -> ServerTime:
    return ServerTime(epoch_s=round(b.settings.now(), 3), iso=iso(b.now()), timezone="Asia/Shanghai",
                      max_skew_s=MAX_SKEW_S)


def _etag(version: str) -> str:
    return f'"{version}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


IfNoneMatch = Annotated[str | None, Header(alias="If-None-Match",
                                           description="the ETag of the copy the kiosk holds")]
ETAG_HEADER = {"ETag": {"description": "the catalogue version in quotes", "schema": {"type": "string"}}}


@router.get(
    "/catalog", summary="The whole catalogue (public; ETag / If-None-Match)", response_model=None,
    operation_id="catalog_api_v1_catalog_get",  # the contract's id; the path /catalog is contract too
    responses={
        200: {"description": "the catalogue", "headers": ETAG_HEADER, "content": {"application/json": {
            "schema": {"type": "object", "required": ["version", "items"], "properties": {
                "version": {"type": "string"}, "items": {"type": "array", "items": ITEM_REF}}}}}},
        304: {"description": "the kiosk's copy (If-None-Match) is current", "headers": ETAG_HEADER},
    })
def catalogue(b: BackendDep, if_none_match: IfNoneMatch = None) -> Response:
    etag = _etag(b.version)
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse({"version": b.version, "items": b.items}, headers={"ETag": etag})


@router.get(
    "/catalog/{item_id}", summary="One catalogue item (public)", response_model=None,
    operation_id="catalog_item_api_v1_catalog__item_id__get",
    responses={
        200: {"description": "the item", "headers": ETAG_HEADER,
              "content": {"application/json": {"schema": ITEM_REF}}},
        304: {"description": "unchanged since the given ETag", "headers": ETAG_HEADER},
        **responses(404),
    })
def catalogue_item(item_id: str, b: BackendDep, if_none_match: IfNoneMatch = None) -> Response:
    item = b.item(item_id)
    etag = _etag(b.version)
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse(item, headers={"ETag": etag})
