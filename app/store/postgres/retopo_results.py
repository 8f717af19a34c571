"""What a retopology delivered, on PostgreSQL."""

from __future__ import annotations

from typing import Any

from app.store.records import RETOPO_COLUMNS, Figures, retopo_values

UPSERT = (
    f"INSERT INTO retopo_results ({', '.join(RETOPO_COLUMNS)}) VALUES ({', '.join(['%s'] * len(RETOPO_COLUMNS))}) "
    "ON CONFLICT (job_id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in RETOPO_COLUMNS[1:])
)


async def record(conn: Any, job_id: str, fig: Figures) -> None:
    await conn.execute(UPSERT, retopo_values(job_id, fig))


async def get(conn: Any, job_id: str) -> dict[str, Any] | None:
    cur = await conn.execute("SELECT * FROM retopo_results WHERE job_id = %s", (job_id,))
    return await cur.fetchone()
