"""The payment ledger: its interface and rows (`base`), and two implementations: `SqliteLedger` (one machine, the
embedded default) and `PostgresLedger` (several processes on several machines). `ledger_at` picks one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from payments.errors import LedgerUnavailable  # a deferral: answered 503 store_unavailable
from payments.ledger.base import (
    IN_FLIGHT,
    SETTLED,
    STATES,
    UNSETTLED,
    Admission,
    Ledger,
    LostOwnership,
    NewPayment,
    NonceUnknown,
    PaymentRow,
    Reservation,
    new_job_id,
)
from payments.ledger.sqlite import SqliteLedger

__all__ = [
    "IN_FLIGHT",
    "SETTLED",
    "STATES",
    "UNSETTLED",
    "Admission",
    "Ledger",
    "LedgerUnavailable",
    "LostOwnership",
    "NewPayment",
    "NonceUnknown",
    "PaymentRow",
    "Reservation",
    "SqliteLedger",
    "ledger_at",
    "new_job_id",
]


def ledger_at(where: Ledger | Path | str, **options: Any) -> Ledger:
    """A ledger: an instance as it is, a PostgreSQL URL (postgresql:// or postgres://), or a SQLite file's path."""
    if isinstance(where, Ledger):
        return where
    if isinstance(where, str) and where.startswith(("postgresql://", "postgres://")):
        from payments.ledger.postgres import PostgresLedger

        return PostgresLedger(where, **options)
    return SqliteLedger(Path(where))
