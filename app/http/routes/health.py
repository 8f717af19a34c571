"""`GET /healthz`: liveness plus the queue's size, for load balancers and people. `GET /readyz`: whether this node
takes traffic now (its database answers, it is not draining): 200, else 503."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.http.context import services
from app.services import health

NO_STORE = {"Cache-Control": "no-store"}


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse(await health.status(services(request)), headers=NO_STORE)


async def readyz(request: Request) -> JSONResponse:
    ready, body = await health.readiness(services(request))
    return JSONResponse(body, status_code=200 if ready else 503, headers=NO_STORE)
