"""Webhook records: one row per job that asked for one (pending → sending → delivered | failed, leased to the
sender working on it) and one row per delivery attempt."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from app.store.sqlite.database import transaction


def register(conn: sqlite3.Connection, job_id: str, url: str, base_url: str) -> None:
    """Idempotent: a job has at most one webhook (a retried hand-over registers nothing new)."""
    conn.execute(
        "INSERT INTO webhooks (job_id, url, base_url, state) VALUES (?, ?, ?, 'pending') ON CONFLICT DO NOTHING",
        (job_id, url, base_url),
    )


def of_job(conn: sqlite3.Connection, job_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The job's webhook and its delivery attempts, oldest first."""
    hook = conn.execute("SELECT * FROM webhooks WHERE job_id = ?", (job_id,)).fetchone()
    if hook is None:
        return None, []
    rows = conn.execute("SELECT * FROM webhook_deliveries WHERE job_id = ? ORDER BY id", (job_id,)).fetchall()
    return dict(hook), [dict(r) for r in rows]


def claim_due(conn: sqlite3.Connection, owner: str, lease_s: float) -> list[dict[str, Any]]:
    """Lease to `owner` the webhooks of finished jobs that are pending (or whose sender's lease ran out)."""
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


def record_delivery(
    conn: sqlite3.Connection, job_id: str, event: str, attempt: int, status: int | None, error: str | None, ms: int
) -> None:
    conn.execute(
        "INSERT INTO webhook_deliveries (job_id, event, attempt, at, status_code, error, duration_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (job_id, event, attempt, time.time(), status, error, ms),
    )


def settle(conn: sqlite3.Connection, job_id: str, owner: str, state: str) -> None:
    conn.execute(
        "UPDATE webhooks SET state = ?, lease_expires_at = NULL WHERE job_id = ? AND owner = ?", (state, job_id, owner)
    )
