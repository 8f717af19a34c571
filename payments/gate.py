"""The per-source gate: a settlement is never sent while another from the same source is in flight, unless the
source's balance provably covers all of them.

Why. Verification simulates a payment against the chain as it is *now*. A payer holding exactly one price can sign
many distinct payments (a fresh EIP-3009 nonce each; on Solana the official client puts a random memo in each) and
send them at once: each is simulated before any lands, so each passes, and each is sent. The first lands; the others
revert (Base) or land and fail (Solana), and our settling account pays every one's gas or fee, with no rate limit
on the paid route. Measured before this gate (tests/test_paid_bursts.py on the devnets): 8 payments at once from a
payer holding one price bought 1 job and cost 7 reverted transactions on Base (official Python SDK) and 7
landed-and-failed ones on Solana (official TS client), all at our expense.

How. A source is what the money leaves from: the payer on EVM (EIP-3009 moves the payer's tokens), the source token
account on Solana. Before a payment is verified on chain, its ledger row must be admitted (`Ledger.admit`, one
IMMEDIATE transaction, so it holds across processes on one ledger):

* nothing else of the source admitted and unsettled → admitted at once, no RPC call (the common case; the SQLite
  ledger admits such a row in the very transaction that reserves it, `Ledger.reserve(admit_lease_seconds=...)`);
* otherwise the source's balance is read (one RPC call; again only when the set of payments in flight changed)
  and the payment is admitted when it covers every payment in flight plus this one (a payment that settled after
  the read counts as in flight too: the balance may not show it yet). A balance below this payment
  alone refuses it at once (402 insufficient_funds); anything else waits for the payments in flight to finish,
  woken at once when they finish in this process and through the ledger for other processes, while its own
  authorization remains valid and at most WAIT_SECONDS. Then it answers 503 payment_source_busy with Retry-After.
  (Other processes: SQLite is polled every `Ledger.source_poll_seconds`; PostgreSQL notifies the source's waiters
  when one of its payments stops counting.)

Admission comes before the on-chain verification, so a payment that waited is simulated against the state the
earlier ones left: a short balance answers 402 and nothing is sent. The admitted mark needs no release: only rows
in `reserved`, `verified` or `settling` count, so a payment counts no more once it is settled or rejected, and a
row untouched for the ledger lease (its owner died) blocks nobody; start-up reconciliation settles or releases it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from payments import errors
from payments.errors import PaymentDeferred, PaymentError, PaymentRejected
from payments.ledger import Ledger, PaymentRow
from payments.ledger.base import Watch

WAIT_SECONDS = 30.0  # longest a payment waits for its source; a Solana blockhash lives ~60-90 s
BALANCE_MARGIN_SECONDS = 10.0  # a payment settled this long before a balance read may not show in it yet
BUSY_RETRY_AFTER = 2

Balance = Callable[[str], Awaitable[int]]


class SourceGate:
    """Admission per source (ledger-backed), with in-process wake-ups."""

    def __init__(self, ledger: Ledger, owner: str, lease_seconds: float) -> None:
        self.ledger = ledger
        self.owner = owner
        self.lease_seconds = lease_seconds
        self._changed: dict[tuple[str, str], asyncio.Event] = {}

    def wake(self, network: str, source: str) -> None:
        """A payment of `source` may have stopped counting: let its waiters look again."""
        event = self._changed.pop((network, source), None)
        if event is not None:
            event.set()

    async def admit(self, row: PaymentRow, balance: Balance, deadline: float) -> None:
        """Return once `row` is admitted. PaymentRejected (insufficient_funds) when the source cannot pay even this
        payment; PaymentDeferred (payment_source_busy) when `deadline` (unix time) passes first."""
        if row.admitted:  # when it was reserved (nothing else of its source was in flight), or by a former owner
            return
        seen: frozenset[str] | None = None
        while True:
            with self.ledger.watch_source(row.network, row.source) as elsewhere:  # armed before the ledger is read
                admission = await self.ledger.admit(row, self.owner, self.lease_seconds)
                if admission.admitted:
                    return
                if admission.in_flight != seen:  # first contention, or the payments in flight changed: read the balance
                    seen = admission.in_flight
                    if await self._admitted_by_balance(row, balance):
                        return
                remaining = deadline - time.time()
                if remaining <= 0:
                    raise PaymentDeferred(
                        errors.PAYMENT_SOURCE_BUSY,
                        f"another payment from {row.source} is still settling and its balance does not cover both; "
                        "nothing was charged, send this payment again in a moment",
                        BUSY_RETRY_AFTER,
                    )
                await self._wait(row.network, row.source, elsewhere, remaining)

    async def _admitted_by_balance(self, row: PaymentRow, balance: Balance) -> bool:
        read_at = time.time()
        try:
            held = await balance(row.source)
        except (PaymentError, LookupError, TypeError, ValueError):  # cannot tell (the node hiccuped, not a token
            return False  # account, an odd answer): wait, as without a balance
        if held < row.amount:
            raise PaymentRejected(
                errors.INSUFFICIENT_FUNDS, f"the source {row.source} holds {held}, less than {row.amount}", row.payer
            )
        admission = await self.ledger.admit(row, self.owner, self.lease_seconds, held, read_at, BALANCE_MARGIN_SECONDS)
        return admission.admitted

    async def _wait(self, network: str, source: str, elsewhere: Watch, timeout: float) -> None:
        """Until a payment of the source stops counting here (in-process wake-up) or in another process (the ledger
        notifies it, or is polled), or `timeout`."""
        event = self._changed.setdefault((network, source), asyncio.Event())
        here = asyncio.ensure_future(event.wait())
        there = asyncio.ensure_future(elsewhere.wait(timeout))
        try:
            await asyncio.wait({here, there}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (here, there):
                waiter.cancel()
            await asyncio.gather(here, there, return_exceptions=True)
