"""Moving a single-machine deployment to PostgreSQL (`forge402 migrate --from-sqlite PATH`): jobs, the payment ledger
with every state, uploads, webhooks and their deliveries, provider tasks, retopology results, accounts with their API
keys, the credit ledger, charges and refunds are copied into the database of `FORGE402_DATABASE_URL`. Idempotent: a
row already there (same key) is left as it is, so the copy may be run again, e.g. once more after the last
single-machine process stopped. Rate-limit windows, heartbeats and used sign-in nonces are not copied (they are worth
nothing minutes later); a settling payment's owner then has no heartbeat on PostgreSQL, so the first node to start
reconciles it, as a restart would.

Files are not moved by this: models, thumbnails and uploads stay where the storage setting puts them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app.store.sqlite.database import connect
from app.store.sqlite.schema import APP as SQLITE_APP
from payments.ledger.migrations import migrate_sqlite
from payments.ledger.sqlite import LEDGER as SQLITE_LEDGER

TABLES = (
    "jobs",
    "uploads",
    "provider_tasks",
    "webhooks",
    "webhook_deliveries",
    "retopo_results",
    "accounts",
    "api_keys",
    "credit_txns",
    "credit_entries",
    "job_charges",
    "refunds",
    "payments",
    "payment_failures",
    "fee_spend",
    "evm_nonces",
    "evm_free_nonces",
    "evm_outbox",
)
# a copied counter must never go back: the larger next nonce wins
MERGE = {
    "evm_nonces": "ON CONFLICT (sender) DO UPDATE SET next_nonce = greatest(evm_nonces.next_nonce, excluded.next_nonce)"
}
BATCH = 500


def _read(path: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every table's columns and rows, from the SQLite file brought to this release's schema first."""
    conn = connect(path)
    try:
        migrate_sqlite(conn, SQLITE_APP)
        migrate_sqlite(conn, SQLITE_LEDGER)
        found: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        for table in TABLES:
            cur = conn.execute(f"SELECT * FROM {table}")
            found[table] = ([d[0] for d in cur.description], [tuple(r) for r in cur.fetchall()])
        return found
    finally:
        conn.close()


async def copy_sqlite_to_postgres(path: Path, url: str) -> dict[str, tuple[int, int]]:
    """Copy the SQLite database at `path` into PostgreSQL at `url` (migrated first); per table (read, new) rows."""
    from app.store.postgres import PostgresStore

    source = await asyncio.to_thread(_read, path)
    store = PostgresStore(url, pool_size=2)
    ledger = store.ledger()
    await store.open()
    await ledger.open()
    copied: dict[str, tuple[int, int]] = {}
    try:
        async with store.db.pool.connection() as conn, conn.transaction():
            for table, (columns, rows) in source.items():
                copied[table] = (len(rows), await _insert(conn, table, columns, rows))
            for table in ("webhook_deliveries", "credit_txns"):  # new rows number on after the copied ones
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
    finally:
        await ledger.close()
        await store.close()
    return copied


async def _insert(conn: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> int:
    if not rows:
        return 0
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) {MERGE.get(table, 'ON CONFLICT DO NOTHING')}"
    added = 0
    for start in range(0, len(rows), BATCH):
        async with conn.cursor() as cur:
            await cur.executemany(sql, rows[start : start + BATCH])
            added += max(cur.rowcount, 0)
    return added
