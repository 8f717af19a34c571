"""The operator's books on PostgreSQL, read-only (the same reads as `app.store.sqlite.books`)."""

from __future__ import annotations

from typing import Any

from app.store.books import PAYMENT_COLUMNS
from app.store.books import where as books_where


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


async def _has_payments(conn: Any) -> bool:
    cur = await conn.execute("SELECT to_regclass('payments') IS NOT NULL AS found")
    return bool((await cur.fetchone())["found"])


async def payments(
    conn: Any, *, since: float | None = None, until: float | None = None, network: str | None = None,
    payer: str | None = None, state: str | None = None, limit: int = 100, offset: int = 0,
) -> list[dict[str, Any]]:  # fmt: skip
    if not await _has_payments(conn):
        return []
    where, args = books_where(since, until, network, payer, state)
    cur = await conn.execute(
        _pg(f"SELECT {PAYMENT_COLUMNS} FROM payments p LEFT JOIN refunds r ON r.job_id = p.job_id{where}"
            " ORDER BY p.created_at DESC, p.key LIMIT ? OFFSET ?"),
        (*args, limit, offset),
    )  # fmt: skip
    return list(await cur.fetchall())


async def payment(conn: Any, ref: str) -> dict[str, Any] | None:
    if not await _has_payments(conn):
        return None
    cur = await conn.execute(
        f"SELECT {PAYMENT_COLUMNS}, p.payment_json, p.fingerprint FROM payments p"
        " LEFT JOIN refunds r ON r.job_id = p.job_id"
        " WHERE p.key = %s OR p.job_id = %s OR p.tx_hash = %s OR p.payment_id = %s LIMIT 1",
        (ref, ref, ref, ref),
    )
    return await cur.fetchone()


async def revenue(conn: Any, since: float | None = None, until: float | None = None) -> list[dict[str, Any]]:
    if not await _has_payments(conn):
        return []
    where, args = books_where(since, until, None, None, "settled")
    cur = await conn.execute(
        _pg(f"""SELECT to_char(to_timestamp(p.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, p.network,
               count(*) AS payments, sum(p.amount)::bigint AS gross, count(r.job_id) AS refunds,
               coalesce(sum(r.amount), 0)::bigint AS refunded
            FROM payments p LEFT JOIN refunds r ON r.job_id = p.job_id AND r.state IN ('credited', 'sent'){where}
            GROUP BY 1, p.network ORDER BY 1 DESC, p.network"""),
        args,
    )  # fmt: skip
    return [{**row, "net": row["gross"] - row["refunded"]} for row in await cur.fetchall()]


async def refunds(conn: Any, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    sql = "SELECT * FROM refunds" + (" WHERE state = %s" if state else "") + " ORDER BY created_at DESC LIMIT %s"
    cur = await conn.execute(sql, (state, limit) if state else (limit,))
    return list(await cur.fetchall())


async def credit_totals(conn: Any) -> dict[str, int]:
    totals = {k: 0 for k in ("purchase", "grant", "spend", "refund", "expiry")}
    cur = await conn.execute("SELECT kind, sum(amount)::bigint AS total FROM credit_txns GROUP BY kind")
    for row in await cur.fetchall():
        totals[row["kind"]] = int(row["total"])
    cur = await conn.execute(
        "SELECT coalesce(sum(amount), 0)::bigint AS total FROM credit_entries WHERE account LIKE 'wallet:%'"
    )
    return {**totals, "outstanding": int((await cur.fetchone())["total"])}


async def ledger_problems(conn: Any, ended_before: float) -> list[str]:
    problems = []
    cur = await conn.execute(
        "SELECT txn_id, sum(amount) AS total, count(*) AS n FROM credit_entries GROUP BY txn_id"
        " HAVING sum(amount) <> 0 OR count(*) <> 2"
    )
    for row in await cur.fetchall():
        problems.append(f"credit transaction {row['txn_id']}: {row['n']} entries summing to {row['total']}")
    cur = await conn.execute(
        "SELECT account, sum(amount) AS total FROM credit_entries WHERE account LIKE 'wallet:%' GROUP BY account"
        " HAVING sum(amount) < 0"
    )
    for row in await cur.fetchall():
        problems.append(f"{row['account']} is below zero ({row['total']})")
    cur = await conn.execute(
        "SELECT c.job_id, j.status FROM job_charges c JOIN jobs j ON j.id = c.job_id"
        " WHERE c.state = 'open' AND j.status IN ('done', 'failed') AND j.finished_at < %s",
        (ended_before,),
    )
    for row in await cur.fetchall():
        problems.append(f"job {row['job_id']} is {row['status']} but its charge is still open")
    if await _has_payments(conn):
        cur = await conn.execute(
            "SELECT p.job_id FROM payments p JOIN jobs j ON j.id = p.job_id"
            " LEFT JOIN job_charges c ON c.job_id = p.job_id WHERE p.state = 'job_created' AND c.job_id IS NULL"
        )
        for row in await cur.fetchall():
            problems.append(f"job {row['job_id']} was paid per call but has no charge")
    return problems
