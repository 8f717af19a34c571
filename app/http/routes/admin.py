"""The operator's books over HTTP, behind `Authorization: Bearer <FORGE402_ADMIN_KEY>` (no key configured: 501):
`GET /api/admin/payments` (filters `since`, `until`, `network`, `payer`, `state`; `limit`, `offset`;
`format=csv` for the export), `GET /api/admin/payments/{ref}`, `GET /api/admin/revenue`, `GET /api/admin/refunds`,
`POST /api/admin/refunds {job_id, method?, reason?}` (make good a failed paid job, once), `GET /api/admin/credits`,
`GET /api/admin/reconcile` (what breaks the books' rules)."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from app.errors import Invalid, NotOffered, Unauthorized
from app.http.body import read_model
from app.http.context import services
from app.http.contract import (
    BAD_REQUEST,
        TIMEOUT,
    TOO_LARGE,
    UNAVAILABLE,
    WWW_AUTHENTICATE,
    Answer,
    Operation,
    Param,
    documented,
    refusal,
)
from app.http.views import refund_view
from app.schemas import (
    AdminPaymentDetail,
    AdminPayments,
    AdminRefunds,
    AdminRevenue,
    CreditTotals,
    Reconciliation,
    RefundMade,
    RefundRequest,
)
from app.services import books
from app.services.accounts import bearer

Handler = Callable[[Request], Awaitable[Response]]
TAG = "operator"
CSV = ("text/csv",)
REFUND_STATES: dict[str, Any] = {"type": "string", "enum": ["pending", "sending", "sent", "credited", "failed"]}
# what every admin route answers besides its own
ADMIN_ANSWERS = {
    400: BAD_REQUEST,
    401: refusal(
        "`invalid_admin_key`: no bearer token, or not FORGE402_ADMIN_KEY (`invalid_authorization`: not "
        "`Bearer <token>`).",
        WWW_AUTHENTICATE,
    ),
    501: refusal("`admin_unavailable`: the admin API is off (FORGE402_ADMIN_KEY is not set)."),
    503: UNAVAILABLE,
}
FILTERS = (
    Param("since", "query", "From this date (2026-05-01, UTC) or RFC 3339 time on."),
    Param("until", "query", "Before this date or time."),
    Param("network", "query", "Only this network (CAIP-2, e.g. eip155:8453)."),
    Param("payer", "query", "Only this payer's address."),
    Param(
        "state",
        "query",
        "Only payments in this state (`settled`: settled or fulfilled; `refunded`: with a refund).",
        schema={"type": "string", "enum": list(books.STATES)},
    ),
)


def operation(summary: str, answers: dict[int, Answer], params: tuple[Param, ...] = (), body: object = None,
              ) -> Operation:  # fmt: skip
    """An admin operation: behind the admin key, with the answers every admin route gives."""
    return Operation(summary, TAG, {**ADMIN_ANSWERS, **answers}, body=body, params=params, security=("adminKey",))


def admin(handler: Handler) -> Handler:
    @wraps(handler)
    async def route(request: Request) -> Response:
        key = services(request).settings.admin_key
        if key is None:
            raise NotOffered("admin_unavailable", "The admin API is off: set FORGE402_ADMIN_KEY to use it.")
        token = bearer(request.headers.get("authorization")) or ""
        if not hmac.compare_digest(token.encode(), key.get_secret_value().encode()):
            raise Unauthorized("invalid_admin_key", "Send Authorization: Bearer <FORGE402_ADMIN_KEY>.")
        response = await handler(request)
        response.headers["Cache-Control"] = "no-store"
        return response

    return route


def _filters(request: Request) -> books.Filters:
    q = request.query_params
    return books.filters(q.get("since"), q.get("until"), q.get("network"), q.get("payer"), q.get("state"))


def _number(request: Request, name: str, default: int, most: int) -> int:
    raw = request.query_params.get(name, str(default))
    if not raw.isdigit() or int(raw) > most:
        raise Invalid("invalid_parameter", f"{name} is a number from 0 to {most}.")
    return int(raw)


@documented(
    operation(
        "Payments (newest first), filtered; `format=csv` exports them",
        {200: Answer("The payments (JSON), or their CSV export (`format=csv`).", AdminPayments, text_media=CSV)},
        params=(
            *FILTERS,
            Param("limit", "query", "At most this many (JSON: 1000, default 100; CSV: 1000000).",
                  schema={"type": "integer", "minimum": 0, "maximum": 1_000_000}),
            Param("offset", "query", "Skip this many.", schema={"type": "integer", "minimum": 0}),
            Param("format", "query", "`csv` for the export.", schema={"type": "string", "enum": ["json", "csv"]}),
        ),
    )
)
@admin
async def payments(request: Request) -> Response:
    db = services(request).store
    shape = request.query_params.get("format", "json")
    if shape not in ("json", "csv"):
        raise Invalid("invalid_parameter", "format is json (the default) or csv.")
    offset = _number(request, "offset", 0, 10**9)  # checked and applied whatever the format
    if shape == "csv":
        limit = _number(request, "limit", 100_000, 1_000_000)
        text = await books.export(db, _filters(request), limit, offset)
        disposition = {"Content-Disposition": 'attachment; filename="forge402-payments.csv"'}
        return PlainTextResponse(text, media_type="text/csv", headers=disposition)
    rows = await books.payments(db, _filters(request), _number(request, "limit", 100, 1000), offset)
    return JSONResponse({"payments": rows})


@documented(
    operation(
        "One payment, by its ledger key, job (or purchase) id, transaction or payment-identifier",
        {
            200: Answer("The payment, with its payload.", AdminPaymentDetail),
            404: refusal("`payment_not_found`: no payment by that reference."),
        },
    )
)
@admin
async def payment(request: Request) -> Response:
    return JSONResponse(await books.payment(services(request).store, request.path_params["ref"]))


@documented(
    operation(
        "Revenue per UTC day and network (settled payments, refunds) and the credit totals",
        {200: Answer("The days and the credit totals.", AdminRevenue)},
        params=FILTERS[:2],
    )
)
@admin
async def revenue(request: Request) -> Response:
    db = services(request).store
    days = await books.revenue(db, _filters(request))
    return JSONResponse({"days": days, "credits": await books.credit_totals(db)})


@documented(
    operation(
        "Refunds of failed paid jobs (newest first)",
        {200: Answer("The refunds.", AdminRefunds)},
        params=(Param("state", "query", "Only refunds in this state.", schema=REFUND_STATES),),
    )
)
@admin
async def refunds(request: Request) -> Response:
    state = request.query_params.get("state")
    if state is not None and state not in REFUND_STATES["enum"]:
        raise Invalid("invalid_parameter", f"state is one of: {', '.join(REFUND_STATES['enum'])}.")
    return JSONResponse({"refunds": await books.refunds(services(request).store, state)})


@documented(
    operation(
        "Make good a failed paid job (once): its credits back, or its USDC on chain",
        {
            200: Answer("The job's refund (the same one again if it was made good already).", RefundMade),
            404: refusal("`not_a_paid_job`: the job was not paid for (or does not exist)."),
            408: TIMEOUT,
            409: refusal("`job_not_failed` (only a failed job is refunded), or `nothing_to_refund`."),
            413: TOO_LARGE,
        },
        body=RefundRequest,
    )
)
@admin
async def refund(request: Request) -> Response:
    svc = services(request)
    body = await read_model(request, RefundRequest, svc.settings.max_body_bytes)
    made = await svc.refunds.make_good(body.job_id, body.reason, body.method)
    return JSONResponse({"job_id": body.job_id, "refund": refund_view(made).model_dump(mode="json")})


@documented(
    operation("Credit totals per kind of transaction, and what wallets hold", {200: Answer("Atomics.", CreditTotals)})
)
@admin
async def credits(request: Request) -> Response:
    return JSONResponse(await books.credit_totals(services(request).store))


@documented(
    operation(
        "What breaks the books' rules (ledgers that disagree)",
        {200: Answer("`ok` with no `problems`, or the problems found.", Reconciliation)},
    )
)
@admin
async def reconcile(request: Request) -> Response:
    problems = await books.problems(services(request).store)
    return JSONResponse({"ok": not problems, "problems": problems})
