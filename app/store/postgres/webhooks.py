"""Webhook records on PostgreSQL: one row per job that asked for one, leased to the sender working on it (due ones
are claimed with SKIP LOCKED, so senders on several nodes never take the same), and one row per attempt."""

from __future__ import annotations

import time
from typing import Any

Row = dict[str, Any]


async def register(conn: Any, job_id: str, url: str, base_url: str) -> None:
    await conn.execute(
        "INSERT INTO webhooks (job_id, url, base_url, state) VALUES (%s, %s, %s, 'pending') ON CONFLICT DO NOTHING",
        (job_id, url, base_url),
    )


async def of_job(conn: Any, job_id: str) -> tuple[Row | None, list[Row]]:
    cur = await conn.execute("SELECT * FROM webhooks WHERE job_id = %s", (job_id,))
    hook = await cur.fetchone()
    if hook is None:
        return None, []
    cur = await conn.execute("SELECT * FROM webhook_deliveries WHERE job_id = %s ORDER BY id", (job_id,))
    return hook, list(await cur.fetchall())


async def claim_due(conn: Any, owner: str, lease_s: float) -> list[Row]:
    now = time.time()
    cur = await conn.execute(
        """WITH due AS (
            SELECT w.job_id FROM webhooks w JOIN jobs j ON j.id = w.job_id
            WHERE j.status IN ('done', 'failed')
              AND (w.state = 'pending' OR (w.state = 'sending' AND w.lease_expires_at < %(now)s))
            LIMIT 50 FOR UPDATE OF w SKIP LOCKED)
        UPDATE webhooks w SET state = 'sending', owner = %(owner)s, lease_expires_at = %(until)s
        FROM due, jobs j WHERE w.job_id = due.job_id AND j.id = w.job_id
        RETURNING w.*, j.status AS job_status""",
        {"now": now, "owner": owner, "until": now + lease_s},
    )
    return list(await cur.fetchall())


async def record_delivery(
    conn: Any, job_id: str, event: str, attempt: int, status: int | None, error: str | None, ms: int
) -> None:
    await conn.execute(
        "INSERT INTO webhook_deliveries (job_id, event, attempt, at, status_code, error, duration_ms)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (job_id, event, attempt, time.time(), status, error, ms),
    )


async def settle(conn: Any, job_id: str, owner: str, state: str) -> None:
    await conn.execute(
        "UPDATE webhooks SET state = %s, lease_expires_at = NULL WHERE job_id = %s AND owner = %s",
        (state, job_id, owner),
    )
