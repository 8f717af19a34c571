"""The service's long-lived parts, built once at start-up (`build_services`) and handed to every service function:
the HTTP routes reach them as `request.app.state.services`, other transports the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.config import Settings
from app.jobs.queue import Jobs
from app.jobs.runner import JobRunner
from app.photos.uploads import Uploads
from app.services.limits import RateLimiter
from app.services.metrics import MetricsReader
from app.signing import UrlSigner
from app.store.database import Database
from app.store.files import FileStore, file_store
from app.store.retention import RetentionSweeper
from app.store.schema import create_schema
from app.webhooks.dispatcher import WebhookDispatcher
from payments.gateway import Offer, PaymentGateway


@dataclass
class Services:
    settings: Settings
    db: Database
    files: FileStore
    runner: JobRunner
    jobs: Jobs
    limiter: RateLimiter
    signer: UrlSigner  # file links
    uploads: Uploads  # upload slots and stored images (photo→3D)
    gateway: PaymentGateway | None = None  # the paid lane; None when it is not configured
    offers: dict[str, dict[str, Offer]] = field(default_factory=dict)  # origin → tier → offer
    retopo_offers: dict[str, Offer] = field(default_factory=dict)  # origin → the retopology offer
    webhooks: WebhookDispatcher | None = None  # started with the service (it renders job views)
    retention: RetentionSweeper | None = None  # deletes old files (FORGE402_RETENTION_DAYS)
    metrics: MetricsReader | None = None  # what /metrics reads at scrape time


def build_services(settings: Settings, gateway: PaymentGateway | None = None) -> Services:
    """Everything the services work with; `gateway` is the paid lane's (None: the paid lane is off)."""
    create_schema(settings.database_path)
    files = file_store(settings.blob_spec)
    db = Database(settings.database_path)
    runner = JobRunner(db, settings, files)
    secret = settings.signing_key()  # read (or made) once: file links and upload slots derive from it
    limits = {
        "generate": settings.rate_limit_generate,
        "poll": settings.rate_limit_poll,
        "upload": settings.rate_limit_upload,
    }
    return Services(
        settings=settings,
        db=db,
        files=files,
        runner=runner,
        jobs=Jobs(db, runner, settings),
        limiter=RateLimiter(db, limits, settings.rate_limit_window_seconds),
        signer=UrlSigner(secret, settings.file_url_ttl_seconds),
        uploads=Uploads(db, files, secret, settings),
        gateway=gateway,
        retention=RetentionSweeper(files, settings.retention_days),
        metrics=MetricsReader(db, settings, gateway),
    )
