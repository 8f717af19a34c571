"""The ASGI application: the HTTP edge over the services, and the lifespan that builds, starts and stops them."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette

from app.config import Settings
from app.http.clientip import parse_networks
from app.http.errors import EXCEPTION_HANDLERS
from app.http.links import Links
from app.http.routes import ROUTES
from app.http.views import webhook_body
from app.paid.gateway import build_gateway
from app.paid.handoff import fulfiller
from app.paid.refund_sender import build_refund_sender
from app.services.container import Services, build_services
from app.services.records import with_extras
from app.services.refunds import Refunds
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
    report = await svc.gateway.reconcile(fulfiller(svc, svc.settings.public_url or ""))
    if any(report.values()):
        log.info("payments reconciled at start-up: %s", report)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        svc = build_services(settings, build_gateway(settings))
        app.state.services = svc
        await svc.runner.start()
        svc.webhooks = WebhookDispatcher(svc.db, settings, webhook_renderer(svc))
        svc.webhooks.start()
        svc.refunds = Refunds(svc.db, settings, build_refund_sender(settings))
        svc.refunds.start()
        if svc.gateway is not None:
            await start_paid_lane(svc)
        log.info("forge402 ready: data in %s, %d engine workers", settings.data_dir, svc.runner.slots)
        try:
            yield
        finally:
            if svc.gateway is not None:
                await svc.gateway.close()
            if svc.webhooks is not None:
                await svc.webhooks.stop()
            if svc.refunds is not None:
                await svc.refunds.stop()
            await svc.runner.stop()
            svc.db.close()

    app = Starlette(routes=ROUTES, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)
    app.state.trusted_proxies = parse_networks(settings.trusted_proxies)
    return app


def app_from_environment() -> Starlette:
    """Factory for `uvicorn --factory app.application:app_from_environment` (settings from FORGE402_*)."""
    return create_app(Settings())
