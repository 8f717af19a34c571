"""The free lane's hand-over: a planned job is started (a provider task is created while the client waits), its
webhook registered, and it gets the fast lane: the caller learns at once when it finished (or failed) in time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.engines.registry import is_remote
from app.errors import Busy
from app.services.caller import Caller
from app.services.container import Services
from app.store.jobs import NewJob
from app.store.records import JobRecord


@dataclass(frozen=True, slots=True)
class Planned:
    """A job checked against everything before it is queued (or paid for), with the key it runs on."""

    job: NewJob
    key: str | None  # the provider key (None: the embedded engine)
    byo: bool  # the key is the caller's own (held in memory only)
    webhook_url: str | None


@dataclass(frozen=True, slots=True)
class Launched:
    row: dict[str, Any]  # the job as it stands after the fast lane: done, or still queued/running
    failed: JobRecord | None = None  # it failed at once: its record, to say why


async def admit_free(svc: Services) -> None:
    """The free lane sheds load: past `free_queue_max_eta_seconds` of estimated wait a new free job is refused (503
    busy) with the seconds until the queue is back under the bound, rather than queued for longer than that."""
    bound = svc.settings.free_queue_max_eta_seconds
    if bound <= 0:
        return
    wait = (await svc.jobs.waits()).free
    if wait > bound:
        raise Busy(
            "busy",
            f"The free queue is full: a new job would wait about {wait} s. Try again later, "
            "or use the paid lane (POST /api/x402/forge), which is served first.",
            retry_after=wait - bound + 1,
            eta_seconds=wait,
        )


async def launch(svc: Services, caller: Caller, planned: Planned, *, failed_with_extras: bool = False) -> Launched:
    if not is_remote(planned.job.backend):  # provider jobs do not take an engine process
        await admit_free(svc)
    row = await svc.jobs.start(planned.job, planned.key, planned.byo)
    if planned.webhook_url is not None:
        await svc.store.webhooks.register(row["id"], planned.webhook_url, caller.base_url)
    finished = await svc.jobs.wait_finished(row["id"], svc.settings.fast_lane_ms / 1000)
    if finished is not None and finished["status"] == "failed":  # failed fast: say why at once
        record = await svc.store.records.extras(finished) if failed_with_extras else JobRecord(finished)
        return Launched(finished, record)
    return Launched(finished or row)
