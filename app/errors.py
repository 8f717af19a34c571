"""One error type, one JSON shape: `{"error": "<code>", "message": "..."}`, plus optional extra fields."""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger("forge402")


class ApiError(Exception):
    """An answer to the client that is not a success. `message` is written for a person to act on."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}

    def response(self) -> JSONResponse:
        body = {"error": self.code, "message": self.message, **self.extra}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def bad_request(code: str, message: str, **extra: Any) -> ApiError:
    return ApiError(400, code, message, extra=extra)


def not_found(code: str, message: str) -> ApiError:
    return ApiError(404, code, message)


_HTTP_CODES = {
    404: ("not_found", "There is nothing at this path."),
    405: ("method_not_allowed", "This path does not accept that method."),
}


async def handle_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return exc.response()


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code, message = _HTTP_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
    return ApiError(exc.status_code, code, message, headers=dict(exc.headers or {})).response()


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log, never to the client.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return ApiError(500, "internal_error", "Something went wrong on our side; please retry.").response()


EXCEPTION_HANDLERS = {
    ApiError: handle_api_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
