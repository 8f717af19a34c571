"""The ASGI application: the HTTP edge over the services, and the lifespan that starts and stops this node's work
(`app.node`): plain `serve` builds models too, `serve --no-engine` (`engine=False`) only answers HTTP."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette

from app.config import Settings
from app.http.clientip import parse_networks
from app.http.errors import EXCEPTION_HANDLERS
from app.http.routes import ROUTES
from app.node import start_node, stop_node

log = logging.getLogger("forge402")


def create_app(settings: Settings | None = None, *, engine: bool = True) -> Starlette:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        svc = await start_node(settings, engine_slots=None if engine else 0, webhooks=engine)
        app.state.services = svc
        log.info("forge402 ready: %s store, %d engine workers", svc.store.kind, svc.runner.slots)
        try:
            yield
        finally:
            await stop_node(svc, drain=True)

    app = Starlette(routes=ROUTES, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)
    app.state.trusted_proxies = parse_networks(settings.trusted_proxies)
    return app


def app_from_environment() -> Starlette:
    """Factory for `uvicorn --factory app.application:app_from_environment` (settings from FORGE402_*)."""
    return create_app(Settings())


def api_from_environment() -> Starlette:
    """The same without engine work (`serve --no-engine`): jobs are built by `forge402 worker` processes."""
    return create_app(Settings(), engine=False)
