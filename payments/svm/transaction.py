"""A Solana payment transaction as a client sends it: decoded (solders), its instructions resolved, nothing trusted.

Everything here is local and cheap. `decode_transaction` only refuses what is not a transaction at all; whether it
pays us is `payments.svm.scheme`'s job. The idempotency key is sha256 of the message bytes: the message is what every
signature covers, and our fee-payer signature over it is deterministic (ed25519), so one message = one payment.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from functools import cached_property

from solders.hash import Hash
from solders.message import MessageV0, to_bytes_versioned
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from payments.errors import MalformedPayment
from payments.models import SVM_MAX_TRANSACTION_BYTES
from payments.svm import errors as svm_errors

TOKEN_PROGRAM = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
TOKEN_2022_PROGRAM = Pubkey.from_string("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
TOKEN_PROGRAMS = (TOKEN_PROGRAM, TOKEN_2022_PROGRAM)
COMPUTE_BUDGET_PROGRAM = Pubkey.from_string("ComputeBudget111111111111111111111111111111")
MEMO_PROGRAM = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
LIGHTHOUSE_PROGRAM = Pubkey.from_string("L2TExMFKdjpN9kozasaurPirfHy9P8sbXoAN1qA3S95")

LAMPORTS_PER_SIGNATURE = 5000  # Solana's base fee, paid by the fee payer for every signature
MICRO_LAMPORTS_PER_LAMPORT = 1_000_000

SET_COMPUTE_UNIT_LIMIT = 2  # ComputeBudget instruction tags
SET_COMPUTE_UNIT_PRICE = 3
TRANSFER_CHECKED = 12  # SPL Token / Token-2022 instruction tag


@dataclass(frozen=True)
class Instruction:
    """A top-level instruction with its accounts resolved against the message's static keys."""

    program: Pubkey
    accounts: tuple[Pubkey, ...]
    data: bytes


@dataclass(frozen=True)
class TransferChecked:
    program: Pubkey
    source: Pubkey
    mint: Pubkey
    destination: Pubkey
    authority: Pubkey
    amount: int
    decimals: int


@dataclass(frozen=True)
class PaymentTransaction:
    tx: VersionedTransaction
    message_bytes: bytes  # what every signature signs (version prefix included for v0)

    @cached_property
    def key(self) -> str:
        return hashlib.sha256(self.message_bytes).hexdigest()

    @property
    def account_keys(self) -> list[Pubkey]:
        return list(self.tx.message.account_keys)

    @property
    def fee_payer(self) -> Pubkey:
        return self.tx.message.account_keys[0]

    @property
    def blockhash(self) -> Hash:
        return self.tx.message.recent_blockhash

    @property
    def num_signers(self) -> int:
        return self.tx.message.header.num_required_signatures

    @property
    def lookup_tables(self) -> int:
        message = self.tx.message
        return len(message.address_table_lookups) if isinstance(message, MessageV0) else 0

    @cached_property
    def instructions(self) -> tuple[Instruction, ...]:
        """Top-level instructions; only meaningful without address lookup tables (which payments may not use)."""
        keys = self.account_keys
        out = []
        for ix in self.tx.message.instructions:
            if ix.program_id_index >= len(keys) or any(i >= len(keys) for i in bytes(ix.accounts)):
                continue  # refers to a lookup table: the caller refuses those before reading instructions
            out.append(Instruction(keys[ix.program_id_index], tuple(keys[i] for i in bytes(ix.accounts)), ix.data))
        return tuple(out)

    @cached_property
    def transfer(self) -> TransferChecked | None:
        """The TransferChecked at instruction 2 (the position every x402 client puts it), if that is what it is."""
        if self.lookup_tables or len(self.instructions) < 3:
            return None
        return parse_transfer_checked(self.instructions[2])

    @property
    def payer(self) -> str:
        """Who pays: the transfer's authority (base58), or "" when the transaction has no recognisable transfer."""
        return str(self.transfer.authority) if self.transfer else ""

    @property
    def priority_fee_lamports(self) -> int:
        """The priority fee the fee payer pays: unit price (micro-lamports per unit) × unit limit, rounded up; 0
        without the two compute-budget instructions at 0 and 1 (such a payment is refused anyway)."""
        ixs = self.instructions
        limit = compute_unit_limit(ixs[0]) if ixs else None
        price = compute_unit_price(ixs[1]) if len(ixs) > 1 else None
        return priority_fee(limit or 0, price or 0)

    @property
    def fee_lamports(self) -> int:
        """What sending it costs the fee payer, landed or failed: 5000 lamports a signature plus the priority fee."""
        return LAMPORTS_PER_SIGNATURE * self.num_signers + self.priority_fee_lamports

    def client_signatures_valid(self) -> bool:
        """Every required signature except the fee payer's (slot 0, ours to add) verifies over the message."""
        keys, signatures = self.account_keys, self.tx.signatures
        return all(signatures[i].verify(keys[i], self.message_bytes) for i in range(1, self.num_signers))

    def signatures_valid_except(self, ours: Pubkey) -> bool:
        """Every required signature of a key other than `ours` (the fee payer's, ours to add) verifies over the
        message, wherever the keys stand (a misplaced fee payer is refused later with its own reason)."""
        keys, signatures = self.account_keys, self.tx.signatures
        return all(
            signatures[i].verify(keys[i], self.message_bytes) for i in range(self.num_signers) if keys[i] != ours
        )

    def with_fee_payer_signature(self, signature: Signature) -> VersionedTransaction:
        return VersionedTransaction.populate(self.tx.message, [signature, *self.tx.signatures[1:]])


