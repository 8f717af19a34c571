"""The provider's task id per job on PostgreSQL (a restart, or another node, resumes polling it)."""

from __future__ import annotations

import time
from typing import Any


async def get(conn: Any, job_id: str) -> str | None:
    cur = await conn.execute("SELECT task_id FROM provider_tasks WHERE job_id = %s", (job_id,))
    row = await cur.fetchone()
    return row["task_id"] if row else None


async def save(conn: Any, job_id: str, backend: str, provider_task: str) -> None:
    await conn.execute(
        "INSERT INTO provider_tasks (job_id, backend, task_id, created_at) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (job_id) DO UPDATE SET backend = excluded.backend, task_id = excluded.task_id,"
        " created_at = excluded.created_at",
        (job_id, backend, provider_task, time.time()),
    )


async def forget(conn: Any, job_id: str) -> None:
    await conn.execute("DELETE FROM provider_tasks WHERE job_id = %s", (job_id,))
