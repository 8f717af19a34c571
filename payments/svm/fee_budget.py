"""The Solana fee payer's budget: the lamports it may spend on transactions per minute, per network.

Why. Our fee payer pays every transaction it co-signs, landed or failed: 5000 lamports per signature plus the
priority fee. Whatever slips past the per-source gate and the failure limit (a payer racing us from elsewhere,
many fresh payers) is bounded here: past the budget, a Solana payment answers 503 fee_budget_exhausted with
Retry-After (the Solana requirement still shows in the 402: the lane is only paused until the minute turns), and
nothing is co-signed or sent, so the fee payer is never emptied and every later settlement can still be paid.

Each transaction is counted when it is about to be sent (atomic check-and-add in the ledger, shared by every
process), not when it is verified: a payment refused before sending costs nothing and spends nothing, so failing
payments cannot close the lane. A payment is also checked before it is co-signed, so an exhausted budget answers
at once. 0 means no budget.
"""

from __future__ import annotations

import time

from payments import errors
from payments.errors import PaymentDeferred
from payments.ledger import Ledger

WINDOW_SECONDS = 60


class FeeBudget:
    def __init__(self, ledger: Ledger, network: str, lamports_per_minute: int) -> None:
        self.ledger = ledger
        self.network = network
        self.budget = lamports_per_minute

    @staticmethod
    def _window_start() -> int:
        return int(time.time()) // WINDOW_SECONDS * WINDOW_SECONDS

    def _exhausted(self, start: int, spent: int) -> PaymentDeferred:
        return PaymentDeferred(
            errors.FEE_BUDGET_EXHAUSTED,
            f"this server's Solana fee budget is spent: its fee payer has paid {spent} of the {self.budget} "
            "lamports it may spend on transaction fees per minute, so Solana payments pause until the minute "
            "turns; nothing was charged. Send the payment again after Retry-After, or pay on another network of "
            "the 402.",
            start + WINDOW_SECONDS - int(time.time()),
        )

    async def check(self, lamports: int) -> None:
        """PaymentDeferred (fee_budget_exhausted) when a transaction of `lamports` would not fit this minute."""
        if not self.budget:
            return
        start = self._window_start()
        spent = await self.ledger.fees_spent(self.network, start)
        if spent + lamports > self.budget:
            raise self._exhausted(start, spent)

    async def spend(self, lamports: int) -> None:
        """Count a transaction about to be sent; PaymentDeferred (nothing counted) when it does not fit."""
        if not self.budget:
            return
        start = self._window_start()
        if not await self.ledger.spend_fee(self.network, start, lamports, self.budget):
            raise self._exhausted(start, await self.ledger.fees_spent(self.network, start))
