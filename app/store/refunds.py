"""Refunds of paid jobs that failed, as both backends keep them (`sqlite/refunds.py`, `postgres/refunds.py`): at most
one per job (the job id is the key), credited to the payer's balance or sent back on chain in USDC. An on-chain refund
is `pending`, then `sending` once its signed transaction is stored (before it is broadcast: a crash finds it again,
nothing is ever signed twice for one job), then `sent`; one that cannot move is credited instead."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

MOVABLE = frozenset({"tx", "raw_tx", "error", "network"})  # what `move` may also set


@dataclass(frozen=True, slots=True)
class Opened:
    refund: dict[str, Any] | None  # the job's refund (new or the one it had); None: refused, see `refused`
    created: bool = False
    refused: str | None = None  # "not_paid" | "not_failed" (the job did not fail) | "nothing_to_refund"


def new_refund(charge: dict[str, Any], job_id: str, method: str, reason: str, network: str | None,
               now: float | None) -> dict[str, Any]:  # fmt: skip
    """The refund row for `charge`: credited at once (always for credit-paid jobs), or pending on chain."""
    credited = method == "credit" or charge["method"] == "credits"
    now = time.time() if now is None else now
    return {
        "job_id": job_id,
        "address": charge["address"],
        "amount": charge["amount"],
        "method": "credit" if credited else "onchain",
        "network": None if credited else (network or charge["network"]),
        "state": "credited" if credited else "pending",
        "reason": reason,
        "created_at": now,
        "updated_at": now,
    }


def refund_memo(job_id: str, reason: str) -> str:
    return f"job {job_id} failed ({reason})"
