"""The provider's task id per job (provider backends), saved as soon as the provider accepts a task: a restart
resumes polling it instead of paying the provider twice."""

from __future__ import annotations

import sqlite3
import time


def get(conn: sqlite3.Connection, job_id: str) -> str | None:
    row = conn.execute("SELECT task_id FROM provider_tasks WHERE job_id = ?", (job_id,)).fetchone()
    return row[0] if row else None


def save(conn: sqlite3.Connection, job_id: str, backend: str, provider_task: str) -> None:
    conn.execute(
        "INSERT INTO provider_tasks (job_id, backend, task_id, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (job_id) DO UPDATE SET backend = excluded.backend, task_id = excluded.task_id,"
        " created_at = excluded.created_at",
        (job_id, backend, provider_task, time.time()),
    )


def forget(conn: sqlite3.Connection, job_id: str) -> None:
    conn.execute("DELETE FROM provider_tasks WHERE job_id = ?", (job_id,))
