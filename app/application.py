"""The ASGI application: the HTTP edge over the services, and the lifespan that starts and stops this node's work
(`app.node`): plain `serve` builds models too, `serve --no-engine` (`engine=False`) only answers HTTP."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from app.config import Settings
from app.http.clientip import parse_networks
from app.http.contract import described_elsewhere
from app.http.cors import cors_middleware
from app.http.errors import EXCEPTION_HANDLERS
from app.http.requestcount import RequestCounter
from app.http.requestid import RequestIds
from app.http.routes import ROUTES
from app.http.timeouts import BodyTimeout
from app.mcp.http import McpEndpoint
from app.node import start_node, stop_node
from app.paid.offers import MCP_PATH

log = logging.getLogger("forge402")


def create_app(settings: Settings | None = None, *, engine: bool = True) -> Starlette:
    settings = settings or Settings()
    mcp = McpEndpoint(settings.max_body_bytes)  # MCP over streamable HTTP, stateless: POST only (no SSE to hold)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        node = await start_node(settings, engine_slots=None if engine else 0, webhooks=engine)
        app.state.services = svc = node.services
        log.info(
            "forge402 ready: %s store, files in %s, %d engine workers",
            svc.store.kind, svc.files.spec.describe(), svc.runner.slots,
        )  # fmt: skip
        try:
            async with mcp.running():
                yield
        finally:
            await stop_node(node, drain=True)

    mcp_route = described_elsewhere(mcp, "MCP over streamable HTTP: its tools describe themselves (tools/list)")
    routes = [*ROUTES, Route(MCP_PATH, mcp_route, methods=["POST"])]
    trusted = parse_networks(settings.trusted_proxies)
    # outermost first: the request id is set before anything logs, the count sees the final status (CORS answers and
    # body timeouts included)
    middleware = [
        Middleware(RequestIds, trusted=trusted),
        Middleware(RequestCounter),
        *cors_middleware(settings.cors_origins),
        Middleware(BodyTimeout, seconds=settings.http_body_timeout_seconds),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)
    app.state.trusted_proxies = trusted
    return app


def app_from_environment() -> Starlette:
    """Factory for `uvicorn --factory app.application:app_from_environment` (settings from FORGE402_*)."""
    return create_app(Settings())


def api_from_environment() -> Starlette:
    """The same without engine work (`serve --no-engine`): jobs are built by `forge402 worker` processes."""
    return create_app(Settings(), engine=False)
