"""Job records on PostgreSQL: the operations of `app.store.seam.JobStore`.

A claim is one statement: the oldest queued row is locked with `FOR UPDATE SKIP LOCKED` (workers claiming at once
each take a different row, none waits on another) and leased in the same UPDATE. Whatever queues a job notifies
`forge402_jobs`, and a job that ends notifies `forge402_done` with its id, in the same transaction: idle workers and
callers waiting on a job wake on the notification instead of polling.
"""

from __future__ import annotations

import json
import time
from typing import Any

from app.store.jobs import ACTIVE, FINISHED, QUEUED, RESTARTED_NOTE, STATES, NewJob, lost, new_row, worker_lost_message

Row = dict[str, Any]
_CLAIM_SET = (
    "status = 'running', step = 'image', progress = 0, attempts = attempts + 1, "
    "started_at = coalesce(started_at, %(now)s), lease_owner = %(owner)s, lease_expires_at = %(until)s"
)
_APPEND_NOTE = "notes_json = (coalesce(notes_json, '[]')::jsonb || jsonb_build_array(%(note)s::text))::text"


async def _one(conn: Any, sql: str, args: Any = ()) -> Row | None:
    cur = await conn.execute(sql, args)
    return await cur.fetchone()


async def _queued(conn: Any) -> None:
    await conn.execute(f"NOTIFY {QUEUED}")


async def _ended(conn: Any, job_id: str) -> None:
    await conn.execute("SELECT pg_notify(%s, %s)", (FINISHED, job_id))


async def _insert(conn: Any, job: NewJob, now: float | None, job_id: str | None, notify: bool = False) -> Row:
    """Insert the job (the queue notified in the same statement when `notify`), or return the existing one."""
    row = new_row(job, now, job_id)
    columns = ", ".join(row)
    marks = ", ".join(f"%({k})s" for k in row)
    insert = f"INSERT INTO jobs ({columns}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING RETURNING *"
    if notify:
        insert = f"WITH new AS ({insert}) SELECT new.*, pg_notify('{QUEUED}', '') FROM new"
    inserted = await _one(conn, insert, row)
    if inserted is None:
        existing = await get(conn, row["id"])
        assert existing is not None
        return existing
    inserted.pop("pg_notify", None)
    return inserted


async def insert(conn: Any, job: NewJob, now: float | None = None, job_id: str | None = None) -> Row:
    return await _insert(conn, job, now, job_id, notify=True)  # one statement: no transaction to open


async def get(conn: Any, job_id: str) -> Row | None:
    return await _one(conn, "SELECT * FROM jobs WHERE id = %s", (job_id,))


async def count_active(conn: Any) -> dict[str, int]:
    cur = await conn.execute(
        "SELECT status, count(*) AS n FROM jobs WHERE status IN ('queued', 'running') GROUP BY status"
    )
    counts = dict.fromkeys(ACTIVE, 0)
    for row in await cur.fetchall():
        counts[row["status"]] = row["n"]
    return counts


async def count_by_status(conn: Any) -> dict[str, int]:
    """Jobs in each state (queued, running, done, failed), for the metrics."""
    cur = await conn.execute("SELECT status, count(*) AS n FROM jobs GROUP BY status")
    counts = dict.fromkeys(STATES, 0)
    for row in await cur.fetchall():
        counts[row["status"]] = row["n"]
    return counts


async def oldest_queued_at(conn: Any) -> float | None:
    """When the job waiting longest in the queue was submitted (None: the queue is empty)."""
    row = await _one(conn, "SELECT min(submitted_at) AS oldest FROM jobs WHERE status = 'queued'")
    return row["oldest"] if row else None


async def claim_next(conn: Any, owner: str, lease_seconds: float, free_ok: bool = True) -> Row | None:
    """Paid jobs before free ones, each class first come first served; only paid ones unless `free_ok`."""
    now = time.time()
    return await _one(
        conn,
        f"UPDATE jobs SET {_CLAIM_SET} WHERE id = (SELECT id FROM jobs WHERE status = 'queued' "
        "AND (%(free_ok)s OR lane <> 'free') ORDER BY lane = 'free', submitted_at, id LIMIT 1 "
        "FOR UPDATE SKIP LOCKED) RETURNING *",
        {"now": now, "owner": owner, "until": now + lease_seconds, "free_ok": free_ok},
    )


async def queue_by_lane(conn: Any) -> dict[str, tuple[int, int]]:
    """Queued jobs per class ('free', 'paid'): how many, and the sum of their estimated build seconds."""
    cur = await conn.execute(
        "SELECT CASE lane WHEN 'free' THEN 'free' ELSE 'paid' END AS lane, count(*) AS n, "
        "coalesce(sum(eta_seconds), 0) AS seconds FROM jobs WHERE status = 'queued' GROUP BY 1"
    )
    queue = {"free": (0, 0), "paid": (0, 0)}
    for row in await cur.fetchall():
        queue[row["lane"]] = (row["n"], int(row["seconds"]))
    return queue


PROGRESS = (
    "UPDATE jobs SET step = %s, progress = greatest(progress, %s) WHERE id = %s AND status = 'running' "
    "AND lease_owner = %s"
)


def progress_args(job_id: str, owner: str, step: str, progress: int) -> tuple[Any, ...]:
    return (step, min(max(progress, 0), 99), job_id, owner)


async def report_progress(conn: Any, job_id: str, owner: str, step: str, progress: int) -> None:
    await conn.execute(PROGRESS, progress_args(job_id, owner, step, progress))


async def renew_leases(conn: Any, owner: str, lease_seconds: float) -> None:
    await conn.execute(
        "UPDATE jobs SET lease_expires_at = %s WHERE status = 'running' AND lease_owner = %s",
        (time.time() + lease_seconds, owner),
    )


