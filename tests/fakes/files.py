"""A fake file host on loopback: serves test models (and anything else) by name, and can record webhooks.

`FileHost.files[name] = bytes` publishes `<url>/<name>`. Webhook paths (`/hooks/<behaviour>`) record every POST
(headers, body, arrival time) and answer by behaviour: `ok` → 200, `fail` → 500 always, `flaky` → 500 three times
then 200, `slow` → answers after 2 s (beyond a test's webhook timeout)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.common import FakeServer, FakeState


@dataclass
class Hook:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class FileHostState(FakeState):
    files: dict[str, bytes] = field(default_factory=dict)
    hooks: list[Hook] = field(default_factory=list)


def build() -> FakeServer:
    state = FileHostState(set())

    async def serve(request: Request) -> Response:
        data = state.files.get(request.path_params["name"])
        if data is None:
            return PlainTextResponse("not found", 404)
        return Response(data, media_type="application/octet-stream")

    async def hook(request: Request) -> Response:
        behaviour = request.path_params["behaviour"]
        body = await request.body()
        state.hooks.append(Hook(request.url.path, dict(request.headers), body, time.monotonic()))
        if behaviour == "slow":
            await asyncio.sleep(2)
        if behaviour == "fail":
            return PlainTextResponse("receiver broke", 500)
        if behaviour == "flaky" and sum(h.path == request.url.path for h in state.hooks) <= 3:
            return PlainTextResponse("not yet", 500)
        return PlainTextResponse("thanks")

    app = Starlette(routes=[
        Route("/files/{name}", serve, methods=["GET"]),
        Route("/hooks/{behaviour}/{tag}", hook, methods=["POST"]),
    ])  # fmt: skip
    return FakeServer(app, state)
