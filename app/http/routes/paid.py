"""The paid lane (x402): `POST /api/x402/forge` and `POST /api/x402/forge/retopo` (the 402 challenge, or pay and
queue), `GET /api/x402/forge` (price list), and the discovery manifest `GET /.well-known/x402.json`. A browser
(`Accept: text/html`) on `GET` or unpaid `POST /api/x402/forge` gets the studio's human 402 page instead.

A request without a payment header gets the 402 whatever its body (indexers probe without one); with one, the body
must be valid (400) before the payment is looked at.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from app.http.answers import gateway_answer
from app.http.body import parse_model, read_bytes
from app.http.context import caller, links, services
from app.paid.credits import CreditSale
from app.paid.lane import PaidLane, Sale, has_payment, tier_hint
from app.paid.offers import PAID_PATH
from app.schemas import ForgeRequest, RetopoRequest
from app.studio.paywall import paywall_headers, paywall_page, wants_html


def sale_answer(request: Request, sale: Sale) -> Response:
    return gateway_answer(links(request), sale)


def challenge_answer(challenge: tuple[int, dict[str, str], bytes]) -> Response:
    """A 402 from its encoded parts (the JSON body is encoded once per offer, not per request)."""
    status, headers, body = challenge
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def paywall_answer(request: Request, lane: PaidLane, raw_body: bytes) -> Response:
    """The 402 for a generation as a page a person reads, priced like the JSON one (by the body's tier)."""
    challenge = lane.generation_challenge(raw_body).outcome
    page = paywall_page(challenge.headers, lane.price_list(), tier_hint(raw_body), PAID_PATH)
    headers = paywall_headers(services(request).settings, challenge.headers)
    return HTMLResponse(page, status_code=challenge.status_code, headers=headers)


async def submit(request: Request) -> Response:
    svc = services(request)
    lane = PaidLane(svc, caller(request))
    raw = await read_bytes(request, svc.settings.max_body_bytes)
    if not has_payment(request.headers):
        if wants_html(request.headers):  # a browser: the human 402 page
            return paywall_answer(request, lane, raw)
        return challenge_answer(lane.generation_402(raw))
    sale = await lane.sell_generation(parse_model(raw, ForgeRequest), request.headers)
    return sale_answer(request, sale)


async def submit_retopo(request: Request) -> Response:
    svc = services(request)
    lane = PaidLane(svc, caller(request))
    raw = await read_bytes(request, svc.settings.max_body_bytes)
    if not has_payment(request.headers):
        return challenge_answer(lane.retopology_402())
    sale = await lane.sell_retopology(parse_model(raw, RetopoRequest), request.headers)
    return sale_answer(request, sale)


async def price_list(request: Request) -> Response:
    lane = PaidLane(services(request), caller(request))
    if wants_html(request.headers):  # a browser opening the paid URL: the human 402 page (default tier)
        return paywall_answer(request, lane, b"")
    return JSONResponse(lane.price_list())


async def manifest(request: Request) -> Response:
    svc = services(request)
    lane = CreditSale(svc, caller(request))  # the paid lane, credit bundles included
    bundles = list(lane.credit_offers().values()) if svc.settings.credit_bundles else []
    return JSONResponse(lane.manifest(bundles))
