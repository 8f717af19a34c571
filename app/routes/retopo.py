"""Retopology: `POST /api/forge/retopo` (free, rate limited like generations) and its paid twin
`POST /api/x402/forge/retopo` (one price from configuration, through the same x402 gateway). Both queue a job
polled at `GET /api/forge?job=ID` like any other (`mode: "retopo"`)."""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.body import parse_model, read_model
from app.jobs.retopo_plan import plan_retopo, retopo_backend
from app.paid.offers import PAID_RETOPO_PATH, build_retopo_offer
from app.routes.backends import check_webhook, key_for
from app.routes.forge import queue_and_answer
from app.routes.x402 import challenge, charge, fingerprint, has_payment, paid_body, per_origin
from app.schemas import RetopoRequest
from app.services import Services, services
from payments.gateway import Offer


async def submit(request: Request) -> JSONResponse:
    svc = services(request)
    decision = await svc.limit(request, "generate", "generations")
    body = await read_model(request, RetopoRequest, svc.settings.max_body_bytes)
    await check_webhook(svc, body.webhook_url)
    key_for(svc, request, retopo_backend(body))  # 501 needs_key before the source is fetched
    job = await plan_retopo(svc.db, svc.settings, body, lane="free", base_url=svc.absolute(request, ""))
    return await queue_and_answer(svc, request, job, body.webhook_url, decision, failed_with_extras=True)


def retopo_offer(svc: Services, request: Request) -> Offer:
    return per_origin(svc.retopo_offers, svc, request, partial(build_retopo_offer, svc.settings))


async def paid_submit(request: Request) -> Response:
    svc, gateway, raw = await paid_body(request)
    offer = retopo_offer(svc, request)
    if not has_payment(request):
        return challenge(gateway, offer)
    body = parse_model(raw, RetopoRequest)
    await check_webhook(svc, body.webhook_url)
    key, byo = key_for(svc, request, retopo_backend(body))  # 501 needs_key before any money moves
    job = await plan_retopo(svc.db, svc.settings, body, lane="paid", base_url=svc.absolute(request, ""))
    return await charge(
        svc, request, gateway, offer, fingerprint(PAID_RETOPO_PATH, body), job, key if byo else None
    )  # every check is done before money moves