async def finish(conn: Any, job_id: str, owner: str, recipe: str, faces: int, notes: list[str]) -> bool:
    async with conn.transaction():
        cur = await conn.execute(
            """UPDATE jobs SET status = 'done', step = 'finish', progress = 100, recipe = %s, faces = %s,
                notes_json = (coalesce(notes_json, '[]')::jsonb || %s::jsonb)::text, finished_at = %s,
                lease_owner = NULL, lease_expires_at = NULL, eta_seconds = 0
            WHERE id = %s AND status = 'running' AND lease_owner = %s""",  # the engine's notes follow the job's
            (recipe, faces, json.dumps(notes), time.time(), job_id, owner),
        )
        if cur.rowcount == 1:
            await _ended(conn, job_id)
        return cur.rowcount == 1


async def fail(conn: Any, job_id: str, code: str, message: str, owner: str | None = None) -> bool:
    sql = """UPDATE jobs SET status = 'failed', error_code = %s, error_message = %s, finished_at = %s,
            lease_owner = NULL, lease_expires_at = NULL, eta_seconds = NULL
        WHERE id = %s AND status IN ('queued', 'running')"""
    args: tuple[Any, ...] = (code, message, time.time(), job_id)
    if owner is not None:
        sql += " AND lease_owner = %s"
        args += (owner,)
    async with conn.transaction():
        cur = await conn.execute(sql, args)
        if cur.rowcount == 1:
            await _ended(conn, job_id)
        return cur.rowcount == 1


async def _retry_or_fail(conn: Any, job_id: str, attempts: int, max_attempts: int, now: float) -> str:
    if attempts < max_attempts:
        await conn.execute(
            "UPDATE jobs SET status = 'queued', step = NULL, progress = 0, lease_owner = NULL, "
            f"lease_expires_at = NULL, {_APPEND_NOTE} WHERE id = %(id)s",
            {"note": RESTARTED_NOTE, "id": job_id},
        )
        await _queued(conn)
        return "requeued"
    await conn.execute(
        """UPDATE jobs SET status = 'failed', error_code = 'worker_lost', error_message = %s, finished_at = %s,
            lease_owner = NULL, lease_expires_at = NULL, eta_seconds = NULL WHERE id = %s""",
        (worker_lost_message(attempts), now, job_id),
    )
    await _ended(conn, job_id)
    return "failed"


async def retry(conn: Any, job_id: str, owner: str, max_attempts: int) -> str | None:
    async with conn.transaction():
        row = await _one(
            conn,
            "SELECT attempts FROM jobs WHERE id = %s AND status = 'running' AND lease_owner = %s FOR UPDATE",
            (job_id, owner),
        )
        if row is None:
            return None
        return await _retry_or_fail(conn, job_id, row["attempts"], max_attempts, time.time())


async def recover_lost(conn: Any, live_owner: str, max_attempts: int) -> list[tuple[str, str]]:
    """Running jobs whose worker is gone, locked with SKIP LOCKED: a peer recovering at the same moment takes others."""
    now = time.time()
    outcomes: list[tuple[str, str]] = []
    async with conn.transaction():
        cur = await conn.execute(
            "SELECT id, attempts, lease_owner, lease_expires_at FROM jobs WHERE status = 'running' "
            "AND (lease_expires_at IS NULL OR lease_expires_at < %s OR lease_owner LIKE %s) FOR UPDATE SKIP LOCKED",
            (now, _this_host_pattern(live_owner)),
        )
        for row in await cur.fetchall():
            if lost(row, now, live_owner):
                outcomes.append((row["id"], await _retry_or_fail(conn, row["id"], row["attempts"], max_attempts, now)))
    return outcomes


def _this_host_pattern(live_owner: str) -> str:
    """Owners on this host (whose death is seen at once, not only when their lease runs out)."""
    host = live_owner.split(":", 1)[0].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return host + ":%"


async def release_owned(conn: Any, owner: str) -> None:
    async with conn.transaction():
        cur = await conn.execute(
            "UPDATE jobs SET status = 'queued', step = NULL, progress = 0, attempts = greatest(attempts - 1, 0), "
            "lease_owner = NULL, lease_expires_at = NULL WHERE status = 'running' AND lease_owner = %s",
            (owner,),
        )
        if cur.rowcount:
            await _queued(conn)


async def insert_claimed(conn: Any, job: NewJob, owner: str, lease_seconds: float, job_id: str | None = None) -> Row:
    async with conn.transaction():
        row = await _insert(conn, job, None, job_id)
        if row["status"] != "queued" or row.get("lease_owner"):
            return row
        now = time.time()
        claimed = await _one(
            conn,
            f"UPDATE jobs SET {_CLAIM_SET} WHERE id = %(id)s AND status = 'queued' RETURNING *",
            {"now": now, "owner": owner, "until": now + lease_seconds, "id": row["id"]},
        )
        return claimed or row


async def fall_back_to_local(conn: Any, job_id: str, owner: str, note: str) -> bool:
    async with conn.transaction():
        cur = await conn.execute(
            "UPDATE jobs SET backend = 'local', status = 'queued', step = NULL, progress = 0, lease_owner = NULL, "
            f"lease_expires_at = NULL, {_APPEND_NOTE} "
            "WHERE id = %(id)s AND status = 'running' AND lease_owner = %(owner)s",
            {"note": note, "id": job_id, "owner": owner},
        )
        if cur.rowcount == 1:
            await _queued(conn)
        return cur.rowcount == 1


async def add_note(conn: Any, job_id: str, note: str) -> None:
    await conn.execute(f"UPDATE jobs SET {_APPEND_NOTE} WHERE id = %(id)s", {"note": note, "id": job_id})
