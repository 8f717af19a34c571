"""What a retopology delivered (faces, quads, watertightness, formats), one row per finished retopology job."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, Protocol


class Figures(Protocol):
    """What is recorded (the engines' `RetopoFigures` has these fields)."""

    source_faces: int
    faces: int
    quads: int
    triangles: int
    watertight: bool
    textured: bool
    formats: Sequence[str]


def record(conn: sqlite3.Connection, job_id: str, fig: Figures) -> None:
    total = fig.quads + fig.triangles
    conn.execute(
        "INSERT OR REPLACE INTO retopo_results (job_id, source_faces, faces, quads, triangles, quad_ratio,"
        " watertight, formats, textured) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (job_id, fig.source_faces, fig.faces, fig.quads, fig.triangles, round(fig.quads / total, 4) if total else 0.0,
         int(fig.watertight), ",".join(fig.formats), int(fig.textured)),
    )  # fmt: skip


def get(conn: sqlite3.Connection, job_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM retopo_results WHERE job_id = ?", (job_id,)).fetchone()
    return dict(row) if row else None
