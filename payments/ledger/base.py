"""The payment ledger's interface: one row per payment, reserved under a UNIQUE key before anything is verified.

States: reserved → verified → settling (tx hash and signed raw tx stored before the send) → settled → job_created,
or rejected. A rejected payment moved no money, so the row can be taken over by a later attempt with the same
authorization (a corrected retry is not blocked; the row keeps the last rejection until then). Each row has an
owner (the gateway instance working on it, `payments.owners`); the ledger only lets the owner move it on, and a
peer takes over the rows of an owner whose heartbeat ran out.

Each row also names its `source` (EVM: the payer; SVM: the source token account) and whether it was `admitted`
to settle: `admit` is the per-source gate (`payments.gate`) kept here so it holds across processes. Beside the
payments live what must be shared by every process and node for the same reason: failed payments per payer /
client address and window (`payments.failures`), the lamports our Solana fee payer spent per network and minute
(`payments.svm.fee_budget`), the owners' heartbeats, and the next nonce of each EVM settling account.

Why nonces live here. One facilitator key signs every Base settlement, from any process on any node. Each process
keeping its own nonce (as a single process may) makes two processes sign different transactions with the same
nonce: the node keeps one and refuses the other ("replacement transaction underpriced"), and a valid payer is turned
away. Three designs hold across processes: one settler per key holding a lease, the API nodes waiting on the ledger
row; a pool of facilitator keys, one per settler; or the nonce allocated in the database in the same transaction
that stores the signed transaction. We take the last (`sign_settlement`):
* every process settles its own payments, so nothing is handed to another process (no extra hop or wait, no
  settler whose death stalls the lane until its lease runs out, no single process doing every node's signing: the
  paid lane scales with API processes) and the operator keeps one funded key;
* the row lock on the key's counter orders allocations across processes and machines, and it is held only for the
  signing (~0.3 ms of CPU), never for the send; no nonce RPC per payment (the chain is read at start and after a
  collision only);
* the stored-before-broadcast rule holds as before (the nonce, the hash and the raw bytes commit together), so a
  process that dies after signing leaves bytes a peer (heartbeat expired) or its restart re-sends: its nonce never
  stays a hole that would hold up every later transaction of the key;
* a nonce the node refused for another reason (fees, gas) is put back (`release_nonce`) and the next settlement
  uses it, so no hole stays there either.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Protocol

from payments.ledger.migrations import Applied

STATES = ("reserved", "verified", "settling", "settled", "job_created", "rejected")
IN_FLIGHT = ("reserved", "verified", "settling", "settled")
UNSETTLED = ("reserved", "verified", "settling")  # money may still move: the source's balance does not show it yet
SETTLED = ("settled", "job_created")
MOVABLE = frozenset({"tx_hash", "raw_tx", "error_code", "error_message", "answer"})  # what `move` may also set

# notification channels (PostgreSQL): a row changed (payload: its key), a source's payment stopped counting
ROW_CHANNEL = "x402_row"
SOURCE_CHANNEL = "x402_source"

Sign = Callable[[int], tuple[str, str]]  # nonce → (tx hash, raw tx): signs a transaction with that nonce


@dataclass(frozen=True)
class NewPayment:
    key: str
    payment_id: str | None
    fingerprint: str
    request_json: str
    x402_version: int
    network: str
    scheme: str
    asset: str
    payer: str
    amount: int
    pay_to: str
    nonce: str
    valid_before: int
    payment_json: str
    source: str  # what the money leaves from: EVM the payer, SVM the source token account


@dataclass(frozen=True)
class PaymentRow(NewPayment):
    """A payment as the ledger holds it: what was sent, and where it stands."""

    state: str
    owner: str | None
    tx_hash: str | None
    raw_tx: str | None
    job_id: str
    error_code: str | None
    error_message: str | None
    answer: str | None
    created_at: float
    updated_at: float
    admitted: int  # 1: allowed to settle by the per-source gate


COLUMNS = [f.name for f in fields(PaymentRow)]
NEW_COLUMNS = [f.name for f in fields(NewPayment)]


def payment_row(found: Mapping[str, Any] | None) -> PaymentRow | None:
    return PaymentRow(**{k: found[k] for k in COLUMNS}) if found is not None else None


@dataclass(frozen=True)
class Reservation:
    owned: bool  # True: this caller must process the payment; False: `row` is someone else's (or done)
    row: PaymentRow


@dataclass(frozen=True)
class Admission:
    admitted: bool
    in_flight: frozenset[str]  # the other admitted, unsettled payments of the source (keys)
    in_flight_amount: int  # what they (and, with a balance, those settled since it was read) take from the source


class Watch(Protocol):
    async def wait(self, timeout: float) -> None: ...


class Poll:
    """A watch that cannot be woken: it sleeps, and the caller reads again."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def wait(self, timeout: float) -> None:
        await asyncio.sleep(max(0.0, min(timeout, self.seconds)))


