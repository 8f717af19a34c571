"""The signed-in wallet's own resources: `GET /api/me` (address, credits), `GET /api/me/jobs` (its paid jobs, both
lanes and chains, newest first, by cursor), `GET /api/me/jobs/{job_id}`, and its API keys: `POST /api/me/keys`,
`GET /api/me/keys`, `DELETE /api/me/keys/{key_id}`. Without a wallet: 402 with a sign-in challenge."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.errors import Invalid
from app.http.answers import json_answer
from app.http.auth import signed_in
from app.http.body import read_model
from app.http.context import links, services
from app.http.contract import (
    BAD_REQUEST,
    NOT_FOUND,
    SESSION,
    SIGNED_IN,
    TIMEOUT,
    TOO_LARGE,
    WALLET,
    Answer,
    Operation,
    Param,
    documented,
    refusal,
)
from app.http.views import job_view, key_view, me_view
from app.schemas import JobView, KeyCreated, KeyList, KeyRequest, KeyView, MeView, MyJobs
from app.services import accounts, me
from app.services.accounts import Principal

MAX_PAGE = 100
TAG = "account"
KEYS_SCOPE = "`insufficient_scope`: keys are managed with a session (signed in), not with an API key."


def operation(summary: str, answers: dict[int, Answer], **more: Any) -> Operation:
    """An operation of the signed-in wallet: a bearer token or a sign-in, and what a missing one answers."""
    return Operation(summary, TAG, answers={**SIGNED_IN, **answers}, security=WALLET, **more)


def ok(description: str, model: type[BaseModel]) -> Answer:
    return Answer(description, model, headers=(SESSION,))


@documented(operation("The signed-in wallet: its address, credits and their history", {200: ok(
    "The account.", MeView)}))
@signed_in
async def account(request: Request, principal: Principal) -> Response:
    principal.require("read")
    found = await me.account(services(request), principal)
    return json_answer(me_view(principal, found))


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "20")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise Invalid("invalid_parameter", f"limit is a number from 1 to {MAX_PAGE}.")
    return int(raw)


@documented(
    operation(
        "The wallet's paid jobs (both lanes, every chain), newest first, a page at a time",
        {200: ok("A page of jobs; `next_cursor` asks for the next one (null: the last).", MyJobs), 400: BAD_REQUEST},
        params=(
            Param("limit", "query", f"Jobs per page, 1 to {MAX_PAGE} (default 20).",
                  schema={"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
            Param("cursor", "query", "The `next_cursor` of the page before."),
        ),
    )
)
@signed_in
async def jobs(request: Request, principal: Principal) -> Response:
    principal.require("read")
    svc = services(request)
    page = await me.jobs(svc, principal, request.query_params.get("cursor"), _limit(request))
    balances = await me.balances_for(svc, principal, page.records)
    views = [job_view(links(request), r, b) for r, b in zip(page.records, balances, strict=True)]
    return json_answer(MyJobs(jobs=views, next_cursor=page.next_cursor))


@documented(operation("One of the wallet's paid jobs", {200: ok("The job's view.", JobView), 404: NOT_FOUND}))
@signed_in
async def job(request: Request, principal: Principal) -> Response:
    principal.require("read")
    svc = services(request)
    record = await me.job(svc, principal, request.path_params["job_id"])
    return json_answer(job_view(links(request), record, await me.balance_for(svc, principal, record)))


@documented(
    operation(
        "Create an API key for the wallet (shown this once) for `Authorization: Bearer f402_…`",
        {
            201: ok("The key, and what is kept of it.", KeyCreated),
            400: BAD_REQUEST,
            403: refusal(KEYS_SCOPE),
            408: TIMEOUT,
            409: refusal("`too_many_keys`: the wallet holds as many live keys as allowed; revoke one first."),
            413: TOO_LARGE,
        },
        body=KeyRequest,
    )
)
@signed_in
async def create_key(request: Request, principal: Principal) -> Response:
    body = await read_model(request, KeyRequest, services(request).settings.max_body_bytes)
    key, row = await accounts.create_key(services(request), principal, body)
    view = key_view(row, spent=0)
    return json_answer(KeyCreated(**view.model_dump(), key=key), status=201)


@documented(
    operation("The wallet's API keys (never the keys themselves)", {200: ok("The keys.", KeyList),
                                                                    403: refusal(KEYS_SCOPE)})
)
@signed_in
async def list_keys(request: Request, principal: Principal) -> Response:
    rows = await accounts.list_keys(services(request), principal)
    return json_answer(KeyList(keys=[key_view(r, r["spent"]) for r in rows]))


@documented(
    operation(
        "Revoke one of the wallet's API keys (again: no change)",
        {200: ok("The key, revoked.", KeyView), 403: refusal(KEYS_SCOPE),
         404: refusal("`key_not_found`: no such key on this wallet.")},
    )
)
@signed_in
async def revoke_key(request: Request, principal: Principal) -> JSONResponse:
    row = await accounts.revoke_key(services(request), principal, request.path_params["key_id"])
    return json_answer(key_view(row, row["spent"]))


