"""Provider failures as our error codes: the job's `error.code` and, at submit time, the HTTP answer."""

from __future__ import annotations

from app.engines.base import ProviderError
from app.errors import ApiError

# kind → (job error code, HTTP status when it happens while the request is still open)
CODES: dict[str, tuple[str, int]] = {
    "auth": ("provider_unauthorized", 401),
    "payment": ("provider_out_of_credits", 403),
    "rate_limited": ("provider_rate_limited", 429),
    "transient": ("upstream_error", 502),
    "rejected": ("provider_rejected", 400),
    "failed": ("provider_failed", 502),
}


def job_error_code(exc: ProviderError) -> str:
    return CODES[exc.kind][0]


def api_error(exc: ProviderError) -> ApiError:
    code, status = CODES[exc.kind]
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return ApiError(status, code, exc.message, headers=headers, extra={"provider": exc.provider})
