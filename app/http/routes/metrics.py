"""`GET /metrics`: Prometheus metrics, for the operator only."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.errors import Unauthorized
from app.http.context import services
from app.http.contract import UNAVAILABLE, Answer, Header, Operation, documented, refusal


@documented(
    Operation(
        "Prometheus metrics, for the operator (needs FORGE402_METRICS_TOKEN as a bearer token)",
        "service",
        answers={
            200: Answer("The metrics, in Prometheus' text exposition format.", media=("text/plain",)),
            401: refusal(
                "`metrics_unauthorized`: no bearer token, or not the configured one.",
                Header("WWW-Authenticate", "The bearer challenge.", required=True),
            ),
            404: refusal(
                "`not_found`: metrics are off on this port (no token configured, or FORGE402_METRICS_LISTEN serves "
                "them on an address of their own)."
            ),
            503: UNAVAILABLE,
        },
        security=("metricsToken",),
    )
)
async def metrics(request: Request) -> Response:
    """Prometheus metrics in the text exposition format: HTTP answers by route template, method and status; jobs by
    state; queue depth and the oldest queued job's age; x402 settlements by network and outcome; chain RPC latency;
    engine time by tier and backend; the EVM facilitator's ETH and the Solana fee payer's SOL.

    Requires `Authorization: Bearer <FORGE402_METRICS_TOKEN>` (401 `metrics_unauthorized` with a
    `WWW-Authenticate: Bearer` challenge otherwise). Not found (404)
    when no token is configured, or when `FORGE402_METRICS_LISTEN` serves the metrics on an address of their own."""
    svc = services(request)
    token = svc.settings.metrics_token
    if token is None or svc.settings.metrics_listen is not None:
        raise HTTPException(404)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
        raise Unauthorized("metrics_unauthorized", "The metrics need 'Authorization: Bearer <FORGE402_METRICS_TOKEN>'.")
    assert svc.metrics is not None
    return Response(await svc.metrics.render(), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
