"""API keys on PostgreSQL (what they are: `app.store.sqlite.api_keys`)."""

from __future__ import annotations

from typing import Any

from app.store.postgres import accounts
from app.store.sqlite.api_keys import COLUMNS

SELECTED = ", ".join(COLUMNS)


async def create(conn: Any, key: dict[str, Any]) -> None:
    async with conn.transaction():
        await accounts.ensure(conn, key["address"], key["created_at"])
        marks = ", ".join(f"%({k})s" for k in key)
        await conn.execute(f"INSERT INTO api_keys ({', '.join(key)}) VALUES ({marks})", key)


async def of_account(conn: Any, address: str) -> list[dict[str, Any]]:
    cur = await conn.execute(
        f"SELECT {SELECTED} FROM api_keys WHERE address = %s ORDER BY created_at DESC, id", (address,)
    )
    return list(await cur.fetchall())


async def by_hash(conn: Any, key_hash: str) -> dict[str, Any] | None:
    cur = await conn.execute("SELECT * FROM api_keys WHERE key_hash = %s", (key_hash,))
    return await cur.fetchone()


async def revoke(conn: Any, key_id: str, address: str, now: float) -> dict[str, Any] | None:
    await conn.execute(
        "UPDATE api_keys SET revoked_at = %s WHERE id = %s AND address = %s AND revoked_at IS NULL",
        (now, key_id, address),
    )
    cur = await conn.execute(f"SELECT {SELECTED} FROM api_keys WHERE id = %s AND address = %s", (key_id, address))
    return await cur.fetchone()


async def touch(conn: Any, key_id: str, now: float) -> None:
    await conn.execute("UPDATE api_keys SET last_used_at = %s WHERE id = %s", (now, key_id))
