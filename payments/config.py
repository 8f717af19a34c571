"""What the service tells the payments package: which networks it takes money on, where it is paid, who settles."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EvmNetworkConfig:
    network: str  # CAIP-2 ("eip155:8453") or v1 name ("base")
    rpc_url: str
    pay_to: str
    facilitator_private_key: str | None  # pays gas for settlement; None only with a remote facilitator
    asset: str | None = None  # default: the network's USDC from the registry
    eip712_name: str | None = None  # default: the registry's name for that USDC (a custom token needs its own)
    eip712_version: str | None = None


@dataclass(frozen=True)
class SvmNetworkConfig:
    network: str  # CAIP-2 ("solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1") or v1 name ("solana-devnet")
    rpc_url: str
    pay_to: str  # the wallet that receives; the money goes to its associated token account for the mint
    fee_payer_key: str = field(repr=False)  # base58 64-byte secret key: co-signs and pays fees (holds SOL only)
    mint: str | None = None  # default: the network's USDC mint from the registry
    max_priority_fee_lamports: int = 10_000  # largest priority fee (unit price × unit limit) we pay per payment
    fee_budget_lamports_per_minute: int = 2_000_000  # the fee payer's spend per minute; past it, 503 (0 = none)


@dataclass(frozen=True)
class PaymentConfig:
    evm: list[EvmNetworkConfig] = field(default_factory=list)
    svm: list[SvmNetworkConfig] = field(default_factory=list)
    facilitator_url: str | None = None  # set: verify and settle through this facilitator instead of locally
    max_timeout_seconds: int = 120
    failures_per_payer: int = 10  # failed payments in a window before a payer gets 429 (0 = no limit)
    failures_per_address: int = 30  # the same per client address
    failure_window_seconds: int = 600
