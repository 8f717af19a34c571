"""Retopology: `POST /api/forge/retopo` (free, rate limited like generations; with a bearer API key or session,
paid with the wallet's credits); its paid twin is in `paid`. Both queue a job polled at `GET /api/forge?job=ID`
like any other (`mode: "retopo"`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.http.answers import credit_answer, launched_answer
from app.http.auth import free_or_credits
from app.http.body import read_model
from app.http.context import caller, links, services
from app.http.contract import (
    BAD_REQUEST,
    NOT_FOUND,
    PROVIDER_KEY,
    SUBMITTED,
    WALLET,
    Operation,
    documented,
    refusal,
)
from app.http.ratelimit import key_limited, limited
from app.schemas import RetopoRequest
from app.services import credits, retopology
from app.services.accounts import Principal


@documented(
    Operation(
        "Retopologize a model (a GLB/OBJ URL or one of your finished jobs) to face_limit faces (free lane)",
        "retopology",
        body=RetopoRequest,
        params=(PROVIDER_KEY,),
        answers={
            **SUBMITTED,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: refusal("`job_not_done`: the source job has not finished yet."),
        },
        description="With a wallet's credentials (`Authorization: Bearer` an f402_ API key or a session token, or a "
        "SIGN-IN-WITH-X proof) it is paid with the wallet's credits, as POST /api/forge.",
        security=WALLET,
        security_optional=True,
    )
)
async def submit(request: Request) -> Response:
    return await free_or_credits(request, submit_free, submit_with_credits)


@limited("generate", "generations")
async def submit_free(request: Request) -> JSONResponse:
    svc = services(request)
    body = await read_model(request, RetopoRequest, svc.settings.max_body_bytes)
    launched = await retopology.submit(svc, caller(request), body)
    return launched_answer(links(request), launched)


@key_limited
async def submit_with_credits(request: Request, principal: Principal) -> Response:
    principal.require("generate")
    svc = services(request)
    body = await read_model(request, RetopoRequest, svc.settings.max_body_bytes)
    planned = await retopology.plan_request(svc, caller(request), body, lane="paid")
    launched = await credits.spend_and_launch(svc, caller(request), principal, planned, svc.settings.price_retopo)
    return credit_answer(links(request), launched)
