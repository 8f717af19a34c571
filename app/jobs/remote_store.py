"""Job records for provider backends: the provider's task id per job, queueing a job already claimed by the
process that holds its key, and handing a failed paid job to the embedded engine."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from app.database import transaction
from app.jobs import store


def task_id(conn: sqlite3.Connection, job_id: str) -> str | None:
    row = conn.execute("SELECT task_id FROM provider_tasks WHERE job_id = ?", (job_id,)).fetchone()
    return row[0] if row else None


def save_task(conn: sqlite3.Connection, job_id: str, backend: str, provider_task: str) -> None:
    conn.execute(
        "INSERT INTO provider_tasks (job_id, backend, task_id, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (job_id) DO UPDATE SET backend = excluded.backend, task_id = excluded.task_id,"
        " created_at = excluded.created_at",
        (job_id, backend, provider_task, time.time()),
    )


def forget_task(conn: sqlite3.Connection, job_id: str) -> None:
    conn.execute("DELETE FROM provider_tasks WHERE job_id = ?", (job_id,))


def insert_claimed(
    conn: sqlite3.Connection, job: store.NewJob, owner: str, lease_seconds: float, job_id: str | None = None
) -> dict[str, Any]:
    """Queue `job` and claim it for `owner` in one transaction: a job whose provider key lives in this process's
    memory must never be picked up by another worker process. An existing id is returned as it is."""
    with transaction(conn):
        row = store.insert(conn, job, None, job_id)
        if row["status"] != "queued" or row.get("lease_owner"):
            return row
        now = time.time()
        claimed = conn.execute(
            """UPDATE jobs SET status = 'running', step = 'image', progress = 0, attempts = attempts + 1,
                started_at = coalesce(started_at, ?), lease_owner = ?, lease_expires_at = ?
            WHERE id = ? AND status = 'queued' RETURNING *""",
            (now, owner, now + lease_seconds, row["id"]),
        ).fetchone()
        return dict(claimed) if claimed else row


def fall_back_to_local(conn: sqlite3.Connection, job_id: str, owner: str, note: str) -> bool:
    """A paid job whose provider failed for good: queue it again on the embedded engine, saying so."""
    cur = conn.execute(
        """UPDATE jobs SET backend = 'local', status = 'queued', step = NULL, progress = 0, lease_owner = NULL,
            lease_expires_at = NULL, notes_json = json_insert(notes_json, '$[#]', ?)
        WHERE id = ? AND status = 'running' AND lease_owner = ?""",
        (note, job_id, owner),
    )
    return cur.rowcount == 1


def add_note(conn: sqlite3.Connection, job_id: str, note: str) -> None:
    conn.execute("UPDATE jobs SET notes_json = json_insert(notes_json, '$[#]', ?) WHERE id = ?", (note, job_id))
