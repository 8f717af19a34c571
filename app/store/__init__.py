"""What persists. `open_store(settings)` gives the service its `Store` (`seam`): SQLite in the data directory (the
embedded default, `sqlite/`) or PostgreSQL when `FORGE402_DATABASE_URL` is set (`postgres/`), each a module per
persisted concept (jobs, uploads, rate limits, webhooks, provider tasks, retopology results) with the same
operations, plus versioned migrations. What both backends share without SQL: `jobs` (a planned job, ids, lease
rules), `records` (a job with its extras). Files live apart (`files`)."""

from __future__ import annotations

from pathlib import Path

from app.store.seam import Store


def open_store(database_url: str | None, data_dir: Path) -> Store:
    """The store for a database URL (postgresql://, postgres://), or SQLite in `data_dir` without one. Not opened
    yet: `await store.open()` connects and migrates."""
    if database_url:
        from app.store.postgres import PostgresStore

        return PostgresStore(database_url)
    from app.store.sqlite import SqliteStore

    return SqliteStore(data_dir / "forge402.db")  # Settings.database_path
