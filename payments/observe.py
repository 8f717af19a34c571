"""What the paid lane tells whoever watches it (the service's metrics): each settlement's network and outcome, the
time of each chain RPC, and the balances our settling accounts hold for gas. `payments/` knows nothing of how it is
shown: the service passes a `PaymentObserver` in (`PaymentGateway(..., observer=...)`); the default ignores it all.

Settlement outcomes: `settled` (the chain confirmed it), `failed` (refused or reverted: nothing moved), `pending`
(sent, not confirmed in time: a retry or start-up finds out), `unavailable` (a remote facilitator could not be
reached: nothing was sent)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class PaymentObserver(Protocol):
    def settlement(self, network: str, outcome: str) -> None:
        """A settlement ended (see the outcomes above); `network` is its CAIP-2 id."""

    def rpc(self, network: str, method: str, seconds: float, ok: bool) -> None:
        """One JSON-RPC round trip to `network`'s node (`method`, or `batch`) took `seconds`; `ok`: it answered."""


class NoObserver:
    def settlement(self, network: str, outcome: str) -> None:
        pass

    def rpc(self, network: str, method: str, seconds: float, ok: bool) -> None:
        pass


@dataclass(frozen=True, slots=True)
class GasBalance:
    """What one of our settling accounts holds to pay fees: the EVM facilitator (wei) or the Solana fee payer
    (lamports)."""

    network: str
    account: str  # facilitator | fee_payer
    address: str
    atomic: int
    decimals: int  # 18 (ETH), 9 (SOL)
    symbol: str

    @property
    def amount(self) -> float:
        """In whole ETH or SOL (for display and metrics; money stays in atomic units everywhere else)."""
        return self.atomic / 10**self.decimals
