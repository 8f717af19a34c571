"""The operator's books on SQLite, read-only: payments (the payment ledger's rows) with their refunds, revenue per
day and network, refunds, credit totals, and the checks that the ledgers agree."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.store.books import PAYMENT_COLUMNS
from app.store.books import where as books_where


def _has_payments(conn: sqlite3.Connection) -> bool:
    """The payment ledger's table exists once a paid lane has started on this database."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'payments'").fetchone() is not None


def payments(
    conn: sqlite3.Connection, *, since: float | None = None, until: float | None = None, network: str | None = None,
    payer: str | None = None, state: str | None = None, limit: int = 100, offset: int = 0,
) -> list[dict[str, Any]]:  # fmt: skip
    """Payments, newest first, with their job's refund (if any)."""
    if not _has_payments(conn):
        return []
    where, args = books_where(since, until, network, payer, state)
    rows = conn.execute(
        f"SELECT {PAYMENT_COLUMNS} FROM payments p LEFT JOIN refunds r ON r.job_id = p.job_id{where}"
        " ORDER BY p.created_at DESC, p.key LIMIT ? OFFSET ?",
        (*args, limit, offset),
    ).fetchall()
    return [dict(r) for r in rows]


def payment(conn: sqlite3.Connection, ref: str) -> dict[str, Any] | None:
    """One payment, found by its ledger key, its job (or purchase) id, its transaction or its payment-identifier."""
    if not _has_payments(conn):
        return None
    row = conn.execute(
        f"SELECT {PAYMENT_COLUMNS}, p.payment_json, p.fingerprint FROM payments p"
        " LEFT JOIN refunds r ON r.job_id = p.job_id"
        " WHERE p.key = ? OR p.job_id = ? OR p.tx_hash = ? OR p.payment_id = ? LIMIT 1",
        (ref, ref, ref, ref),
    ).fetchone()
    return dict(row) if row else None


def revenue(conn: sqlite3.Connection, since: float | None = None, until: float | None = None) -> list[dict[str, Any]]:
    """Per UTC day and network: payments settled (count, atomics) and refunds (count, atomics; credited or sent)."""
    if not _has_payments(conn):
        return []
    where, args = books_where(since, until, None, None, "settled")
    rows = conn.execute(
        f"""SELECT date(p.created_at, 'unixepoch') AS day, p.network, count(*) AS payments,
               sum(p.amount) AS gross, count(r.job_id) AS refunds, coalesce(sum(r.amount), 0) AS refunded
            FROM payments p LEFT JOIN refunds r ON r.job_id = p.job_id AND r.state IN ('credited', 'sent'){where}
            GROUP BY day, p.network ORDER BY day DESC, p.network""",
        args,
    ).fetchall()
    return [{**dict(r), "net": r["gross"] - r["refunded"]} for r in rows]


def refunds(conn: sqlite3.Connection, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    sql = "SELECT * FROM refunds" + (" WHERE state = ?" if state else "") + " ORDER BY created_at DESC LIMIT ?"
    rows = conn.execute(sql, (state, limit) if state else (limit,)).fetchall()
    return [dict(r) for r in rows]


def credit_totals(conn: sqlite3.Connection) -> dict[str, int]:
    """Credits per kind of transaction (atomics) and what wallets hold."""
    totals = {k: 0 for k in ("purchase", "grant", "spend", "refund", "expiry")}
    for kind, amount in conn.execute("SELECT kind, sum(amount) FROM credit_txns GROUP BY kind"):
        totals[kind] = int(amount)
    held = conn.execute("SELECT coalesce(sum(amount), 0) FROM credit_entries WHERE account LIKE 'wallet:%'")
    return {**totals, "outstanding": int(held.fetchone()[0])}


def ledger_problems(conn: sqlite3.Connection, ended_before: float) -> list[str]:
    """What breaks the books' rules: a credit transaction whose entries do not sum to zero (or are not two), a
    wallet below zero, a charge left open on a job that ended before `ended_before` (the refund keeper closes them
    within seconds), a settled per-call job nobody is charged for."""
    problems = []
    for row in conn.execute(
        "SELECT txn_id, sum(amount) AS total, count(*) AS n FROM credit_entries GROUP BY txn_id"
        " HAVING sum(amount) <> 0 OR count(*) <> 2"
    ):
        problems.append(f"credit transaction {row['txn_id']}: {row['n']} entries summing to {row['total']}")
    for row in conn.execute(
        "SELECT account, sum(amount) AS total FROM credit_entries WHERE account LIKE 'wallet:%' GROUP BY account"
        " HAVING sum(amount) < 0"
    ):
        problems.append(f"{row['account']} is below zero ({row['total']})")
    for row in conn.execute(
        "SELECT c.job_id, j.status FROM job_charges c JOIN jobs j ON j.id = c.job_id"
        " WHERE c.state = 'open' AND j.status IN ('done', 'failed') AND j.finished_at < ?",
        (ended_before,),
    ):
        problems.append(f"job {row['job_id']} is {row['status']} but its charge is still open")
    if _has_payments(conn):
        for row in conn.execute(
            "SELECT p.job_id FROM payments p JOIN jobs j ON j.id = p.job_id"
            " LEFT JOIN job_charges c ON c.job_id = p.job_id WHERE p.state = 'job_created' AND c.job_id IS NULL"
        ):
            problems.append(f"job {row['job_id']} was paid per call but has no charge")
    return problems
