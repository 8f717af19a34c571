"""Retopology (a model → the same model with fewer faces): plan a request, submit it on the free lane."""

from __future__ import annotations

from app.engines.providers.keys import key_for
from app.jobs.plan_retopo import plan_retopo, retopo_backend
from app.schemas import RetopoRequest
from app.services.caller import Caller
from app.services.container import Services
from app.services.launch import Launched, Planned, launch
from app.webhooks.target import check_webhook_url


async def plan_request(svc: Services, caller: Caller, body: RetopoRequest, lane: str) -> Planned:
    """Everything checked before a job is queued or any money moves; the provider key (needs_key) before the
    source is fetched."""
    await check_webhook_url(body.webhook_url, svc.settings)
    key, byo = key_for(svc.settings, retopo_backend(body), caller.provider_key)
    job = await plan_retopo(svc.store, svc.settings, svc.files, body, lane, caller.base_url)
    return Planned(job, key, byo, body.webhook_url)


async def submit(svc: Services, caller: Caller, body: RetopoRequest) -> Launched:
    planned = await plan_request(svc, caller, body, lane="free")
    return await launch(svc, caller, planned, failed_with_extras=True)
