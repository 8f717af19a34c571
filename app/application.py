"""The ASGI application: the HTTP edge over the services, and the lifespan that builds, starts and stops them."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from app.config import Settings
from app.http.clientip import parse_networks
from app.http.errors import EXCEPTION_HANDLERS
from app.http.links import Links
from app.http.metrics_listener import MetricsListener
from app.http.requestcount import RequestCounter
from app.http.requestid import RequestIds
from app.http.routes import ROUTES
from app.http.views import webhook_body
from app.mcp.http import McpEndpoint
from app.paid.gateway import build_gateway
from app.paid.handoff import job_creator
from app.paid.offers import MCP_PATH
from app.services.container import Services, build_services
from app.services.records import with_extras
from app.store.blobs import BlobStoreUnavailable
from app.webhooks.dispatcher import WebhookDispatcher

log = logging.getLogger("forge402")


def webhook_renderer(svc: Services) -> Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]:
    """A job's webhook body: its poll view, with links on the public URL, else the origin stored with the webhook."""

    async def render(row: dict[str, Any], base_url: str) -> dict[str, Any]:
        record = await svc.db.run(with_extras, row)
        origin = svc.settings.public_url or base_url or "http://localhost"
        return webhook_body(Links(origin, svc.signer), record)

    return render


async def start_paid_lane(svc: Services) -> None:
    """Connect to the chain, then finish what a crash interrupted: settlements in flight are looked up on chain
    (never re-signed) and settled payments without their job get it."""
    assert svc.gateway is not None
    await svc.gateway.start()
    # links in the webhooks of jobs recreated here use the public URL (no request to take an origin from)
    report = await svc.gateway.reconcile(job_creator(svc.jobs, svc.settings.public_url or ""))
    if any(report.values()):
        log.info("payments reconciled at start-up: %s", report)


async def check_file_store(svc: Services) -> None:
    """A store that refuses us (a missing bucket) stops the start; one that does not answer yet is only logged (file
    reads answer 503 until it does)."""
    try:
        await svc.files.blobs.check()
    except BlobStoreUnavailable as exc:
        log.warning("file storage (%s) is unreachable at start: %s", svc.files.spec.describe(), exc.detail)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    mcp = McpEndpoint(settings.max_body_bytes)  # MCP over streamable HTTP, stateless: POST only (no SSE to hold)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        svc = build_services(settings, build_gateway(settings))
        app.state.services = svc
        await check_file_store(svc)
        await svc.runner.start()
        svc.webhooks = WebhookDispatcher(svc.db, settings, webhook_renderer(svc))
        svc.webhooks.start()
        if svc.retention is not None:
            svc.retention.start()
        if svc.gateway is not None:
            await start_paid_lane(svc)
        listener = None
        if settings.metrics_address is not None and svc.metrics is not None:
            listener = MetricsListener(svc.metrics, settings.metrics_address)
            listener.start()
        log.info(
            "forge402 ready: data in %s, files in %s, %d engine workers",
            settings.data_dir, svc.files.spec.describe(), svc.runner.slots,
        )  # fmt: skip
        try:
            async with mcp.running():
                yield
        finally:
            if listener is not None:
                await listener.stop()
            if svc.retention is not None:
                await svc.retention.stop()
            if svc.gateway is not None:
                await svc.gateway.close()
            if svc.webhooks is not None:
                await svc.webhooks.stop()
            await svc.runner.stop()
            svc.db.close()

    routes = [*ROUTES, Route(MCP_PATH, mcp, methods=["POST"])]
    trusted = parse_networks(settings.trusted_proxies)
    # outermost first: the request id is set before anything logs, the count sees the final status
    middleware = [Middleware(RequestIds, trusted=trusted), Middleware(RequestCounter)]
    app = Starlette(routes=routes, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan, middleware=middleware)
    app.state.trusted_proxies = trusted
    return app


def app_from_environment() -> Starlette:
    """Factory for `uvicorn --factory app.application:app_from_environment` (settings from FORGE402_*)."""
    return create_app(Settings())
