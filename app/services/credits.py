"""Prepaid credits, counted in USDC atomic units: the bundles sold, a wallet's balance, and generations paid with
credits (an API key with the `generate` scope, or a session, on `POST /api/forge` or `/api/forge/retopo`).

A credit-paid job is a paid job (lane `paid`: a provider that fails is replaced by the embedded engine, and paid
jobs are claimed first): its tier's price is spent when it is queued, and given back when it fails (the refund
keeper), so a generation that fails spends nothing."""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.config import CreditBundle, Settings
from app.errors import Forbidden, Invalid, PaymentNeeded
from app.services.accounts import Principal
from app.services.caller import Caller
from app.services.container import Services
from app.services.launch import Planned
from app.store.jobs import new_job_id
from app.store.records import JobRecord

REFUND_POLICY = (
    "A paid job (paid per call or with credits) that fails after failover is made good automatically: credit-paid "
    "jobs get their credits back; per-call payments are credited to the payer's balance ({mode}), once per job."
)


def refund_policy(settings: Settings) -> str:
    mode = (
        "or refunded in USDC on chain to the paying wallet where a refund wallet is configured"
        if settings.refund_mode == "onchain"
        else "usable on any later generation"
    )
    return REFUND_POLICY.format(mode=mode)


def bundle(settings: Settings, bundle_id: str) -> CreditBundle:
    found = next((b for b in settings.credit_bundles if b.id == bundle_id), None)
    if found is None:
        names = ", ".join(b.id for b in settings.credit_bundles) or "none"
        raise Invalid("unknown_bundle", f"No bundle '{bundle_id[:32]}'. Bundles: {names} (GET /api/x402/credits).")
    return found


async def balance(svc: Services, address: str) -> int:
    return await svc.store.credits.balance(address)


@dataclass(frozen=True, slots=True)
class CreditLaunch:
    row: dict  # the job as it stands after the fast lane
    used: int  # credits spent on it (0 once refunded)
    remaining: int  # the wallet's balance after it
    failed: JobRecord | None = None  # it failed at once: its record (already refunded)


async def spend_and_launch(svc: Services, caller: Caller, principal: Principal, planned: Planned, price: int,
                           ) -> CreditLaunch:  # fmt: skip
    """Spend `price` of the wallet's credits on the planned job (within the key's cap) and queue it as a paid job;
    402 insufficient_credits when the balance does not cover it, 403 spend_cap_reached past the key's cap. The job
    is given back its credits if it cannot be queued, or fails within the fast lane."""
    principal.require("generate")
    job_id = new_job_id()
    spent = await svc.store.credits.spend_for_job(principal.address, price, job_id, principal.key_id,
                                                  principal.spend_cap)  # fmt: skip
    if spent.refused == "insufficient_credits":
        raise PaymentNeeded(
            "insufficient_credits",
            f"This costs {price} credits (USDC atomics); the wallet holds {spent.balance}. Buy a bundle at "
            "POST /api/x402/credits, or pay per call at /api/x402/forge.",
            price_atomics=price,
            credit_atomics=spent.balance,
        )
    if spent.refused == "spend_cap_reached":
        raise Forbidden("spend_cap_reached", f"This API key may spend at most {principal.spend_cap} credits.",
                        spend_cap=principal.spend_cap)  # fmt: skip
    try:
        row = await svc.jobs.create_paid(planned.job, job_id, planned.key if planned.byo else None)
    except BaseException:
        await svc.refunds.make_good(job_id, "not_started", require_failed=False)  # nothing was built
        raise
    if planned.webhook_url is not None:
        await svc.store.webhooks.register(job_id, planned.webhook_url, caller.base_url)
    finished = await svc.jobs.wait_finished(job_id, svc.settings.fast_lane_ms / 1000)
    if finished is not None and finished["status"] == "failed":
        await svc.refunds.make_good(job_id, finished["error_code"] or "generation_failed")
        record = await svc.store.records.extras(finished)
        return CreditLaunch(finished, 0, await balance(svc, principal.address), record)
    return CreditLaunch(finished or row, price, spent.balance)


async def grant_purchase(svc: Services, purchase_id: str, address: str, offer: CreditBundle, memo: str) -> None:
    """Credit a bundle bought with one payment (`purchase_id`, the payment's id in the ledger): once, however often
    the hand-over runs (a resend, a restart)."""
    await svc.store.credits.post("purchase", purchase_id, address, offer.credit_atomics, memo=memo, now=time.time())
