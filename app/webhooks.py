"""Webhooks: when a job that asked for one finishes, POST its JSON to the caller's URL, signed, with retries.

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
import hashlib
import hmac
import json
import logging
import secrets
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from app.config import Settings
from app.database import Database, transaction
from app.errors import bad_request
from app.jobs import store
from app.safefetch import FetchPolicy, FetchRefused, check_public, pinned_client, policy_for

log = logging.getLogger("forge402.webhooks")

EVENTS = {"done": "generation.completed", "failed": "generation.failed"}
SIGNATURE_HEADER = "X-Forge-Signature"
SCAN_INTERVAL_S = 0.25
Render = Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]  # (job row, base URL) → the job's JSON


def signature(key: bytes, delivery_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(key, f"{delivery_id}.{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(key: bytes, delivery_id: str, header: str, body: bytes, tolerance_s: int = 300) -> bool:
    """What a receiver does (also used by tests): recompute the MAC and check the timestamp is fresh."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    if not parts.get("t", "").isdigit() or abs(time.time() - int(parts["t"])) > tolerance_s:
        return False
    return hmac.compare_digest(signature(key, delivery_id, int(parts["t"]), body), header)


def webhook_policy(settings: Settings) -> FetchPolicy:
    return policy_for(settings, timeout_s=settings.webhook_timeout_seconds)


async def check_webhook_url(url: str | None, settings: Settings) -> None:
    """At submit time: a 400 naming the problem unless the URL is a public https endpoint."""
    if url is None:
        return
    try:
        await check_public(url, webhook_policy(settings))
    except FetchRefused as exc:
        raise bad_request("webhook_url_forbidden", f"webhook_url is refused: {exc}.") from None


# ---- records -------------------------------------------------------------------------------------------------
def register(conn: sqlite3.Connection, job_id: str, url: str, base_url: str) -> None:
    conn.execute(
        "INSERT INTO webhooks (job_id, url, base_url, state) VALUES (?, ?, ?, 'pending') ON CONFLICT DO NOTHING",
        (job_id, url, base_url),
    )


def of_job(conn: sqlite3.Connection, job_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    hook = conn.execute("SELECT * FROM webhooks WHERE job_id = ?", (job_id,)).fetchone()
    if hook is None:
        return None, []
    rows = conn.execute("SELECT * FROM webhook_deliveries WHERE job_id = ? ORDER BY id", (job_id,)).fetchall()
    return dict(hook), [dict(r) for r in rows]


def _claim(conn: sqlite3.Connection, owner: str, lease_s: float) -> list[dict[str, Any]]:
    now = time.time()
    with transaction(conn):
        rows = conn.execute(
            """SELECT w.job_id FROM webhooks w JOIN jobs j ON j.id = w.job_id
            WHERE j.status IN ('done', 'failed')
              AND (w.state = 'pending' OR (w.state = 'sending' AND w.lease_expires_at < ?)) LIMIT 50""",
            (now,),
        ).fetchall()
        ids = [r[0] for r in rows]
        for job_id in ids:
            conn.execute(
                "UPDATE webhooks SET state = 'sending', owner = ?, lease_expires_at = ? WHERE job_id = ?",
                (owner, now + lease_s, job_id),
            )
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [
            dict(r)
            for r in conn.execute(
                f"SELECT w.*, j.status AS job_status FROM webhooks w JOIN jobs j ON j.id = w.job_id"
                f" WHERE w.job_id IN ({marks})",
                ids,
            )
        ]


def _record(
    conn: sqlite3.Connection, job_id: str, event: str, attempt: int, status: int | None, error: str | None, ms: int
) -> None:
    conn.execute(
        "INSERT INTO webhook_deliveries (job_id, event, attempt, at, status_code, error, duration_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (job_id, event, attempt, time.time(), status, error, ms),
    )


def _settle(conn: sqlite3.Connection, job_id: str, owner: str, state: str) -> None:
    conn.execute(
        "UPDATE webhooks SET state = ?, lease_expires_at = NULL WHERE job_id = ? AND owner = ?", (state, job_id, owner)
    )


# ---- sending -------------------------------------------------------------------------------------------------
class WebhookDispatcher:
    def __init__(self, db: Database, settings: Settings, render: Render) -> None:
        self.db = db
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
                for hook in await self.db.run(_claim, self.owner, self.lease_seconds()):
                    task = asyncio.create_task(self._deliver(hook))
                    self._sending.add(task)
                    task.add_done_callback(self._sending.discard)
            except Exception:
                log.exception("webhook scan failed")
            await asyncio.sleep(SCAN_INTERVAL_S)

    async def _deliver(self, hook: dict[str, Any]) -> None:
        job_id, event = hook["job_id"], EVENTS[hook["job_status"]]
        row = await self.db.run(store.get, job_id)
        assert row is not None  # jobs are never deleted
        body = json.dumps(await self.render(row, hook["base_url"]), separators=(",", ":")).encode()
        delivered = False
        for attempt, delay in enumerate([0.0, *self.delays], start=1):
            await asyncio.sleep(delay)
            status, error, ms = await self._post(hook["url"], job_id, event, body)
            await self.db.run(_record, job_id, event, attempt, status, error, ms)
            if status is not None and 200 <= status < 300:
                delivered = True
                break
        await self.db.run(_settle, job_id, self.owner, "delivered" if delivered else "failed")

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
