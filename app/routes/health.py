"""`GET /healthz`: liveness plus the queue's size, for load balancers and people."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app import __version__
from app.jobs import store
from app.services import services


async def healthz(request: Request) -> JSONResponse:
    svc = services(request)
    counts = await svc.db.run(store.count_active)
    return JSONResponse(
        {"status": "ok", "version": __version__, "jobs": counts, "engine_workers": svc.runner.slots},
        headers={"Cache-Control": "no-store"},
    )
