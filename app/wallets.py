"""Accounts are wallet addresses: an EVM address (written checksummed, EIP-55) or a Solana address (base58, as is).
One spelling per account, whichever way an address arrives (a payment's payer is lower-cased in the ledger)."""

from __future__ import annotations

import re
from functools import lru_cache

from eth_utils import to_checksum_address
from solders.pubkey import Pubkey

_EVM = re.compile(r"^0x[0-9a-fA-F]{40}$")


def account_of(address: str) -> str:
    """The account an address belongs to; ValueError for neither an EVM nor a Solana address."""
    if _EVM.match(address):
        return _checksummed(address.lower())
    if address.startswith("0x"):
        raise ValueError("not an EVM address")
    return str(Pubkey.from_string(address))  # ValueError unless base58 of 32 bytes


@lru_cache(maxsize=4096)
def _checksummed(address: str) -> str:
    """EIP-55 (a keccak per call: cached, as the same payers and wallets come back)."""
    return to_checksum_address(address)


def family_of(account: str) -> str:
    """ "evm" or "svm"."""
    return "evm" if account.startswith("0x") else "svm"