class LostOwnership(RuntimeError):
    """Another gateway took the row over (ours was presumed dead); stop touching it."""


class NonceUnknown(LookupError):
    """The ledger has no nonce yet for this settling account: read it from the chain and pass it as the floor."""


def new_job_id() -> str:
    """The job a payment buys, chosen when it is reserved: 128 random bits, in the shape of the service's job ids
    (`job_<32 hex>`), so a paid job looks like any other to a client."""
    return "job_" + secrets.token_hex(16)


def decide_admission(
    others: list[Mapping[str, Any]],
    amount: int,
    now: float,
    lease_seconds: float,
    balance: int | None,
    balance_read_at: float,
    margin_seconds: float,
) -> Admission:
    """The per-source gate's rule over the source's other admitted rows (key, amount, state, updated_at): admitted
    when none is unsettled, or when `balance` covers them all plus `amount` (payments settled since the balance was
    read, less `margin_seconds`, count as unsettled: the balance may not show them yet). A row untouched for
    `lease_seconds` is presumed abandoned and blocks nobody."""
    unsettled = [r for r in others if r["state"] in UNSETTLED and r["updated_at"] >= now - lease_seconds]
    counted = list(unsettled)
    if balance is not None:
        since = balance_read_at - margin_seconds
        counted += [r for r in others if r["state"] in SETTLED and r["updated_at"] >= since]
    taken = sum(int(r["amount"]) for r in counted)
    admitted = not unsettled or (balance is not None and balance >= taken + amount)
    return Admission(admitted, frozenset(r["key"] for r in unsettled), taken)


