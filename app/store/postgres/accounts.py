"""Accounts on PostgreSQL: one row per wallet address (a credit spend locks it: `credits.spend_for_job`)."""

from __future__ import annotations

from typing import Any


async def ensure(conn: Any, address: str, now: float) -> None:
    await conn.execute("INSERT INTO accounts (address, created_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                       (address, now))  # fmt: skip


async def get(conn: Any, address: str) -> dict[str, Any] | None:
    cur = await conn.execute("SELECT * FROM accounts WHERE address = %s", (address,))
    return await cur.fetchone()
