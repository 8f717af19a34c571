"""The signed-in wallet's own resources: `GET /api/me` (address, credits), `GET /api/me/jobs` (its paid jobs, both
lanes and chains, newest first, by cursor), `GET /api/me/jobs/{job_id}`, and its API keys: `POST /api/me/keys`,
`GET /api/me/keys`, `DELETE /api/me/keys/{key_id}`. Without a wallet: 402 with a sign-in challenge."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.errors import Invalid
from app.http.answers import json_answer
from app.http.auth import signed_in
from app.http.body import read_model
from app.http.context import links, services
from app.http.views import job_view, key_view, me_view
from app.schemas import KeyCreated, KeyList, KeyRequest, MyJobs
from app.services import accounts, me
from app.services.accounts import Principal

MAX_PAGE = 100


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


@signed_in
async def jobs(request: Request, principal: Principal) -> Response:
    principal.require("read")
    svc = services(request)
    page = await me.jobs(svc, principal, request.query_params.get("cursor"), _limit(request))
    views = [job_view(links(request), r, await me.balance_for(svc, principal, r)) for r in page.records]
    return json_answer(MyJobs(jobs=views, next_cursor=page.next_cursor))


@signed_in
async def job(request: Request, principal: Principal) -> Response:
    principal.require("read")
    svc = services(request)
    record = await me.job(svc, principal, request.path_params["job_id"])
    return json_answer(job_view(links(request), record, await me.balance_for(svc, principal, record)))


@signed_in
async def create_key(request: Request, principal: Principal) -> Response:
    body = await read_model(request, KeyRequest, services(request).settings.max_body_bytes)
    key, row = await accounts.create_key(services(request), principal, body)
    view = key_view(row, spent=0)
    return json_answer(KeyCreated(**view.model_dump(), key=key), status=201)


@signed_in
async def list_keys(request: Request, principal: Principal) -> Response:
    rows = await accounts.list_keys(services(request), principal)
    return json_answer(KeyList(keys=[key_view(r, r["spent"]) for r in rows]))


@signed_in
async def revoke_key(request: Request, principal: Principal) -> JSONResponse:
    row = await accounts.revoke_key(services(request), principal, request.path_params["key_id"])
    return json_answer(key_view(row, row["spent"]))


