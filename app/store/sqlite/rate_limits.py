"""Rate-limit counters: hits per (bucket, window start), shared by every worker process through the database."""

from __future__ import annotations

import sqlite3


def hit(conn: sqlite3.Connection, bucket: str, window_start: int) -> int:
    """Count one request in `bucket` for the window starting at `window_start`; returns the window's hits so far."""
    row = conn.execute(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)"
        " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits",
        (bucket, window_start),
    ).fetchone()
    return int(row[0])


def prune(conn: sqlite3.Connection, before: int) -> None:
    conn.execute("DELETE FROM rate_limits WHERE window_start < ?", (before,))
