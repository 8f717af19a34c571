"""What a retopology delivered (faces, quads, watertightness, formats), one row per finished retopology job."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.store.records import RETOPO_COLUMNS, Figures, retopo_values


def record(conn: sqlite3.Connection, job_id: str, fig: Figures) -> None:
    marks = ", ".join("?" * len(RETOPO_COLUMNS))
    conn.execute(
        f"INSERT OR REPLACE INTO retopo_results ({', '.join(RETOPO_COLUMNS)}) VALUES ({marks})",
        retopo_values(job_id, fig),
    )


def get(conn: sqlite3.Connection, job_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM retopo_results WHERE job_id = ?", (job_id,)).fetchone()
    return dict(row) if row else None
