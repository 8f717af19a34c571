"""`GET /healthz`: liveness plus the queue's size, for load balancers and people."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.http.context import services
from app.services import health


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse(await health.status(services(request)), headers={"Cache-Control": "no-store"})
