"""Retopology: `POST /api/forge/retopo` (free, rate limited like generations) and its paid twin
`POST /api/x402/forge/retopo` (one price from configuration, through the same x402 gateway). Both queue a job
polled at `GET /api/forge?job=ID` like any other (`mode: "retopo"`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.body import parse_model, read_bytes, read_model
from app.config import format_usdc
from app.engines.providers.registry import is_remote
from app.jobs.retopo_plan import plan_retopo, retopo_backend, retopo_job
from app.paid.gateway import job_creator
from app.routes.backends import check_webhook, key_for, register_webhook, start_job, with_extras
from app.routes.forge import _json, job_view, submit_response
from app.routes.x402 import PAYMENT_HEADERS, answer, challenge, gateway_of
from app.schemas import RetopoRequest
from app.services import Services, services
from payments.gateway import Offer, PaidRequest

PAID_RETOPO_PATH = "/api/x402/forge/retopo"
INPUT_EXAMPLE = {"model_url": "https://example.com/statue.glb", "face_limit": 5000, "quad": False, "bake": True}
_offers: dict[str, Offer] = {}


async def submit(request: Request) -> JSONResponse:
    svc = services(request)
    decision = await svc.limit(request, "generate", "generations")
    body = await read_model(request, RetopoRequest, svc.settings.max_body_bytes)
    await check_webhook(svc, body.webhook_url)
    key_for(svc, request, retopo_backend(body))  # 501 needs_key before the source is fetched
    job = await plan_retopo(svc.db, svc.settings, body, lane="free", base_url=svc.absolute(request, ""))
    row = await start_job(svc, request, job)  # a provider backend: its task is created now (key errors answer here)
    await register_webhook(svc, request, row["id"], body.webhook_url)
    finished = await svc.jobs.wait_finished(row["id"], svc.settings.fast_lane_ms / 1000)
    if finished is not None and finished["status"] == "failed":
        return _json(await with_extras(svc, request, job_view(svc, request, finished)), 200, decision)
    reply = submit_response(svc, request, finished or row)
    return _json(reply, 200 if reply.status == "done" else 202, decision)


def retopo_offer(svc: Services, request: Request) -> Offer:
    base_url = svc.absolute(request, "")
    offer = _offers.get(base_url)
    if offer is None:
        if len(_offers) >= 16:  # Host headers are client input: keep the cache bounded
            _offers.clear()
        price = svc.settings.price_retopo
        offer = _offers[base_url] = Offer(
            price_atomics=price,
            resource_url=base_url.rstrip("/") + PAID_RETOPO_PATH,
            description=(
                f"forge402: retopologize one 3D model (GLB/OBJ in; GLB, or OBJ with quads, out) to a face limit, "
                f"optionally baking its colours, ${format_usdc(price)} USDC. Answers a job id; poll it."
            ),
            mime_type="application/json",
            input_example=INPUT_EXAMPLE,
            input_schema=RetopoRequest.model_json_schema(),
            output_example={"job_id": "job_…", "poll_url": "…/api/forge?job=job_…", "status": "queued"},
            output_schema={"type": "object"},
        )
    return offer


def fingerprint(body: RetopoRequest) -> str:
    canonical = json.dumps(body.model_dump(exclude_none=True), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"POST {PAID_RETOPO_PATH}\n{canonical}".encode()).hexdigest()


async def paid_submit(request: Request) -> Response:
    svc = services(request)
    gateway = gateway_of(svc)
    raw = await read_bytes(request, svc.settings.max_body_bytes)
    offer = retopo_offer(svc, request)
    if not any(name in request.headers for name in PAYMENT_HEADERS):
        return challenge(gateway, offer)
    body = parse_model(raw, RetopoRequest)
    await check_webhook(svc, body.webhook_url)
    key, byo = key_for(svc, request, retopo_backend(body))  # 501 needs_key before any money moves
    base_url = svc.absolute(request, "")
    job = await plan_retopo(svc.db, svc.settings, body, lane="paid", base_url=base_url)  # every check before money
    creator = retopo_creator(svc, base_url, key if byo else None)
    outcome = await gateway.charge(request.headers, offer, fingerprint(body), job.request_json, creator)
    return await answer(svc, request, outcome)


def retopo_creator(svc: Services, base_url: str, key: str | None) -> Callable[[PaidRequest], Awaitable[None]]:
    """Once paid: with the payer's own provider key the job is claimed by this process (which holds the key) and
    run on the provider; the usual creator then registers its webhook (queueing an existing id is a no-op)."""
    fulfil = job_creator(svc.jobs, base_url)
    if key is None:
        return fulfil

    async def adopt_then_fulfil(paid: PaidRequest) -> None:
        job = retopo_job(paid.request_json, lane="paid")
        if is_remote(job.backend):
            await svc.jobs.runner.remote.adopt(job, paid.job_id, key)
        await fulfil(paid)

    return adopt_then_fulfil
