"""The free lane: `POST /api/forge` (submit), `GET /api/forge?job=ID` (poll), `GET /api/forge?catalog`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.catalog import build_catalog
from app.errors import Invalid
from app.http.answers import json_answer, launched_answer
from app.http.body import read_model
from app.http.context import caller, links, services
from app.http.ratelimit import limited
from app.http.views import job_view
from app.schemas import ForgeRequest
from app.services import generation


@limited("generate", "generations")
async def submit(request: Request) -> JSONResponse:
    svc = services(request)
    body = await read_model(request, ForgeRequest, svc.settings.max_body_bytes)
    launched = await generation.submit(svc, caller(request), body)
    return launched_answer(links(request), launched)


@limited("poll", "polls")
async def query(request: Request) -> JSONResponse:
    svc = services(request)
    params = request.query_params
    if "catalog" in params:
        return json_answer(build_catalog(svc.settings, await svc.jobs.waits()))
    job_id = params.get("job")
    if not job_id:
        raise Invalid("missing_parameter", "Poll a job with ?job=<job_id>, or list offers with ?catalog.")
    return json_answer(job_view(links(request), await generation.poll(svc, job_id)))