class Ledger(ABC):
    """What the gateway needs from a ledger; `SqliteLedger` (one machine) and `PostgresLedger` (several) keep it.

    `poll_seconds`: how long a waiter may sleep before it reads a row again when nobody can wake it (SQLite: other
    processes cannot; PostgreSQL notifies, so this is only a safety net)."""

    poll_seconds: float = 0.02
    source_poll_seconds: float = 0.25
    applied: Applied  # what `open` migrated

    # ---- life cycle ---------------------------------------------------------------------------------------------
    @abstractmethod
    async def open(self) -> None:
        """Connect, and bring the ledger's tables to this release's schema (SchemaTooNew if they are newer)."""

    @abstractmethod
    async def close(self) -> None: ...

    # ---- rows ---------------------------------------------------------------------------------------------------
    @abstractmethod
    async def get(self, key: str) -> PaymentRow | None: ...

    @abstractmethod
    async def in_states(self, states: tuple[str, ...]) -> list[PaymentRow]: ...

    @abstractmethod
    async def reserve(self, new: NewPayment, owner: str, admit_lease_seconds: float | None = None) -> Reservation:
        """Claim `new.key` (or take over a rejected row for it); else return the row already there, matched by key or
        by payment id. Atomic: two processes cannot both claim it. With `admit_lease_seconds`, a backend may also
        admit the claimed row in the same transaction when nothing else of its source is in flight (the per-source
        gate's common case, `decide_admission` without a balance): the row comes back with `admitted` set, and the
        gate has nothing left to do."""

    @abstractmethod
    async def take_over(self, row: PaymentRow, owner: str) -> PaymentRow | None:
        """Become the owner of `row` if nobody moved it since it was read (compare-and-set on updated_at)."""

    @abstractmethod
    async def move(self, key: str, owner: str | None, state: str, **values: Any) -> None:
        """Set the state (and other columns) of a row we own; LostOwnership if we no longer do. `owner=None` moves it
        whoever owns it."""

    # ---- waiting on other processes -----------------------------------------------------------------------------
    def watch_row(self, key: str) -> contextlib.AbstractContextManager[Watch]:
        """`with ledger.watch_row(key) as changed: <read the row>; await changed.wait(timeout)`: returns when the row
        may have changed since the watch began, or after `timeout` (here: after at most `poll_seconds`, a poll)."""
        return contextlib.nullcontext(Poll(self.poll_seconds))

    def watch_source(self, network: str, source: str) -> contextlib.AbstractContextManager[Watch]:
        """The same for a payment of `source` that stops counting for the per-source gate."""
        return contextlib.nullcontext(Poll(self.source_poll_seconds))

    # ---- the per-source gate ------------------------------------------------------------------------------------
    @abstractmethod
    async def admit(
        self,
        row: PaymentRow,
        owner: str,
        lease_seconds: float,
        balance: int | None = None,
        balance_read_at: float = 0.0,
        margin_seconds: float = 0.0,
    ) -> Admission:
        """Admit `row` (ours, not yet settling) to settle by `decide_admission`, atomically per source.
        LostOwnership if the row is no longer ours."""

    # ---- counters: failed payments, fees spent ------------------------------------------------------------------
    @abstractmethod
    async def failure_counts(self, subjects: list[str], window_start: int) -> dict[str, int]: ...

    @abstractmethod
    async def add_failure(self, subjects: list[str], window_start: int) -> None: ...

    @abstractmethod
    async def fees_spent(self, network: str, window_start: int) -> int: ...

    @abstractmethod
    async def spend_fee(self, network: str, window_start: int, lamports: int, budget: int) -> bool:
        """Add `lamports` to this window's spend if the total stays within `budget`; False (nothing added) if not."""

    # ---- owners ---------------------------------------------------------------------------------------------------
    @abstractmethod
    async def heartbeat(self, owner: str, ttl_seconds: float) -> None:
        """`owner` is alive for `ttl_seconds` more."""

    @abstractmethod
    async def live_owners(self) -> set[str]:
        """Owners whose heartbeat has not run out."""

    @abstractmethod
    async def forget_owner(self, owner: str) -> None:
        """A clean stop: `owner` is gone now (its rows may be taken over at once)."""

    # ---- nonces of EVM settling accounts ------------------------------------------------------------------------
    @abstractmethod
    async def sign_settlement(self, key: str, owner: str, sender: str, floor: int | None, sign: Sign) -> int:
        """In one transaction: take `sender`'s next nonce (a released one first; at least `floor`), sign with it, and
        store the hash and raw bytes on the row (state settling). Returns the nonce. NonceUnknown when the ledger has
        no nonce for `sender` and no `floor` was given; LostOwnership (nothing taken) if the row is not ours."""

    @abstractmethod
    async def sign_transaction(self, sender: str, floor: int | None, sign: Sign, purpose: str, ref: str) -> int:
        """The same for a transaction that is no settlement (an on-chain refund): allocate `sender`'s next nonce
        (at least `floor`), sign with it and store the signed transaction under (`purpose`, `ref`) in one transaction
        (a re-signing replaces it); the nonce. A process that dies after this leaves the bytes to send (`signed`)."""

    @abstractmethod
    async def signed(self, purpose: str, ref: str) -> tuple[str, str] | None:
        """(tx hash, raw tx) stored by `sign_transaction` for (`purpose`, `ref`), if any."""

    @abstractmethod
    async def release_nonce(self, sender: str, nonce: int) -> None:
        """The node refused the transaction with this nonce: it was never sent, the next settlement takes it."""
