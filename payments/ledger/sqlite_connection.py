"""The SQLite file's plumbing, shared by the ledger and the service's store (one file, several processes): how a
connection is opened, an IMMEDIATE transaction, and which errors mean "not now" rather than a bug."""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 10_000
# SQLite's words for a database that cannot take a query now but may in a moment (answered 503)
TRANSIENT = ("locked", "busy", "disk is full", "disk i/o error", "unable to open", "readonly")


def transient(exc: sqlite3.OperationalError) -> bool:
    """Another writer held the lock past the busy timeout, or the disk is full or failing (not: no such table, a
    syntax error — a bug)."""
    text = str(exc).lower()
    return any(word in text for word in TRANSIENT)


def connect(path: Path) -> sqlite3.Connection:
    """An autocommit connection tuned for many short transactions from several processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: the journal mode below may wait for a writer
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: survives a process crash
    return conn


class Immediate:
    """`with Immediate(conn):` — BEGIN IMMEDIATE ... COMMIT (ROLLBACK on an exception), so a read-modify-write never
    races another writer."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:  # SQLite rolls a failed COMMIT (disk full) back itself: a second ROLLBACK
            self.conn.execute("ROLLBACK")  # would raise 'no transaction is active' instead of the error that matters
