"""The ASGI application: routes, error handlers and the lifespan that builds and tears down the services."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.routing import Route

from app.clientip import parse_networks
from app.config import Settings
from app.database import Database, create_schema
from app.errors import EXCEPTION_HANDLERS
from app.jobs.runner import JobRunner
from app.jobs.service import Jobs
from app.paid.gateway import build_gateway, job_creator
from app.ratelimit import RateLimiter
from app.routes import files, forge, health, retopo, upload, x402
from app.routes.backends import webhook_renderer
from app.services import Services
from app.signing import UrlSigner
from app.storage import FileStore
from app.studio import site
from app.uploads import ImageStore, Uploads
from app.webhooks import WebhookDispatcher

log = logging.getLogger("forge402")


def build_services(settings: Settings) -> Services:
    create_schema(settings.database_path)
    settings.files_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_path)
    runner = JobRunner(db, settings)
    secret = settings.signing_key()  # read (or made) once: file links and upload slots derive from it
    return Services(
        settings=settings,
        db=db,
        runner=runner,
        jobs=Jobs(db, runner),
        limiter=RateLimiter(
            db,
            {
                "generate": settings.rate_limit_generate,
                "poll": settings.rate_limit_poll,
                "upload": settings.rate_limit_upload,
            },
            settings.rate_limit_window_seconds,
        ),
        signer=UrlSigner(secret, settings.file_url_ttl_seconds),
        files=FileStore(settings.files_dir),
        trusted_proxies=parse_networks(settings.trusted_proxies),
        gateway=build_gateway(settings),
        uploads=Uploads(
            db,
            ImageStore(settings.uploads_dir),
            secret,
            slot_ttl_s=settings.upload_slot_ttl_seconds,
            retention_s=settings.upload_retention_seconds,
        ),
    )


async def start_paid_lane(svc: Services) -> None:
    """Connect to the chain, then finish what a crash interrupted: settlements in flight are looked up on chain
    (never re-signed) and settled payments without their job get it."""
    assert svc.gateway is not None
    await svc.gateway.start()
    # links in the webhooks of jobs recreated here use the public URL (no request to take an origin from)
    report = await svc.gateway.reconcile(job_creator(svc.jobs, svc.settings.public_url or ""))
    if any(report.values()):
        log.info("payments reconciled at start-up: %s", report)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        svc = build_services(settings)
        app.state.services = svc
        await svc.runner.start()
        svc.webhooks = WebhookDispatcher(svc.db, settings, webhook_renderer(svc))
        svc.webhooks.start()
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
            await svc.runner.stop()
            svc.db.close()

    routes = [
        Route("/api/forge", forge.submit, methods=["POST"]),
        Route("/api/forge", forge.query, methods=["GET"]),
        Route("/files/{job_id}/{name}", files.download, methods=["GET", "HEAD"]),
        Route("/api/forge-upload", upload.create_slot, methods=["POST"]),
        Route("/api/forge-upload/{upload_id}", upload.receive, methods=["PUT"]),
        Route("/uploads/{name}", upload.serve, methods=["GET", "HEAD"]),
        Route("/api/forge/retopo", retopo.submit, methods=["POST"]),
        Route("/api/x402/forge/retopo", retopo.paid_submit, methods=["POST"]),
        Route("/api/x402/forge", x402.paid_submit, methods=["POST"]),
        Route("/api/x402/forge", x402.price_list, methods=["GET"]),
        Route("/.well-known/x402.json", x402.manifest, methods=["GET"]),
        Route("/.well-known/x402", x402.manifest, methods=["GET"]),
        Route("/healthz", health.healthz, methods=["GET"]),
        Route("/", site.page, methods=["GET", "HEAD"]),
        Route("/studio/{name}", site.asset, methods=["GET", "HEAD"]),
    ]
    return Starlette(routes=routes, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)


def app_from_environment() -> Starlette:
    """Factory for `uvicorn --factory app.application:app_from_environment` (settings from FORGE402_*)."""
    return create_app(Settings())
