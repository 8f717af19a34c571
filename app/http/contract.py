"""The HTTP contract, declared beside each route handler: what it takes (parameters, body model) and every answer it
gives (status → description, body model or media types, headers). `GET /openapi.json` is generated from these
declarations (`app.http.openapi`), and `tests/test_openapi.py` fails on a registered route that has none, so a route
added later cannot be left out of the contract (nor out of the schemathesis run, which reads it).

    @documented(Operation("Submit a generation", "free lane", body=ForgeRequest, answers={
        202: Answer("Queued: poll poll_url.", SubmitResponse), 400: BAD_REQUEST, ...}))
    async def submit(request): ...

The answers every route shares (refusals, timeouts, rate limits, provider failures) are defined here once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from app.schemas import ErrorAnswer, JobView, SubmitResponse

H = TypeVar("H", bound=Callable[..., Any])
OPERATION_ATTRIBUTE = "__forge402_operation__"
ELSEWHERE_ATTRIBUTE = "__forge402_described_elsewhere__"
JSON = ("application/json",)
Location = Literal["query", "path", "header"]


@dataclass(frozen=True)
class Header:
    name: str
    description: str
    required: bool = False  # present on every answer with this status


@dataclass(frozen=True)
class Answer:
    """One documented answer. `model`: a pydantic model, a tuple of them (any one of), or a JSON schema dict, for a
    JSON body; None with `media` for a binary body, or for none at all."""

    description: str
    model: Any = None
    media: tuple[str, ...] = JSON
    headers: tuple[Header, ...] = ()
    text_media: tuple[str, ...] = ()  # other renderings of the same answer, as text (an HTML page for a browser)


@dataclass(frozen=True)
class Param:
    name: str
    location: Location
    description: str
    required: bool = False
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    answers: Mapping[int, Answer]
    body: Any = None  # a pydantic model (JSON), or a JSON schema dict for `body_media`
    body_required: bool = True
    body_media: tuple[str, ...] = JSON
    params: tuple[Param, ...] = ()
    description: str = ""
    head: bool = False  # a GET whose HEAD is part of the contract too (downloads: size and type without the bytes)
    security: str | None = None  # the name of the security scheme (SECURITY_SCHEMES) the operation requires


def documented(operation: Operation) -> Callable[[H], H]:
    """Attach `operation` to a route handler (works above or below `@limited`, which keeps the attribute)."""

    def mark(handler: H) -> H:
        setattr(handler, OPERATION_ATTRIBUTE, operation)
        return handler

    return mark


def operation_of(endpoint: Any) -> Operation | None:
    return getattr(endpoint, OPERATION_ATTRIBUTE, None)


def described_elsewhere(endpoint: H, why: str) -> H:
    """Mark an endpoint that speaks another protocol with a contract of its own (MCP lists its tools itself): it is
    left out of the OpenAPI document on purpose, and `why` says where it is described."""
    setattr(endpoint, ELSEWHERE_ATTRIBUTE, why)
    return endpoint


def elsewhere(endpoint: Any) -> str | None:
    return getattr(endpoint, ELSEWHERE_ATTRIBUTE, None)


# the ways an operation proves who calls it (OpenAPI securitySchemes); most of the API needs none
SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "metricsToken": {"type": "http", "scheme": "bearer", "description": "FORGE402_METRICS_TOKEN, for the operator."},
}


# ---- what many routes answer ----------------------------------------------------------------------------------------

RETRY_AFTER = Header("Retry-After", "Seconds to wait before trying again.")
RATE_HEADERS = (
    RETRY_AFTER,
    Header("X-RateLimit-Limit", "Requests allowed per window."),
    Header("X-RateLimit-Remaining", "Requests left in this window."),
    Header("X-RateLimit-Reset", "Unix time the window ends."),
)


def refusal(description: str, *headers: Header) -> Answer:
    """An error answer: `{"error": code, "message": ...}` (and sometimes more fields)."""
    return Answer(description, ErrorAnswer, headers=headers)


BAD_REQUEST = refusal(
    "The request is refused: bad JSON or field (`invalid_json`, `invalid_body`, `invalid_field` with `fields`), or "
    "what it asks cannot be done (the code says which, e.g. `unknown_backend`, `image_url_forbidden`, "
    "`photo_rejected` with `issues`)."
)
TIMEOUT = refusal("`request_timeout`: the request body did not arrive in time; the connection is closed.")
TOO_LARGE = refusal("The body, an image or a model is over its size limit (`body_too_large`, `image_too_large`, ...).")
RATE_LIMITED = refusal(
    "`rate_limited`: too many requests from this address in the window (X-RateLimit-* say how many), or a "
    "provider's own rate limit (`provider_rate_limited`).",
    *RATE_HEADERS,
)
NOT_FOUND = refusal("Nothing by that name (`job_not_found`, `file_not_found`, ...).")
PROVIDER_AUTH = refusal("`provider_unauthorized`: the provider refused the key (`provider` names it).")
PROVIDER_CREDITS = refusal("`provider_out_of_credits`: the provider's account cannot pay for the job.")
NEEDS_KEY = refusal("`needs_key`: this backend needs a provider key (x-forge-provider-key) or an operator key.")
UPSTREAM = refusal("`upstream_error`: the provider failed or answered garbage; try again.", RETRY_AFTER)
UNAVAILABLE = refusal(
    "A part of the service is unavailable right now; nothing was done, try again after Retry-After: "
    "`store_unavailable` (the database is locked or its disk full), `storage_unavailable` (file storage unreachable "
    "or full), `paid_lane_unavailable`, ...",
    RETRY_AFTER,
)
STORAGE_UNAVAILABLE = refusal(
    "`storage_unavailable`: file storage is unreachable (or its disk full) right now; nothing was lost and the link "
    "or upload slot stays valid: retry after Retry-After.",
    RETRY_AFTER,
)
PROVIDER_ANSWERS: dict[int, Answer] = {
    401: PROVIDER_AUTH,
    403: PROVIDER_CREDITS,
    501: NEEDS_KEY,
    502: UPSTREAM,
}
PROVIDER_KEY = Param(
    "x-forge-provider-key",
    "header",
    "Your own key for a third-party backend (Scenario: api_key:api_secret); used for this job only, never stored.",
)
# a submission (generation or retopology), free: planned and checked before it is queued (providers asked at once)
SUBMITTED = {
    200: Answer(
        "Done within the fast lane (status done, with signed glb_url and thumbnail_url), or failed at once (the "
        "job's view, its `error` saying why).",
        (SubmitResponse, JobView),
    ),
    202: Answer("Queued: poll `poll_url` (GET /api/forge?job=ID).", SubmitResponse),
    400: BAD_REQUEST,
    408: TIMEOUT,
    413: TOO_LARGE,
    429: RATE_LIMITED,
    **PROVIDER_ANSWERS,
    503: UNAVAILABLE,
}
