"""The free lane: `POST /api/forge` (submit), `GET /api/forge?job=ID` (poll), `GET /api/forge?catalog`."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.body import read_model
from app.catalog import build_catalog
from app.errors import bad_request, not_found
from app.jobs import store
from app.jobs.service import plan
from app.photos import prepare_images
from app.ratelimit import Decision
from app.routes.backends import check_webhook, iso, job_and_extras, register_webhook, start_job, with_extras
from app.schemas import ForgeRequest, JobError, JobView, SubmitResponse
from app.services import Services, services
from app.storage import MODEL, THUMBNAIL


def maybe_iso(ts: float | None) -> str | None:
    return None if ts is None else iso(ts)


def file_links(svc: Services, request: Request, row: dict[str, Any]) -> tuple[str | None, str | None]:
    """Freshly signed links to the job's files, once it is done."""
    if row["status"] != "done":
        return None, None
    return svc.file_url(request, row["id"], MODEL), svc.file_url(request, row["id"], THUMBNAIL)


def poll_path(job_id: str) -> str:
    return f"/api/forge?job={job_id}"


def job_view(svc: Services, request: Request, row: dict[str, Any]) -> JobView:
    glb_url, thumbnail_url = file_links(svc, request, row)
    error = JobError(code=row["error_code"], message=row["error_message"]) if row["status"] == "failed" else None
    return JobView(
        job_id=row["id"],
        creation_id=row["creation_id"],
        status=row["status"],
        step=row["step"],
        progress=row["progress"] or 0,
        mode=row["mode"],
        tier=row["tier"],
        backend=row["backend"],
        seed=row["seed"],
        eta_seconds=svc.jobs.eta_seconds(row),
        recipe=row["recipe"],
        faces=row["faces"],
        notes=json.loads(row["notes_json"] or "[]"),
        attempts=row["attempts"],
        glb_url=glb_url,
        thumbnail_url=thumbnail_url,
        error=error,
        submitted_at=iso(row["submitted_at"]),
        started_at=maybe_iso(row["started_at"]),
        finished_at=maybe_iso(row["finished_at"]),
    )


def submit_response(svc: Services, request: Request, row: dict[str, Any]) -> SubmitResponse:
    glb_url, thumbnail_url = file_links(svc, request, row)
    return SubmitResponse(
        job_id=row["id"],
        creation_id=row["creation_id"],
        status="done" if row["status"] == "done" else "queued",
        mode=row["mode"],
        tier=row["tier"],
        backend=row["backend"],
        eta_seconds=svc.jobs.eta_seconds(row) or 0,
        seed=row["seed"],
        poll_url=svc.absolute(request, poll_path(row["id"])),
        glb_url=glb_url,
        thumbnail_url=thumbnail_url,
        recipe=row.get("recipe"),
        faces=row.get("faces"),
    )


def model_response(model: Any, status: int = 200, decision: Decision | None = None) -> JSONResponse:
    headers = decision.headers() if decision else {}
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


async def queue_and_answer(
    svc: Services,
    request: Request,
    job: store.NewJob,
    webhook_url: str | None,
    decision: Decision | None,
    *,
    failed_with_extras: bool = False,
) -> JSONResponse:
    """Start a free-lane job, register its webhook and give it the fast lane: 200 with the links when it is done
    in time, 202 while it runs, or its view (saying why) when it failed at once."""
    row = await start_job(svc, request, job)  # a provider backend: its task is created now (key errors answer here)
    await register_webhook(svc, request, row["id"], webhook_url)
    finished = await svc.jobs.wait_finished(row["id"], svc.settings.fast_lane_ms / 1000)
    if finished is not None and finished["status"] == "failed":  # failed fast: say why at once
        view = job_view(svc, request, finished)
        return model_response(await with_extras(svc, request, view) if failed_with_extras else view, 200, decision)
    answer = submit_response(svc, request, finished or row)
    return model_response(answer, 200 if answer.status == "done" else 202, decision)


async def submit(request: Request) -> JSONResponse:
    svc = services(request)
    decision = await svc.limit(request, "generate", "generations")
    body = await read_model(request, ForgeRequest, svc.settings.max_body_bytes)
    images = await prepare_images(svc, request, body)  # photos: fetched, pre-checked, stored (or a 400)
    job = plan(body, lane="free", images=images)
    await check_webhook(svc, body.webhook_url)
    return await queue_and_answer(svc, request, job, body.webhook_url, decision)


async def query(request: Request) -> JSONResponse:
    svc = services(request)
    decision = await svc.limit(request, "poll", "polls")
    params = request.query_params
    if "catalog" in params:
        return model_response(build_catalog(svc.settings), 200, decision)
    job_id = params.get("job")
    if not job_id:
        raise bad_request("missing_parameter", "Poll a job with ?job=<job_id>, or list offers with ?catalog.")
    row, extras = await svc.db.run(job_and_extras, job_id)
    if row is None:
        raise not_found("job_not_found", f"No job '{job_id[:80]}'. Job ids come from POST /api/forge.")
    return model_response(await with_extras(svc, request, job_view(svc, request, row), extras), 200, decision)
