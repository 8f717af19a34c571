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

from app.errors import StoreUnavailable, Unavailable
from app.paid.handoff import fulfiller
from app.paid.offers import (
    GENERATE_TOOL,
    MCP_ORIGIN,
    MCP_PATH,
    PAID_PATH,
    PAID_RETOPO_PATH,
    build_mcp_offers,
    build_mcp_retopo_offer,
    build_offers,
    build_retopo_offer,
)
from app.schemas import ForgeRequest, RetopoRequest
from app.services import generation, retopology
from app.services.caller import Caller
from app.services.container import Services
from app.services.credits import refund_policy
from app.services.launch import Planned
from app.tiers import DEFAULT_TIER, TIERS
from payments.gateway import Offer, Outcome, PaymentGateway
from payments.ledger import LedgerUnavailable

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
    except (ValueError, AttributeError, RecursionError):  # bad JSON, a 5,000-digit number, not an object, too deep
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
class DecodedPayment:
    """A payment that travels decoded instead of in an HTTP header: the MCP transport's `_meta["x402/payment"]`."""

    payload: Any


Payment = Mapping[str, str] | DecodedPayment  # the request's headers (PAYMENT-SIGNATURE / X-PAYMENT), or a payload


@dataclass(frozen=True, slots=True)
class Sale:
    """The gateway's answer to a paid request and, once it paid, the job it bought."""

    outcome: Outcome
    job: dict[str, Any] | None = None  # the job's row (None until paid, or if it is not created yet)


class PaidLane:
    """The paid lane for one caller; Unavailable when it is not configured on this server. `mcp`: the caller came
    over MCP, so it buys the tools (`mcp://tool/...`, the same prices) rather than the routes."""

    def __init__(self, svc: Services, caller: Caller, *, mcp: bool = False) -> None:
        if svc.gateway is None:
            free = "use the free tools (forge_generate_free)" if mcp else "use POST /api/forge"
            raise Unavailable("paid_lane_unavailable", f"The paid lane is not configured on this server; {free}.")
        self.svc = svc
        self.caller = caller
        self.mcp = mcp
        self.gateway: PaymentGateway = svc.gateway

    def offers(self) -> dict[str, Offer]:
        """The per-tier offers for the caller's origin (the tool's, over MCP)."""
        if self.mcp:
            return per_origin(self.svc.offers, MCP_ORIGIN, lambda _origin: build_mcp_offers(self.svc.settings))
        return per_origin(self.svc.offers, self.caller.base_url, partial(build_offers, self.svc.settings))

    def retopo_offer(self) -> Offer:
        if self.mcp:
            return per_origin(self.svc.retopo_offers, MCP_ORIGIN, lambda _o: build_mcp_retopo_offer(self.svc.settings))
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

    async def sell_generation(self, body: ForgeRequest, payment: Payment) -> Sale:
        planned = await generation.plan_request(self.svc, self.caller, body, lane="paid")
        # bound to the route's path over MCP too: the same payment and body are the same job on either transport
        return await self._charge(payment, self.offers()[body.tier], fingerprint(PAID_PATH, body), planned)

    async def sell_retopology(self, body: RetopoRequest, payment: Payment) -> Sale:
        planned = await retopology.plan_request(self.svc, self.caller, body, lane="paid")
        return await self._charge(payment, self.retopo_offer(), fingerprint(PAID_RETOPO_PATH, body), planned)

    async def _charge(self, payment: Payment, offer: Offer, fingerprint: str, planned: Planned) -> Sale:
        """Every check has passed: take the payment, and once it settles create the planned job (on the payer's own
        provider key when one was sent)."""
        made: dict[str, dict[str, Any]] = {}  # the job, when this very call creates it
        creator = fulfiller(self.svc, self.caller.base_url, planned.key if planned.byo else None, made)
        order = planned.job.to_json()  # what the payment buys, kept with it until it settles
        # failed payments are limited per address too
        client = self.caller.address
        try:
            if isinstance(payment, DecodedPayment):
                outcome = await self.gateway.charge_payload(payment.payload, offer, fingerprint, order, creator, client)
            else:
                outcome = await self.gateway.charge(payment, offer, fingerprint, order, creator, client)
        except LedgerUnavailable as exc:  # nothing half-written: the same payment sent again later goes through
            raise StoreUnavailable() from exc
        job = None if outcome.job_id is None else made.get(outcome.job_id) or await self.svc.jobs.get(outcome.job_id)
        return Sale(outcome, job)

    def payment_required(self, offer: Offer, error: str = "Payment required") -> dict[str, Any]:
        """The v2 PaymentRequired of `offer` as a JSON object (the MCP transport's 402)."""
        return self.gateway.payment_required(offer, error)

    def price_list(self) -> dict[str, Any]:
        """Per tier and network, with the refund policy; each tier names the MCP tool that sells it and the endpoint
        that serves it."""
        prices = self.gateway.price_list(self.offers())
        over_mcp = {"endpoint": self.caller.base_url.rstrip("/") + MCP_PATH, "tool": GENERATE_TOOL}
        policy = refund_policy(self.svc.settings)
        return {tier: {**entry, "mcp": over_mcp, "refund_policy": policy} for tier, entry in prices.items()}

    def manifest(self, extra_offers: list[Offer] | None = None) -> dict[str, Any]:
        """Every paid route (and `extra_offers`), every paid MCP tool (`type: "mcp"`, with the endpoint that serves
        it), and the refund policy."""
        mcp = PaidLane(self.svc, self.caller, mcp=True)
        mcp_offers = [*mcp.offers().values(), mcp.retopo_offer()]
        manifest = self.gateway.manifest([*self.offers().values(), *(extra_offers or []), *mcp_offers])
        endpoint = self.caller.base_url.rstrip("/") + MCP_PATH
        for item in manifest["items"]:
            if item["type"] == "mcp":
                item["input"]["endpoint"] = endpoint
        return {**manifest, "refundPolicy": refund_policy(self.svc.settings)}
