"""MCP over streamable HTTP at `/mcp`, served by the same `forge402 serve`: the official SDK's transport in
stateless mode (every request stands alone, so any process or node answers any request: no session is held in one
process's memory), with SSE answers so a waiting call streams its progress. The caller is read from the request as
the HTTP routes read it (origin for links, client address for limits, `x-forge-provider-key`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from app.http.context import caller, services
from app.mcp.server import build_server
from app.services.caller import Caller
from app.services.container import Services


def resolve(request: Any) -> tuple[Services, Caller]:
    assert isinstance(request, Request), "the streamable HTTP transport hands each call its request"
    return services(request), caller(request)


class McpEndpoint:
    """The ASGI app at `/mcp` (a route of its own: `POST /mcp` answers, no redirect to `/mcp/`). `running()` belongs
    in the application's lifespan: the SDK's session manager runs its requests in a task group of its own."""

    def __init__(self, max_body_bytes: int) -> None:
        self.server = build_server(resolve)
        self.max_body_bytes = max_body_bytes
        self._manager: StreamableHTTPSessionManager | None = None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The session manager runs in a task of its own: its task group must end in the task it began in, and a
        lifespan may be entered and left from different tasks (the tests' in-process server does)."""
        manager = StreamableHTTPSessionManager(
            self.server, stateless=True, json_response=False, max_request_body_size=self.max_body_bytes
        )
        ready, stop = asyncio.Event(), asyncio.Event()

        async def hold() -> None:
            async with manager.run():
                ready.set()
                await stop.wait()

        holder = asyncio.create_task(hold(), name="mcp-session-manager")
        started = asyncio.create_task(ready.wait())
        await asyncio.wait([holder, started], return_when=asyncio.FIRST_COMPLETED)
        if not ready.is_set():
            started.cancel()
            holder.result()  # it could not start: say why
        self._manager = manager
        try:
            yield
        finally:
            self._manager = None
            stop.set()
            await holder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self._manager is not None, "the MCP endpoint serves only while the application runs"
        await self._manager.handle_request(scope, receive, send)
