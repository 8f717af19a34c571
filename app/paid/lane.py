"""The paid lane as a service: the 402 challenge, selling a generation or a retopology, the price list and the
discovery manifest, shared by every paid route.

Money moves only for a request that is fully valid: the caller has checked the body, and the job is planned (and
every check it needs is done) before the payment is looked at. Everything about the payment itself (decoding,
verification, settlement, idempotency) is `payments/`' job; once it settles, the planned job is created unchanged
(`app.paid.handoff`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel

from app.errors import Unavailable
from app.paid.handoff import job_creator
from app.paid.offers import PAID_PATH, PAID_RETOPO_PATH, build_offers, build_retopo_offer
from app.schemas import ForgeRequest, RetopoRequest
from app.services import generation, retopology
from app.services.caller import Caller
from app.services.container import Services
from app.services.launch import Planned
from app.tiers import DEFAULT_TIER, TIERS
from payments.gateway import Offer, Outcome, PaymentGateway

T = TypeVar("T")
MAX_ORIGINS = 16  # offers cached per origin; Host headers are client input, so the cache stays bounded
PAYMENT_HEADERS = ("payment-signature", "x-payment")


def has_payment(headers: Mapping[str, str]) -> bool:
    return any(name in headers for name in PAYMENT_HEADERS)


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


def per_origin(cache: dict[str, T], base_url: str, build: Callable[[str], T]) -> T:
    """What `build(origin)` makes for `base_url`, built once per origin."""
    found = cache.get(base_url)
    if found is None:
        if len(cache) >= MAX_ORIGINS:
            cache.clear()
        found = cache[base_url] = build(base_url)
    return found


@dataclass(frozen=True, slots=True)
class Sale:
    """The gateway's answer to a paid request and, once it paid, the job it bought."""

    outcome: Outcome
    job: dict[str, Any] | None = None  # the job's row (None until paid, or if it is not created yet)


class PaidLane:
    """The paid lane for one caller; Unavailable when it is not configured on this server."""

    def __init__(self, svc: Services, caller: Caller) -> None:
        if svc.gateway is None:
            raise Unavailable(
                "paid_lane_unavailable", "The paid lane is not configured on this server; use POST /api/forge."
            )
        self.svc = svc
        self.caller = caller
        self.gateway: PaymentGateway = svc.gateway

    def offers(self) -> dict[str, Offer]:
        """The per-tier offers for the caller's origin."""
        return per_origin(self.svc.offers, self.caller.base_url, partial(build_offers, self.svc.settings))

    def retopo_offer(self) -> Offer:
        return per_origin(self.svc.retopo_offers, self.caller.base_url, partial(build_retopo_offer, self.svc.settings))

    def challenge(self, offer: Offer) -> Sale:
        status, headers, body = self.gateway.challenge(offer)
        return Sale(Outcome(status, headers, body, None))

    def generation_challenge(self, raw_body: bytes) -> Sale:
        """The 402 for a generation, priced by the tier the body asks for (the default when it is unreadable)."""
        return self.challenge(self.offers()[tier_hint(raw_body)])

    def generation_402(self, raw_body: bytes) -> tuple[int, dict[str, str], bytes]:
        """`generation_challenge` as (status, headers, encoded body): the unpaid POST's answer, built once."""
        return self.gateway.encoded_challenge(self.offers()[tier_hint(raw_body)])

    def retopology_402(self) -> tuple[int, dict[str, str], bytes]:
        return self.gateway.encoded_challenge(self.retopo_offer())

    async def sell_generation(self, body: ForgeRequest, headers: Mapping[str, str]) -> Sale:
        planned = await generation.plan_request(self.svc, self.caller, body, lane="paid")
        return await self._charge(headers, self.offers()[body.tier], fingerprint(PAID_PATH, body), planned)

    async def sell_retopology(self, body: RetopoRequest, headers: Mapping[str, str]) -> Sale:
        planned = await retopology.plan_request(self.svc, self.caller, body, lane="paid")
        return await self._charge(headers, self.retopo_offer(), fingerprint(PAID_RETOPO_PATH, body), planned)

    async def _charge(self, headers: Mapping[str, str], offer: Offer, fingerprint: str, planned: Planned) -> Sale:
        """Every check has passed: take the payment, and once it settles create the planned job (on the payer's own
        provider key when one was sent)."""
        creator = job_creator(self.svc.jobs, self.caller.base_url, planned.key if planned.byo else None)
        order = planned.job.to_json()  # what the payment buys, kept with it until it settles
        # failed payments are limited per address too
        outcome = await self.gateway.charge(headers, offer, fingerprint, order, creator, self.caller.address)
        job = await self.svc.jobs.get(outcome.job_id) if outcome.job_id is not None else None
        return Sale(outcome, job)

    def price_list(self) -> dict[str, Any]:
        return self.gateway.price_list(self.offers())

    def manifest(self) -> dict[str, Any]:
        return self.gateway.manifest(list(self.offers().values()))
