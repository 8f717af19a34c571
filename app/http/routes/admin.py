"""The operator's books over HTTP, behind `Authorization: Bearer <FORGE402_ADMIN_KEY>` (no key configured: 501):
`GET /api/admin/payments` (filters `since`, `until`, `network`, `payer`, `state`; `limit`, `offset`;
`format=csv` for the export), `GET /api/admin/payments/{ref}`, `GET /api/admin/revenue`, `GET /api/admin/refunds`,
`POST /api/admin/refunds {job_id, method?, reason?}` (make good a failed paid job, once), `GET /api/admin/credits`,
`GET /api/admin/reconcile` (what breaks the books' rules)."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from app.errors import Invalid, NotOffered, Unauthorized
from app.http.body import read_model
from app.http.context import services
from app.http.views import refund_view
from app.schemas import RefundRequest
from app.services import books
from app.services.accounts import bearer

Handler = Callable[[Request], Awaitable[Response]]


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


@admin
async def payments(request: Request) -> Response:
    db = services(request).store
    if request.query_params.get("format") == "csv":
        rows = await books.payments(db, _filters(request), _number(request, "limit", 100_000, 1_000_000))
        disposition = {"Content-Disposition": 'attachment; filename="forge402-payments.csv"'}
        return PlainTextResponse(books.to_csv(rows), media_type="text/csv", headers=disposition)
    rows = await books.payments(
        db, _filters(request), _number(request, "limit", 100, 1000), _number(request, "offset", 0, 10**9)
    )
    return JSONResponse({"payments": rows})


@admin
async def payment(request: Request) -> Response:
    return JSONResponse(await books.payment(services(request).store, request.path_params["ref"]))


@admin
async def revenue(request: Request) -> Response:
    db = services(request).store
    days = await books.revenue(db, _filters(request))
    return JSONResponse({"days": days, "credits": await books.credit_totals(db)})


@admin
async def refunds(request: Request) -> Response:
    state = request.query_params.get("state")
    return JSONResponse({"refunds": await books.refunds(services(request).store, state)})


@admin
async def refund(request: Request) -> Response:
    svc = services(request)
    body = await read_model(request, RefundRequest, svc.settings.max_body_bytes)
    made = await svc.refunds.make_good(body.job_id, body.reason, body.method)
    return JSONResponse({"job_id": body.job_id, "refund": refund_view(made).model_dump(mode="json")})


@admin
async def credits(request: Request) -> Response:
    return JSONResponse(await books.credit_totals(services(request).store))


@admin
async def reconcile(request: Request) -> Response:
    problems = await books.problems(services(request).store)
    return JSONResponse({"ok": not problems, "problems": problems})
