"""Upload records: a slot (pending → receiving → stored | rejected) or a fetched image (stored), and its expiry."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.store.sqlite.database import transaction


def insert(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    conn.execute(f"INSERT INTO uploads ({columns}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))


def get(conn: sqlite3.Connection, upload_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM uploads WHERE id = ?", (upload_id,)).fetchone()
    return dict(row) if row else None


def claim(conn: sqlite3.Connection, upload_id: str, now: float) -> str | None:
    """pending → receiving, atomically. None on success, else why not ('used' or 'expired')."""
    with transaction(conn):
        row = conn.execute("SELECT status, slot_expires_at FROM uploads WHERE id = ?", (upload_id,)).fetchone()
        if row is None or row["status"] != "pending":
            return "used"
        if row["slot_expires_at"] < now:
            return "expired"
        conn.execute("UPDATE uploads SET status = 'receiving' WHERE id = ?", (upload_id,))
    return None


def set_status(conn: sqlite3.Connection, upload_id: str, status: str, fields: dict[str, Any]) -> None:
    sets = ", ".join(["status = ?", *(f"{k} = ?" for k in fields)])
    conn.execute(f"UPDATE uploads SET {sets} WHERE id = ?", (status, *fields.values(), upload_id))


def take_expired(conn: sqlite3.Connection, now: float) -> list[dict[str, Any]]:
    """Delete the rows that expired before `now`; returns them (id, content_type), so their files can go too."""
    with transaction(conn):
        rows = [dict(r) for r in conn.execute("SELECT id, content_type FROM uploads WHERE expires_at < ?", (now,))]
        conn.execute("DELETE FROM uploads WHERE expires_at < ?", (now,))
    return rows
