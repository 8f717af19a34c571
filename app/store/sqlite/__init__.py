"""The store on SQLite (the embedded default): one file in the data directory, shared by the processes of one
machine (`serve --workers N`). Waiters in other processes are not woken: they read again after a short poll."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.store.seam import Concepts, StoreHandle, bind
from app.store.sqlite.database import Database
from app.store.sqlite.schema import APP
from payments.ledger import SqliteLedger
from payments.ledger.listener import Signals
from payments.ledger.migrations import migrate_sqlite


class SqliteStore(Concepts):
    kind = "sqlite"
    idle_poll_seconds = 1.0  # jobs queued by another process are found this late at most
    finished_poll_seconds = 0.1

    def __init__(self, path: Path, threads: int = 4) -> None:
        self.path = path
        self.db = Database(path, threads)
        self.handle = StoreHandle(f"sqlite:///{path}")
        self.signals = Signals()
        bind(self, self.db.run, __name__)

    async def open(self) -> None:
        self.applied = await self.db.run(migrate_sqlite, APP)

    async def close(self) -> None:
        self.db.close()

    async def ping(self) -> None:
        await self.db.run(lambda conn: conn.execute("SELECT 1").fetchone())

    def ledger(self) -> Any:
        return SqliteLedger(self.path)
