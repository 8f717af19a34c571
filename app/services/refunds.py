"""Making good on paid jobs that failed. A charge (`job_charges`) stays open while its job runs; the keeper closes
it once the job ends: kept when the job is done, refunded when it failed after failover (or was never created:
the process died between payment and job). A refund is credited to the payer's balance (always for credit-paid
jobs) or, with `FORGE402_REFUND_MODE=onchain` and a refund wallet on the payment's network, sent back in USDC.

Everything is idempotent per job: one refund row per job, whoever asks (the keeper, the operator, twice at once).
On-chain refunds are sent by a `RefundSender` (built by the paid lane over `payments/`), from a wallet of their own:
`pending` → `sending` (its signed transaction stored before the broadcast) → `sent`; a crash finds `sending`
refunds again and looks them up on chain, never signing a second transaction for a job."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol

from app.config import Settings
from app.errors import Conflict, NotFound
from app.store.seam import Store

log = logging.getLogger("forge402.refunds")

ORPHAN_SECONDS = 120.0  # a charge whose job was never created is refunded after this long (the hand-over died)
CLAIM_SECONDS = 120.0  # a claimed on-chain refund with no transaction after this long: its claimant died
EXPIRY_EVERY_SECONDS = 3600.0  # how often unused credits are looked for (when they expire at all)

Signed = Callable[[str, str], Awaitable[None]]  # (tx, raw): stores the signed transaction before it is broadcast


class RefundNotSent(Exception):
    """The on-chain refund moved nothing and will not: the node refused it, or it reverted."""


class RefundInFlight(Exception):
    """The refund's transaction is out but not confirmed yet."""


class RefundSender(Protocol):
    """Sends USDC back on chain from the refund wallet (one per network it serves)."""

    def serves(self, network: str) -> bool: ...

    async def send(self, refund: dict[str, Any], on_signed: Signed) -> str:
        """Sign, store (`on_signed`), broadcast and wait for the refund's transfer; its transaction. RefundNotSent:
        nothing moved; RefundInFlight: sent, not confirmed yet."""

    async def signed(self, refund: dict[str, Any]) -> tuple[str, str] | None:
        """(tx, raw) the sender stored for this refund before a crash kept it from the refund's row, if any."""

    async def check(self, refund: dict[str, Any]) -> Literal["sent", "failed", "pending", "lost"]:
        """Where a stored transaction stands on chain (re-sending the same bytes while they can land); `lost`: it
        never landed and never can (sign it anew)."""

    async def close(self) -> None: ...


