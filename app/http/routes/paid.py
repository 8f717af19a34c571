"""The paid lane (x402): `POST /api/x402/forge` and `POST /api/x402/forge/retopo` (the 402 challenge, or pay and
queue), `GET /api/x402/forge` (price list), and the discovery manifest `GET /.well-known/x402.json`. A browser
(`Accept: text/html`) on `GET` or unpaid `POST /api/x402/forge` gets the studio's human 402 page instead.

A request without a payment header gets the 402 whatever its body (indexers probe without one); with one, the body
must be valid (400) before the payment is looked at.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from app.http.answers import challenge_answer, gateway_answer
from app.http.body import parse_model, read_bytes
from app.http.context import base_url, caller, links, services
from app.http.contract import (
    BAD_REQUEST,
    CHALLENGE,
    NOT_FOUND,
    PAYMENT_PARAMS,
    PAYMENT_USED,
    PAYMENTS_REFUSED,
    PROVIDER_ANSWERS,
    PROVIDER_KEY,
    RECEIPTS,
    RETRY_AFTER,
    TIMEOUT,
    TOO_LARGE,
    Answer,
    Operation,
    documented,
    refusal,
)
from app.paid.credits import CreditSale
from app.paid.lane import PaidLane, Sale, has_payment, tier_hint
from app.paid.offers import PAID_PATH
from app.schemas import ForgeRequest, Manifest, PaidSubmitResponse, PriceList, RetopoRequest
from app.services.caller import Caller
from app.studio.paywall import paywall_headers, paywall_page, wants_html
from payments.models import PaymentRequiredV1

# what a paid submission answers (generation or retopology)
SOLD = {
    202: Answer(
        "Paid (or the same payment again): the job it bought, to poll like any other.",
        PaidSubmitResponse,
        headers=RECEIPTS,
    ),
    400: BAD_REQUEST,
    402: Answer(
        "Payment required: without a payment header (the challenge, priced by the body's tier), or a payment that "
        "was refused or did not settle (`error` says why, `message` in words; PAYMENT-RESPONSE then says "
        "success false). The body is the x402 v1 challenge; the v2 one is the PAYMENT-REQUIRED header. A browser "
        "(Accept: text/html) without payment gets the same challenge as a page.",
        PaymentRequiredV1,
        headers=(CHALLENGE,),
        text_media=("text/html",),
    ),
    408: TIMEOUT,
    409: PAYMENT_USED,
    413: TOO_LARGE,
    429: PAYMENTS_REFUSED,
    **PROVIDER_ANSWERS,
    503: refusal(
        "Nothing was charged; send the same payment again after Retry-After: the paid lane is off "
        "(`paid_lane_unavailable`), or the chain, the facilitator or our fee budget cannot take it now.",
        RETRY_AFTER,
    ),
}
PAID_LANE_OFF = refusal("`paid_lane_unavailable`: this server has no paid lane.")


def sale_answer(request: Request, sale: Sale) -> Response:
    return gateway_answer(links(request), sale)


def paywall_answer(request: Request, lane: PaidLane, raw_body: bytes) -> Response:
    """The 402 for a generation as a page a person reads, priced like the JSON one (by the body's tier)."""
    challenge = lane.generation_challenge(raw_body).outcome
    page = paywall_page(challenge.headers, lane.price_list(), tier_hint(raw_body), PAID_PATH)
    headers = paywall_headers(services(request).settings, challenge.headers)
    return HTMLResponse(page, status_code=challenge.status_code, headers=headers)


@documented(
    Operation(
        "Buy a generation over x402 (USDC on Base or Solana): 402 with the price, then pay and get the job",
        "paid lane",
        body=ForgeRequest,
        body_required=False,
        params=(*PAYMENT_PARAMS, PROVIDER_KEY),
        answers=SOLD,
    )
)
async def submit(request: Request) -> Response:
    svc = services(request)
    raw = await read_bytes(request, svc.settings.max_body_bytes)
    if not has_payment(request.headers):
        # the challenge is priced per origin, and nothing else about the caller counts: the hot path spares the rest
        challenger = PaidLane(svc, Caller(base_url(request)))
        if wants_html(request.headers):  # a browser: the human 402 page
            return paywall_answer(request, challenger, raw)
        return challenge_answer(challenger.generation_402(raw))
    lane = PaidLane(svc, caller(request))
    sale = await lane.sell_generation(parse_model(raw, ForgeRequest), request.headers)
    return sale_answer(request, sale)


@documented(
    Operation(
        "Buy a retopology over x402",
        "paid lane",
        body=RetopoRequest,
        body_required=False,
        params=(*PAYMENT_PARAMS, PROVIDER_KEY),
        answers={**SOLD, 404: NOT_FOUND},
    )
)
async def submit_retopo(request: Request) -> Response:
    svc = services(request)
    lane = PaidLane(svc, caller(request))
    raw = await read_bytes(request, svc.settings.max_body_bytes)
    if not has_payment(request.headers):
        return challenge_answer(lane.retopology_402())
    sale = await lane.sell_retopology(parse_model(raw, RetopoRequest), request.headers)
    return sale_answer(request, sale)


@documented(
    Operation(
        "The paid lane's prices: every tier on every network",
        "paid lane",
        answers={200: Answer("Per tier: price and each network's terms.", PriceList), 503: PAID_LANE_OFF},
    )
)
async def price_list(request: Request) -> Response:
    lane = PaidLane(services(request), caller(request))
    if wants_html(request.headers):  # a browser opening the paid URL: the human 402 page (default tier)
        return paywall_answer(request, lane, b"")
    return JSONResponse(lane.price_list())


@documented(
    Operation(
        "x402 discovery manifest: every paid resource with its live requirements",
        "paid lane",
        answers={200: Answer("The manifest.", Manifest), 503: PAID_LANE_OFF},
    )
)
async def manifest(request: Request) -> Response:
    svc = services(request)
    lane = CreditSale(svc, caller(request))  # the paid lane, credit bundles included
    bundles = list(lane.credit_offers().values()) if svc.settings.credit_bundles else []
    return JSONResponse(lane.manifest(bundles))
