"""The credit ledger's rules, shared by both backends (`sqlite/credits.py`, `postgres/credits.py`): double entry,
each transaction (purchase, spend, refund, expiry, grant) two entries summing to zero, one on the wallet's account
(`wallet:<address>`) and one on an operator account:

    purchase, grant   wallet +n   operator:issued  -n     (credits sold, or given)
    spend             wallet -n   operator:earned  +n     (a generation paid with credits)
    refund            wallet +n   operator:earned  -n     (a credit-paid job that failed: its spend undone)
                      wallet +n   operator:refunded -n    (a job paid per call that failed, made good in credits)
    expiry            wallet -n   operator:expired +n

A balance is never stored: it is the sum of the account's entries. Credits outstanding are the sum over wallets (the
operator accounts sum to minus that). `(kind, ref)` is unique: a payment buys one purchase, a job has at most one
spend and one refund, whoever asks twice. A spend is checked and written under one lock (SQLite: an IMMEDIATE
transaction; PostgreSQL: the account's row locked), so no balance goes below zero whatever runs at once."""

from __future__ import annotations

from dataclasses import dataclass

WALLET = "wallet:"
ISSUED = "operator:issued"
EARNED = "operator:earned"
REFUNDED = "operator:refunded"
EXPIRED = "operator:expired"
INTO_WALLET = {"purchase": ISSUED, "grant": ISSUED, "refund": EARNED}  # kind → the other side (refund: default)
OUT_OF_WALLET = {"spend": EARNED, "expiry": EXPIRED}


@dataclass(frozen=True, slots=True)
class Spent:
    """A spend's outcome: `refused` is None when it was written, else why not ("insufficient_credits",
    "spend_cap_reached"); `balance` is the wallet's balance after it (or as it stands, refused)."""

    refused: str | None
    balance: int
    txn_id: int | None = None


def wallet(address: str) -> str:
    return WALLET + address
