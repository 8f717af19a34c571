"""An engine process's writes on SQLite: its own connection to the file, kept for every job it builds. Progress is
best effort: a write the database cannot take now (locked by another writer, the disk full) is dropped, the build
goes on (the next one, or the finished job, says more)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from app.store.sqlite.database import connect, store_unavailable
from app.store.sqlite.jobs import report_progress
from app.store.sqlite.retopo_results import record

log = logging.getLogger("forge402.engine")


class SqliteProgress:
    def __init__(self, path: str) -> None:
        self.conn = connect(Path(path))

    def report_progress(self, job_id: str, owner: str, step: str, progress: int) -> None:
        try:
            report_progress(self.conn, job_id, owner, step, progress)
        except sqlite3.OperationalError as exc:
            if store_unavailable(exc) is None:
                raise
            log.warning("progress of %s not recorded: %s", job_id, exc)

    def record_retopo(self, job_id: str, fig: Any) -> None:
        record(self.conn, job_id, fig)
