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
from app.ratelimit import RateLimiter
from app.routes import files, forge, health
from app.services import Services
from app.signing import UrlSigner
from app.storage import FileStore

log = logging.getLogger("forge402")


def build_services(settings: Settings) -> Services:
    create_schema(settings.database_path)
    settings.files_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_path)
    runner = JobRunner(db, settings)
    return Services(
        settings=settings,
        db=db,
        runner=runner,
        jobs=Jobs(db, runner),
        limiter=RateLimiter(
            db,
            {"generate": settings.rate_limit_generate, "poll": settings.rate_limit_poll},
            settings.rate_limit_window_seconds,
        ),
        signer=UrlSigner(settings.signing_key(), settings.file_url_ttl_seconds),
        files=FileStore(settings.files_dir),
        trusted_proxies=parse_networks(settings.trusted_proxies),
    )


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        svc = build_services(settings)
        app.state.services = svc
        await svc.runner.start()
        log.info("forge402 ready: data in %s, %d engine workers", settings.data_dir, svc.runner.slots)
        try:
            yield
        finally:
            await svc.runner.stop()
            svc.db.close()

    routes = [
        Route("/api/forge", forge.submit, methods=["POST"]),
        Route("/api/forge", forge.query, methods=["GET"]),
        Route("/files/{job_id}/{name}", files.download, methods=["GET", "HEAD"]),
        Route("/healthz", health.healthz, methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)


def app_from_environment() -> Starlette:
    """Factory for `uvicorn --factory app.application:app_from_environment` (settings from FORGE402_*)."""
    return create_app(Settings())
