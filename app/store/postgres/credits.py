"""The credit ledger on PostgreSQL (its rules: `app.store.credits`). A spend locks the account's row (`SELECT ... FOR
UPDATE`) for its check and its write, so spends of one wallet run one at a time on every node and no balance goes
below zero; credits going in need no lock (they cannot take a balance down)."""

from __future__ import annotations

import time
from typing import Any

from app.store.credits import EARNED, EXPIRED, INTO_WALLET, WALLET, Spent
from app.store.postgres import accounts, charges


async def balance(conn: Any, address: str) -> int:
    cur = await conn.execute(
        "SELECT coalesce(sum(amount), 0)::bigint AS total FROM credit_entries WHERE account = %s", (WALLET + address,)
    )
    return int((await cur.fetchone())["total"])


async def key_spent(conn: Any, key_id: str) -> int:
    cur = await conn.execute(
        """SELECT coalesce(sum(s.amount), 0)::bigint AS total FROM credit_txns s WHERE s.kind = 'spend'
           AND s.key_id = %s AND NOT EXISTS (SELECT 1 FROM credit_txns r WHERE r.kind = 'refund' AND r.ref = s.ref)""",
        (key_id,),
    )
    return int((await cur.fetchone())["total"])


async def _write(conn: Any, kind: str, ref: str, address: str, amount: int, other: str, signed: int,
                 key_id: str | None, memo: str | None, now: float) -> int | None:  # fmt: skip
    cur = await conn.execute(
        "INSERT INTO credit_txns (kind, ref, address, amount, key_id, memo, created_at) VALUES (%s, %s, %s, %s, %s, "
        "%s, %s) ON CONFLICT (kind, ref) DO NOTHING RETURNING id",
        (kind, ref, address, amount, key_id, memo, now),
    )
    found = await cur.fetchone()
    if found is None:
        return None
    txn_id = int(found["id"])
    await conn.execute(
        "INSERT INTO credit_entries (txn_id, account, amount) VALUES (%s, %s, %s), (%s, %s, %s)",
        (txn_id, WALLET + address, signed, txn_id, other, -signed),
    )
    return txn_id


async def post_in(conn: Any, kind: str, ref: str, address: str, amount: int, *, other: str | None = None,
                  memo: str | None = None, now: float | None = None) -> int | None:  # fmt: skip
    assert kind in INTO_WALLET and amount > 0
    now = time.time() if now is None else now
    await accounts.ensure(conn, address, now)
    return await _write(conn, kind, ref, address, amount, other or INTO_WALLET[kind], amount, None, memo, now)


async def post(conn: Any, kind: str, ref: str, address: str, amount: int, *, other: str | None = None,
               memo: str | None = None, now: float | None = None) -> int | None:  # fmt: skip
    async with conn.transaction():
        return await post_in(conn, kind, ref, address, amount, other=other, memo=memo, now=now)


async def _lock(conn: Any, address: str, now: float) -> None:
    """The account exists and this transaction holds its row (other spends of the wallet wait here)."""
    await accounts.ensure(conn, address, now)
    await conn.execute("SELECT address FROM accounts WHERE address = %s FOR UPDATE", (address,))


async def spend_for_job(conn: Any, address: str, amount: int, job_id: str, key_id: str | None, cap: int | None,
                        now: float | None = None) -> Spent:  # fmt: skip
    now = time.time() if now is None else now
    async with conn.transaction():
        await _lock(conn, address, now)
        current = await balance(conn, address)
        if current < amount:
            return Spent("insufficient_credits", current)
        if key_id is not None and cap is not None and await key_spent(conn, key_id) + amount > cap:
            return Spent("spend_cap_reached", current)
        txn_id = await _write(conn, "spend", job_id, address, amount, EARNED, -amount, key_id, None, now)
        if txn_id is None:
            return Spent(None, current)
        await charges.record(conn, job_id, address, "credits", amount, key_id=key_id, now=now)
        return Spent(None, current - amount, txn_id)


async def expire(conn: Any, address: str, ref: str, now: float | None = None) -> int:
    now = time.time() if now is None else now
    async with conn.transaction():
        await _lock(conn, address, now)
        left = await balance(conn, address)
        if left <= 0:
            return 0
        written = await _write(conn, "expiry", ref, address, left, EXPIRED, -left, None, "unused credits expired", now)
        return left if written is not None else 0


async def to_expire(conn: Any, purchased_before: float) -> list[dict[str, Any]]:
    cur = await conn.execute(
        """SELECT address, max(id) AS last_purchase FROM credit_txns WHERE kind IN ('purchase', 'grant')
           GROUP BY address HAVING max(created_at) < %s""",
        (purchased_before,),
    )
    return [row for row in await cur.fetchall() if await balance(conn, row["address"]) > 0]


async def history(conn: Any, address: str, limit: int = 50) -> list[dict[str, Any]]:
    cur = await conn.execute(
        """SELECT t.id, t.kind, t.ref, t.amount, t.key_id, t.memo, t.created_at, e.amount AS delta
           FROM credit_txns t JOIN credit_entries e ON e.txn_id = t.id AND e.account = %s
           WHERE t.address = %s ORDER BY t.id DESC LIMIT %s""",
        (WALLET + address, address, limit),
    )
    return list(await cur.fetchall())


async def outstanding(conn: Any) -> int:
    cur = await conn.execute(
        "SELECT coalesce(sum(amount), 0)::bigint AS total FROM credit_entries WHERE account LIKE 'wallet:%'"
    )
    return int((await cur.fetchone())["total"])


async def operator_balances(conn: Any) -> dict[str, int]:
    cur = await conn.execute(
        "SELECT account, sum(amount)::bigint AS total FROM credit_entries WHERE account LIKE 'operator:%' "
        "GROUP BY account"
    )
    return {row["account"]: int(row["total"]) for row in await cur.fetchall()}
