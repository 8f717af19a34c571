"""Versioned schema migrations: each component (the ledger here; the service's store uses the same runner for its
own tables) has an ordered list of steps per dialect, and one table, `schema_migrations`, records how far each
component's schema has come. Every step runs once, in order; a database whose schema is newer than this code knows
is refused (`SchemaTooNew`), so an old node never writes into a schema it does not understand.

Concurrency: processes that start together (uvicorn workers, several nodes) migrate one at a time and the later ones
find nothing left to do. SQLite: under BEGIN IMMEDIATE (DDL is transactional). PostgreSQL: in one transaction that
first takes a transaction-level advisory lock. A failed step rolls its whole migration back.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from payments.ledger.sqlite_connection import Immediate

TABLE = "schema_migrations"
ADVISORY_LOCK = 402_402_001  # pg_advisory_xact_lock key serialising migrations across processes and nodes
SqliteStep = Sequence[str] | Callable[[sqlite3.Connection], None]  # statements, or a function for what SQL cannot say


@dataclass(frozen=True)
class Component:
    """A named set of tables and the steps that build them, in one dialect: SQLite steps are statements or functions,
    PostgreSQL steps SQL scripts. Each backend module declares its own (the SQL differs by dialect)."""

    name: str
    steps: Sequence[SqliteStep] | Sequence[str]


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer release than this one."""

    def __init__(self, component: str, found: int, known: int) -> None:
        super().__init__(
            f"the database's {component} schema is at version {found}, newer than this release knows ({known}); "
            "run the newer release here, or point this one at another database"
        )
        self.component, self.found, self.known = component, found, known


@dataclass(frozen=True)
class Applied:
    component: str
    before: int
    after: int


def _check(component: Component, found: int, known: int) -> None:
    if found > known:
        raise SchemaTooNew(component.name, found, known)


# ---- SQLite -------------------------------------------------------------------------------------------------------


def sqlite_version(conn: sqlite3.Connection, component: str) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone()
    if not exists:
        return 0
    row = conn.execute(f"SELECT version FROM {TABLE} WHERE component = ?", (component,)).fetchone()
    return int(row[0]) if row else 0


def migrate_sqlite(conn: sqlite3.Connection, component: Component) -> Applied:
    """Apply the pending steps of `component` (autocommit connection: `isolation_level=None`)."""
    with Immediate(conn):
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (component TEXT PRIMARY KEY, version INTEGER NOT NULL, "
            "applied_at REAL NOT NULL)"
        )
        found, known = sqlite_version(conn, component.name), len(component.steps)
        _check(component, found, known)
        for step in component.steps[found:]:
            if callable(step):
                step(conn)
            else:
                for statement in step:  # type: ignore[union-attr]
                    conn.execute(statement)
        if known > found:
            conn.execute(
                f"INSERT INTO {TABLE} (component, version, applied_at) VALUES (?, ?, ?) ON CONFLICT (component) "
                "DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at",
                (component.name, known, time.time()),
            )
    return Applied(component.name, found, known)


# ---- PostgreSQL ---------------------------------------------------------------------------------------------------


async def postgres_version(conn: Any, component: str) -> int:
    """`conn`: a psycopg AsyncConnection (any row factory)."""
    from psycopg.rows import tuple_row

    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute("SELECT to_regclass(%s) IS NOT NULL", (TABLE,))
    if not (await cur.fetchone())[0]:
        return 0
    await cur.execute(f"SELECT version FROM {TABLE} WHERE component = %s", (component,))
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def migrate_postgres(conn: Any, component: Component) -> Applied:
    """Apply the pending steps of `component` in one transaction, under the migrations' advisory lock."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK,))
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (component TEXT PRIMARY KEY, version INTEGER NOT NULL, "
            "applied_at DOUBLE PRECISION NOT NULL)"
        )
        found, known = await postgres_version(conn, component.name), len(component.steps)
        _check(component, found, known)
        for script in component.steps[found:]:
            await conn.execute(script)
        if known > found:
            await conn.execute(
                f"INSERT INTO {TABLE} (component, version, applied_at) VALUES (%s, %s, %s) ON CONFLICT (component) "
                "DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at",
                (component.name, known, time.time()),
            )
    return Applied(component.name, found, known)
