"""The store backends the tests run on. A test module that touches the store runs on both: it uses the `db_backend`
fixture (`pytestmark = pytest.mark.usefixtures("db_backend")`, or takes it as a parameter), a module-scoped fixture
parametrized over SQLite and PostgreSQL. While it is set, every server the tests start (`tests.live.LiveServer`,
`tests.inprocess.InProcessServer`) and every ledger they open (`ledger_for`) use that backend: on PostgreSQL a
database of their own per data directory (`tests.postgres`), as SQLite keeps one file per data directory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.store import open_store
from app.store.seam import Store
from tests.postgres import Cluster

TEST_SECRET = "forge402-test-secret-shared-by-every-node"


@dataclass(frozen=True)
class Backend:
    name: str  # "sqlite" | "postgres"
    cluster: Cluster | None = None

    def database_url(self, data_dir: Path) -> str | None:
        """The PostgreSQL database of the server in `data_dir` (None on SQLite: the file in the data directory)."""
        return self.cluster.database(data_dir.resolve()) if self.cluster is not None else None

    def server_env(self, data_dir: Path) -> dict[str, str]:
        """What a server in `data_dir` needs to run on this backend."""
        url = self.database_url(data_dir)
        return {"FORGE402_DATABASE_URL": url, "FORGE402_SECRET": TEST_SECRET} if url else {}

    @asynccontextmanager
    async def opened(self, data_dir: Path) -> AsyncIterator[Store]:
        """The store of a server in `data_dir` on this backend, open (its schema migrated) for the block."""
        store = open_store(self.database_url(data_dir), data_dir)
        await store.open()
        try:
            yield store
        finally:
            await store.close()

    def ledger_for(self, path: Path) -> Path | str:
        """What a PaymentGateway takes as its ledger: the SQLite file, or a PostgreSQL database named after it."""
        return self.cluster.database(path.resolve()) if self.cluster is not None else path

    def execute(self, data_dir: Path, sql: str, *args: Any) -> None:
        """Run `sql` (with ? placeholders) on the database of the server in `data_dir`."""
        self._execute(self.database_url(data_dir) or data_dir / "forge402.db", sql, args)

    def ledger_execute(self, path: Path, sql: str, *args: Any) -> None:
        """Run `sql` (with ? placeholders) on the ledger `ledger_for(path)` names (a test playing a dead owner)."""
        self._execute(self.ledger_for(path), sql, args)

    @staticmethod
    def _execute(where: Path | str, sql: str, args: tuple[Any, ...]) -> None:
        if isinstance(where, Path):
            with sqlite3.connect(where) as conn:
                conn.execute(sql, args)
            return
        import psycopg

        with psycopg.connect(where, autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), args)

    def rows(self, data_dir: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Rows of `sql` (with ? placeholders) in the database of the server in `data_dir`."""
        return [tuple(row.values()) for row in self.dicts(data_dir, sql, *args)]

    def dicts(self, data_dir: Path, sql: str, *args: Any) -> list[dict[str, Any]]:
        """The same, each row a dict."""
        url = self.database_url(data_dir)
        if url is None:
            with sqlite3.connect(data_dir / "forge402.db") as conn:
                conn.row_factory = sqlite3.Row
                return [dict(row) for row in conn.execute(sql, args)]
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(url, row_factory=dict_row) as conn:
            return list(conn.execute(sql.replace("?", "%s"), args).fetchall())

    def value(self, data_dir: Path, sql: str, *args: Any) -> Any:
        """The one value `sql` selects."""
        return self.rows(data_dir, sql, *args)[0][0]


SQLITE = Backend("sqlite")
_current = [SQLITE]


def current() -> Backend:
    """The backend of the test that runs now (SQLite unless a `db_backend` fixture says otherwise)."""
    return _current[0]


def use(backend: Backend) -> None:
    _current[0] = backend
