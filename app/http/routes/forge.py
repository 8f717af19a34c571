"""The free lane: `POST /api/forge` (submit), `GET /api/forge?job=ID` (poll), `GET /api/forge?catalog`.

With `Authorization: Bearer <f402_ API key or session token>`, `POST /api/forge` is paid with the wallet's credits
instead of the free lane's limit (`submit_with_credits`: the key's own rate limit, no per-IP limit). A paid job's
poll view is shown to its payer only when `FORGE402_PAID_VIEWS=payer`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.catalog import catalog_json
from app.errors import Invalid, SignInRequired, Unauthorized
from app.http.answers import credit_answer, json_answer, launched_answer
from app.http.auth import free_or_credits, principal_of, with_session
from app.http.body import read_model
from app.http.context import caller, links, services
from app.http.contract import (
    BAD_REQUEST,
    NOT_FOUND,
    PROVIDER_KEY,
    RATE_LIMITED,
    SESSION,
    SIGN_IN,
    SUBMITTED,
    UNAUTHORIZED,
    UNAVAILABLE,
    WALLET,
    Answer,
    Operation,
    Param,
    documented,
)
from app.http.ratelimit import key_limited, limited
from app.http.views import job_view
from app.schemas import Catalog, ForgeRequest, JobView
from app.services import credits, generation, me
from app.services.accounts import Principal


@documented(
    Operation(
        "Generate a 3D model from a prompt or 1-4 photos (free lane, rate-limited per address)",
        "free lane",
        body=ForgeRequest,
        params=(PROVIDER_KEY,),
        answers=SUBMITTED,
        description="With a wallet's credentials (`Authorization: Bearer` an f402_ API key or a session token, or a "
        "SIGN-IN-WITH-X proof) the job is paid with the wallet's credits instead: the key's own rate limit, none "
        "per address; the answer says `credits_used` and `credits_remaining`.",
        security=WALLET,
        security_optional=True,
    )
)
async def submit(request: Request) -> Response:
    return await free_or_credits(request, submit_free, submit_with_credits)


@limited("generate", "generations")
async def submit_free(request: Request) -> JSONResponse:
    svc = services(request)
    body = await read_model(request, ForgeRequest, svc.settings.max_body_bytes)
    launched = await generation.submit(svc, caller(request), body)
    return launched_answer(links(request), launched)


@key_limited
async def submit_with_credits(request: Request, principal: Principal) -> Response:
    principal.require("generate")
    svc = services(request)
    body = await read_model(request, ForgeRequest, svc.settings.max_body_bytes)
    planned = await generation.plan_request(svc, caller(request), body, lane="paid")
    price = svc.settings.price_atomics(body.tier)
    launched = await credits.spend_and_launch(svc, caller(request), principal, planned, price)
    return credit_answer(links(request), launched)


@documented(
    Operation(
        "Poll a job (?job=ID), or list tiers and backends (?catalog)",
        "free lane",
        params=(
            Param("job", "query", "The job id to poll (from a submit's job_id or poll_url)."),
            Param("catalog", "query", "Present (any value): list the tiers, prices and backends.", schema={}),
        ),
        answers={
            200: Answer("The job's view (?job), or the catalog (?catalog).", (JobView, Catalog), headers=(SESSION,)),
            400: BAD_REQUEST,
            401: UNAUTHORIZED,
            402: SIGN_IN,
            404: NOT_FOUND,
            429: RATE_LIMITED,
            503: UNAVAILABLE,
        },
        description="A paid job's view is shown to its payer only when FORGE402_PAID_VIEWS=payer: then the "
        "wallet's credentials are needed (401 or 402 without them); by default they are optional (a credit-paid "
        "job shows its payer `credits_remaining`).",
        security=WALLET,
        security_optional=True,
    )
)
@limited("poll", "polls")
async def query(request: Request) -> Response:
    svc = services(request)
    params = request.query_params
    if "catalog" in params:
        return JSONResponse(catalog_json(svc.settings, await svc.jobs.waits()))
    job_id = params.get("job")
    if not job_id:
        raise Invalid("missing_parameter", "Poll a job with ?job=<job_id>, or list offers with ?catalog.")
    record = await generation.poll(svc, job_id)
    principal = await viewer(request) if record.charge is not None else None
    me.check_view(svc, principal, record)
    view = job_view(links(request), record, await me.balance_for(svc, principal, record))
    return with_session(request, json_answer(view))


async def viewer(request: Request) -> Principal | None:
    """Who polls a paid job. Open views (the default) ignore credentials they cannot use (a stale key must not stop
    a poll); payer-only views refuse them."""
    if services(request).settings.paid_views == "payer":
        return await principal_of(request)
    try:
        return await principal_of(request)
    except (Unauthorized, SignInRequired):
        return None
