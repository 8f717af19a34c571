"""Instructions we build ourselves (the payer's side in the devnet tools, our refunds): an SPL Token TransferChecked,
and the idempotent creation of an associated token account."""

from __future__ import annotations

from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey
from solders.token.associated import get_associated_token_address

from payments.svm.transaction import TOKEN_PROGRAM, TRANSFER_CHECKED

ASSOCIATED_TOKEN_PROGRAM = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
SYSTEM_PROGRAM = Pubkey.from_string("11111111111111111111111111111111")
CREATE_IDEMPOTENT = 1  # associated token account program instruction


def transfer_checked(
    source: Pubkey, mint: Pubkey, destination: Pubkey, authority: Pubkey, amount: int, decimals: int,
    program: Pubkey = TOKEN_PROGRAM,
) -> Instruction:  # fmt: skip
    """`amount` of `mint` from the token account `source` to `destination`, signed by `authority`."""
    data = bytes([TRANSFER_CHECKED]) + amount.to_bytes(8, "little") + bytes([decimals])
    accounts = [
        AccountMeta(source, is_signer=False, is_writable=True),
        AccountMeta(mint, is_signer=False, is_writable=False),
        AccountMeta(destination, is_signer=False, is_writable=True),
        AccountMeta(authority, is_signer=True, is_writable=False),
    ]
    return Instruction(program, data, accounts)


def create_token_account(payer: Pubkey, owner: Pubkey, mint: Pubkey) -> Instruction:
    """The associated token account of `owner` for `mint`, its rent paid by `payer` (a no-op when it exists)."""
    accounts = [
        AccountMeta(payer, is_signer=True, is_writable=True),
        AccountMeta(get_associated_token_address(owner, mint), is_signer=False, is_writable=True),
        AccountMeta(owner, is_signer=False, is_writable=False),
        AccountMeta(mint, is_signer=False, is_writable=False),
        AccountMeta(SYSTEM_PROGRAM, is_signer=False, is_writable=False),
        AccountMeta(TOKEN_PROGRAM, is_signer=False, is_writable=False),
    ]
    return Instruction(ASSOCIATED_TOKEN_PROGRAM, bytes([CREATE_IDEMPOTENT]), accounts)
