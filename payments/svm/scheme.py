"""The SVM `exact` scheme: the payer signs a token transfer, we co-sign as fee payer, send it and wait for it.

verify runs every check of the spec on the decoded transaction (layout, programs, compute budget, mint, the
destination ATA of payTo, exact amount, our fee payer isolated in slot 0, no lookup tables, the payer's signatures),
then co-signs and simulates the fully signed transaction. settle sends exactly those bytes once and accepts the
payment only when the signature's status is confirmed **with no error** (a landed-but-failed transaction pays only
its fee, so it is not a payment). After a crash, `check_settlement` finds the signature's fate; it resends the
same bytes only while their blockhash is still valid, and calls a payment "not charged" only when the blockhash has
expired without the signature landing (then it never can).

Fee cap. Solana charges 5000 lamports per signature plus the priority fee = unit price (micro-lamports per compute
unit) × unit limit / 10^6, and the fee payer (us) pays it whether the transaction succeeds or fails. We accept a
unit price up to 5 lamports per unit (MAX_COMPUTE_UNIT_PRICE = 5,000,000 micro-lamports, as the official
facilitator does) and a unit limit up to 40,000 (the official clients ask 20,000; a TransferChecked uses ~6,000):
up to 0.0002 SOL of priority fee, about $0.03 on a $0.05 payment. So the operator also caps the priority fee per
transaction in lamports (`max_priority_fee_lamports`, default DEFAULT_MAX_PRIORITY_FEE = 10,000 lamports, 0.00001
SOL): the official clients send 1 micro-lamport × 20,000 units = 1 lamport, far below it. In lamports rather than
micro-lamports per unit because it is the fee payer's cost per payment, whatever split of price and limit a client
chooses. Signature fees stay at most MAX_SIGNERS × 5000 lamports.
"""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass
from typing import Any

from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.token.associated import get_associated_token_address
from solders.transaction import VersionedTransaction

from payments import errors
from payments.attempt import Attempt
from payments.errors import PaymentRejected, SettlementFailed
from payments.jsonrpc import RpcError, RpcUnavailable
from payments.models import PaymentRequirements
from payments.networks import Network
from payments.settlement import OnSigned, SettlementCheck, SettlementRecord, SettleResult, VerifiedPayment
from payments.svm import errors as svm_errors
from payments.svm.rpc import SignatureStatus, SolanaRpc, error_name, wire_base64
from payments.svm.transaction import (
    LIGHTHOUSE_PROGRAM,
    MEMO_PROGRAM,
    TOKEN_PROGRAM,
    PaymentTransaction,
    compute_unit_limit,
    compute_unit_price,
    priority_fee,
)

log = logging.getLogger("payments")

MIN_INSTRUCTIONS, MAX_INSTRUCTIONS = 3, 6
MAX_COMPUTE_UNIT_PRICE = 5_000_000  # micro-lamports per unit = 5 lamports per unit
MAX_COMPUTE_UNIT_LIMIT = 40_000
MAX_SIGNERS = 3  # our fee payer, the transfer authority, one more (a memo signer); each costs us 5000 lamports
DEFAULT_MAX_PRIORITY_FEE = 10_000  # lamports per transaction (unit price × unit limit), the operator's cap
OPTIONAL_PROGRAMS = (MEMO_PROGRAM, LIGHTHOUSE_PROGRAM)
TOKEN_INSUFFICIENT_FUNDS = 1  # spl-token's custom error 1

_BLOCKHASH_CHECK_EVERY = 2.0  # seconds between isBlockhashValid calls while waiting for a signature


@dataclass(frozen=True)
class SvmAsset:
    network: Network
    mint: Pubkey
    pay_to: Pubkey
    decimals: int


class FeePayer:
    """Our Solana key: co-signs payments as fee payer. Holds SOL for fees and nothing else."""

    def __init__(self, secret_base58: str) -> None:
        try:
            self._keypair = Keypair.from_base58_string(secret_base58.strip())
        except Exception:
            raise ValueError("the Solana fee-payer key must be a base58 64-byte secret key") from None
        self.pubkey = self._keypair.pubkey()
        self.address = str(self.pubkey)

    def sign(self, payment: PaymentTransaction) -> VersionedTransaction:
        return payment.with_fee_payer_signature(self._keypair.sign_message(payment.message_bytes))


