"""The operator's books as both backends read them (`sqlite/books.py`, `postgres/books.py`): the filters of a
payments query and the columns it returns (written with `?` placeholders; PostgreSQL's module turns them into `%s`)."""

from __future__ import annotations

from typing import Any


def where(since: float | None, until: float | None, network: str | None, payer: str | None, state: str | None,
           ) -> tuple[str, list[Any]]:  # fmt: skip
    """The WHERE clause (or "") and its arguments; `state` "settled" means settled or fulfilled, "refunded" that the
    job's refund exists."""
    clauses, args = [], []
    if since is not None:
        clauses.append("p.created_at >= ?")
        args.append(since)
    if until is not None:
        clauses.append("p.created_at < ?")
        args.append(until)
    if network:
        clauses.append("p.network = ?")
        args.append(network)
    if payer:
        clauses.append("(p.payer = ? OR p.payer = lower(?))")  # EVM payers are kept lower-cased
        args += [payer, payer]
    if state == "refunded":
        clauses.append("r.job_id IS NOT NULL")
    elif state == "settled":
        clauses.append("p.state IN ('settled', 'job_created')")
    elif state:
        clauses.append("p.state = ?")
        args.append(state)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


PAYMENT_COLUMNS = """p.key, p.payment_id, p.network, p.payer, p.amount, p.state, p.tx_hash, p.job_id, p.error_code,
    p.error_message, p.created_at, p.updated_at, p.request_json, r.method AS refund_method, r.state AS refund_state,
    r.amount AS refund_amount, r.tx AS refund_tx"""
