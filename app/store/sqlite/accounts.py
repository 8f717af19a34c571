"""Accounts: one row per wallet address that signed in, bought credits or paid for a job (no password, no e-mail)."""

from __future__ import annotations

import sqlite3


def ensure(conn: sqlite3.Connection, address: str, now: float) -> None:
    """The account exists (idempotent)."""
    conn.execute("INSERT INTO accounts (address, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", (address, now))


def get(conn: sqlite3.Connection, address: str) -> dict | None:
    row = conn.execute("SELECT * FROM accounts WHERE address = ?", (address,)).fetchone()
    return dict(row) if row else None
