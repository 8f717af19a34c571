"""Refunds on SQLite (what they are: `app.store.refunds`)."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from app.store.credits import EARNED, REFUNDED
from app.store.refunds import MOVABLE, Opened, new_refund, refund_memo
from app.store.sqlite import charges, credits
from app.store.sqlite.database import transaction


def get(conn: sqlite3.Connection, job_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM refunds WHERE job_id = ?", (job_id,)).fetchone()
    return dict(row) if row else None


def open_for(
    conn: sqlite3.Connection, job_id: str, method: str, reason: str, network: str | None = None,
    now: float | None = None, require_failed: bool = True,
) -> Opened:  # fmt: skip
    """Make good the charge of job `job_id`, once: `credit` posts the credit refund at once (state `credited`),
    `onchain` leaves a `pending` refund for the sender. The charge is closed `refunded` in the same transaction.
    A job that has a refund gets it back unchanged; one that did not fail (unless `require_failed` is False: its
    job was never created) is refused."""
    now = time.time() if now is None else now
    with transaction(conn):
        existing = get(conn, job_id)
        if existing is not None:
            return Opened(existing)
        charge = charges.get(conn, job_id)
        if charge is None:
            return Opened(None, refused="not_paid")
        if require_failed:
            job = conn.execute("SELECT status FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if job is None or job["status"] != "failed":
                return Opened(None, refused="not_failed")
        if charge["amount"] <= 0 or charge["state"] != "open":
            return Opened(None, refused="nothing_to_refund")
        row = new_refund(charge, job_id, method, reason, network, now)
        marks = ", ".join("?" * len(row))
        conn.execute(f"INSERT INTO refunds ({', '.join(row)}) VALUES ({marks})", tuple(row.values()))
        if row["state"] == "credited":
            other = EARNED if charge["method"] == "credits" else REFUNDED
            credits.post_in(conn, "refund", job_id, charge["address"], charge["amount"], other=other,
                            memo=refund_memo(job_id, reason), now=now)  # fmt: skip
        charges.close(conn, job_id, "refunded")
        return Opened(get(conn, job_id), created=True)


def in_states(conn: sqlite3.Connection, states: tuple[str, ...]) -> list[dict[str, Any]]:
    marks = ", ".join("?" * len(states))
    rows = conn.execute(f"SELECT * FROM refunds WHERE state IN ({marks}) ORDER BY created_at", states).fetchall()
    return [dict(r) for r in rows]


def move(
    conn: sqlite3.Connection, job_id: str, from_state: str, to_state: str, *, where_tx: str | None = None,
    **fields: Any,
) -> bool:  # fmt: skip
    """Compare-and-set the state (and set `fields`: tx, raw_tx, error, network), only from `from_state` (and, with
    `where_tx`, only while the stored transaction is that one); False when the row was not so."""
    assert set(fields) <= MOVABLE
    sets = "".join(f", {name} = ?" for name in fields)
    sql = f"UPDATE refunds SET state = ?, updated_at = ?{sets} WHERE job_id = ? AND state = ?"
    args: list[Any] = [to_state, time.time(), *fields.values(), job_id, from_state]
    if where_tx is not None:
        sql += " AND tx = ?"
        args.append(where_tx)
    return conn.execute(sql, args).rowcount == 1


def credit_instead(conn: sqlite3.Connection, job_id: str, from_state: str, error: str) -> bool:
    """An on-chain refund that moved nothing (refused, reverted, or never signed) is credited to the payer instead,
    in one transaction; False when it was not in `from_state` (someone else moved it)."""
    with transaction(conn):
        cur = conn.execute(
            "UPDATE refunds SET method = 'credit', state = 'credited', error = ?, updated_at = ?"
            " WHERE job_id = ? AND state = ? AND method = 'onchain'",
            (error[:300], time.time(), job_id, from_state),
        )
        if cur.rowcount != 1:
            return False
        refund = get(conn, job_id)
        assert refund is not None
        credits.post_in(conn, "refund", job_id, refund["address"], refund["amount"], other=REFUNDED,
                        memo=f"job {job_id} failed ({refund['reason']}); the on-chain refund could not be sent")
        return True
