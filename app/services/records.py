"""A job as its view shows it: its row and what is kept beside it (its webhook and delivery attempts, a
retopology's figures, who paid for it and its refund), read in one trip to the database (a poll is the hottest
path)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from app.store import charges, jobs, refunds, retopo_results, webhooks


@dataclass(frozen=True, slots=True)
class JobRecord:
    row: dict[str, Any]
    hook: dict[str, Any] | None = None
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    retopo: dict[str, Any] | None = None
    charge: dict[str, Any] | None = None  # a paid job: who paid, how
    refund: dict[str, Any] | None = None


def with_extras(conn: sqlite3.Connection, row: dict[str, Any]) -> JobRecord:
    hook, deliveries = webhooks.of_job(conn, row["id"])
    finished_retopo = row["mode"] == "retopo" and row["status"] == "done"
    retopo = retopo_results.get(conn, row["id"]) if finished_retopo else None
    charge = charges.get(conn, row["id"]) if row["lane"] == "paid" else None
    refund = refunds.get(conn, row["id"]) if charge is not None and charge["state"] == "refunded" else None
    return JobRecord(row, hook, deliveries, retopo, charge, refund)


def load(conn: sqlite3.Connection, job_id: str) -> JobRecord | None:
    row = jobs.get(conn, job_id)
    return None if row is None else with_extras(conn, row)
