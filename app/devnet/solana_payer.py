"""The payer's side of a Solana x402 payment, in Python: what `@x402/svm`'s client builds, for tests and benchmarks.

A payment is a v0 transaction [SetComputeUnitLimit, SetComputeUnitPrice, TransferChecked(payer's ATA → payTo's
ATA), Memo(random nonce)] with the server's fee payer as account 0, signed by the payer only (slot 0 left empty).
Every part can be overridden, so tests can build each kind of bad payment the server must refuse.

    headers = sign_svm_payments(devnet, devnet.payers[0], requirement, n=1000)  # pre-signed, one blockhash
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from typing import Any

from solders.compute_budget import set_compute_unit_limit, set_compute_unit_price
from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import MessageV0, to_bytes_versioned
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.token.associated import get_associated_token_address
from solders.transaction import VersionedTransaction

from app.devnet.litesvm import SvmDevnet, SvmPayer, rpc
from payments.svm.instructions import transfer_checked
from payments.svm.transaction import MEMO_PROGRAM

DEFAULT_UNIT_LIMIT = 20_000  # what the official clients ask
DEFAULT_UNIT_PRICE = 1  # micro-lamports per unit


def memo(text: str | None = None) -> Instruction:
    return Instruction(MEMO_PROGRAM, (text or os.urandom(16).hex()).encode(), [])


def payment_instructions(
    payer: Pubkey,
    requirement: dict[str, Any],
    *,
    amount: int | None = None,
    mint: Pubkey | None = None,
    destination: Pubkey | None = None,
    authority: Pubkey | None = None,
    decimals: int = 6,
    unit_limit: int = DEFAULT_UNIT_LIMIT,
    unit_price: int = DEFAULT_UNIT_PRICE,
    extra: Sequence[Instruction] = (),
    with_memo: bool = True,
) -> list[Instruction]:
    """The instructions of a payment of `requirement` (a 402 `accepts` entry, wire form) from `payer`."""
    mint = mint or Pubkey.from_string(requirement["asset"])
    source = get_associated_token_address(payer, mint)
    dest = destination or get_associated_token_address(Pubkey.from_string(requirement["payTo"]), mint)
    value = int(requirement["amount"]) if amount is None else amount
    ixs = [
        set_compute_unit_limit(unit_limit),
        set_compute_unit_price(unit_price),
        transfer_checked(source, mint, dest, authority or payer, value, decimals),
    ]
    return ixs + ([memo()] if with_memo else []) + list(extra)


def partially_signed(
    instructions: Sequence[Instruction], fee_payer: Pubkey, signers: Sequence[Keypair], blockhash: Hash
) -> VersionedTransaction:
    """A v0 transaction with `fee_payer` as account 0 whose signatures come from `signers`; every other slot (the
    fee payer's among them) is left empty."""
    message = MessageV0.try_compile(fee_payer, list(instructions), [], blockhash)
    data = to_bytes_versioned(message)
    by_key = {s.pubkey(): s for s in signers}
    keys = message.account_keys[: message.header.num_required_signatures]
    signatures = [by_key[k].sign_message(data) if k in by_key else Signature.default() for k in keys]
    return VersionedTransaction.populate(message, signatures)


def latest_blockhash(rpc_url: str) -> Hash:
    return Hash.from_string(rpc(rpc_url, "getLatestBlockhash")["value"]["blockhash"])


def x402_header(requirement: dict[str, Any], tx: VersionedTransaction | bytes | str, version: int = 2) -> str:
    """The PAYMENT-SIGNATURE (v2) or X-PAYMENT (v1) header value carrying `tx`."""
    if isinstance(tx, VersionedTransaction):
        tx = bytes(tx)
    text = tx if isinstance(tx, str) else base64.b64encode(tx).decode()
    if version == 1:
        v1_network = {"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1": "solana-devnet"}.get(requirement["network"], "solana")
        body: dict[str, Any] = {
            "x402Version": 1,
            "scheme": "exact",
            "network": v1_network,
            "payload": {"transaction": text},
        }
    else:
        body = {"x402Version": 2, "accepted": requirement, "payload": {"transaction": text}}
    return base64.b64encode(json.dumps(body).encode()).decode()


def sign_svm_payment(
    devnet: SvmDevnet, payer: SvmPayer, requirement: dict[str, Any], blockhash: Hash | None = None
) -> str:
    """One PAYMENT-SIGNATURE header paying `requirement` (the Solana entry of a 402's `accepts`) from `payer`."""
    keypair = payer.keypair
    fee_payer = Pubkey.from_string(requirement["extra"]["feePayer"])
    instructions = payment_instructions(keypair.pubkey(), requirement)
    tx = partially_signed(instructions, fee_payer, [keypair], blockhash or latest_blockhash(devnet.rpc_url))
    return x402_header(requirement, tx)


def sign_svm_payments(devnet: SvmDevnet, payer: SvmPayer, requirement: dict[str, Any], n: int) -> list[str]:
    """`n` distinct payments (a random memo each) on one blockhash: valid for ~150 blocks (~60 s on the devnet)."""
    blockhash = latest_blockhash(devnet.rpc_url)
    return [sign_svm_payment(devnet, payer, requirement, blockhash) for _ in range(n)]
