"""The service's long-lived parts, built once at start-up and reached by routes as `request.app.state.services`."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from app.clientip import Network, client_ip
from app.config import Settings
from app.database import Database
from app.jobs.runner import JobRunner
from app.jobs.service import Jobs
from app.ratelimit import Decision, RateLimiter
from app.signing import UrlSigner
from app.storage import FileStore
from app.uploads import Uploads
from app.webhooks import WebhookDispatcher
from payments.gateway import Offer, PaymentGateway


@dataclass
class Services:
    settings: Settings
    db: Database
    runner: JobRunner
    jobs: Jobs
    limiter: RateLimiter
    signer: UrlSigner
    files: FileStore
    trusted_proxies: list[Network]
    gateway: PaymentGateway | None = None  # the paid lane; None when it is not configured
    uploads: Uploads | None = None  # upload slots and stored images (photo→3D)
    offers: dict[str, dict[str, Offer]] = field(default_factory=dict)  # origin → tier → offer
    retopo_offers: dict[str, Offer] = field(default_factory=dict)  # origin → the retopology offer
    webhooks: WebhookDispatcher | None = None  # built once the services exist (it renders job views)

    def client_address(self, request: Request) -> str:
        """The client's address, as rate limits (and the paid lane's failure limit) count it."""
        return client_ip(request, self.trusted_proxies)

    async def limit(self, request: Request, bucket: str, what: str) -> Decision | None:
        """Count the request against `bucket`; raise the 429 when over. Returns the decision for headers."""
        decision = await self.limiter.hit(bucket, self.client_address(request))
        if decision is not None and not decision.allowed:
            raise decision.error(what, self.limiter.window)
        return decision

    def absolute(self, request: Request, path: str) -> str:
        base = self.settings.public_url or str(request.base_url)
        return base.rstrip("/") + path

    def file_url(self, request: Request, job_id: str, name: str) -> str:
        """A freshly signed, absolute link to one of a job's stored files."""
        return self.absolute(request, self.signer.sign(f"/files/{job_id}/{name}"))


def services(request: Request) -> Services:
    return request.app.state.services
