"""The paid lane: `POST /api/x402/forge` (402 challenge, or pay-and-queue), `GET /api/x402/forge` (price list),
and the discovery manifest `GET /.well-known/x402.json`.

Money moves only for a request that is fully valid: the body is checked (400) before the payment is looked at.
Everything about the payment itself (decoding, verification, settlement, idempotency) is `payments/`' job.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.body import parse_model, read_bytes
from app.errors import ApiError
from app.jobs import store
from app.jobs.service import plan
from app.paid.gateway import job_creator
from app.paid.offers import PAID_PATH, build_offers
from app.photos import prepare_images
from app.routes.backends import check_webhook, key_for
from app.routes.forge import poll_path
from app.schemas import ForgeRequest, PaidSubmitResponse
from app.services import Services, services
from app.studio.paywall import browser_paywall, wants_html
from app.tiers import DEFAULT_TIER, TIERS
from payments.codec import decode_json
from payments.gateway import Offer, Outcome, PaymentGateway

T = TypeVar("T")
MAX_ORIGINS = 16  # offers cached per origin; Host headers are client input, so the cache stays bounded

PAYMENT_HEADERS = ("payment-signature", "x-payment")


def gateway_of(svc: Services) -> PaymentGateway:
    if svc.gateway is None:
        raise ApiError(
            503, "paid_lane_unavailable", "The paid lane is not configured on this server; use POST /api/forge."
        )
    return svc.gateway


def per_origin(cache: dict[str, T], svc: Services, request: Request, build: Callable[[str], T]) -> T:
    """What `build(origin)` makes for the origin the client used (or the configured public URL), built once."""
    base_url = svc.absolute(request, "")
    found = cache.get(base_url)
    if found is None:
        if len(cache) >= MAX_ORIGINS:
            cache.clear()
        found = cache[base_url] = build(base_url)
    return found


def offers_for(svc: Services, request: Request) -> dict[str, Offer]:
    """The per-tier offers for this request's origin."""
    return per_origin(svc.offers, svc, request, partial(build_offers, svc.settings))


def tier_hint(raw: bytes) -> str:
    """The tier a body asks for, so the 402 quotes its price; the default tier when the body is missing or bad
    (indexers probe without a body and must still get a 402)."""
    try:
        tier = json.loads(raw).get("tier", DEFAULT_TIER) if raw else DEFAULT_TIER
    except (ValueError, AttributeError):
        return DEFAULT_TIER
    return tier if isinstance(tier, str) and tier in TIERS else DEFAULT_TIER


def fingerprint(path: str, request: BaseModel) -> str:
    """What a payment is bound to: the route and the canonical body (a resend with another body is a 409)."""
    body = json.dumps(request.model_dump(exclude_none=True), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"POST {path}\n{body}".encode()).hexdigest()


def challenge(gateway: PaymentGateway, offer: Offer) -> Response:
    status, headers, body = gateway.challenge(offer)
    return JSONResponse(body, status_code=status, headers=headers)


def has_payment(request: Request) -> bool:
    return any(name in request.headers for name in PAYMENT_HEADERS)


async def paid_body(request: Request) -> tuple[Services, PaymentGateway, bytes]:
    """The services, the gateway (503 when the paid lane is off) and the raw body of a paid request."""
    svc = services(request)
    gateway = gateway_of(svc)
    return svc, gateway, await read_bytes(request, svc.settings.max_body_bytes)


async def charge(
    svc: Services,
    request: Request,
    gateway: PaymentGateway,
    offer: Offer,
    fingerprint: str,
    job: store.NewJob,
    byo_key: str | None,
) -> Response:
    """Every check has passed: take the payment, and once it settles queue `job` (on the payer's own provider key
    when one was sent)."""
    creator = job_creator(svc.jobs, svc.absolute(request, ""), byo_key)
    client = svc.client_address(request)  # failed payments are limited per address too
    outcome = await gateway.charge(request.headers, offer, fingerprint, job.request_json, creator, client)
    return await answer(svc, request, outcome)


async def paid_submit(request: Request) -> Response:
    svc, gateway, raw = await paid_body(request)
    offers = offers_for(svc, request)
    if not has_payment(request):
        if wants_html(request):  # a browser: the human 402 page
            return browser_paywall(request, gateway, offers, tier_hint(raw), PAID_PATH)
        return challenge(gateway, offers[tier_hint(raw)])
    body = parse_model(raw, ForgeRequest)
    images = await prepare_images(svc, request, body)  # an unusable photo is a 400 before any money moves
    job = plan(body, lane="paid", images=images)  # refuses what we cannot build before any money moves
    await check_webhook(svc, body.webhook_url)
    key, byo = key_for(svc, request, job.backend)  # 501 needs_key before any money moves
    offer = offers[body.tier]
    return await charge(svc, request, gateway, offer, fingerprint(PAID_PATH, body), job, key if byo else None)


async def answer(svc: Services, request: Request, outcome: Outcome) -> Response:
    if outcome.job_id is None:
        return JSONResponse(outcome.body or {}, status_code=outcome.status_code, headers=outcome.headers)
    row = await svc.jobs.get(outcome.job_id)
    receipt = settlement_of(outcome)
    paid = PaidSubmitResponse(
        job_id=outcome.job_id,
        poll_url=svc.absolute(request, poll_path(outcome.job_id)),
        status=row["status"] if row else "queued",
        tier=row["tier"] if row else DEFAULT_TIER,
        eta_seconds=svc.jobs.eta_seconds(row) if row else None,
        transaction=receipt.get("transaction"),
        network=receipt.get("network"),
    )
    return JSONResponse(paid.model_dump(mode="json"), status_code=outcome.status_code, headers=outcome.headers)


def settlement_of(outcome: Outcome) -> dict:
    """The decoded PAYMENT-RESPONSE (v2) or X-PAYMENT-RESPONSE (v1) header of a paid outcome."""
    for name, value in outcome.headers.items():
        if name.lower() in ("payment-response", "x-payment-response"):
            return decode_json(value)
    return {}


async def price_list(request: Request) -> Response:
    svc = services(request)
    if wants_html(request):  # a browser opening the paid URL: the human 402 page
        return browser_paywall(request, gateway_of(svc), offers_for(svc, request), DEFAULT_TIER, PAID_PATH)
    return JSONResponse(gateway_of(svc).price_list(offers_for(svc, request)))


async def manifest(request: Request) -> Response:
    svc = services(request)
    return JSONResponse(gateway_of(svc).manifest(list(offers_for(svc, request).values())))
