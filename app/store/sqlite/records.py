"""A job with what is kept beside it (webhook, deliveries, retopology figures), read on one connection."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.store.records import JobRecord, wants_retopo
from app.store.sqlite import jobs, retopo_results, webhooks


def extras(conn: sqlite3.Connection, row: dict[str, Any]) -> JobRecord:
    hook, deliveries = webhooks.of_job(conn, row["id"])
    return JobRecord(row, hook, deliveries, retopo_results.get(conn, row["id"]) if wants_retopo(row) else None)


def load(conn: sqlite3.Connection, job_id: str) -> JobRecord | None:
    row = jobs.get(conn, job_id)
    return None if row is None else extras(conn, row)
