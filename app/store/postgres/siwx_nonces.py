"""Used sign-in nonces on PostgreSQL: a nonce signs in once (the insert of a second use finds the row)."""

from __future__ import annotations

from typing import Any


async def use(conn: Any, nonce: str, address: str, now: float, expires_at: int) -> bool:
    cur = await conn.execute(
        "INSERT INTO siwx_nonces (nonce, address, used_at, expires_at) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (nonce, address, now, expires_at),
    )
    return cur.rowcount == 1


async def prune(conn: Any, now: float) -> int:
    cur = await conn.execute("DELETE FROM siwx_nonces WHERE expires_at < %s", (int(now),))
    return cur.rowcount
