"""The embedded database: one SQLite file (WAL) shared by every process of the service on this machine.

Queries are short, but SQLite can wait on a lock, so the event loop never runs them itself: `Database.run`
hands a function to a small thread pool in which each thread keeps its own connection.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from app.errors import StoreUnavailable
from payments.ledger import sqlite_connection  # the same file as the ledger's: opened and locked the same way
from payments.ledger.sqlite_connection import Immediate

T = TypeVar("T")


def store_unavailable(exc: sqlite3.OperationalError) -> StoreUnavailable | None:
    """The StoreUnavailable a transient SQLite error stands for (another writer holds the lock past the busy timeout,
    the disk is full or failing), or None for any other error (no such table, a syntax error: a bug, not this)."""
    if not sqlite_connection.transient(exc):
        return None
    text = str(exc).lower()
    return StoreUnavailable(
        f"The database cannot take the request right now ({text}); nothing was done. Send it again in a moment."
    )


def connect(path: Path) -> sqlite3.Connection:
    """The ledger's connection (`sqlite_connection.connect`), with foreign keys enforced on the service's tables."""
    conn = sqlite_connection.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


class Database:
    """Thread-pooled access to the SQLite file; `await db.run(fn, ...)` calls `fn(conn, ...)` off the loop."""

    def __init__(self, path: Path, threads: int = 4) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sqlite")

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(conn, *args, **kwargs)` in the calling thread (for threads and processes outside the event loop); a
        transient SQLite failure is a StoreUnavailable."""
        try:
            return fn(self._connection(), *args, **kwargs)
        except sqlite3.OperationalError as exc:
            unavailable = store_unavailable(exc)
            if unavailable is None:
                raise
            raise unavailable from exc

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(self.call, fn, *args, **kwargs))

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()


def transaction(conn: sqlite3.Connection) -> Immediate:
    """`with transaction(conn):` — BEGIN IMMEDIATE so read-modify-write sequences never race another writer."""
    return Immediate(conn)
