"""Refunds on PostgreSQL (what they are: `app.store.refunds`): opening one locks the job's charge, so two asking at
once (the keeper on two nodes, the operator) make one refund."""

from __future__ import annotations

import time
from typing import Any

from app.store.credits import EARNED, REFUNDED
from app.store.postgres import charges, credits
from app.store.refunds import MOVABLE, Opened, new_refund, refund_memo


async def get(conn: Any, job_id: str) -> dict[str, Any] | None:
    cur = await conn.execute("SELECT * FROM refunds WHERE job_id = %s", (job_id,))
    return await cur.fetchone()


async def open_for(conn: Any, job_id: str, method: str, reason: str, network: str | None = None,
                   now: float | None = None, require_failed: bool = True) -> Opened:  # fmt: skip
    now = time.time() if now is None else now
    async with conn.transaction():
        cur = await conn.execute("SELECT * FROM job_charges WHERE job_id = %s FOR UPDATE", (job_id,))
        charge = await cur.fetchone()
        existing = await get(conn, job_id)
        if existing is not None:
            return Opened(existing)
        if charge is None:
            return Opened(None, refused="not_paid")
        if require_failed:
            cur = await conn.execute("SELECT status FROM jobs WHERE id = %s", (job_id,))
            job = await cur.fetchone()
            if job is None or job["status"] != "failed":
                return Opened(None, refused="not_failed")
        if charge["amount"] <= 0 or charge["state"] != "open":
            return Opened(None, refused="nothing_to_refund")
        row = new_refund(charge, job_id, method, reason, network, now)
        marks = ", ".join(f"%({k})s" for k in row)
        await conn.execute(f"INSERT INTO refunds ({', '.join(row)}) VALUES ({marks})", row)
        if row["state"] == "credited":
            other = EARNED if charge["method"] == "credits" else REFUNDED
            await credits.post_in(conn, "refund", job_id, charge["address"], charge["amount"], other=other,
                                  memo=refund_memo(job_id, reason), now=now)  # fmt: skip
        await charges.close(conn, job_id, "refunded")
        return Opened(await get(conn, job_id), created=True)


async def in_states(conn: Any, states: tuple[str, ...]) -> list[dict[str, Any]]:
    cur = await conn.execute("SELECT * FROM refunds WHERE state = ANY(%s) ORDER BY created_at", (list(states),))
    return list(await cur.fetchall())


async def move(conn: Any, job_id: str, from_state: str, to_state: str, *, where_tx: str | None = None,
               **fields: Any) -> bool:  # fmt: skip
    assert set(fields) <= MOVABLE
    sets = "".join(f", {name} = %s" for name in fields)
    sql = f"UPDATE refunds SET state = %s, updated_at = %s{sets} WHERE job_id = %s AND state = %s"
    args: list[Any] = [to_state, time.time(), *fields.values(), job_id, from_state]
    if where_tx is not None:
        sql += " AND tx = %s"
        args.append(where_tx)
    cur = await conn.execute(sql, args)
    return cur.rowcount == 1


async def credit_instead(conn: Any, job_id: str, from_state: str, error: str) -> bool:
    async with conn.transaction():
        cur = await conn.execute(
            "UPDATE refunds SET method = 'credit', state = 'credited', error = %s, updated_at = %s"
            " WHERE job_id = %s AND state = %s AND method = 'onchain' RETURNING *",
            (error[:300], time.time(), job_id, from_state),
        )
        refund = await cur.fetchone()
        if refund is None:
            return False
        await credits.post_in(conn, "refund", job_id, refund["address"], refund["amount"], other=REFUNDED,
                              memo=f"job {job_id} failed ({refund['reason']}); the on-chain refund could not be sent")
        return True
