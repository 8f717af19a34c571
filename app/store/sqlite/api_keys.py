"""API keys of an account: stored as the key's sha256 (the key is shown once, at creation), with a display prefix,
scopes, an optional expiry and spend cap, and the time it was revoked."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.store.sqlite import accounts

COLUMNS = ("id", "address", "name", "prefix", "scopes", "spend_cap", "created_at", "expires_at", "revoked_at",
           "last_used_at")  # fmt: skip  (every column but the hash)


def create(conn: sqlite3.Connection, key: dict[str, Any]) -> None:
    """Insert `key` (every column, the hash included) for its account, creating the account if it is new."""
    accounts.ensure(conn, key["address"], key["created_at"])
    names = ", ".join(key)
    conn.execute(f"INSERT INTO api_keys ({names}) VALUES ({', '.join('?' * len(key))})", tuple(key.values()))


def of_account(conn: sqlite3.Connection, address: str) -> list[dict[str, Any]]:
    """The account's keys, newest first, revoked ones included (without their hashes)."""
    rows = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM api_keys WHERE address = ? ORDER BY created_at DESC, id", (address,)
    ).fetchall()
    return [dict(r) for r in rows]


def by_hash(conn: sqlite3.Connection, key_hash: str) -> dict[str, Any] | None:
    """The key whose hash is `key_hash` (the hash included, for a constant-time comparison by the caller)."""
    row = conn.execute("SELECT * FROM api_keys WHERE key_hash = ?", (key_hash,)).fetchone()
    return dict(row) if row else None


def revoke(conn: sqlite3.Connection, key_id: str, address: str, now: float) -> dict[str, Any] | None:
    """Revoke the account's key `key_id` (a revoked key stays revoked: revoking again changes nothing); the key as
    it now stands, or None when the account has no such key."""
    conn.execute(
        "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND address = ? AND revoked_at IS NULL", (now, key_id, address)
    )
    row = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM api_keys WHERE id = ? AND address = ?", (key_id, address)
    ).fetchone()
    return dict(row) if row else None


def touch(conn: sqlite3.Connection, key_id: str, now: float) -> None:
    conn.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", (now, key_id))
