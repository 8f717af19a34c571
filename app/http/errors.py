"""The one place where errors become HTTP answers: `{"error": "<code>", "message": "...", ...fields}` with the status
of the error's kind (domain errors, provider refusals at submit time, Starlette's own 404/405), never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Match, Route

from app import errors
from app.engines.base import ErrorKind, ProviderError
from app.engines.providers.errors import job_error_code
from app.http.auth import answer_sign_in
from app.http.timeouts import BODY_MESSAGE, TIMEOUT_CODE
from app.store.blobs import BlobStoreUnavailable

log = logging.getLogger("forge402")

STATUS: dict[type[errors.ForgeError], int] = {
    errors.Invalid: 400,
    errors.Unauthorized: 401,
    errors.PaymentNeeded: 402,
    errors.SignInRequired: 402,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.TooLarge: 413,
    errors.RateLimited: 429,
    errors.NotOffered: 501,
    errors.StoreUnavailable: 503,  # with Retry-After (the database is locked or the disk full: transient)
    errors.Unavailable: 503,
    errors.Busy: 503,
    BlobStoreUnavailable: 503,  # file storage unreachable: Retry-After, the link or slot stays valid
}
# a provider refusing while the client waits (its job is not created): its kind decides our status
PROVIDER_STATUS: dict[ErrorKind, int] = {
    "auth": 401,
    "payment": 403,
    "rate_limited": 429,
    "transient": 502,
    "rejected": 400,
    "failed": 502,
}
HTTP_CODES = {
    404: ("not_found", "There is nothing at this path."),
    405: ("method_not_allowed", "This path does not accept that method."),
    408: (TIMEOUT_CODE, BODY_MESSAGE),
}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **fields: Any
) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **fields}, status_code=status, headers=headers)


def rate_limit_headers(limit: int, remaining: int, reset_at: int) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset_at),
    }


def status_of(exc: errors.ForgeError) -> int:
    return next((status for kind, status in STATUS.items() if isinstance(exc, kind)), 400)


async def handle_forge_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.ForgeError)
    if isinstance(exc, BlobStoreUnavailable):
        log.warning("file storage unreachable on %s %s: %s", request.method, request.url.path, exc.detail)
    headers: dict[str, str] = {}
    if isinstance(exc, errors.RateLimited):
        headers |= rate_limit_headers(exc.limit, 0, exc.reset_at)
    if exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, errors.Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="forge402"'
    return error_response(status_of(exc), exc.code, exc.message, headers, **exc.fields)


async def handle_provider_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProviderError)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return error_response(PROVIDER_STATUS[exc.kind], job_error_code(exc), exc.message, headers, provider=exc.provider)


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code, message = HTTP_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return error_response(exc.status_code, code, message, headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method the request's path takes: Starlette's 405 names only those of the first route that matched the
    path, and a path can have a route per method (GET and POST /api/forge)."""
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods or set()
    return sorted(methods)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log, never to the client.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "Something went wrong on our side; please retry.")


EXCEPTION_HANDLERS = {
    errors.SignInRequired: answer_sign_in,
    errors.ForgeError: handle_forge_error,
    ProviderError: handle_provider_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
