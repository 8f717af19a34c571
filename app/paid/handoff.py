"""What the gateway calls once a payment has settled: the job planned (and checked) before any money moved is
created unchanged, under the id the ledger chose for it, and its webhook registered."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from app.jobs.queue import Jobs
from app.store.jobs import NewJob
from payments.gateway import PaidRequest


def job_creator(jobs: Jobs, base_url: str, provider_key: str | None = None) -> Callable[[PaidRequest], Awaitable[None]]:
    """`base_url` is the origin the job's links use (its webhook's).

    Idempotent (the id is the key), so the ledger may call it again after a crash without making a second job or
    a second webhook: a job recreated by start-up reconciliation still announces itself. With the payer's own
    provider key (x-forge-provider-key) the job is claimed by this process, which holds the key in memory; without
    one (or at reconciliation) a provider job uses the operator's key or the embedded engine."""

    async def fulfil(paid: PaidRequest) -> None:
        job = NewJob.from_json(paid.request_json)  # what the payment bought, stored with it before it settled
        await jobs.create_paid(job, paid.job_id, provider_key)
        webhook_url = json.loads(job.request_json).get("webhook_url")
        if webhook_url:
            await jobs.store.webhooks.register(paid.job_id, webhook_url, base_url)

    return fulfil
