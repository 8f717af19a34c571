"""Sign-in nonces already used: a nonce signs in once. Nonces are issued without a row (they are HMAC-signed); a row
is written when one is used, and kept until the nonce has expired anyway."""

from __future__ import annotations

import sqlite3


def use(conn: sqlite3.Connection, nonce: str, address: str, now: float, expires_at: int) -> bool:
    """Mark `nonce` used by `address`; False when it already was (a replay). One statement: of two concurrent
    sign-ins with one nonce, one inserts and the other finds the row."""
    cur = conn.execute(
        "INSERT INTO siwx_nonces (nonce, address, used_at, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (nonce, address, now, expires_at),
    )
    return cur.rowcount == 1


def prune(conn: sqlite3.Connection, now: float) -> int:
    """Forget nonces that have expired (they are refused as expired before this table is read)."""
    return conn.execute("DELETE FROM siwx_nonces WHERE expires_at < ?", (int(now),)).rowcount
