"""What the gateway calls once a payment has settled. A generation or a retopology: the job planned (and checked)
before any money moved is created unchanged, under the id the ledger chose for it, with who paid for it (its charge:
the payer's account, network, amount, transaction) and its webhook. A credit bundle: the credits go to the payer's
account (`app.paid.credits`)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from app.config import CreditBundle
from app.jobs.queue import Jobs, PaidCharge
from app.services import credits
from app.services.container import Services
from app.store.jobs import NewJob
from app.wallets import account_of
from payments.gateway import PaidRequest

Fulfil = Callable[[PaidRequest], Awaitable[None]]


def job_creator(
    jobs: Jobs, base_url: str, provider_key: str | None = None, made: dict[str, dict[str, Any]] | None = None
) -> Fulfil:
    """`base_url` is the origin the job's links use (its webhook's); `made` (job id → row) hears each job created,
    so the route that waits on the payment answers with it without reading it back.

    Idempotent (the id is the key), so the ledger may call it again after a crash without making a second job or
    a second webhook: a job recreated by start-up reconciliation still announces itself. With the payer's own
    provider key (x-forge-provider-key) the job is claimed by this process, which holds the key in memory; without
    one (or at reconciliation) a provider job uses the operator's key or the embedded engine. The charge is recorded
    before the job exists, so a job never ends without one (its refund needs it)."""

    async def fulfil(paid: PaidRequest) -> None:
        job = NewJob.from_json(paid.request_json)  # what the payment bought, stored with it before it settled
        charge = PaidCharge(account_of(paid.payer), "x402", paid.amount, paid.network, paid.transaction)
        row = await jobs.create_paid(job, paid.job_id, provider_key, charge)
        if made is not None:
            made[paid.job_id] = row
        webhook_url = json.loads(job.request_json).get("webhook_url")
        if webhook_url:
            await jobs.store.webhooks.register(paid.job_id, webhook_url, base_url)

    return fulfil


def credit_order(bundle: CreditBundle) -> str:
    """What a credit purchase buys, stored with its payment until it settles."""
    return json.dumps({"credits": {"bundle": bundle.id, "price_atomics": bundle.price_atomics,
                                   "credit_atomics": bundle.credit_atomics}}, sort_keys=True)  # fmt: skip


def fulfiller(
    svc: Services, base_url: str, provider_key: str | None = None, made: dict[str, dict[str, Any]] | None = None
) -> Fulfil:
    """The hand-over for any settled payment: a credit purchase grants its credits, anything else creates its job
    (start-up reconciliation meets both kinds)."""
    create_job = job_creator(svc.jobs, base_url, provider_key, made)

    async def fulfil(paid: PaidRequest) -> None:
        order = json.loads(paid.request_json)
        if "credits" not in order:
            await create_job(paid)
            return
        bought = order["credits"]
        bundle = CreditBundle(bought["bundle"], bought["price_atomics"], bought["credit_atomics"])
        memo = f"bundle {bundle.id}, paid on {paid.network} ({paid.transaction})"
        await credits.grant_purchase(svc, paid.job_id, account_of(paid.payer), bundle, memo)

    return fulfil
