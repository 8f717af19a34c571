"""A limit on payments that fail, per payer and per client address.

Why. A payment that fails after verification began costs us something: an RPC simulation at least, and when it
fails at settlement (reverted on Base, landed-and-failed on Solana) our gas or fee. The paid route has no rate
limit (an honest agent pays for every call), so without this a sender could repeat failing payments at will. After
`per_payer` failures of one payer, or `per_address` failures from one client address, in a fixed window, further
paid attempts from them answer 429 too_many_failed_payments with Retry-After, before any RPC.

What counts: a payment refused on chain (verification: simulation, balance, nonce; or the source's balance at the
per-source gate) and a settlement that failed. Not counted: refusals found offline (they cost nothing), our own
limits (fee budget, busy source), a facilitator we could not reach, a settlement still pending. The payer is only
known after its signature checked out, so nobody can spend another payer's allowance; the client address is what
the service's rate limits use. Counted in the ledger, so every process shares the count. 0 turns a limit off.

A count read from the ledger is reused for up to READ_EVERY_SECONDS (a failure recorded here updates it at once), so
an honest payer's calls cost no ledger read each: the limit then holds across processes within that second.
"""

from __future__ import annotations

import time

from payments import errors
from payments.errors import PaymentDeferred
from payments.ledger import Ledger

READ_EVERY_SECONDS = 1.0
_CACHE_MAX = 10_000  # reads remembered; past it they are all forgotten (and read again)


class FailureLimit:
    def __init__(self, ledger: Ledger, per_payer: int, per_address: int, window_seconds: int) -> None:
        self.ledger = ledger
        self.limits = {"payer": per_payer, "address": per_address}
        self.window = window_seconds
        self._read: dict[tuple[str, int], tuple[float, int]] = {}  # (subject, window) → (read at, failures)

    def _subjects(self, network: str, payer: str, client: str | None) -> dict[str, int]:
        """subject → its limit, for the limits that are on."""
        subjects = {f"payer:{network}:{payer}": self.limits["payer"]}
        if client:
            subjects[f"address:{client}"] = self.limits["address"]
        return {subject: limit for subject, limit in subjects.items() if limit > 0}

    def _window_start(self) -> int:
        return int(time.time()) // self.window * self.window

    async def check(self, network: str, payer: str, client: str | None) -> None:
        """PaymentDeferred (too_many_failed_payments) when the payer or the address is over its limit."""
        subjects = self._subjects(network, payer, client)
        if not subjects:
            return
        start = self._window_start()
        counts = await self._counts(list(subjects), start)
        over = [s for s, limit in subjects.items() if counts.get(s, 0) >= limit]
        if over:
            who = "this payer" if over[0].startswith("payer:") else "your address"
            raise PaymentDeferred(
                errors.TOO_MANY_FAILED_PAYMENTS,
                f"{subjects[over[0]]} payments from {who} failed within {self.window} s; nothing was charged. "
                "Check the payer's balance before paying again.",
                start + self.window - int(time.time()),
            )

    async def _counts(self, subjects: list[str], start: int) -> dict[str, int]:
        """Failures of each subject in the window starting at `start`: from a read under READ_EVERY_SECONDS old, else
        from the ledger (one read for all of them)."""
        now = time.monotonic()
        hits = {s: self._read.get((s, start)) for s in subjects}
        fresh = {s: hit[1] for s, hit in hits.items() if hit is not None and now - hit[0] < READ_EVERY_SECONDS}
        if len(fresh) == len(subjects):
            return fresh
        counts = await self.ledger.failure_counts(subjects, start)
        if len(self._read) >= _CACHE_MAX:
            self._read.clear()
        for subject in subjects:
            self._read[(subject, start)] = (now, counts.get(subject, 0))
        return counts

    async def record(self, network: str, payer: str, client: str | None) -> None:
        subjects = self._subjects(network, payer, client)
        if subjects:
            start = self._window_start()
            await self.ledger.add_failure(list(subjects), start)
            for subject in subjects:  # counted at once here; other processes see it within READ_EVERY_SECONDS
                self._read.pop((subject, start), None)
