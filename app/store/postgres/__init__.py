"""The store on PostgreSQL, for several processes on several machines: one database for every API node and worker.

Its connections: an async pool (shared with the payments ledger) and one LISTEN connection per process, which wakes
idle workers when a job is queued and callers when a job they wait on ends (and the ledger's waiters, see
`payments.ledger.postgres`). `idle_poll_seconds` and `finished_poll_seconds` are only safety nets.
"""

from __future__ import annotations

from typing import Any

from app.store.jobs import FINISHED, QUEUED
from app.store.postgres.database import PgDatabase
from app.store.postgres.schema import APP
from app.store.seam import Concepts, StoreHandle, bind
from payments.ledger.listener import Listener
from payments.ledger.migrations import migrate_postgres
from payments.ledger.postgres import CHANNELS as LEDGER_CHANNELS
from payments.ledger.postgres import PostgresLedger


class PostgresStore(Concepts):
    kind = "postgres"
    idle_poll_seconds = 15.0  # a queued job is notified; this only covers a notification lost to a reconnect
    finished_poll_seconds = 2.0

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = url
        self.db = PgDatabase(url, max_size=pool_size)
        self.handle = StoreHandle(url)
        self.listener = self.signals = Listener(url, [QUEUED, FINISHED, *LEDGER_CHANNELS])
        bind(self, self.db.run, __name__)
        self._ledger: Any = None

    async def open(self) -> None:
        await self.db.open()
        self.applied = await self.db.run(migrate_postgres, APP)
        await self.listener.start()

    async def close(self) -> None:
        await self.listener.stop()
        await self.db.close()

    async def ping(self) -> None:
        await self.db.run(lambda conn: conn.execute("SELECT 1"))

    def ledger(self) -> Any:
        """The ledger on this database, sharing the pool and the listener (which listens on its channels too)."""
        if self._ledger is None:
            self._ledger = PostgresLedger(self.url, pool=self.db.pool, listener=self.listener)
        return self._ledger
