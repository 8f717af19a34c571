"""The service's long-lived parts, built once at start-up (`build_services`; `app.node.start_node` opens them) and
handed to every service function: the HTTP routes reach them as `request.app.state.services`, other transports the
same way.
A `forge402 worker` builds the same parts and uses the runner and the webhooks, without HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.config import Settings
from app.jobs.queue import Jobs
from app.jobs.runner import JobRunner
from app.photos.uploads import Uploads
from app.services.limits import RateLimiter
from app.services.metrics import MetricsReader
from app.services.sessions import SessionSigner
from app.signing import UrlSigner
from app.store.files import FileStore, file_store
from app.store.retention import RetentionSweeper
from app.store.seam import Store
from app.webhooks.dispatcher import WebhookDispatcher
from payments.gateway import Offer, PaymentGateway
from payments.siwx import NonceIssuer


@dataclass
class Services:
    settings: Settings
    store: Store
    files: FileStore
    runner: JobRunner
    jobs: Jobs
    limiter: RateLimiter
    signer: UrlSigner  # file links
    uploads: Uploads  # upload slots and stored images (photo→3D)
    nonces: NonceIssuer  # sign-in challenges
    sessions: SessionSigner  # session tokens of signed-in wallets
    gateway: PaymentGateway | None = None  # the paid lane; None when it is not configured
    offers: dict[str, dict[str, Offer]] = field(default_factory=dict)  # origin → tier → offer
    retopo_offers: dict[str, Offer] = field(default_factory=dict)  # origin → the retopology offer
    webhooks: WebhookDispatcher | None = None  # started with the service (it renders job views)
    credit_offers: dict[str, dict[str, Offer]] = field(default_factory=dict)  # origin → bundle → offer
    refunds: Any = None  # the refund keeper (app.services.refunds.Refunds), started with the service
    retention: RetentionSweeper | None = None  # deletes old files (FORGE402_RETENTION_DAYS)
    metrics: MetricsReader | None = None  # what /metrics reads at scrape time


def build_services(
    settings: Settings, store: Store, gateway: PaymentGateway | None = None, engine_slots: int | None = None
) -> Services:
    """Everything the services work with, over `store` (not connected yet: `app.node.start_node` opens it);
    `gateway` is the paid lane's (None: off on this node). `engine_slots`: engine processes of this node's runner
    (default: the configured count; 0: none, `serve --no-engine`)."""
    files = file_store(settings.blob_spec)
    runner = JobRunner(store, settings, files, engine_slots)
    secret, *previous = settings.signing_keys()  # read (or made) once: file links and upload slots derive from it
    limits = {
        "generate": settings.rate_limit_generate,
        "poll": settings.rate_limit_poll,
        "upload": settings.rate_limit_upload,
        "key": settings.rate_limit_key,
    }
    return Services(
        settings=settings,
        store=store,
        files=files,
        runner=runner,
        jobs=Jobs(store, runner, settings),
        limiter=RateLimiter(store.rate_limits, limits, settings.rate_limit_window_seconds),
        signer=UrlSigner(secret, settings.file_url_ttl_seconds, previous),
        uploads=Uploads(store.uploads, files, settings),
        nonces=NonceIssuer(secret, settings.siwx_challenge_seconds, previous),
        sessions=SessionSigner(secret, settings.session_ttl_seconds, previous),
        gateway=gateway,
        retention=RetentionSweeper(files, settings.retention_days),
        metrics=MetricsReader(store.jobs, settings, gateway),
    )
