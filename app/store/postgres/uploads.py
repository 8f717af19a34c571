"""Upload records on PostgreSQL: a slot (pending → receiving → stored | rejected) or a fetched image (stored)."""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]


async def insert(conn: Any, row: Row) -> None:
    columns = ", ".join(row)
    marks = ", ".join(f"%({k})s" for k in row)
    await conn.execute(f"INSERT INTO uploads ({columns}) VALUES ({marks})", row)


async def get(conn: Any, upload_id: str) -> Row | None:
    cur = await conn.execute("SELECT * FROM uploads WHERE id = %s", (upload_id,))
    return await cur.fetchone()


async def claim(conn: Any, upload_id: str, now: float) -> str | None:
    async with conn.transaction():
        cur = await conn.execute("SELECT status, slot_expires_at FROM uploads WHERE id = %s FOR UPDATE", (upload_id,))
        row = await cur.fetchone()
        if row is None or row["status"] != "pending":
            return "used"
        if row["slot_expires_at"] < now:
            return "expired"
        await conn.execute("UPDATE uploads SET status = 'receiving' WHERE id = %s", (upload_id,))
    return None


async def set_status(conn: Any, upload_id: str, status: str, fields: Row) -> None:
    sets = ", ".join(["status = %(status)s", *(f"{k} = %({k})s" for k in fields)])
    await conn.execute(f"UPDATE uploads SET {sets} WHERE id = %(upload_id)s",
                       {**fields, "status": status, "upload_id": upload_id})  # fmt: skip


async def take_expired(conn: Any, now: float) -> list[Row]:
    cur = await conn.execute("DELETE FROM uploads WHERE expires_at < %s RETURNING id, content_type", (now,))
    return list(await cur.fetchall())
