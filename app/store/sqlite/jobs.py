"""Job records on SQLite: create, claim, progress, finish, fail, and recovery of jobs lost to a crash.

Each function takes a connection, so the same code serves the event loop (through `Database.run`), the engine
processes (which report progress directly) and the CLI.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from app.store.jobs import ACTIVE, RESTARTED_NOTE, STATES, NewJob, lost, new_row, worker_lost_message
from app.store.sqlite.database import transaction


def insert(
    conn: sqlite3.Connection, job: NewJob, now: float | None = None, job_id: str | None = None
) -> dict[str, Any]:
    """Queue `job`. With a `job_id` chosen beforehand (a paid job's id comes from its payment), inserting the same
    id again is a no-op that returns the existing row, so a retried hand-over never makes a second job."""
    row = new_row(job, now, job_id)
    columns = ", ".join(row)
    placeholders = ", ".join("?" * len(row))
    inserted = conn.execute(
        f"INSERT INTO jobs ({columns}) VALUES ({placeholders}) ON CONFLICT (id) DO NOTHING", tuple(row.values())
    ).rowcount
    if inserted == 0:
        existing = get(conn, row["id"])
        assert existing is not None
        return existing
    return row


def get(conn: sqlite3.Connection, job_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return dict(row) if row else None


def count_active(conn: sqlite3.Connection) -> dict[str, int]:
    counts = {status: 0 for status in ACTIVE}
    for status, n in conn.execute(
        "SELECT status, count(*) FROM jobs WHERE status IN ('queued', 'running') GROUP BY status"
    ):
        counts[status] = n
    return counts


def count_by_status(conn: sqlite3.Connection) -> dict[str, int]:
    """Jobs in each state (queued, running, done, failed), for the metrics."""
    counts = dict.fromkeys(STATES, 0)
    for status, n in conn.execute("SELECT status, count(*) FROM jobs GROUP BY status"):
        counts[status] = n
    return counts


def oldest_queued_at(conn: sqlite3.Connection) -> float | None:
    """When the job waiting longest in the queue was submitted (None: the queue is empty)."""
    return conn.execute("SELECT min(submitted_at) FROM jobs WHERE status = 'queued'").fetchone()[0]


def claim_next(
    conn: sqlite3.Connection, owner: str, lease_seconds: float, free_ok: bool = True
) -> dict[str, Any] | None:
    """Atomically move the next queued job to running, leased to `owner`: paid jobs before free ones, each class
    first come first served; only paid ones unless `free_ok`."""
    now = time.time()
    row = conn.execute(
        """
        UPDATE jobs SET status = 'running', step = 'image', progress = 0, attempts = attempts + 1,
            started_at = coalesce(started_at, ?), lease_owner = ?, lease_expires_at = ?
        WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND (? OR lane <> 'free')
                    ORDER BY lane = 'free', submitted_at, id LIMIT 1)
        RETURNING *
        """,
        (now, owner, now + lease_seconds, free_ok),
    ).fetchone()
    return dict(row) if row else None


def queue_by_lane(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Queued jobs per class ('free', 'paid'): how many, and the sum of their estimated build seconds."""
    queue = {"free": (0, 0), "paid": (0, 0)}
    for lane, n, seconds in conn.execute(
        "SELECT CASE lane WHEN 'free' THEN 'free' ELSE 'paid' END, count(*), coalesce(sum(eta_seconds), 0) "
        "FROM jobs WHERE status = 'queued' GROUP BY 1"
    ):
        queue[lane] = (n, int(seconds))
    return queue


def report_progress(conn: sqlite3.Connection, job_id: str, owner: str, step: str, progress: int) -> None:
    conn.execute(
        "UPDATE jobs SET step = ?, progress = max(progress, ?) WHERE id = ? AND status = 'running' AND lease_owner = ?",
        (step, min(max(progress, 0), 99), job_id, owner),
    )


def renew_leases(conn: sqlite3.Connection, owner: str, lease_seconds: float) -> None:
    conn.execute(
        "UPDATE jobs SET lease_expires_at = ? WHERE status = 'running' AND lease_owner = ?",
        (time.time() + lease_seconds, owner),
    )


