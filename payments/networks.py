"""Network registry: CAIP-2 ids, their v1 names, and the USDC each one uses (address, EIP-712 domain, decimals)."""

from __future__ import annotations

from dataclasses import dataclass

USDC_DECIMALS = 6


@dataclass(frozen=True)
class Network:
    caip2: str  # v2 name, e.g. "eip155:8453"
    v1_name: str  # v1 name, e.g. "base"
    family: str  # "evm" | "svm"
    usdc: str  # token address (EVM, checksummed) or mint (SVM)
    eip712_name: str | None = None  # EVM: the token's EIP-712 domain name
    eip712_version: str | None = None
    decimals: int = USDC_DECIMALS

    @property
    def chain_id(self) -> int:
        """EVM chain id from the CAIP-2 reference (`eip155:<id>`)."""
        if self.family != "evm":
            raise ValueError(f"{self.caip2} is not an EVM network")
        return int(self.caip2.split(":", 1)[1])


NETWORKS: tuple[Network, ...] = (
    Network("eip155:8453", "base", "evm", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "USD Coin", "2"),
    Network("eip155:84532", "base-sepolia", "evm", "0x036CbD53842c5426634e7929541eC2318f3dCF7e", "USDC", "2"),
    Network("solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "solana", "svm", "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"),
    Network(
        "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
        "solana-devnet",
        "svm",
        "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU",
    ),
)

_BY_NAME: dict[str, Network] = {n.caip2: n for n in NETWORKS} | {n.v1_name: n for n in NETWORKS}


def lookup(name: str) -> Network:
    """The network for a CAIP-2 id or a v1 name; KeyError if we do not know it."""
    return _BY_NAME[name]


def find(name: str) -> Network | None:
    """Like `lookup`, but None for an unknown name."""
    return _BY_NAME.get(name)


def to_v1(caip2: str) -> str:
    return lookup(caip2).v1_name


def to_caip2(name: str) -> str:
    return lookup(name).caip2


def usd(atomics: int, decimals: int = USDC_DECIMALS) -> str:
    """Atomic units as a dollar string without floats: 50000 -> "$0.05", 1500000 -> "$1.50"."""
    whole, frac = divmod(atomics, 10**decimals)
    cents = f"{frac:0{decimals}d}".rstrip("0").ljust(2, "0")
    return f"${whole}.{cents}"
