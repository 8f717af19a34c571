"""Who paid for each paid job, on PostgreSQL (what a charge is: `app.store.sqlite.charges`)."""

from __future__ import annotations

import time
from typing import Any

from app.store.jobs import NewJob
from app.store.postgres import accounts, jobs


async def record(
    conn: Any, job_id: str, address: str, method: str, amount: int, *, network: str | None = None,
    tx: str | None = None, key_id: str | None = None, now: float | None = None,
) -> None:  # fmt: skip
    now = time.time() if now is None else now
    await accounts.ensure(conn, address, now)
    await conn.execute(
        """INSERT INTO job_charges (job_id, address, method, amount, network, tx, key_id, state, created_at)
           VALUES (%s, %s, %s, %s, %s, %s, %s, 'open', %s) ON CONFLICT (job_id) DO NOTHING""",
        (job_id, address, method, amount, network, tx, key_id, now),
    )


async def record_with_job(
    conn: Any, job: NewJob, job_id: str, address: str, method: str, amount: int, *, network: str | None = None,
    tx: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    async with conn.transaction():  # the queue's notification goes out at commit
        await record(conn, job_id, address, method, amount, network=network, tx=tx)
        return await jobs.insert(conn, job, None, job_id)


async def get(conn: Any, job_id: str) -> dict[str, Any] | None:
    cur = await conn.execute("SELECT * FROM job_charges WHERE job_id = %s", (job_id,))
    return await cur.fetchone()


async def jobs_of(conn: Any, address: str, before: tuple[float, str] | None, limit: int) -> list[dict[str, Any]]:
    sql = "SELECT j.* FROM job_charges c JOIN jobs j ON j.id = c.job_id WHERE c.address = %s"
    args: list[Any] = [address]
    if before is not None:
        sql += " AND (c.created_at < %s OR (c.created_at = %s AND c.job_id < %s))"
        args += [before[0], before[0], before[1]]
    cur = await conn.execute(sql + " ORDER BY c.created_at DESC, c.job_id DESC LIMIT %s", (*args, limit))
    return list(await cur.fetchall())


async def open_and_finished(conn: Any, orphaned_before: float, limit: int = 100) -> list[dict[str, Any]]:
    cur = await conn.execute(
        """SELECT c.*, j.status AS job_status, j.error_code AS job_error FROM job_charges c
           LEFT JOIN jobs j ON j.id = c.job_id
           WHERE c.state = 'open' AND (j.status IN ('done', 'failed') OR (j.id IS NULL AND c.created_at < %s))
           ORDER BY c.created_at LIMIT %s""",
        (orphaned_before, limit),
    )
    return list(await cur.fetchall())


async def close(conn: Any, job_id: str, state: str) -> bool:
    assert state in ("kept", "refunded")
    cur = await conn.execute(
        "UPDATE job_charges SET state = %s WHERE job_id = %s AND state = 'open'", (state, job_id)
    )
    return cur.rowcount == 1
