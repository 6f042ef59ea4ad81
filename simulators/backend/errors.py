"""The backend's one error shape: {"error": {"code", "message" (中文, what next), "detail" (English)}},
plus "field" (the form field's name) when a form value is refused (`form_invalid`)."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException


class ErrorInfo(BaseModel):
    code: str
    message: str
    detail: str
    field: str | None = Field(None, description="form_invalid: the `name` of the refused form field")


class ErrorBody(BaseModel):
    error: ErrorInfo


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, detail: str,
                 headers: dict[str, str] | None = None, field: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.message, self.detail = status, code, message, detail
        self.headers = headers or {}
        self.field = field


def error_body(code: str, message: str, detail: str, field: str | None = None) -> dict:
    body = {"code": code, "message": message, "detail": detail}
    if field is not None:
        body["field"] = field
    return {"error": body}


def error_response(status: int, code: str, message: str, detail: str,
                   headers: dict[str, str] | None = None, field: str | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, detail, field), status_code=status, headers=headers)


def error_bytes(code: str, message: str, detail: str) -> bytes:
    return json.dumps(error_body(code, message, detail), ensure_ascii=False).encode()


_HTTP_MESSAGES = {
    404: ("not_found", "没有找到您要办理的内容，请返回首页重新选择。"),
    405: ("method_not_allowed", "请求方式不正确，请返回首页重试；如仍有问题请联系工作人员。"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers, exc.field)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        if any(e.get("type") == "personal_data" for e in exc.errors()):
            return error_response(422, "personal_data_rejected", "统计数据中不能包含个人信息，本批数据未被接收。",
                                  "usage events must not carry personal data: " +
                                  "; ".join(str(e.get("msg")) for e in exc.errors()[:3]))
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()[:5]
        )
        return error_response(422, "invalid_request", "填写的信息格式不正确，请检查后重新提交。",
                              f"request validation failed: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_MESSAGES.get(
            exc.status_code, ("http_error", "服务暂时出现问题，请稍后重试或联系工作人员。"))
        return error_response(exc.status_code, code, message, str(exc.detail),
                              getattr(exc, "headers", None))


def responses(*statuses: int) -> dict:
    """OpenAPI `responses=` entries for the error statuses a route may return."""
    return {s: {"model": ErrorBody, "description": _DESCRIPTIONS.get(s, "error")} for s in statuses}


_DESCRIPTIONS = {
    400: "bad request (e.g. an unreadable upload)",
    401: "missing, invalid or stale signature, or missing/expired session",
    403: "the identity is not allowed to do this",
    404: "no such resource",
    409: "conflict (e.g. an Idempotency-Key reused for a different request, slot full)",
    413: "upload too large",
    415: "unsupported upload type",
    422: "request validation failed",
}
