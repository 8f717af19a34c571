"""An engine process's writes on SQLite: its own connection to the file, kept for every job it builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.store.sqlite.database import connect
from app.store.sqlite.jobs import report_progress
from app.store.sqlite.retopo_results import record


class SqliteProgress:
    def __init__(self, path: str) -> None:
        self.conn = connect(Path(path))

    def report_progress(self, job_id: str, owner: str, step: str, progress: int) -> None:
        report_progress(self.conn, job_id, owner, step, progress)

    def record_retopo(self, job_id: str, fig: Any) -> None:
        record(self.conn, job_id, fig)
