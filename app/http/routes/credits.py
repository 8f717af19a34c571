"""Prepaid credits: `GET /api/x402/credits` (the bundles and the refund policy) and `POST /api/x402/credits {bundle}`
(a 402 like the forge route's without payment; with one, the bundle's credits for the paying wallet)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.http.answers import challenge_answer, gateway_answer, json_answer
from app.http.body import parse_model, read_bytes
from app.http.context import caller, links, services
from app.http.contract import (
    BAD_REQUEST,
    CHALLENGE,
    PAYMENT_PARAMS,
    PAYMENT_USED,
    PAYMENTS_REFUSED,
    RECEIPTS,
    RETRY_AFTER,
    TIMEOUT,
    TOO_LARGE,
    Answer,
    Operation,
    documented,
    refusal,
)
from app.http.views import bundles_view, purchase_view
from app.paid.credits import CreditSale
from app.paid.lane import has_payment
from app.schemas import BundleList, BundleRequest, CreditPurchase
from app.services import credits
from payments.models import PaymentRequiredV1


@documented(
    Operation(
        "The credit bundles on sale (price and credits, in USDC atomics) and the refund policy",
        "credits",
        answers={200: Answer("The bundles (none: this server sells no credits) and the refund policy.", BundleList)},
    )
)
async def bundles(request: Request) -> Response:
    settings = services(request).settings
    return json_answer(bundles_view(settings.credit_bundles, credits.refund_policy(settings)))


@documented(
    Operation(
        "Buy a credit bundle over x402 (USDC on Base or Solana): 402 with its price, then pay and get the credits",
        "credits",
        body=BundleRequest,
        body_required=False,
        params=PAYMENT_PARAMS,
        answers={
            200: Answer(
                "Paid (or the same payment again): the credits granted to the paying wallet, and its balance.",
                CreditPurchase,
                headers=RECEIPTS,
            ),
            400: BAD_REQUEST,
            402: Answer(
                "Payment required: without a payment header (the challenge, priced by the body's bundle; the first "
                "bundle's without one), or a payment that was refused or did not settle (`error` says why). The body "
                "is the x402 v1 challenge; the v2 one is the PAYMENT-REQUIRED header.",
                PaymentRequiredV1,
                headers=(CHALLENGE,),
            ),
            408: TIMEOUT,
            409: PAYMENT_USED,
            413: TOO_LARGE,
            429: PAYMENTS_REFUSED,
            503: refusal(
                "Nothing was charged; try again after Retry-After: the paid lane is off (`paid_lane_unavailable`), "
                "this server sells no credits (`credits_unavailable`), or the chain, the facilitator or our fee "
                "budget cannot take the payment now.",
                RETRY_AFTER,
            ),
        },
    )
)
async def buy(request: Request) -> Response:
    svc = services(request)
    sale = CreditSale(svc, caller(request))
    raw = await read_bytes(request, svc.settings.max_body_bytes)
    if not has_payment(request.headers):
        return challenge_answer(sale.credits_402(raw))
    body = parse_model(raw, BundleRequest)
    sold = await sale.sell_credits(body, request.headers)
    if sold.outcome.job_id is None:  # a refusal, a conflict: the gateway's own answer
        return gateway_answer(links(request), sold)
    purchase = await sale.purchase(sold, credits.bundle(svc.settings, body.bundle))
    return JSONResponse(purchase_view(purchase).model_dump(mode="json"), headers=sold.outcome.headers)
