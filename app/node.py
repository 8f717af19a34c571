"""What one node runs, with or without HTTP: the store, the job runner (engine slots, or none on an API-only node),
webhook deliveries, the paid lane's gateway, the refund keeper, the retention sweep, and the metrics on their own
address when one is configured (a `forge402 worker` has no other way to show its engine times). `forge402 serve`
runs it under the ASGI app's lifespan (`app.application`), `forge402 worker` on its own; `migrate` brings the
database's schema up to date first, once, before any worker process starts.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from app.config import Settings
from app.http.links import Links
from app.http.metrics_listener import MetricsListener
from app.http.views import webhook_body
from app.paid.gateway import build_gateway
from app.paid.handoff import fulfiller
from app.paid.refund_sender import build_refund_sender
from app.services.container import Services, build_services
from app.services.refunds import Refunds
from app.store import open_store
from app.store.blobs import BlobStoreUnavailable
from app.webhooks.dispatcher import WebhookDispatcher
from payments.ledger.migrations import Applied

log = logging.getLogger("forge402")


def webhook_renderer(svc: Services) -> Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]:
    """A job's webhook body: its poll view, with links on the public URL, else the origin stored with the webhook."""

    async def render(row: dict[str, Any], base_url: str) -> dict[str, Any]:
        record = await svc.store.records.extras(row)
        origin = svc.settings.public_url or base_url or "http://localhost"
        return webhook_body(Links(origin, svc.signer), record)

    return render


async def start_paid_lane(svc: Services) -> None:
    """Connect to the chain, then finish what a crash interrupted: settlements in flight are looked up on chain
    (never re-signed) and settled payments without their job get it. From then on the gateway keeps finishing what
    a dead peer leaves."""
    assert svc.gateway is not None
    await svc.gateway.start()
    # links in the webhooks of jobs recreated here use the public URL (no request to take an origin from)
    fulfil = fulfiller(svc, svc.settings.public_url or "")
    report = await svc.gateway.reconcile(fulfil)
    if any(report.values()):
        log.info("payments reconciled at start-up: %s", report)
    svc.gateway.keep_reconciling(fulfil)


@dataclass
class Node:
    services: Services
    metrics_listener: MetricsListener | None = None  # /metrics on FORGE402_METRICS_LISTEN


async def check_file_store(svc: Services) -> None:
    """A store that refuses us (a missing bucket) stops the start (`forge402 serve` and `worker` check it first); one
    that does not answer yet is only logged (file reads answer 503 until it does)."""
    try:
        await svc.files.blobs.check()
    except BlobStoreUnavailable as exc:
        log.warning("file storage (%s) is unreachable at start: %s", svc.files.spec.describe(), exc.detail)


async def start_node(
    settings: Settings, *, engine_slots: int | None = None, webhooks: bool = True, paid: bool = True
) -> Node:
    """Open the store (its schema migrated, or SchemaTooNew), start the runner, webhook deliveries, the paid lane
    (`paid`, when configured), the refund keeper, the retention sweep and the metrics address as asked.
    `engine_slots=0`: this node builds nothing (an API node: `serve --no-engine`)."""
    store = open_store(settings.database, settings.data_dir)
    gateway = build_gateway(settings, store.ledger()) if paid else None
    svc = build_services(settings, store, gateway, engine_slots)
    await svc.store.open()
    await check_file_store(svc)
    await svc.runner.start()
    if webhooks:
        svc.webhooks = WebhookDispatcher(svc.store, settings, webhook_renderer(svc))
        svc.webhooks.start()
    if svc.retention is not None:
        svc.retention.start()
    if svc.gateway is not None:
        await start_paid_lane(svc)
    ledger = svc.gateway.ledger if svc.gateway is not None else None  # opened by the paid lane's start
    svc.refunds = Refunds(svc.store, settings, build_refund_sender(settings, ledger))
    svc.refunds.start()
    node = Node(svc)
    if settings.metrics_address is not None and svc.metrics is not None:
        node.metrics_listener = MetricsListener(svc.metrics, settings.metrics_address)
        node.metrics_listener.start()
    return node


async def stop_node(node: Node, drain: bool = True) -> None:
    """Stop taking work; with `drain`, running jobs may finish (up to `drain_seconds`) before the rest is released."""
    svc = node.services
    if svc.refunds is not None:  # first: an on-chain refund in flight signs with the gateway's ledger
        await svc.refunds.stop()
    if node.metrics_listener is not None:
        await node.metrics_listener.stop()
    if svc.retention is not None:
        await svc.retention.stop()
    if svc.gateway is not None:
        await svc.gateway.close()
    await svc.runner.stop(drain=drain)
    if svc.webhooks is not None:
        await svc.webhooks.stop()
    await svc.store.close()


async def migrate(settings: Settings) -> list[Applied]:
    """Bring the store's and the ledger's schemas to this release's (SchemaTooNew when the database is newer)."""
    store = open_store(settings.database, settings.data_dir)
    ledger = store.ledger()
    try:
        await store.open()
        await ledger.open()
        applied = [store.applied, ledger.applied]
    finally:
        await ledger.close()
        await store.close()
    return applied
