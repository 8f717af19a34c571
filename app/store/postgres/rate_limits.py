"""Rate-limit counters on PostgreSQL: one count per (bucket, window) for every node, so a limit is global."""

from __future__ import annotations

from typing import Any


async def hit(conn: Any, bucket: str, window_start: int) -> int:
    cur = await conn.execute(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (%s, %s, 1) "
        "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
        (bucket, window_start),
    )
    return int((await cur.fetchone())["hits"])


async def prune(conn: Any, before: int) -> None:
    await conn.execute("DELETE FROM rate_limits WHERE window_start < %s", (before,))
