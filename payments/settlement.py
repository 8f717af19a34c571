"""What verification and settlement produce, whoever does them (this process or a remote facilitator)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from payments.attempt import Attempt
from payments.evm.eip3009 import Authorization, Signature

OnSigned = Callable[[str, str], Awaitable[None]]  # (transaction id, raw transaction): persisted before the send


class Nonces(Protocol):
    """Where an EVM settlement gets its nonce: the ledger allocates it and stores the transaction signed with it in
    one transaction (`Ledger.sign_settlement`; why: `payments.ledger.base`)."""

    async def sign(self, sender: str, floor: int | None, sign: Callable[[int], tuple[str, str]]) -> int:
        """Allocate `sender`'s next nonce (at least `floor`), sign with it, store; the nonce."""
        ...

    async def release(self, sender: str, nonce: int) -> None:
        """The node refused the transaction signed with `nonce`: it was never sent."""
        ...


@dataclass(frozen=True)
class VerifiedPayment:
    attempt: Attempt
    payer: str
    authorization: Authorization | None = None  # set by local verification
    signature: Signature | None = None
    signed_transaction: bytes | None = None  # SVM: the wire transaction with our fee-payer signature, as simulated
    settled_transaction: str | None = None  # remote: the authorization already paid payTo in this transaction


@dataclass(frozen=True)
class SettleResult:
    transaction: str
    payer: str
    network: str


@dataclass(frozen=True)
class SettlementRecord:
    """What the ledger keeps about a settlement in flight, enough to find it on chain after a crash."""

    network: str
    asset: str
    pay_to: str
    payer: str
    amount: int
    nonce: str
    valid_before: int
    tx_hash: str | None
    raw_tx: str | None


@dataclass(frozen=True)
class SettlementCheck:
    state: Literal["settled", "failed", "pending"]
    transaction: str = ""
    reason: str = ""
    message: str = ""
