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

from app.schemas import CreditSubmitResponse, ErrorAnswer, JobView, SubmitResponse
from payments.models import PaymentRequired

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
    # the security schemes (SECURITY_SCHEMES) the operation takes, any one of them; `security_optional`: or none
    security: tuple[str, ...] = ()
    security_optional: bool = False


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
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A wallet's credentials: `Authorization: Bearer f402_…` (an API key, made at POST "
        "/api/me/keys) or a session token (the X-Forge-Session header of an answer to a request that signed in). "
        "Unknown, revoked, expired or malformed: 401 (`invalid_api_key`, `api_key_revoked`, `api_key_expired`, "
        "`invalid_token`, `invalid_authorization`); an expired session: 402 with a new sign-in challenge.",
    },
    "signInWithX": {
        "type": "apiKey",
        "in": "header",
        "name": "SIGN-IN-WITH-X",
        "description": "Sign in with a wallet (x402's sign-in-with-x extension, EIP-191 on Base or Ed25519 on "
        "Solana). A request without credentials is answered 402: the challenge (x402 v2 PaymentRequired with no "
        "payment and the `sign-in-with-x` extension, a fresh nonce) is in the PAYMENT-REQUIRED header (base64 JSON) "
        "and in the body. The wallet signs it and sends the proof (base64 JSON) in the SIGN-IN-WITH-X request "
        "header; the answer carries a session token in X-Forge-Session, for `Authorization: Bearer` afterwards.",
    },
    "adminKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "FORGE402_ADMIN_KEY, for the operator's books (/api/admin/...).",
    },
}
WALLET = ("bearer", "signInWithX")  # the ways a wallet says who it is


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

# ---- x402: what a paid route takes and answers -----------------------------------------------------------------------

PAYMENT_PARAMS = (
    Param("PAYMENT-SIGNATURE", "header", "An x402 v2 payment: base64 JSON of a PaymentPayload."),
    Param("X-PAYMENT", "header", "An x402 v1 payment: base64 JSON of a v1 PaymentPayload."),
)
RECEIPTS = (
    Header("PAYMENT-RESPONSE", "x402 v2 settlement receipt (base64 JSON) for a v2 payment."),
    Header("X-PAYMENT-RESPONSE", "The same for an x402 v1 payment."),
)
CHALLENGE = Header("PAYMENT-REQUIRED", "x402 v2 PaymentRequired (base64 JSON).", required=True)
PAYMENT_USED = refusal("This payment (or payment-identifier) was already used for another request.")
PAYMENTS_REFUSED = refusal("`too_many_failed_payments` from this payer or address; nothing was charged.", RETRY_AFTER)

# ---- a wallet's credentials (sign-in-with-x, sessions, API keys) -----------------------------------------------------

SESSION = Header("X-Forge-Session", "A request that signed in (SIGN-IN-WITH-X): its new session token, for "
                 "`Authorization: Bearer` afterwards.")  # fmt: skip
WWW_AUTHENTICATE = Header("WWW-Authenticate", "The bearer challenge.", required=True)
UNAUTHORIZED_CODES = (
    "bearer credentials that sign nobody in: `invalid_authorization` (not `Bearer <token>`), `invalid_token`, "
    "`invalid_api_key`, `api_key_revoked`, `api_key_expired`"
)
UNAUTHORIZED = refusal(f"Refused: {UNAUTHORIZED_CODES}.", WWW_AUTHENTICATE)
SIGN_IN = Answer(
    "Sign in first: without credentials (`sign_in_required`), an expired session (`session_expired`), or a "
    "SIGN-IN-WITH-X proof that was refused (`invalid_siwx_...`). The body is the x402 v2 PaymentRequired of the "
    "sign-in challenge (no payment; the `sign-in-with-x` extension with a fresh nonce) with `message`; the same "
    "challenge is in PAYMENT-REQUIRED.",
    PaymentRequired,
    headers=(
        Header("PAYMENT-REQUIRED", "The sign-in challenge: x402 v2 PaymentRequired (base64 JSON).", required=True),
        WWW_AUTHENTICATE,
    ),
)
FORBIDDEN_SCOPE = refusal("`insufficient_scope`: the API key lacks the scope this needs (`scope` names it).")
SIGNED_IN_UNAVAILABLE = refusal(
    "`store_unavailable` (the database is locked or its disk full), or `sign_in_unavailable` (sign-in needs "
    "FORGE402_PUBLIC_URL); nothing was done, try again after Retry-After.",
    RETRY_AFTER,
)
# what every route of a signed-in wallet answers besides its own
SIGNED_IN = {401: UNAUTHORIZED, 402: SIGN_IN, 403: FORBIDDEN_SCOPE, 503: SIGNED_IN_UNAVAILABLE}

# a submission (generation or retopology): free, or paid with a wallet's credits when it sends them (a bearer API
# key or session, or a sign-in); planned and checked before it is queued (providers asked at once)
SUBMITTED = {
    200: Answer(
        "Done within the fast lane (status done, with signed glb_url and thumbnail_url), or failed at once (the "
        "job's view, its `error` saying why; paid with credits, they were given back). Paid with credits: "
        "`credits_used` and `credits_remaining` too.",
        (CreditSubmitResponse, SubmitResponse, JobView),
        headers=(SESSION,),
    ),
    202: Answer(
        "Queued: poll `poll_url` (GET /api/forge?job=ID). Paid with credits: `credits_used` (given back if the job "
        "fails) and `credits_remaining`.",
        (CreditSubmitResponse, SubmitResponse),
        headers=(SESSION,),
    ),
    400: BAD_REQUEST,
    401: refusal(
        f"`provider_unauthorized`: the provider refused the key (`provider` names it); or {UNAUTHORIZED_CODES}.",
        WWW_AUTHENTICATE,
    ),
    402: Answer(
        "With a wallet's credentials: `insufficient_credits` (the wallet's credits do not cover the price: "
        "`price_atomics`, `credit_atomics`), or the sign-in challenge (an expired session, a refused SIGN-IN-WITH-X "
        "proof: the x402 v2 PaymentRequired, also in PAYMENT-REQUIRED).",
        (ErrorAnswer, PaymentRequired),
        headers=(Header("PAYMENT-REQUIRED", "A sign-in challenge: x402 v2 PaymentRequired (base64 JSON)."),),
    ),
    403: refusal(
        "`provider_out_of_credits`: the provider's account cannot pay for the job; or, with a wallet's credentials, "
        "`insufficient_scope` (an API key without `generate`) or `spend_cap_reached` (the key's cap)."
    ),
    408: TIMEOUT,
    413: TOO_LARGE,
    429: RATE_LIMITED,
    501: NEEDS_KEY,
    502: UPSTREAM,
    503: refusal(
        "Nothing was done; try again after Retry-After: `busy` (the free queue is full: `eta_seconds` says how long a "
        "new job would wait; the paid lane is served first), `store_unavailable` (the database is locked or its "
        "disk full), `storage_unavailable` (file storage unreachable or full), `sign_in_unavailable`.",
        RETRY_AFTER,
    ),
}
