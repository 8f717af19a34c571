"""`GET /healthz`: liveness plus the queue's size, for load balancers and people. `GET /readyz`: whether this node
takes traffic now (its database answers, it is not draining): 200, else 503."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.http.context import services
from app.http.contract import UNAVAILABLE, Answer, Operation, documented, refusal
from app.schemas import Health, Readiness
from app.services import health

NO_STORE = {"Cache-Control": "no-store"}


@documented(
    Operation(
        "Liveness, and the queue's size",
        "service",
        answers={200: Answer("Alive.", Health), 503: UNAVAILABLE},
    )
)
async def healthz(request: Request) -> JSONResponse:
    return JSONResponse(await health.status(services(request)), headers=NO_STORE)


@documented(
    Operation(
        "Readiness: whether this node takes traffic now",
        "service",
        answers={
            200: Answer("Ready: the database answers and the node is not draining.", Readiness),
            503: refusal(
                "`not_ready`: the database does not answer, or the node drains; the body also carries the checks "
                "(`status`, `store`, `database`, `draining`)."
            ),
        },
    )
)
async def readyz(request: Request) -> JSONResponse:
    ready, body = await health.readiness(services(request))
    return JSONResponse(body, status_code=200 if ready else 503, headers=NO_STORE)
