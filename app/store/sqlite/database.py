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
from payments.ledger.sqlite import TRANSIENT  # the same file: the same words for "not now"

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000


def store_unavailable(exc: sqlite3.OperationalError) -> StoreUnavailable | None:
    """The StoreUnavailable a transient SQLite error stands for (another writer holds the lock past the busy timeout,
    the disk is full or failing), or None for any other error (no such table, a syntax error: a bug, not this)."""
    text = str(exc).lower()
    if not any(word in text for word in TRANSIENT):
        return None
    return StoreUnavailable(
        f"The database cannot take the request right now ({text}); nothing was done. Send it again in a moment."
    )


def connect(path: Path) -> sqlite3.Connection:
    """A connection tuned for many short transactions from several processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: switching to WAL waits for other writers
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes; WAL keeps it consistent
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


def transaction(conn: sqlite3.Connection) -> _Transaction:
    """`with transaction(conn):` — BEGIN IMMEDIATE so read-modify-write sequences never race another writer."""
    return _Transaction(conn)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:  # a failed COMMIT (disk full) is rolled back by SQLite itself
            self.conn.execute("ROLLBACK")
