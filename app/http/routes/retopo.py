"""Retopology: `POST /api/forge/retopo` (free, rate limited like generations); its paid twin is in `paid`. Both
queue a job polled at `GET /api/forge?job=ID` like any other (`mode: "retopo"`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.http.answers import launched_answer
from app.http.body import read_model
from app.http.context import caller, links, services
from app.http.ratelimit import limited
from app.schemas import RetopoRequest
from app.services import retopology


@limited("generate", "generations")
async def submit(request: Request) -> JSONResponse:
    svc = services(request)
    body = await read_model(request, RetopoRequest, svc.settings.max_body_bytes)
    launched = await retopology.submit(svc, caller(request), body)
    return launched_answer(links(request), launched)
