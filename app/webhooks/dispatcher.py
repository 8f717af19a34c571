"""Sending webhooks: when a job that asked for one finishes, POST its JSON to the caller's URL, signed, with retries.

    POST <webhook_url>
    X-Forge-Event: generation.completed | generation.failed
    X-Forge-Delivery: <job_id>
    X-Forge-Timestamp: <unix seconds>
    X-Forge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<job_id>.<timestamp>.<body>">
    body: the job, exactly as GET /api/forge?job=<job_id> shows it

The URL is checked when the job is submitted and again by every attempt, which goes through `app.safefetch`'s
pinned transport (public hosts only, https; `FORGE402_FETCH_ALLOW_HOSTS` admits named private hosts in
development) and follows no redirect. One attempt, then up to 3 retries after 1 s, 5 s, 15 s (configurable); every
attempt is recorded and shown on the job. Deliveries are claimed through the database (any worker process may send
one, a sender that died is replaced after its lease) and never change the job itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from app.config import Settings
from app.safefetch import FetchRefused, pinned_client
from app.store.seam import Store
from app.webhooks.signature import SIGNATURE_HEADER, signature
from app.webhooks.target import webhook_policy

log = logging.getLogger("forge402.webhooks")

EVENTS = {"done": "generation.completed", "failed": "generation.failed"}
SCAN_INTERVAL_S = 0.25
Render = Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]  # (job row, base URL) → the job's JSON


class WebhookDispatcher:
    def __init__(self, store: Store, settings: Settings, render: Render) -> None:
        self.store = store
        self.settings = settings
        self.render = render
        self.key = settings.webhook_key()
        self.owner = "webhooks:" + secrets.token_hex(6)
        self.delays = list(settings.webhook_retry_seconds)
        self._loop_task: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()

    def lease_seconds(self) -> float:
        return sum(self.delays) + (len(self.delays) + 1) * self.settings.webhook_timeout_seconds + 30

    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._scan(), name="webhooks")

    async def stop(self) -> None:
        tasks = [t for t in (self._loop_task, *self._sending) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _scan(self) -> None:
        while True:
            try:
                for hook in await self.store.webhooks.claim_due(self.owner, self.lease_seconds()):
                    task = asyncio.create_task(self._deliver(hook))
                    self._sending.add(task)
                    task.add_done_callback(self._sending.discard)
            except Exception:
                log.exception("webhook scan failed")
            await asyncio.sleep(SCAN_INTERVAL_S)

    async def _deliver(self, hook: dict[str, Any]) -> None:
        job_id, event = hook["job_id"], EVENTS[hook["job_status"]]
        row = await self.store.jobs.get(job_id)
        assert row is not None  # jobs are never deleted
        body = json.dumps(await self.render(row, hook["base_url"]), separators=(",", ":")).encode()
        delivered = False
        for attempt, delay in enumerate([0.0, *self.delays], start=1):
            await asyncio.sleep(delay)
            status, error, ms = await self._post(hook["url"], job_id, event, body)
            await self.store.webhooks.record_delivery(job_id, event, attempt, status, error, ms)
            if status is not None and 200 <= status < 300:
                delivered = True
                break
        await self.store.webhooks.settle(job_id, self.owner, "delivered" if delivered else "failed")

    async def _post(self, url: str, job_id: str, event: str, body: bytes) -> tuple[int | None, str | None, int]:
        started = time.monotonic()
        try:
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "X-Forge-Event": event,
                "X-Forge-Delivery": job_id,
                "X-Forge-Timestamp": str(timestamp),
                SIGNATURE_HEADER: signature(self.key, job_id, timestamp, body),
            }
            async with pinned_client(webhook_policy(self.settings)) as client:  # checks the URL and its address
                answer = await client.post(url, content=body, headers=headers)
            status, error = answer.status_code, None if answer.is_success else f"HTTP {answer.status_code}"
        except FetchRefused as exc:
            status, error = None, str(exc)
        except httpx.TimeoutException:
            status, error = None, f"no answer within {self.settings.webhook_timeout_seconds:g} s"
        except httpx.HTTPError as exc:
            status, error = None, f"could not connect ({type(exc).__name__})"
        except Exception as exc:  # anything else: recorded, never raised
            status, error = None, f"delivery failed ({type(exc).__name__})"
        return status, error, round((time.monotonic() - started) * 1000)
