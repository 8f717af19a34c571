"""A job with what is kept beside it (webhook, deliveries, retopology figures, charge, refund), read on one
connection."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.store.records import JobRecord, wants_charge, wants_refund, wants_retopo
from app.store.sqlite import charges, jobs, refunds, retopo_results, webhooks


def extras(conn: sqlite3.Connection, row: dict[str, Any]) -> JobRecord:
    hook, deliveries = webhooks.of_job(conn, row["id"])
    retopo = retopo_results.get(conn, row["id"]) if wants_retopo(row) else None
    charge = charges.get(conn, row["id"]) if wants_charge(row) else None
    refund = refunds.get(conn, row["id"]) if wants_refund(charge) else None
    return JobRecord(row, hook, deliveries, retopo, charge, refund)


def extras_of(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> list[JobRecord]:
    return [extras(conn, row) for row in rows]


def load(conn: sqlite3.Connection, job_id: str) -> JobRecord | None:
    row = jobs.get(conn, job_id)
    return None if row is None else extras(conn, row)