class Refunds:
    def __init__(self, store: Store, settings: Settings, sender: RefundSender | None = None) -> None:
        self.store = store
        self.settings = settings
        self.sender = sender
        self._task: asyncio.Task[None] | None = None
        self._sending: set[str] = set()  # on-chain refunds this process is sending right now
        self._last_expiry = 0.0

    # ---- one refund ---------------------------------------------------------------------------------------------

    def method_for(self, charge: dict[str, Any], asked: str | None = None) -> str:
        """`credit`, or `onchain` when asked (or configured) for a per-call payment on a network we refund on."""
        wanted = asked or self.settings.refund_mode
        onchain = wanted == "onchain" and charge["method"] == "x402" and self.sender is not None
        return "onchain" if onchain and self.sender.serves(charge["network"] or "") else "credit"

    async def make_good(
        self, job_id: str, reason: str, method: str | None = None, *, require_failed: bool = True
    ) -> dict[str, Any]:
        """Refund the paid job `job_id` once (a second call returns the first refund); on-chain refunds are sent
        before this returns when possible. NotFound: not a paid job; Conflict: it did not fail."""
        charge = await self.store.charges.get(job_id)
        if charge is None:
            raise NotFound("not_a_paid_job", f"Job '{job_id[:80]}' was not paid for: there is nothing to refund.")
        opened = await self.store.refunds.open_for(
            job_id, self.method_for(charge, method), reason, require_failed=require_failed
        )
        if opened.refused == "not_failed":
            raise Conflict("job_not_failed", "Only a paid job that failed is refunded; this one did not fail.")
        if opened.refund is None:
            raise Conflict("nothing_to_refund", "This job's charge is closed and has no refund.")
        refund = opened.refund
        if opened.created:
            log.info("job %s refunded (%s, %d atomics to %s)", job_id, refund["method"], refund["amount"],
                     refund["address"])  # fmt: skip
        if refund["state"] == "pending":
            await self._send(refund)
            refund = await self.store.refunds.get(job_id)
        return refund

    async def _send(self, refund: dict[str, Any]) -> None:
        """Claim a `pending` refund (`pending` → `sending`: of several processes one wins) and send it; its signed
        transaction is stored on the refund before anyone waits on it (`on_signed`)."""
        job_id = refund["job_id"]
        if self.sender is None or job_id in self._sending:
            return
        if not await self.store.refunds.move(job_id, "pending", "sending", error=None):
            return  # another process claimed it
        self._sending.add(job_id)
        try:

            async def on_signed(tx: str, raw: str) -> None:
                await self.store.refunds.move(job_id, "sending", "sending", tx=tx, raw_tx=raw)

            try:
                tx = await self.sender.send(refund, on_signed)
            except RefundInFlight:
                return  # `sending`: followed on chain by the next sweeps
            except RefundNotSent as exc:  # nothing moved, and nothing will: the payer is credited instead
                if await self.store.refunds.credit_instead(job_id, "sending", str(exc)):
                    log.warning("on-chain refund of %s not sent (%s): credited instead", job_id, exc)
                return
            except Exception as exc:  # the chain could not be asked
                log.warning("on-chain refund of %s not sent yet: %s", job_id, exc)
                current = await self.store.refunds.get(job_id)
                if current and current["tx"] is None and await self.sender.signed(current) is None:
                    await self.store.refunds.move(job_id, "sending", "pending", error=str(exc)[:300])  # try again
                return
            await self.store.refunds.move(job_id, "sending", "sent", tx=tx, error=None)
        finally:
            self._sending.discard(job_id)

    async def _follow(self, refund: dict[str, Any]) -> None:
        """A `sending` refund no sender of this process is working on (a crash, another process): the chain
        decides. One claimed but without a transaction for CLAIM_SECONDS died before or while signing: the
        transaction it stored is adopted, or (none) the refund is pending again."""
        job_id = refund["job_id"]
        if self.sender is None or job_id in self._sending:
            return
        if refund["tx"] is None:
            if time.time() - refund["updated_at"] < CLAIM_SECONDS:
                return  # its claimant may be signing right now
            stored = await self.sender.signed(refund)
            if stored is None:
                await self.store.refunds.move(job_id, "sending", "pending")
                return
            await self.store.refunds.move(job_id, "sending", "sending", tx=stored[0], raw_tx=stored[1])
            refund = {**refund, "tx": stored[0], "raw_tx": stored[1]}
        state = await self.sender.check(refund)
        if state == "sent":
            await self.store.refunds.move(job_id, "sending", "sent")
        elif state == "failed":  # it reverted: nothing moved
            await self.store.refunds.credit_instead(job_id, "sending", "the refund transfer failed on chain")
        elif state == "lost":  # never landed, never will: signed anew by the next sweep
            await self.store.refunds.move(job_id, "sending", "pending", tx=None, raw_tx=None)

    # ---- the keeper -----------------------------------------------------------------------------------------------

    async def sweep(self) -> int:
        """One pass: close the charges of jobs that ended (refunding those that failed), send what is pending,
        follow what is sending, expire unused credits. The number of refunds opened."""
        opened = 0
        for charge in await self.store.charges.open_and_finished(time.time() - ORPHAN_SECONDS):
            if charge["job_status"] == "done":
                await self.store.charges.close(charge["job_id"], "kept")
                continue
            reason = charge["job_error"] or "job_not_created"
            try:
                await self.make_good(charge["job_id"], reason, require_failed=charge["job_status"] is not None)
                opened += 1
            except (NotFound, Conflict) as exc:
                log.warning("charge of %s not refunded: %s", charge["job_id"], exc.message)
        if self.sender is not None:  # without a sender nothing is sent or followed: no need to read them each pass
            for refund in await self.store.refunds.in_states(("pending",)):
                await self._send(refund)
            for refund in await self.store.refunds.in_states(("sending",)):
                await self._follow(refund)
        await self._expire_credits()
        return opened

    async def _expire_credits(self) -> None:
        days = self.settings.credit_expiry_days
        if days <= 0 or time.time() - self._last_expiry < EXPIRY_EVERY_SECONDS:
            return
        self._last_expiry = time.time()
        for wallet in await self.store.credits.to_expire(time.time() - days * 86400):
            ref = f"{wallet['address']}:{wallet['last_purchase']}"
            expired = await self.store.credits.expire(wallet["address"], ref)
            if expired:
                log.info("%d unused credits of %s expired", expired, wallet["address"])

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="refunds")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.sender is not None:
            await self.sender.close()

    async def _loop(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("refund sweep failed")
            await asyncio.sleep(self.settings.refund_poll_seconds)
