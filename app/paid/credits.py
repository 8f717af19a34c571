"""Selling credit bundles over x402: `POST /api/x402/credits {bundle}` is answered like the forge route (a 402 priced
by the body's bundle, the first one when the body is missing or unreadable; with a payment, one charge on either
chain), and the bundle's credits go to the payer's account once, however often the payment is sent."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from typing import Any

from app.config import CreditBundle, Settings, format_usdc
from app.errors import Unavailable
from app.paid.handoff import credit_order, fulfiller
from app.paid.lane import PaidLane, Sale, fingerprint, per_origin
from app.schemas import BundleRequest, CreditPurchase
from app.services import credits
from app.wallets import account_of
from payments.gateway import Offer

CREDITS_PATH = "/api/x402/credits"
OUTPUT_EXAMPLE = {
    "bundle": "starter",
    "credit_atomics": 1_000_000,
    "address": "0x…",
    "credits_remaining": 1_000_000,
    "purchase_id": "job_…",
    "transaction": "0x…",
    "network": "eip155:8453",
}


def build_credit_offers(settings: Settings, base_url: str) -> dict[str, Offer]:
    """bundle id → Offer; `base_url` is the public origin (configured, or taken from the request)."""
    resource = base_url.rstrip("/") + CREDITS_PATH
    offers = {}
    for bundle in settings.credit_bundles:
        bonus = bundle.credit_atomics - bundle.price_atomics
        offers[bundle.id] = Offer(
            price_atomics=bundle.price_atomics,
            resource_url=resource,
            description=(
                f"forge402: {format_usdc(bundle.credit_atomics)} USDC of prepaid generation credits"
                f"{f' ({format_usdc(bonus)} bonus)' if bonus else ''} for the paying wallet, "
                f"${format_usdc(bundle.price_atomics)} USDC. Spend them with an API key (POST /api/me/keys after "
                "signing in with the same wallet)."
            ),
            mime_type="application/json",
            input_example={"bundle": bundle.id},
            input_schema=BundleRequest.model_json_schema(),
            output_example={**OUTPUT_EXAMPLE, "bundle": bundle.id, "credit_atomics": bundle.credit_atomics},
            output_schema=CreditPurchase.model_json_schema(),
        )
    return offers


def bundle_hint(settings: Settings, raw: bytes) -> str:
    """The bundle a body asks for, so the 402 quotes its price; the first bundle when it is missing or unknown."""
    try:
        asked = json.loads(raw).get("bundle") if raw else None
    except (ValueError, AttributeError):
        asked = None
    ids = [b.id for b in settings.credit_bundles]
    return asked if isinstance(asked, str) and asked in ids else ids[0]


class CreditSale(PaidLane):
    """The paid lane, selling credit bundles instead of jobs."""

    def credit_offers(self) -> dict[str, Offer]:
        if not self.svc.settings.credit_bundles:
            raise Unavailable("credits_unavailable", "This server sells no credit bundles.")
        build = partial(build_credit_offers, self.svc.settings)
        return per_origin(self.svc.credit_offers, self.caller.base_url, build)

    def credits_402(self, raw_body: bytes) -> tuple[int, dict[str, str], bytes]:
        """The unpaid POST's 402, priced by the body's bundle, encoded once per offer (as `generation_402`)."""
        return self.gateway.encoded_challenge(self.credit_offers()[bundle_hint(self.svc.settings, raw_body)])

    async def sell_credits(self, body: BundleRequest, headers: Mapping[str, str]) -> Sale:
        bundle = credits.bundle(self.svc.settings, body.bundle)
        offer = self.credit_offers()[bundle.id]
        outcome = await self.gateway.charge(
            headers, offer, fingerprint(CREDITS_PATH, body), credit_order(bundle),
            fulfiller(self.svc, self.caller.base_url), self.caller.address,
        )  # fmt: skip
        return Sale(outcome)

    async def purchase(self, sale: Sale, bundle: CreditBundle) -> dict[str, Any]:
        """What a paid purchase answers: the credits granted and the payer's balance now."""
        receipt = sale.outcome.receipt
        assert sale.outcome.job_id is not None and receipt is not None
        address = account_of(receipt.payer)
        return {
            "bundle": bundle.id,
            "credit_atomics": bundle.credit_atomics,
            "address": address,
            "credits_remaining": await credits.balance(self.svc, address),
            "purchase_id": sale.outcome.job_id,
            "transaction": receipt.transaction,
            "network": receipt.network,
        }
