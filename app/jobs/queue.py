"""The job queue as the services see it: put a planned job in (on the embedded engine, or on a provider with the
key it runs on), read it back, wait a little for it to finish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.config import Settings
from app.engines.registry import is_remote
from app.jobs.lanes import QueueWaits, queue_waits
from app.jobs.runner import JobRunner
from app.store.jobs import NewJob
from app.store.seam import Store
from app.tiers import get_tier


@dataclass(frozen=True, slots=True)
class PaidCharge:
    """Who paid for a paid job, and how (a row of the charges)."""

    address: str
    method: str  # "x402"
    amount: int  # atomic units
    network: str | None = None
    tx: str | None = None


class Jobs:
    def __init__(self, store: Store, runner: JobRunner, settings: Settings) -> None:
        self.store = store
        self.runner = runner
        self.settings = settings

    async def submit(self, job: NewJob, job_id: str | None = None) -> dict[str, Any]:
        """Queue `job` for any worker (the same `job_id` twice is one job)."""
        row = await self.store.jobs.insert(job, None, job_id)
        self.runner.wake()
        return row

    async def start(self, job: NewJob, key: str | None, byo: bool) -> dict[str, Any]:
        """Free lane: queue `job`; on a provider backend (`key` given) create the provider task first, while the
        client waits, so a refused key is its answer (a ProviderError) rather than a failed job."""
        if key is None:
            return await self.submit(job)
        return await self.runner.remote.submit_now(job, key, remember=byo)

    async def create_paid(
        self, job: NewJob, job_id: str, byo_key: str | None, charge: PaidCharge | None = None
    ) -> dict[str, Any]:
        """A paid job under the id chosen beforehand (the ledger's, or the credit spend's), with its `charge` recorded
        first (None: recorded already, with the credits spent); idempotent. With the payer's own provider key the job
        is claimed by this process, which holds the key in memory; any other job is queued with its charge in one
        transaction."""
        if byo_key is not None and is_remote(job.backend):
            if charge is not None:
                await self.store.charges.record(job_id, charge.address, charge.method, charge.amount,
                                                network=charge.network, tx=charge.tx)  # fmt: skip
            return await self.runner.remote.adopt(job, job_id, byo_key)
        if charge is None:
            return await self.submit(job, job_id=job_id)
        row = await self.store.charges.record_with_job(job, job_id, charge.address, charge.method, charge.amount,
                                                       network=charge.network, tx=charge.tx)  # fmt: skip
        self.runner.wake()
        return row

    async def waits(self) -> QueueWaits:
        """How long a job submitted now waits for an engine process, on each lane (`app.jobs.lanes`)."""
        queue = await self.store.jobs.queue_by_lane()
        return queue_waits(queue, self.settings.engine_worker_count(), self.settings.free_worker_count())

    async def get(self, job_id: str) -> dict[str, Any] | None:
        return await self.store.jobs.get(job_id)

    async def wait_finished(self, job_id: str, timeout: float) -> dict[str, Any] | None:
        if timeout <= 0:
            return None
        return await self.runner.wait_finished(job_id, timeout)


def eta_seconds(row: dict[str, Any]) -> int | None:
    """Remaining seconds: the tier's estimate scaled by progress; the queue is ignored (it is short)."""
    if row["status"] in ("done", "failed"):
        return 0 if row["status"] == "done" else None
    base = get_tier(row["tier"]).eta_seconds
    return max(1, round(base * (100 - (row["progress"] or 0)) / 100))
