"""Prepaid credits: `GET /api/x402/credits` (the bundles and the refund policy) and `POST /api/x402/credits {bundle}`
(a 402 like the forge route's without payment; with one, the bundle's credits for the paying wallet)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.http.answers import gateway_answer, json_answer
from app.http.body import parse_model, read_bytes
from app.http.context import caller, links, services
from app.http.views import bundles_view, purchase_view
from app.paid.credits import CreditSale
from app.paid.lane import has_payment
from app.schemas import BundleRequest
from app.services import credits


async def bundles(request: Request) -> Response:
    settings = services(request).settings
    return json_answer(bundles_view(settings.credit_bundles, credits.refund_policy(settings)))


async def buy(request: Request) -> Response:
    svc = services(request)
    sale = CreditSale(svc, caller(request))
    raw = await read_bytes(request, svc.settings.max_body_bytes)
    if not has_payment(request.headers):
        return gateway_answer(links(request), sale.credits_challenge(raw))
    body = parse_model(raw, BundleRequest)
    sold = await sale.sell_credits(body, request.headers)
    if sold.outcome.job_id is None:  # a refusal, a conflict: the gateway's own answer
        return gateway_answer(links(request), sold)
    purchase = await sale.purchase(sold, credits.bundle(svc.settings, body.bundle))
    return JSONResponse(purchase_view(purchase).model_dump(mode="json"), headers=sold.outcome.headers)