def parse_transfer_checked(ix: Instruction) -> TransferChecked | None:
    data = ix.data
    if ix.program not in TOKEN_PROGRAMS or len(data) != 10 or data[0] != TRANSFER_CHECKED or len(ix.accounts) < 4:
        return None
    source, mint, destination, authority = ix.accounts[:4]
    return TransferChecked(
        ix.program, source, mint, destination, authority, int.from_bytes(data[1:9], "little"), data[9]
    )


def priority_fee(unit_limit: int, unit_price: int) -> int:
    """Lamports: `unit_price` micro-lamports per compute unit × `unit_limit` units, rounded up (as the runtime does)."""
    return -(-unit_limit * unit_price // MICRO_LAMPORTS_PER_LAMPORT)


def compute_unit_limit(ix: Instruction) -> int | None:
    if ix.program != COMPUTE_BUDGET_PROGRAM or len(ix.data) != 5 or ix.data[0] != SET_COMPUTE_UNIT_LIMIT:
        return None
    return int.from_bytes(ix.data[1:5], "little")


def compute_unit_price(ix: Instruction) -> int | None:
    """Micro-lamports per compute unit."""
    if ix.program != COMPUTE_BUDGET_PROGRAM or len(ix.data) != 9 or ix.data[0] != SET_COMPUTE_UNIT_PRICE:
        return None
    return int.from_bytes(ix.data[1:9], "little")


def decode_transaction(text: str) -> PaymentTransaction:
    """The transaction in an SVM payload; MalformedPayment (400) unless it is one well-formed transaction."""

    def bad(message: str) -> MalformedPayment:
        return MalformedPayment(message, svm_errors.COULD_NOT_DECODE)

    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise bad("payload.transaction is not base64") from None
    if len(raw) > SVM_MAX_TRANSACTION_BYTES:
        raise bad(f"payload.transaction is {len(raw)} bytes; a Solana transaction is at most 1232")
    try:
        tx = VersionedTransaction.from_bytes(raw)
        tx.sanitize()
    except Exception as exc:  # solders raises several types for garbage bytes
        raise bad(f"payload.transaction is not a Solana versioned transaction ({type(exc).__name__})") from None
    if bytes(tx) != raw:
        raise bad("payload.transaction has trailing or non-canonical bytes")
    if len(tx.signatures) != tx.message.header.num_required_signatures:
        raise bad("payload.transaction's signature count does not match its message header")
    return PaymentTransaction(tx, to_bytes_versioned(tx.message))
