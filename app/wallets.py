"""Accounts are wallet addresses: an EVM address (written checksummed, EIP-55) or a Solana address (base58, as is).
One spelling per account, whichever way an address arrives (a payment's payer is lower-cased in the ledger)."""

from __future__ import annotations

import re

from eth_utils import to_checksum_address
from solders.pubkey import Pubkey

_EVM = re.compile(r"^0x[0-9a-fA-F]{40}$")


def account_of(address: str) -> str:
    """The account an address belongs to; ValueError for neither an EVM nor a Solana address."""
    if _EVM.match(address):
        return to_checksum_address(address)
    if address.startswith("0x"):
        raise ValueError("not an EVM address")
    return str(Pubkey.from_string(address))  # ValueError unless base58 of 32 bytes


def family_of(account: str) -> str:
    """"evm" or "svm"."""
    return "evm" if account.startswith("0x") else "svm"
