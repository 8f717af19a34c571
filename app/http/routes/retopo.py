"""Retopology: `POST /api/forge/retopo` (free, rate limited like generations); its paid twin is in `paid`. Both
queue a job polled at `GET /api/forge?job=ID` like any other (`mode: "retopo"`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.http.answers import launched_answer
from app.http.body import read_model
from app.http.context import caller, links, services
from app.http.contract import BAD_REQUEST, NOT_FOUND, PROVIDER_KEY, SUBMITTED, Operation, documented, refusal
from app.http.ratelimit import limited
from app.schemas import RetopoRequest
from app.services import retopology


@documented(
    Operation(
        "Retopologize a model (a GLB/OBJ URL or one of your finished jobs) to face_limit faces (free lane)",
        "retopology",
        body=RetopoRequest,
        params=(PROVIDER_KEY,),
        answers={
            **SUBMITTED,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: refusal("`job_not_done`: the source job has not finished yet."),
        },
    )
)
@limited("generate", "generations")
async def submit(request: Request) -> JSONResponse:
    svc = services(request)
    body = await read_model(request, RetopoRequest, svc.settings.max_body_bytes)
    launched = await retopology.submit(svc, caller(request), body)
    return launched_answer(links(request), launched)
