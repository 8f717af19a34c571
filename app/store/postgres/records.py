"""A job with what is kept beside it (webhook, deliveries, retopology figures, charge, refund), read on one pooled
connection."""

from __future__ import annotations

from typing import Any

from app.store.postgres import charges, jobs, refunds, retopo_results, webhooks
from app.store.records import JobRecord, wants_charge, wants_refund, wants_retopo


async def extras(conn: Any, row: dict[str, Any]) -> JobRecord:
    hook, deliveries = await webhooks.of_job(conn, row["id"])
    retopo = await retopo_results.get(conn, row["id"]) if wants_retopo(row) else None
    charge = await charges.get(conn, row["id"]) if wants_charge(row) else None
    refund = await refunds.get(conn, row["id"]) if wants_refund(charge) else None
    return JobRecord(row, hook, deliveries, retopo, charge, refund)


async def extras_of(conn: Any, rows: list[dict[str, Any]]) -> list[JobRecord]:
    return [await extras(conn, row) for row in rows]


async def load(conn: Any, job_id: str) -> JobRecord | None:
    row = await jobs.get(conn, job_id)
    return None if row is None else await extras(conn, row)