class ExactSvmScheme:
    def __init__(
        self,
        asset: SvmAsset,
        rpc: SolanaRpc,
        fee_payer: FeePayer,
        confirm_timeout: float = 60.0,
        max_priority_fee: int = DEFAULT_MAX_PRIORITY_FEE,
    ) -> None:
        self.asset = asset
        self.rpc = rpc
        self.fee_payer = fee_payer
        self.confirm_timeout = confirm_timeout
        self.max_priority_fee = max_priority_fee

    async def check_network(self) -> str | None:
        """A problem with the configured RPC (wrong cluster, unreachable), or None. Warns about a setup that will
        refuse every payment (fee payer without SOL, payTo without a token account)."""
        want = self.asset.network.caip2.split(":", 1)[1]
        try:
            genesis = await self.rpc.genesis_hash()
            if not genesis.startswith(want):
                return f"{self.asset.network.caip2}: RPC {self.rpc.url} serves cluster {genesis}, expected {want}…"
            fee_payer_lamports = await self.rpc.balance(self.fee_payer.address)
            pay_to_ready = await self.rpc.account_exists(str(self.destination()))
        except errors.PaymentError as exc:
            return f"{self.asset.network.caip2}: RPC {self.rpc.url} unusable: {exc.message}"
        if fee_payer_lamports == 0:
            log.warning("%s: fee payer %s holds no SOL; payments cannot settle", want, self.fee_payer.address)
        if not pay_to_ready:
            log.warning(
                "%s: payTo %s has no token account for %s; payments cannot settle",
                want,
                self.asset.pay_to,
                self.asset.mint,
            )
        return None

    def destination(self, token_program: Pubkey = TOKEN_PROGRAM) -> Pubkey:
        return get_associated_token_address(self.asset.pay_to, self.asset.mint, token_program)

    # ---- verify -----------------------------------------------------------------------------------------------------

    async def verify(self, attempt: Attempt) -> VerifiedPayment:
        assert attempt.svm is not None
        payment = attempt.svm
        self.check_locally(payment, attempt.requirement)
        signed = self.fee_payer.sign(payment)
        await self.simulate(signed, payment.payer)
        return VerifiedPayment(attempt, payment.payer, signed_transaction=bytes(signed))

    def check_locally(self, payment: PaymentTransaction, req: PaymentRequirements) -> None:
        """Every check that needs no chain. Raises PaymentRejected naming the first problem."""
        payer = payment.payer or None

        def reject(code: str, message: str) -> PaymentRejected:
            return PaymentRejected(code, message, payer=payer)

        self._check_terms(req, reject)
        ours = self.fee_payer.pubkey
        if payment.lookup_tables:
            raise reject(
                svm_errors.ADDRESS_LOOKUP_TABLES,
                "the transaction uses address lookup tables; list every account in the message",
            )
        if payment.fee_payer != ours:
            keys = payment.account_keys
            where = f" (it is at index {keys.index(ours)}; it must be account 0)" if ours in keys else ""
            raise reject(svm_errors.FEE_PAYER_MISMATCH, f"fee payer {payment.fee_payer} is not ours, {ours}{where}")
        if payment.num_signers > MAX_SIGNERS:
            raise reject(svm_errors.EXCESSIVE_SIGNERS, f"{payment.num_signers} signers; at most {MAX_SIGNERS}")
        self._check_instructions(payment, req, reject)
        if not payment.client_signatures_valid():
            raise reject(svm_errors.SIGNATURE_INVALID, "a payer signature is missing or does not verify")

    def check_offline(self, attempt: Attempt) -> None:
        assert attempt.svm is not None
        self.check_locally(attempt.svm, attempt.requirement)

    async def balance(self, source: str) -> int:
        """The USDC (atomic units) in a source token account; RpcError when it is not one."""
        return await self.rpc.token_balance(source)

    def check_signature(self, attempt: Attempt) -> None:
        """Every signature but our fee payer's verifies over the message: offline, before anything may answer with a
        stored payment (the key is the message's hash, so a copy with forged signatures has the same key)."""
        assert attempt.svm is not None
        if not attempt.svm.signatures_valid_except(self.fee_payer.pubkey):
            raise PaymentRejected(
                svm_errors.SIGNATURE_INVALID, "a payer signature is missing or does not verify", attempt.payer or None
            )

    def _check_terms(self, req: PaymentRequirements, reject: Any) -> None:
        if req.network != self.asset.network.caip2:
            raise reject(errors.INVALID_NETWORK, f"network {req.network!r} is not {self.asset.network.caip2}")
        if req.asset != str(self.asset.mint):
            raise reject(errors.INVALID_PAYMENT_REQUIREMENTS, f"asset {req.asset} is not {self.asset.mint}")
        fee_payer = (req.extra or {}).get("feePayer")
        if not fee_payer:
            raise reject(svm_errors.MISSING_FEE_PAYER, "requirements lack extra.feePayer")
        if fee_payer != self.fee_payer.address:
            raise reject(svm_errors.FEE_PAYER_MISMATCH, f"extra.feePayer {fee_payer} is not ours")

    def _check_instructions(self, payment: PaymentTransaction, req: PaymentRequirements, reject: Any) -> None:
        ixs = payment.instructions
        if not MIN_INSTRUCTIONS <= len(ixs) <= MAX_INSTRUCTIONS:
            raise reject(
                svm_errors.INSTRUCTIONS_LENGTH,
                f"{len(ixs)} instructions; a payment has {MIN_INSTRUCTIONS}-{MAX_INSTRUCTIONS}",
            )
        limit = compute_unit_limit(ixs[0])
        if limit is None:
            raise reject(
                svm_errors.COMPUTE_LIMIT_INSTRUCTION, "instruction 0 must be ComputeBudget SetComputeUnitLimit"
            )
        if limit > MAX_COMPUTE_UNIT_LIMIT:
            raise reject(
                svm_errors.COMPUTE_LIMIT_TOO_HIGH, f"compute unit limit {limit} is over {MAX_COMPUTE_UNIT_LIMIT}"
            )
        price = compute_unit_price(ixs[1])
        if price is None:
            raise reject(
                svm_errors.COMPUTE_PRICE_INSTRUCTION, "instruction 1 must be ComputeBudget SetComputeUnitPrice"
            )
        if price > MAX_COMPUTE_UNIT_PRICE:
            raise reject(
                svm_errors.COMPUTE_PRICE_TOO_HIGH,
                f"compute unit price {price} micro-lamports is over {MAX_COMPUTE_UNIT_PRICE} (5 lamports per unit)",
            )
        fee = priority_fee(limit, price)
        if fee > self.max_priority_fee:
            raise reject(
                svm_errors.COMPUTE_PRICE_TOO_HIGH,
                f"priority fee {fee} lamports (unit price {price} micro-lamports × {limit} units) is over this "
                f"server's cap of {self.max_priority_fee} lamports per payment",
            )
        transfer = payment.transfer  # instruction 2 (no lookup tables, at least 3 instructions: checked above)
        if transfer is None:
            raise reject(
                svm_errors.NO_TRANSFER_INSTRUCTION,
                "instruction 2 must be a TransferChecked of the SPL Token or Token-2022 program",
            )
        for index, ix in enumerate(ixs[3:], start=3):
            if ix.program not in OPTIONAL_PROGRAMS:
                raise reject(
                    svm_errors.UNKNOWN_INSTRUCTION,
                    f"instruction {index} calls {ix.program}; only Memo and Lighthouse may follow the transfer",
                )
        ours = self.fee_payer.pubkey
        if transfer.authority == ours:
            raise reject(svm_errors.FEE_PAYER_TRANSFERRING_FUNDS, "our fee payer cannot be the transfer authority")
        for index, ix in enumerate(ixs):
            if ours in ix.accounts:
                raise reject(
                    svm_errors.FEE_PAYER_TRANSFERRING_FUNDS,
                    f"our fee payer appears in instruction {index}'s accounts; it may only pay the fee",
                )
        if transfer.mint != self.asset.mint:
            raise reject(svm_errors.MINT_MISMATCH, f"transfer mint {transfer.mint} is not {self.asset.mint}")
        if transfer.decimals != self.asset.decimals:
            raise reject(
                svm_errors.DECIMALS_MISMATCH,
                f"transfer says {transfer.decimals} decimals; the mint has {self.asset.decimals}",
            )
        expected = self.destination(transfer.program)
        if transfer.destination != expected or transfer.source == transfer.destination:
            raise reject(
                svm_errors.RECIPIENT_MISMATCH,
                f"transfer goes to {transfer.destination}, not {expected} (payTo {self.asset.pay_to}'s token account)",
            )
        if transfer.amount != int(req.amount):
            raise reject(svm_errors.AMOUNT_MISMATCH, f"transfer amount {transfer.amount} is not the price {req.amount}")

    async def simulate(self, signed: VersionedTransaction, payer: str) -> None:
        """Simulate the fully signed transaction (all signatures, its own blockhash); PaymentRejected if it fails."""
        try:
            sim = await self.rpc.simulate(bytes(signed))
        except RpcError as exc:
            raise PaymentRejected(svm_errors.SIMULATION_FAILED, f"simulation refused: {exc.message}", payer) from None
        if sim.err is None:
            return
        code, message = simulation_reason(sim.err, sim.logs)
        raise PaymentRejected(code, message, payer or None)

    # ---- settle -----------------------------------------------------------------------------------------------------

    async def settle(self, verified: VerifiedPayment, on_signed: OnSigned, nonces: object = None) -> SettleResult:
        """Send the co-signed transaction once and wait for its status; SettlementFailed unless it landed without
        an error (pending=True while its fate is unknown). Solana has no account nonce: `nonces` is not used."""
        wire = verified.signed_transaction
        assert wire is not None
        tx = VersionedTransaction.from_bytes(wire)
        signature = str(tx.signatures[0])
        blockhash = str(tx.message.recent_blockhash)
        await on_signed(signature, wire_base64(wire))
        try:
            await self.rpc.send(wire)
        except RpcUnavailable as exc:
            raise SettlementFailed(
                errors.SETTLEMENT_PENDING, f"send outcome unknown: {exc.message}", signature, True
            ) from exc
        except RpcError as exc:
            status = await self._status_or_none(signature)
            if status is None:  # refused, never broadcast: only our copy could ever land, and it was refused
                raise SettlementFailed(
                    svm_errors.TRANSACTION_FAILED, f"node refused the transaction: {exc.message}", signature
                ) from exc
        status = await self._wait_landed(signature, blockhash, self.confirm_timeout)
        return self._judge(status, signature, verified.payer)

    async def _status_or_none(self, signature: str) -> SignatureStatus | None:
        try:
            return await self.rpc.signature_status(signature)
        except errors.PaymentError:
            return None

    async def _wait_landed(self, signature: str, blockhash: str, timeout: float) -> SignatureStatus | str:
        """The landed status; "expired" when the blockhash died without it; "pending" at the timeout."""
        next_blockhash_check = time.monotonic() + _BLOCKHASH_CHECK_EVERY
        async for looked in self.rpc.pace.looks(timeout):
            try:
                status = await self.rpc.signature_status(signature)
                if status is not None and (status.landed or status.err is not None):
                    self.rpc.pace.saw(looked)
                    return status
                if status is None and time.monotonic() >= next_blockhash_check:
                    next_blockhash_check = time.monotonic() + _BLOCKHASH_CHECK_EVERY
                    if await self._expired_unlanded(signature, blockhash):
                        return "expired"
            except errors.PaymentError as exc:  # the node hiccuped; keep polling until the deadline
                log.info("waiting for %s: %s", signature, exc.message)
        return "pending"

    async def _expired_unlanded(self, signature: str, blockhash: str) -> bool:
        """True only when the blockhash is no longer valid AND the signature still has no status afterwards:
        the transaction can never land."""
        if await self.rpc.blockhash_valid(blockhash):
            return False
        return await self.rpc.signature_status(signature) is None

    def _judge(self, status: SignatureStatus | str, signature: str, payer: str) -> SettleResult:
        network = self.asset.network.caip2
        if status == "pending":
            raise SettlementFailed(errors.SETTLEMENT_PENDING, "transaction not confirmed yet", signature, True)
        if status == "expired":
            raise SettlementFailed(
                errors.NOT_CHARGED,
                "the transaction's blockhash expired before it landed; nothing was charged, sign the payment again",
                signature,
            )
        assert isinstance(status, SignatureStatus)
        if status.err is not None:
            raise SettlementFailed(
                svm_errors.TRANSACTION_FAILED,
                f"the transaction landed but failed ({error_name(status.err)}): nothing was paid",
                signature,
            )
        return SettleResult(signature, payer, network)

    # ---- reconcile --------------------------------------------------------------------------------------------------

    async def check_settlement(self, record: SettlementRecord, rebroadcast: bool = True) -> SettlementCheck:
        """Where a settlement in flight stands. Never signs anything; may resend the stored bytes unchanged."""
        if not record.tx_hash or not record.raw_tx:
            return SettlementCheck("failed", "", errors.NOT_CHARGED, "no signed transaction was stored")
        signature = record.tx_hash
        wire = base64.b64decode(record.raw_tx)
        blockhash = _blockhash(wire)
        try:
            status = await self.rpc.signature_status(signature)
            if status is not None:
                if status.err is not None:
                    reason = f"landed but failed ({error_name(status.err)})"
                    return SettlementCheck("failed", signature, svm_errors.TRANSACTION_FAILED, reason)
                return SettlementCheck("settled" if status.landed else "pending", signature)
            if await self._expired_unlanded(signature, blockhash):
                return SettlementCheck("failed", signature, errors.NOT_CHARGED, "blockhash expired before it landed")
        except errors.PaymentError as exc:  # the node is unreachable: nothing is known, so nothing is decided
            log.warning("cannot check %s: %s", signature, exc.message)
            return SettlementCheck("pending", signature)
        if rebroadcast:
            try:
                await self.rpc.send(wire)
            except RpcError as exc:
                log.info("resending %s: %s", signature, exc.message)
        return SettlementCheck("pending", signature)

    async def wait(self, record: SettlementRecord, timeout: float) -> SettlementCheck:
        """Wait (without resending) until the signature lands or expires, or `timeout` passes."""
        if record.tx_hash and record.raw_tx:
            await self._wait_landed(record.tx_hash, _blockhash(base64.b64decode(record.raw_tx)), timeout)
        return await self.check_settlement(record, rebroadcast=False)


def simulation_reason(err: Any, logs: list[str]) -> tuple[str, str]:
    """(reason code, message for a person) for a failed simulation."""
    name = error_name(err)
    if name == "BlockhashNotFound":
        return svm_errors.BLOCKHASH_EXPIRED, "the transaction's blockhash has expired (or is unknown): sign again"
    if name == "AlreadyProcessed":
        return svm_errors.ALREADY_PROCESSED, "this transaction was already processed"
    if name == "SignatureFailure":
        return svm_errors.SIGNATURE_INVALID, "a signature does not verify"
    if name == "InstructionError" and isinstance(err, dict):
        index, detail = err["InstructionError"]
        if detail == {"Custom": TOKEN_INSUFFICIENT_FUNDS}:
            return errors.INSUFFICIENT_FUNDS, "the payer's token account holds less than the price"
        tail = "; ".join(logs[-3:])
        return svm_errors.SIMULATION_FAILED, f"simulation failed at instruction {index}: {detail} ({tail})"
    return svm_errors.SIMULATION_FAILED, f"simulation failed: {err}"


def _blockhash(wire: bytes) -> str:
    """The recent blockhash of a signed transaction: its lifetime."""
    return str(VersionedTransaction.from_bytes(wire).message.recent_blockhash)
