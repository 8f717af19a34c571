"""The credit ledger on SQLite (its rules: `app.store.credits`). A spend is checked and written in one IMMEDIATE
transaction, so no balance goes below zero whatever runs at once."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from app.store.credits import EARNED, EXPIRED, INTO_WALLET, WALLET, Spent
from app.store.sqlite import accounts, charges
from app.store.sqlite.database import transaction


def balance(conn: sqlite3.Connection, address: str) -> int:
    row = conn.execute("SELECT coalesce(sum(amount), 0) FROM credit_entries WHERE account = ?", (WALLET + address,))
    return int(row.fetchone()[0])


def key_spent(conn: sqlite3.Connection, key_id: str) -> int:
    """What a key has spent: its spends, less those refunded (a failed generation spends nothing)."""
    row = conn.execute(
        """SELECT coalesce(sum(s.amount), 0) FROM credit_txns s WHERE s.kind = 'spend' AND s.key_id = ?
           AND NOT EXISTS (SELECT 1 FROM credit_txns r WHERE r.kind = 'refund' AND r.ref = s.ref)""",
        (key_id,),
    ).fetchone()
    return int(row[0])


def _write(
    conn: sqlite3.Connection, kind: str, ref: str, address: str, amount: int, other: str, signed: int,
    key_id: str | None, memo: str | None, now: float,
) -> int | None:  # fmt: skip
    """The transaction and its two entries (inside the caller's transaction); None if (kind, ref) exists already."""
    cur = conn.execute(
        "INSERT INTO credit_txns (kind, ref, address, amount, key_id, memo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (kind, ref) DO NOTHING",
        (kind, ref, address, amount, key_id, memo, now),
    )
    if cur.rowcount != 1:
        return None
    txn_id = int(cur.lastrowid or 0)
    conn.executemany(
        "INSERT INTO credit_entries (txn_id, account, amount) VALUES (?, ?, ?)",
        [(txn_id, WALLET + address, signed), (txn_id, other, -signed)],
    )
    return txn_id


def post_in(conn: sqlite3.Connection, kind: str, ref: str, address: str, amount: int, *, other: str | None = None,
            memo: str | None = None, now: float | None = None) -> int | None:  # fmt: skip
    """Credit `amount` into the wallet (purchase, grant, refund) inside the caller's transaction; idempotent per
    (kind, ref): None when it was posted before."""
    assert kind in INTO_WALLET and amount > 0
    now = time.time() if now is None else now
    accounts.ensure(conn, address, now)
    return _write(conn, kind, ref, address, amount, other or INTO_WALLET[kind], amount, None, memo, now)


def post(conn: sqlite3.Connection, kind: str, ref: str, address: str, amount: int, *, other: str | None = None,
         memo: str | None = None, now: float | None = None) -> int | None:  # fmt: skip
    """`post_in` in a transaction of its own."""
    with transaction(conn):
        return post_in(conn, kind, ref, address, amount, other=other, memo=memo, now=now)


def spend_for_job(
    conn: sqlite3.Connection, address: str, amount: int, job_id: str, key_id: str | None, cap: int | None,
    now: float | None = None,
) -> Spent:  # fmt: skip
    """Spend `amount` on job `job_id` and record who paid for it, if the balance covers it and (for a key with a
    cap) the key's spending stays within the cap. One IMMEDIATE transaction: the check and the write cannot be
    split by another spend."""
    now = time.time() if now is None else now
    with transaction(conn):
        current = balance(conn, address)
        if current < amount:
            return Spent("insufficient_credits", current)
        if key_id is not None and cap is not None and key_spent(conn, key_id) + amount > cap:
            return Spent("spend_cap_reached", current)
        accounts.ensure(conn, address, now)
        txn_id = _write(conn, "spend", job_id, address, amount, EARNED, -amount, key_id, None, now)
        if txn_id is None:  # this job was paid for already (cannot happen: job ids are new): charge nothing twice
            return Spent(None, current)
        charges.record(conn, job_id, address, "credits", amount, key_id=key_id, now=now)
        return Spent(None, current - amount, txn_id)


def expire(conn: sqlite3.Connection, address: str, ref: str, now: float | None = None) -> int:
    """Expire what is left on the wallet (credits unused too long); the amount expired (0: nothing, or done)."""
    now = time.time() if now is None else now
    with transaction(conn):
        left = balance(conn, address)
        if left <= 0:
            return 0
        written = _write(conn, "expiry", ref, address, left, EXPIRED, -left, None, "unused credits expired", now)
        return left if written is not None else 0


def to_expire(conn: sqlite3.Connection, purchased_before: float) -> list[dict[str, Any]]:
    """Wallets with credits whose last purchase (or grant) is older than `purchased_before`, with that purchase's id
    (the expiry's reference: credits bought again later expire on their own clock)."""
    rows = conn.execute(
        """SELECT address, max(id) AS last_purchase FROM credit_txns WHERE kind IN ('purchase', 'grant')
           GROUP BY address HAVING max(created_at) < ?""",
        (purchased_before,),
    ).fetchall()
    return [dict(r) for r in rows if balance(conn, r["address"]) > 0]


def history(conn: sqlite3.Connection, address: str, limit: int = 50) -> list[dict[str, Any]]:
    """The wallet's transactions, newest first, each with its signed effect on the balance."""
    rows = conn.execute(
        """SELECT t.id, t.kind, t.ref, t.amount, t.key_id, t.memo, t.created_at, e.amount AS delta
           FROM credit_txns t JOIN credit_entries e ON e.txn_id = t.id AND e.account = ?
           WHERE t.address = ? ORDER BY t.id DESC LIMIT ?""",
        (WALLET + address, address, limit),
    ).fetchall()
    return [dict(r) for r in rows]


def outstanding(conn: sqlite3.Connection) -> int:
    """Credits held by all wallets together (what the operator still owes in generations)."""
    row = conn.execute("SELECT coalesce(sum(amount), 0) FROM credit_entries WHERE account LIKE 'wallet:%'")
    return int(row.fetchone()[0])


def operator_balances(conn: sqlite3.Connection) -> dict[str, int]:
    rows = conn.execute(
        "SELECT account, sum(amount) FROM credit_entries WHERE account LIKE 'operator:%' GROUP BY account"
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}
