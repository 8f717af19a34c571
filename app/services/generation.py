"""Generation (text or photos → a model): plan a request, submit it on the free lane, poll a job."""

from __future__ import annotations

from app.engines.providers.keys import key_for
from app.errors import NotFound
from app.jobs.plan_generation import plan
from app.photos.prepare import prepare_images
from app.schemas import ForgeRequest
from app.services.caller import Caller
from app.services.container import Services
from app.services.launch import Launched, Planned, launch
from app.store.records import JobRecord
from app.webhooks.target import check_webhook_url


async def plan_request(svc: Services, caller: Caller, body: ForgeRequest, lane: str) -> Planned:
    """Everything checked before a job is queued or any money moves: photos fetched, pre-checked and stored, what
    the server can build, the webhook URL, the provider key."""
    images = await prepare_images(svc.uploads, svc.settings, body, caller.own_hosts)
    job = plan(body, lane=lane, images=images)
    await check_webhook_url(body.webhook_url, svc.settings)
    key, byo = key_for(svc.settings, job.backend, caller.provider_key)
    return Planned(job, key, byo, body.webhook_url)


async def submit(svc: Services, caller: Caller, body: ForgeRequest) -> Launched:
    return await launch(svc, caller, await plan_request(svc, caller, body, lane="free"))


async def poll(svc: Services, job_id: str) -> JobRecord:
    found = await svc.store.records.load(job_id)
    if found is None:
        raise NotFound("job_not_found", f"No job '{job_id[:80]}'. Job ids come from POST /api/forge.")
    return found
