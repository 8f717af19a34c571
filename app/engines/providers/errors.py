"""Provider failures as our error codes: the job's `error.code`, and the code of the answer when a provider refuses
while the request is still open (the HTTP edge gives each its status)."""

from __future__ import annotations

from app.engines.base import ErrorKind, ProviderError

CODES: dict[ErrorKind, str] = {
    "auth": "provider_unauthorized",
    "payment": "provider_out_of_credits",
    "rate_limited": "provider_rate_limited",
    "transient": "upstream_error",
    "rejected": "provider_rejected",
    "failed": "provider_failed",
}


def job_error_code(exc: ProviderError) -> str:
    return CODES[exc.kind]