def finish(conn: sqlite3.Connection, job_id: str, owner: str, recipe: str, faces: int, notes: list[str]) -> bool:
    cur = conn.execute(
        """
        UPDATE jobs SET status = 'done', step = 'finish', progress = 100, recipe = ?, faces = ?,
            notes_json = (SELECT json_group_array(value) FROM (
                SELECT value FROM json_each(jobs.notes_json) UNION ALL SELECT value FROM json_each(?))),
            finished_at = ?, lease_owner = NULL, lease_expires_at = NULL, eta_seconds = 0
        WHERE id = ? AND status = 'running' AND lease_owner = ?
        """,  # the engine's notes follow the ones the job gathered on the way (e.g. a restart)
        (recipe, faces, json.dumps(notes), time.time(), job_id, owner),
    )
    return cur.rowcount == 1


def fail(conn: sqlite3.Connection, job_id: str, code: str, message: str, owner: str | None = None) -> bool:
    """Fail a job that is still active (and, if `owner` is given, still leased to it)."""
    sql = """
        UPDATE jobs SET status = 'failed', error_code = ?, error_message = ?, finished_at = ?,
            lease_owner = NULL, lease_expires_at = NULL, eta_seconds = NULL
        WHERE id = ? AND status IN ('queued', 'running')
    """
    params: tuple[Any, ...] = (code, message, time.time(), job_id)
    if owner is not None:
        sql += " AND lease_owner = ?"
        params += (owner,)
    return conn.execute(sql, params).rowcount == 1


def _retry_or_fail(conn: sqlite3.Connection, job_id: str, attempts: int, max_attempts: int, now: float) -> str:
    if attempts < max_attempts:
        conn.execute(
            "UPDATE jobs SET status = 'queued', step = NULL, progress = 0, lease_owner = NULL,"
            " lease_expires_at = NULL, notes_json = json_insert(notes_json, '$[#]', ?) WHERE id = ?",
            (RESTARTED_NOTE, job_id),
        )
        return "requeued"
    conn.execute(
        """UPDATE jobs SET status = 'failed', error_code = 'worker_lost', error_message = ?, finished_at = ?,
            lease_owner = NULL, lease_expires_at = NULL, eta_seconds = NULL WHERE id = ?""",
        (worker_lost_message(attempts), now, job_id),
    )
    return "failed"


def retry(conn: sqlite3.Connection, job_id: str, owner: str, max_attempts: int) -> str | None:
    """Our engine process died under this job: queue it again, or fail it past `max_attempts`."""
    with transaction(conn):
        row = conn.execute(
            "SELECT attempts FROM jobs WHERE id = ? AND status = 'running' AND lease_owner = ?", (job_id, owner)
        ).fetchone()
        if row is None:
            return None
        return _retry_or_fail(conn, job_id, row["attempts"], max_attempts, time.time())


def recover_lost(conn: sqlite3.Connection, live_owner: str, max_attempts: int) -> list[tuple[str, str]]:
    """Requeue (or, past `max_attempts`, fail) running jobs whose worker died. Returns (job_id, outcome)."""
    now = time.time()
    outcomes: list[tuple[str, str]] = []
    with transaction(conn):
        rows = conn.execute(
            "SELECT id, attempts, lease_owner, lease_expires_at FROM jobs WHERE status = 'running'"
        ).fetchall()
        for row in rows:
            if lost(dict(row), now, live_owner):
                outcomes.append((row["id"], _retry_or_fail(conn, row["id"], row["attempts"], max_attempts, now)))
    return outcomes


def release_owned(conn: sqlite3.Connection, owner: str) -> None:
    """On a clean stop, put our running jobs back in the queue without counting the interrupted run."""
    conn.execute(
        "UPDATE jobs SET status = 'queued', step = NULL, progress = 0, attempts = max(attempts - 1, 0),"
        " lease_owner = NULL, lease_expires_at = NULL WHERE status = 'running' AND lease_owner = ?",
        (owner,),
    )


def insert_claimed(
    conn: sqlite3.Connection, job: NewJob, owner: str, lease_seconds: float, job_id: str | None = None
) -> dict[str, Any]:
    """Queue `job` and claim it for `owner` in one transaction: a job whose provider key lives in this process's
    memory must never be picked up by another worker process. An existing id is returned as it is."""
    with transaction(conn):
        row = insert(conn, job, None, job_id)
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
