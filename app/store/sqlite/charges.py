"""Who paid for each paid job, and how: per call over x402 (the payer, network, amount and settlement) or with
credits (the wallet, the amount spent, the API key). A charge is `open` while its job runs, then `kept` (the job is
done) or `refunded` (it failed and was made good)."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from app.store.jobs import NewJob
from app.store.sqlite import accounts, jobs
from app.store.sqlite.database import transaction


def record(
    conn: sqlite3.Connection, job_id: str, address: str, method: str, amount: int, *, network: str | None = None,
    tx: str | None = None, key_id: str | None = None, now: float | None = None,
) -> None:  # fmt: skip
    """Idempotent (one charge per job: a hand-over retried after a crash records nothing new)."""
    now = time.time() if now is None else now
    accounts.ensure(conn, address, now)
    conn.execute(
        """INSERT INTO job_charges (job_id, address, method, amount, network, tx, key_id, state, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?) ON CONFLICT (job_id) DO NOTHING""",
        (job_id, address, method, amount, network, tx, key_id, now),
    )


def record_with_job(
    conn: sqlite3.Connection, job: NewJob, job_id: str, address: str, method: str, amount: int, *,
    network: str | None = None, tx: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The charge and the queued job it pays for, in one transaction: one call, and never a job without its charge.
    Idempotent, as each part is (a hand-over retried after a crash returns the job made the first time)."""
    with transaction(conn):
        record(conn, job_id, address, method, amount, network=network, tx=tx)
        return jobs.insert(conn, job, None, job_id)


def get(conn: sqlite3.Connection, job_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM job_charges WHERE job_id = ?", (job_id,)).fetchone()
    return dict(row) if row else None


def jobs_of(
    conn: sqlite3.Connection, address: str, before: tuple[float, str] | None, limit: int
) -> list[dict[str, Any]]:
    """The account's paid jobs (rows of `jobs`), newest first, after the cursor `before` (created_at, job_id)."""
    sql = "SELECT j.* FROM job_charges c JOIN jobs j ON j.id = c.job_id WHERE c.address = ?"
    args: list[Any] = [address]
    if before is not None:
        sql += " AND (c.created_at < ? OR (c.created_at = ? AND c.job_id < ?))"
        args += [before[0], before[0], before[1]]
    sql += " ORDER BY c.created_at DESC, c.job_id DESC LIMIT ?"
    rows = conn.execute(sql, (*args, limit)).fetchall()
    return [dict(r) for r in rows]


def open_and_finished(conn: sqlite3.Connection, orphaned_before: float, limit: int = 100) -> list[dict[str, Any]]:
    """Open charges whose job has ended (with the job's status and error code), and those whose job was never
    created although the charge is older than `orphaned_before` (status NULL: the process died in between)."""
    rows = conn.execute(
        """SELECT c.*, j.status AS job_status, j.error_code AS job_error FROM job_charges c
           LEFT JOIN jobs j ON j.id = c.job_id
           WHERE c.state = 'open' AND (j.status IN ('done', 'failed') OR (j.id IS NULL AND c.created_at < ?))
           ORDER BY c.created_at LIMIT ?""",
        (orphaned_before, limit),
    ).fetchall()
    return [dict(r) for r in rows]


def close(conn: sqlite3.Connection, job_id: str, state: str) -> bool:
    """open → kept | refunded; False when it was not open (someone else closed it)."""
    assert state in ("kept", "refunded")
    cur = conn.execute("UPDATE job_charges SET state = ? WHERE job_id = ? AND state = 'open'", (state, job_id))
    return cur.rowcount == 1
