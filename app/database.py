"""The embedded store: one SQLite database (WAL) shared by every worker process of the service.

Queries are short, but SQLite can wait on a lock, so the event loop never runs them itself: `Database.run`
hands a function to a small thread pool in which each thread keeps its own connection.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import sqlite_utils

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000


def connect(path: Path) -> sqlite3.Connection:
    """A connection tuned for many short transactions from several processes."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes; WAL keeps it consistent
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def create_schema(path: Path) -> None:
    """Create every table and index the service uses; idempotent, safe to run at each start."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    try:
        db = sqlite_utils.Database(conn)
        db["jobs"].create(
            {
                "id": str,
                "creation_id": str,
                "lane": str,  # free | paid
                "mode": str,  # text_to_3d | image_to_3d | multiview_to_3d
                "tier": str,
                "backend": str,
                "seed": int,
                "request_json": str,
                "status": str,  # queued | running | done | failed
                "step": str,  # image | mesh | finish
                "progress": int,
                "eta_seconds": int,
                "recipe": str,
                "faces": int,
                "notes_json": str,
                "error_code": str,
                "error_message": str,
                "attempts": int,
                "lease_owner": str,
                "lease_expires_at": float,
                "submitted_at": float,
                "started_at": float,
                "finished_at": float,
            },
            pk="id",
            not_null={"creation_id", "lane", "mode", "tier", "backend", "request_json", "status", "submitted_at"},
            defaults={"progress": 0, "attempts": 0, "notes_json": "[]"},
            if_not_exists=True,
        )
        db["jobs"].create_index(["status", "submitted_at"], if_not_exists=True)
        db["uploads"].create(
            {
                "id": str,  # random, >= 128 bits; also the file name under <data_dir>/uploads
                "source": str,  # slot (PUT by a client) | fetch (an image_url we downloaded)
                "content_type": str,  # image/png | image/jpeg | image/webp
                "size_bytes": int,  # declared (slot) or actual (fetch)
                "status": str,  # pending | receiving | stored | rejected
                "created_at": float,
                "slot_expires_at": float,
                "stored_at": float,
                "expires_at": float,  # the image is served and used until then
                "width": int,
                "height": int,
                "sha256": str,
            },
            pk="id",
            not_null={"source", "content_type", "size_bytes", "status", "created_at", "expires_at"},
            if_not_exists=True,
        )
        db["uploads"].create_index(["expires_at"], if_not_exists=True)
        db["rate_limits"].create(
            {"bucket": str, "window_start": int, "hits": int},
            pk=("bucket", "window_start"),
            if_not_exists=True,
        )
        # provider backends: the provider's task id per job, so a restart resumes polling instead of paying twice
        db["provider_tasks"].create(
            {"job_id": str, "backend": str, "task_id": str, "created_at": float}, pk="job_id", if_not_exists=True
        )
        # webhooks: one row per job that asked for one, and every delivery attempt
        db["webhooks"].create(
            {"job_id": str, "url": str, "base_url": str, "state": str, "owner": str, "lease_expires_at": float},
            pk="job_id",
            defaults={"state": "pending"},
            if_not_exists=True,
        )
        db["webhooks"].create_index(["state"], if_not_exists=True)
        db["webhook_deliveries"].create(
            {"id": int, "job_id": str, "event": str, "attempt": int, "at": float, "status_code": int,
             "error": str, "duration_ms": int},
            pk="id",
            if_not_exists=True,
        )  # fmt: skip
        db["webhook_deliveries"].create_index(["job_id"], if_not_exists=True)
        # retopology: what the result measured
        db["retopo_results"].create(
            {"job_id": str, "source_faces": int, "faces": int, "quads": int, "triangles": int, "quad_ratio": float,
             "watertight": int, "formats": str, "textured": int},
            pk="job_id",
            if_not_exists=True,
        )  # fmt: skip
    finally:
        conn.close()


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

    def call(self, fn: Callable[..., T], *args: object) -> T:
        """Run `fn(conn, *args)` in the calling thread (for threads and processes outside the event loop)."""
        return fn(self._connection(), *args)

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.call, fn, *args)

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
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
