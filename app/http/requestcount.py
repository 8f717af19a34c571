"""`forge402_http_requests_total{route, method, status}`: every answer counted by its route template
(`/files/{job_id}/{name}`, never the raw path: ids would make a series each), `unmatched` when no route took it.
Pure ASGI and cheap: one closure and one counter increment per request (the labelled counters are cached)."""

from __future__ import annotations

from prometheus_client import Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.metrics import REQUESTS

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})  # any other: "other" (bounded)


class RequestCounter:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._series: dict[tuple[str, str, int], Counter] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the client gets if the app raises before it answers

        async def send_seen(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_seen)
        finally:
            route = scope.get("route")  # set by the router on the shared scope
            method = scope["method"] if scope["method"] in METHODS else "other"
            key = (route.path if route is not None else "unmatched", method, status)
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = REQUESTS.labels(key[0], key[1], str(status))
            series.inc()
