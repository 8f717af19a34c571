"""The EVM `exact` scheme (EIP-3009 `transferWithAuthorization`): verify a payment, settle it, find it again.

verify runs every check of the spec: local ones first (terms, times, EIP-712 signature), then one JSON-RPC call for
the chain's view: a simulation of the transfer from our facilitator key, whose revert reason names what failed.
settle sends exactly one transaction per authorization and accepts it only with a Transfer log to payTo.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from payments import errors
from payments.attempt import Attempt
from payments.errors import PaymentRejected, SettlementFailed
from payments.evm import eip3009
from payments.evm.eip3009 import Authorization, Signature
from payments.evm.rpc import ExecutionReverted, RpcClient
from payments.evm.wallet import Wallet
from payments.jsonrpc import RpcError, RpcUnavailable
from payments.models import ExactEvmPayload, PaymentRequirements
from payments.networks import Network
from payments.settlement import Nonces, OnSigned, SettlementCheck, SettlementRecord, SettleResult, VerifiedPayment

MIN_VALIDITY_SECONDS = 6  # time left to mine the transfer before the authorization expires
# The official clients sign validBefore = now + maxTimeoutSeconds. One valid for longer (an authorization until the
# year 2286 was accepted) is refused: it would stay spendable long after the offer it pays for. This is our rule (the
# official facilitator checks only the lower bound), with room for a client clock that runs ahead of ours.
MAX_CLOCK_SKEW_SECONDS = 60
LOG_LOOKBACK_BLOCKS = 50_000  # ~28 h of Base blocks: where to look for someone else's use of an authorization

_REVERT_REASONS = (
    ("authorization is used", errors.NONCE_ALREADY_USED),
    ("not yet valid", errors.VALID_AFTER),
    ("expired", errors.VALID_BEFORE),
    ("invalid signature", errors.INVALID_SIGNATURE),
    ("exceeds balance", errors.INSUFFICIENT_FUNDS),
)


@dataclass(frozen=True)
class EvmAsset:
    network: Network
    address: str  # checksummed, as advertised
    eip712_name: str
    eip712_version: str

    @property
    def chain_id(self) -> int:
        return self.network.chain_id


def revert_reason_code(reason: str) -> str:
    text = reason.lower()
    return next((code for needle, code in _REVERT_REASONS if needle in text), errors.SIMULATION_FAILED)


def parse_authorization(payload: ExactEvmPayload) -> Authorization:
    a = payload.authorization
    return Authorization(
        a.from_.lower(), a.to.lower(), int(a.value), int(a.valid_after), int(a.valid_before), a.nonce.lower()
    )


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


class ExactEvmScheme:
    """One network's `exact` scheme. Without a wallet it can verify and check, not settle."""

    def __init__(self, asset: EvmAsset, rpc: RpcClient, wallet: Wallet | None, receipt_timeout: float = 60.0) -> None:
        self.asset = asset
        self.rpc = rpc
        self.wallet = wallet
        self.receipt_timeout = receipt_timeout

    async def check_network(self) -> str | None:
        """A problem with the configured RPC (unreachable, another chain), or None; then warms the wallet."""
        want, caip2 = self.asset.chain_id, self.asset.network.caip2
        try:
            got = await self.rpc.chain_id()
        except errors.PaymentError as exc:
            return f"{caip2}: RPC {self.rpc.url} unusable: {exc}"
        if got != want:
            return f"{caip2}: RPC {self.rpc.url} is chain {got}, expected {want}"
        if self.wallet is not None:
            await self.wallet.warm()
        return None

    # ---- verify -----------------------------------------------------------------------------------------------------

    async def verify(self, attempt: Attempt) -> VerifiedPayment:
        auth, sig = self.check_locally(attempt.evm, attempt.requirement)
        await self.check_on_chain(auth, sig)
        return VerifiedPayment(attempt, auth.from_, auth, sig)

    def check_locally(self, payload: ExactEvmPayload, req: PaymentRequirements) -> tuple[Authorization, Signature]:
        """Every check that needs no chain: terms, amount, times, EIP-712 signature. Raises PaymentRejected."""
        auth = parse_authorization(payload)

        def reject(code: str, message: str) -> PaymentRejected:
            return PaymentRejected(code, message, payer=auth.from_)

        if req.scheme != "exact":
            raise reject(errors.UNSUPPORTED_SCHEME, f"scheme {req.scheme!r} is not supported")
        if req.network != self.asset.network.caip2:
            raise reject(errors.INVALID_NETWORK, f"network {req.network!r} is not {self.asset.network.caip2}")
        if req.asset.lower() != self.asset.address.lower():
            raise reject(errors.INVALID_PAYMENT_REQUIREMENTS, f"asset {req.asset} is not {self.asset.address}")
        if auth.to != req.pay_to.lower():
            raise reject(errors.RECIPIENT_MISMATCH, f"authorization pays {auth.to}, not {req.pay_to}")
        if auth.value != int(req.amount):
            raise reject(errors.VALUE_MISMATCH, f"authorization value {auth.value} is not the price {req.amount}")
        now = int(time.time())
        if auth.valid_after > now:
            raise reject(errors.VALID_AFTER, f"authorization is valid only after {auth.valid_after} (now {now})")
        if auth.valid_before < now + MIN_VALIDITY_SECONDS:
            raise reject(
                errors.VALID_BEFORE,
                f"authorization expires at {auth.valid_before}; it must be valid until at least "
                f"{now + MIN_VALIDITY_SECONDS} to be settled",
            )
        latest = now + req.max_timeout_seconds + MAX_CLOCK_SKEW_SECONDS
        if auth.valid_before > latest:
            raise reject(
                errors.VALID_BEFORE,
                f"authorization is valid until {auth.valid_before}; sign it for at most maxTimeoutSeconds "
                f"({req.max_timeout_seconds} s) from now, i.e. validBefore <= {latest}",
            )
        return auth, self._signature(auth, payload.signature, req)

    def check_offline(self, attempt: Attempt) -> None:
        assert attempt.evm is not None
        self.check_locally(attempt.evm, attempt.requirement)

    async def balance(self, source: str) -> int:
        """The payer's token balance (atomic units) at the latest block."""
        return int(await self.rpc.eth_call(self.asset.address, _hex(eip3009.balance_of_calldata(source))), 16)

    def check_signature(self, attempt: Attempt) -> None:
        """The EIP-712 signature recovers `from`: offline, before anything may answer with a stored payment. No time
        checks here: a resend of a settled payment after its validBefore still gets its stored answer."""
        assert attempt.evm is not None
        self._signature(parse_authorization(attempt.evm), attempt.evm.signature, attempt.requirement)

    def _signature(self, auth: Authorization, signature: str, req: PaymentRequirements) -> Signature:
        """The low-s signature of `auth`, recovered to `auth.from_` in our token's EIP-712 domain; PaymentRejected."""

        def reject(code: str, message: str) -> PaymentRejected:
            return PaymentRejected(code, message, payer=auth.from_)

        extra = req.extra or {}
        name, version = extra.get("name"), extra.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            raise reject(errors.MISSING_EIP712_DOMAIN, "requirements lack extra.name / extra.version")
        try:
            domain = eip3009.domain_separator(name, version, self.asset.chain_id, self.asset.address)
            sig, signer = eip3009.signer(auth, bytes.fromhex(signature[2:]), domain)
        except ValueError as exc:
            raise reject(errors.INVALID_SIGNATURE, str(exc)) from None
        if signer != auth.from_:
            raise reject(
                errors.INVALID_SIGNATURE,
                f"signature recovers {signer}, not {auth.from_} (domain {name!r} v{version}, chain "
                f"{self.asset.chain_id}, contract {self.asset.address})",
            )
        return sig

    async def check_on_chain(self, auth: Authorization, sig: Signature) -> None:
        """One JSON-RPC call: `transferWithAuthorization` simulated from our sending account. The token runs every
        check of its own (times, a used or canceled nonce, the signature, the balance) and a failing one reverts with
        its reason, so the happy path needs no separate reads. Only a revert whose reason we do not know (a token or
        node that gives none) costs the two reads that name it."""
        sender = self.wallet.address if self.wallet else auth.to
        tx = {"from": sender, "to": self.asset.address, "data": _hex(eip3009.transfer_calldata(auth, sig))}
        try:
            await self.rpc.call("eth_call", tx, "latest")
        except ExecutionReverted as exc:
            code = revert_reason_code(exc.reason_text)
            if code == errors.SIMULATION_FAILED:
                code = await self._why_refused(auth) or code
            raise PaymentRejected(code, f"simulation reverted: {exc.reason_text}", payer=auth.from_) from None
        except RpcError as exc:  # RpcUnavailable (the node, not the payment) is no RpcError: the gateway answers 503
            raise PaymentRejected(errors.SIMULATION_FAILED, f"simulation failed: {exc}", payer=auth.from_) from None

    async def _why_refused(self, auth: Authorization) -> str | None:
        """After a revert without a known reason: a used nonce or a short balance, read from the token (one round
        trip), or None when neither explains it."""
        token = self.asset.address
        used, balance = await self.rpc.batch([
            ("eth_call", [{"to": token, "data": _hex(eip3009.authorization_state_calldata(auth.from_, auth.nonce))},
                          "latest"]),
            ("eth_call", [{"to": token, "data": _hex(eip3009.balance_of_calldata(auth.from_))}, "latest"]),
        ])  # fmt: skip
        if isinstance(used, str) and int(used, 16):
            return errors.NONCE_ALREADY_USED
        if isinstance(balance, str) and int(balance, 16) < auth.value:
            return errors.INSUFFICIENT_FUNDS
        return None

    # ---- settle -----------------------------------------------------------------------------------------------------

    async def settle(
        self, verified: VerifiedPayment, on_signed: OnSigned, nonces: Nonces | None = None
    ) -> SettleResult:
        """Send transferWithAuthorization once and wait for it; SettlementFailed unless the money moved. The nonce
        comes from `nonces` (the ledger), which stores the signed transaction (`on_signed` is for what has no nonce)."""
        if self.wallet is None or nonces is None:
            raise SettlementFailed(errors.UNEXPECTED_SETTLE_ERROR, "no facilitator key configured for this network")
        auth, sig = verified.authorization, verified.signature
        assert auth is not None and sig is not None
        data = eip3009.transfer_calldata(auth, sig)
        sent: list[str] = []
        try:
            tx_hash, receipt = await self.wallet.send_and_wait(self.asset.address, data, nonces, sent.append)
        except RpcUnavailable as exc:
            raise SettlementFailed(
                errors.SETTLEMENT_PENDING, f"send outcome unknown: {exc.message}", sent[-1] if sent else "", True
            ) from exc
        except RpcError as exc:
            # Refused by the node: not broadcast. Someone else may have used the authorization already.
            found = await self.find_use(auth)
            if found:
                return SettleResult(found, auth.from_, self.asset.network.caip2)
            raise SettlementFailed(errors.TRANSACTION_FAILED, f"node refused the transfer: {exc.message}") from exc
        if receipt is None:  # not given with the send: wait for it
            receipt = await self.rpc.wait_for_receipt(tx_hash, self.receipt_timeout)
        if receipt is None:
            raise SettlementFailed(errors.SETTLEMENT_PENDING, "transfer not mined yet", tx_hash, True)
        return await self._judge(receipt, tx_hash, auth)

    async def _judge(self, receipt: dict[str, Any], tx_hash: str, auth: Authorization) -> SettleResult:
        network = self.asset.network.caip2
        if int(receipt.get("status", "0x0"), 16) == 1:
            if eip3009.has_transfer_log(receipt, self.asset.address, auth.from_, auth.to, auth.value):
                return SettleResult(tx_hash, auth.from_, network)
            raise SettlementFailed(errors.TRANSFER_EVENT_MISMATCH, "mined, but no Transfer to payTo", tx_hash)
        found = await self.find_use(auth)  # ours reverted: did someone else's transfer pay us?
        if found:
            return SettleResult(found, auth.from_, network)
        raise SettlementFailed(errors.TRANSACTION_FAILED, "transferWithAuthorization reverted", tx_hash)

    async def find_use(self, auth: Authorization) -> str | None:
        """The hash of a transaction that used this authorization to pay payTo the value, if there is one."""
        try:
            if not await self._authorization_used(auth):
                return None
        except RpcError:
            return None
        return await self._paying_transaction(auth)

    async def _authorization_used(self, auth: Authorization) -> bool:
        """The token's `authorizationState(from, nonce)`: used or canceled."""
        data = _hex(eip3009.authorization_state_calldata(auth.from_, auth.nonce))
        return bool(int(await self.rpc.eth_call(self.asset.address, data), 16))

    async def _paying_transaction(self, auth: Authorization) -> str | None:
        """Among the token's `AuthorizationUsed` logs for (from, nonce), the transaction that paid payTo the value."""
        try:
            latest = int(await self.rpc.call("eth_blockNumber"), 16)
            logs = await self.rpc.call(
                "eth_getLogs",
                {
                    "address": self.asset.address,
                    "fromBlock": hex(max(0, latest - LOG_LOOKBACK_BLOCKS)),
                    "toBlock": "latest",
                    "topics": [eip3009.AUTHORIZATION_USED_TOPIC, eip3009.topic_address(auth.from_), auth.nonce],
                },
            )
            for log in logs or []:
                receipt = await self.rpc.receipt(log["transactionHash"])
                if receipt and eip3009.has_transfer_log(receipt, self.asset.address, auth.from_, auth.to, auth.value):
                    return log["transactionHash"]
        except RpcError:
            return None
        return None

    # ---- reconcile --------------------------------------------------------------------------------------------------

    async def check_settlement(self, record: SettlementRecord, rebroadcast: bool = True) -> SettlementCheck:
        """Where a settlement in flight stands on chain; never signs anything new, may resend the same bytes."""
        auth = Authorization(
            record.payer.lower(), record.pay_to.lower(), record.amount, 0, record.valid_before, record.nonce.lower()
        )
        if record.tx_hash:
            receipt = await self.rpc.receipt(record.tx_hash)
            if receipt is not None:
                try:
                    result = await self._judge(receipt, record.tx_hash, auth)
                    return SettlementCheck("settled", result.transaction)
                except SettlementFailed as exc:
                    return SettlementCheck("failed", record.tx_hash, exc.reason, exc.message)
            if await self.rpc.transaction(record.tx_hash) is not None:
                return SettlementCheck("pending", record.tx_hash)
        if await self._authorization_used(auth):  # one read decides both: paid us, or used elsewhere
            found = await self._paying_transaction(auth)
            if found:
                return SettlementCheck("settled", found)
            return SettlementCheck("failed", record.tx_hash or "", errors.NONCE_ALREADY_USED, "used elsewhere")
        if time.time() >= record.valid_before:
            return SettlementCheck("failed", record.tx_hash or "", errors.NOT_CHARGED, "authorization expired unused")
        if rebroadcast and record.raw_tx:
            try:
                await self.rpc.send_raw_transaction(record.raw_tx)
            except RpcError as exc:
                text = exc.rpc_message.lower()
                if "nonce" in text and "low" in text:  # its nonce went to another tx: it can never be mined
                    return SettlementCheck("failed", record.tx_hash or "", errors.NOT_CHARGED, "tx superseded")
            return SettlementCheck("pending", record.tx_hash or "")
        return SettlementCheck("pending", record.tx_hash or "")

    async def wait(self, record: SettlementRecord, timeout: float) -> SettlementCheck:
        """Poll `check_settlement` (without resending) until it is no longer pending or `timeout` passes."""
        if record.tx_hash:
            await self.rpc.wait_for_receipt(record.tx_hash, timeout)
        return await self.check_settlement(record, rebroadcast=False)
