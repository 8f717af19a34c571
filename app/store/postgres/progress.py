"""An engine process's writes on PostgreSQL: one synchronous connection per engine process (it has no event loop),
opened on its first job and opened again after the server went away. Progress is best effort: a write that fails
while the database is down is dropped (the next one, or the finished job, says more)."""

from __future__ import annotations

import logging
from typing import Any

import psycopg

from app.store.postgres.jobs import PROGRESS, progress_args
from app.store.postgres.retopo_results import UPSERT
from app.store.records import Figures, retopo_values

log = logging.getLogger("forge402.engine")


class PostgresProgress:
    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: psycopg.Connection[Any] | None = None

    def _execute(self, sql: str, args: tuple[Any, ...]) -> None:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.url, autocommit=True)
        try:
            self._conn.execute(sql, args)
        except psycopg.OperationalError:
            self._conn.close()
            self._conn = None
            raise

    def report_progress(self, job_id: str, owner: str, step: str, progress: int) -> None:
        try:
            self._execute(PROGRESS, progress_args(job_id, owner, step, progress))
        except psycopg.OperationalError as exc:
            log.warning("progress of %s not recorded: %s", job_id, type(exc).__name__)

    def record_retopo(self, job_id: str, fig: Figures) -> None:
        self._execute(UPSERT, retopo_values(job_id, fig))
