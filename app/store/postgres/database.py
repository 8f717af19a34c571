"""The PostgreSQL database of the service: an async pool of autocommit connections (psycopg 3), shared with the
payments ledger, and the one place where an unreachable server becomes `StoreUnavailable` (a transaction cut short by
it rolls back: nothing is half-written)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import psycopg

from app.errors import StoreUnavailable
from payments.ledger.postgres import pool_for

T = TypeVar("T")
log = logging.getLogger("forge402.store")


class PgDatabase:
    def __init__(self, url: str, max_size: int = 10, timeout: float = 5.0) -> None:
        self.url = url
        self.pool = pool_for(url, max_size=max_size, timeout=timeout)
        self._checking: asyncio.Task[None] | None = None

    async def open(self) -> None:
        try:
            await self.pool.open(wait=True, timeout=30)
        except psycopg.OperationalError as exc:  # PoolTimeout included
            raise StoreUnavailable(f"PostgreSQL cannot be reached ({type(exc).__name__})") from exc

    async def close(self) -> None:
        await self.pool.close()

    async def run(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """`await fn(conn, *args, **kwargs)` on a pooled connection."""
        try:
            async with self.pool.connection() as conn:
                return await fn(conn, *args, **kwargs)
        except psycopg.OperationalError as exc:
            self._check_idle()
            raise StoreUnavailable() from exc

    def _check_idle(self) -> None:
        """After a lost connection, the server may have restarted: test the idle connections once, in the background,
        so the next requests get working ones instead of each finding a dead one."""
        if self._checking is None or self._checking.done():
            self._checking = asyncio.create_task(self._check())

    async def _check(self) -> None:
        try:
            await self.pool.check()
        except Exception as exc:  # the server is still away: the next failure checks again
            log.debug("pool check failed: %s", exc)
