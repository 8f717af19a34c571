"""The payment gateway: the one entry point the service uses. Plain values in (headers, offer, request
fingerprint), plain values out (`Outcome`: status, headers, body, job id); no web framework here.

A paid request travels: decode → match our offer → the offline signature check → ledger.reserve (before any
on-chain verification) → verify → settling (signed tx hash stored before the send) → mined → fulfil (the service
creates the job) → job_created → 202 (`settled` only marks a payment whose money moved but whose job is not made).
Idempotency: the same payment, or the same payment-identifier, returns the stored answer; concurrent copies in
this process share one task, copies in other processes (on this machine or another) wait on the ledger row, woken by
the ledger (`Ledger.watch_row`). Settlement runs in its own task, so a client hanging up never cuts a settlement in
half. Every process keeps a heartbeat in the ledger and, beside serving, finishes what a dead peer left (its rows in
flight: settling ones looked up on chain, settled ones fulfilled), as a restart does at start-up.

Why the signature check comes first: the ledger key of an EVM payment is (network, asset, payer, nonce), and the
payer and nonce of a settled authorization are public (the token's `AuthorizationUsed` log). Checked after the
lookup, a header carrying them with any signature at all got the original payer's job (same body) or a 409 (another
body, which tells a guesser the body was wrong). So nothing answers from the ledger or joins a copy in flight
until the signature checks out offline: EIP-712 recovery to `from` (no time checks, so a resend after validBefore
still gets its stored answer); on Solana every signature but our fee payer's over the message (its sha256 is the
key). No RPC: a settled authorization no longer passes the on-chain checks. What remains: a settled authorization
and its signature are public on chain (the settlement's calldata; on Solana the whole signed transaction), so a
replay that verifies can come from anyone who also guesses the request body.

Money-losing bursts are stopped by three guards, each in its own module: the per-source gate (`payments.gate`: no
settlement while another from the same payer / token account is in flight, unless its balance covers both), the
failure limit (`payments.failures`: 429 after repeated failed payments from a payer or an address), and the Solana
fee payer's budget (`payments.svm.fee_budget`: 503 past so many lamports a minute); the priority-fee cap is a check of
the Solana scheme. In full, a paid request is: decode → signature (offline) → failure limit → copies in flight /
ledger.reserve (stored answers, 409s) → every offline check (terms, amount, times, fee caps) → fee budget (Solana)
→ per-source gate → on-chain verification (simulation) → fee budget spend (Solana) → settle → fulfil.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address
from solders.pubkey import Pubkey

from payments import errors
from payments.attempt import Attempt, attempt_from, payment_header
from payments.codec import MAX_HEADER_BYTES, decode_json, encode_header
from payments.config import EvmNetworkConfig, PaymentConfig, SvmNetworkConfig
from payments.errors import (
    FacilitatorUnavailable,
    LedgerUnavailable,
    MalformedPayment,
    PaymentDeferred,
    PaymentRejected,
    SettlementFailed,
)
from payments.evm.eip3009 import transaction_nonce
from payments.evm.facilitator import Facilitator, LocalFacilitator, RemoteFacilitator
from payments.evm.rpc import RpcClient
from payments.evm.scheme import MIN_VALIDITY_SECONDS, EvmAsset, ExactEvmScheme
from payments.evm.wallet import Wallet
from payments.failures import FailureLimit
from payments.gate import WAIT_SECONDS, SourceGate
from payments.jsonrpc import RpcUnavailable
from payments.ledger import IN_FLIGHT, Ledger, LostOwnership, NewPayment, PaymentRow, ledger_at
from payments.ledger.base import Sign
from payments.models import SettleResponse
from payments.networks import lookup, usd
from payments.observe import GasBalance, NoObserver, PaymentObserver
from payments.owners import HEARTBEAT_SECONDS, HEARTBEAT_TTL_SECONDS, gone_from_this_host, new_owner
from payments.requirements import Acceptance, Offer, OfferTerms, RequirementsBook
from payments.settlement import SettlementRecord
from payments.svm.fee_budget import FeeBudget
from payments.svm.rpc import SolanaRpc
from payments.svm.scheme import ExactSvmScheme, FeePayer, SvmAsset

__all__ = ["EvmNetworkConfig", "Offer", "Outcome", "PaidRequest", "PaymentConfig", "PaymentGateway", "SvmNetworkConfig"]

log = logging.getLogger("payments")

EXPOSE_HEADERS = "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE"
BASE_HEADERS = {"Cache-Control": "no-store", "Access-Control-Expose-Headers": EXPOSE_HEADERS}
LEASE_SECONDS = 120.0  # a row untouched this long is presumed abandoned by its owner, whatever its heartbeat says
WAIT_ROW_SECONDS = 1.0  # longest a copy waits on another process's row before it reads it again
RETRY_AFTER_SECONDS = 5  # advised to a client whose payment could not be judged (remote facilitator unreachable)
CHAIN_RETRY_AFTER_SECONDS = 10  # advised when the RPC node is down or answers garbage
# what a garbage answer from a node raises where our clients parse it (a result of the wrong type or shape)
CHAIN_GARBAGE = (ValueError, TypeError, KeyError, AttributeError, IndexError)


@dataclass(frozen=True)
class PaidRequest:
    """A settled payment handed to the service to fulfil: the job id the ledger chose, and what the payment bought
    (`request_json`, opaque here: the service stored it with the payment before anything was verified)."""

    job_id: str
    request_json: str
    network: str
    payer: str
    amount: int
    transaction: str


@dataclass(frozen=True)
class Receipt:
    """A settled payment, typed: what its PAYMENT-RESPONSE (X-PAYMENT-RESPONSE for v1) says. `network` is named as
    that header names it (the v1 name for a v1 client)."""

    transaction: str
    network: str
    payer: str


@dataclass(frozen=True)
class Outcome:
    status_code: int  # 202 paid (also a replay), 400 malformed, 402 refused or not settled, 409 conflict,
    # 429 too many failed payments, 503 not judged (facilitator unreachable, fee budget spent, source busy)
    headers: dict[str, str]
    body: dict | None  # None when paid: the service answers with its job
    job_id: str | None
    receipt: Receipt | None = None  # when paid: the settlement, so no caller decodes the header we encoded

    def to_json(self) -> str:
        # not asdict(self): that deep-copies the body and headers only to serialise them (a receipt is three strings)
        receipt = self.receipt
        data = {
            "status_code": self.status_code,
            "headers": self.headers,
            "body": self.body,
            "job_id": self.job_id,
            "receipt": None if receipt is None else asdict(receipt),
        }
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        data = json.loads(text)
        receipt = data.pop("receipt", None)
        outcome = cls(**data, receipt=Receipt(**receipt) if receipt else None)
        if outcome.job_id is not None and outcome.receipt is None:  # stored before receipts were: read its header
            return replace(outcome, receipt=_receipt_in(outcome.headers))
        return outcome


def _receipt_in(headers: Mapping[str, str]) -> Receipt | None:
    for name, value in headers.items():
        if name.lower() in ("payment-response", "x-payment-response"):
            found = decode_json(value)
            return Receipt(found.get("transaction", ""), found.get("network", ""), found.get("payer", ""))
    return None


Fulfil = Callable[[PaidRequest], Awaitable[None]]


@dataclass
class _Flight:
    key: str
    payment_id: str | None
    fingerprint: str
    task: asyncio.Task[Outcome] = field(repr=False)
    source: tuple[str, str] = ("", "")  # (network, source): whose waiters to wake when it lands


class LedgerNonces:
    """The nonces of a settlement of one row: allocated in the ledger, with the signed transaction stored on the row in
    the same transaction (`Ledger.sign_settlement`), or given back when the node refused it."""

    def __init__(self, ledger: Ledger, key: str, owner: str) -> None:
        self.ledger, self.key, self.owner = ledger, key, owner

    async def sign(self, sender: str, floor: int | None, sign: Sign) -> int:
        return await self.ledger.sign_settlement(self.key, self.owner, sender, floor, sign)

    async def release(self, sender: str, nonce: int) -> None:
        await self.ledger.release_nonce(sender, nonce)


class ConfigurationError(RuntimeError):
    """The payment configuration does not match the world (wrong chain id, payTo = facilitator, ...)."""


class PaymentGateway:
    def __init__(
        self, config: PaymentConfig, ledger: Ledger | Path | str, observer: PaymentObserver | None = None
    ) -> None:
        """`ledger`: a Ledger, a PostgreSQL URL or a SQLite file (`payments.ledger.ledger_at`); `observer` hears of
        settlements and RPC round trips (the service's metrics)."""
        self.config = config
        self.observer: PaymentObserver = observer or NoObserver()
        self.ledger = ledger_at(ledger)
        self._owner = new_owner()
        self.gate = SourceGate(self.ledger, self._owner, LEASE_SECONDS)
        self.failures = FailureLimit(
            self.ledger, config.failures_per_payer, config.failures_per_address, config.failure_window_seconds
        )
        self.fee_budgets: dict[str, FeeBudget] = {}
        self._started_at = time.time()
        self._rpcs: list[RpcClient] = []
        self._wallets: list[Wallet] = []
        acceptances: list[Acceptance] = []
        schemes: dict[str, Any] = {}
        for net in config.evm:
            acceptance, scheme = self._evm(net)
            acceptances.append(acceptance)
            schemes[acceptance.network.caip2] = scheme
        if config.svm and config.facilitator_url:
            raise ConfigurationError("Solana settles with our own fee payer; a remote facilitator is for EVM only")
        for svm_net in config.svm:
            acceptance, scheme = self._svm(svm_net)
            acceptances.append(acceptance)
            schemes[acceptance.network.caip2] = scheme
        self.schemes = schemes
        self.book = RequirementsBook(acceptances, config.max_timeout_seconds)
        self.facilitator: Facilitator = (
            RemoteFacilitator(config.facilitator_url, schemes) if config.facilitator_url else LocalFacilitator(schemes)
        )
        self._flights: dict[str, _Flight] = {}
        self._flights_by_id: dict[str, _Flight] = {}
        self._upkeep: asyncio.Task[None] | None = None
        self._reconcile_with: Fulfil | None = None  # set: the upkeep also finishes what dead peers left
        self._live: tuple[float, set[str]] = (0.0, set())  # (read at, owners with a running heartbeat)

    def _evm(self, net: EvmNetworkConfig) -> tuple[Acceptance, ExactEvmScheme]:
        network = lookup(net.network)
        if network.family != "evm":
            raise ConfigurationError(f"{net.network} is not an EVM network")
        asset = to_checksum_address(net.asset or network.usdc)
        name = net.eip712_name or network.eip712_name
        version = net.eip712_version or network.eip712_version
        if net.asset and net.asset.lower() != network.usdc.lower() and not net.eip712_name:
            raise ConfigurationError(f"{net.network}: a custom asset needs its EIP-712 name (eip712_name)")
        assert name and version
        pay_to = to_checksum_address(net.pay_to)
        rpc = RpcClient(net.rpc_url, observe=partial(self.observer.rpc, network.caip2))
        self._rpcs.append(rpc)
        wallet = None
        if net.facilitator_private_key:
            wallet = Wallet(rpc, net.facilitator_private_key, network.chain_id)
            if wallet.address.lower() == pay_to.lower():
                raise ConfigurationError(f"{net.network}: payTo must not be the facilitator's own address")
            self._wallets.append(wallet)
        elif not self.config.facilitator_url:
            raise ConfigurationError(f"{net.network}: no facilitator_private_key and no facilitator_url")
        evm_asset = EvmAsset(network, asset, name, version)
        return Acceptance(network, asset, pay_to, name, version), ExactEvmScheme(evm_asset, rpc, wallet)

    def _svm(self, net: SvmNetworkConfig) -> tuple[Acceptance, ExactSvmScheme]:
        network = lookup(net.network)
        if network.family != "svm":
            raise ConfigurationError(f"{net.network} is not a Solana network")
        try:
            mint, pay_to = Pubkey.from_string(net.mint or network.usdc), Pubkey.from_string(net.pay_to)
            fee_payer = FeePayer(net.fee_payer_key)
        except ValueError as exc:
            raise ConfigurationError(f"{network.caip2}: {exc}") from None
        if fee_payer.pubkey == pay_to:
            raise ConfigurationError(f"{network.caip2}: payTo must not be the fee payer's own address")
        rpc = SolanaRpc(net.rpc_url, observe=partial(self.observer.rpc, network.caip2))
        self._rpcs.append(rpc)
        asset = SvmAsset(network, mint, pay_to, network.decimals)
        scheme = ExactSvmScheme(asset, rpc, fee_payer, max_priority_fee=net.max_priority_fee_lamports)
        self.fee_budgets[network.caip2] = FeeBudget(self.ledger, network.caip2, net.fee_budget_lamports_per_minute)
        return Acceptance(network, str(mint), str(pay_to), fee_payer=fee_payer.address), scheme

    # ---- life cycle -------------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the ledger (its schema migrated), beat, check every RPC answers with the configured chain, warm fees."""
        await self.ledger.open()
        await self.ledger.heartbeat(self._owner, HEARTBEAT_TTL_SECONDS)
        self._upkeep = asyncio.create_task(self._keep(), name="payments-upkeep")
        await self.check_networks()

    async def check_networks(self) -> None:
        """Every RPC answers with the configured chain (warming nonces and fees); a remote facilitator lists ours."""
        problems = await asyncio.gather(*(s.check_network() for s in self.schemes.values()))
        for problem in problems:
            if problem:
                raise ConfigurationError(problem)
        if isinstance(self.facilitator, RemoteFacilitator):
            await _check_facilitator(self.facilitator)

    async def close_networks(self) -> None:
        await self.facilitator.close()
        await asyncio.gather(*(rpc.close() for rpc in self._rpcs))

    async def close(self) -> None:
        if self._upkeep is not None:
            self._upkeep.cancel()
            await asyncio.gather(self._upkeep, return_exceptions=True)
        for flight in list(self._flights.values()):
            await asyncio.wait([flight.task], timeout=30)
        with contextlib.suppress(Exception):  # gone now: a peer may take over at once whatever is left
            await self.ledger.forget_owner(self._owner)
        await self.close_networks()
        await self.ledger.close()

    async def gas_balances(self) -> list[GasBalance]:
        """What our settling accounts hold for fees (one RPC each): the EVM facilitator's ETH (none with a remote
        facilitator) and the Solana fee payer's SOL."""
        found = []
        for caip2, scheme in self.schemes.items():
            if isinstance(scheme, ExactEvmScheme) and scheme.wallet is not None:
                wei = int(await scheme.rpc.call("eth_getBalance", scheme.wallet.address, "latest"), 16)
                found.append(GasBalance(caip2, "facilitator", scheme.wallet.address, wei, 18, "ETH"))
            elif isinstance(scheme, ExactSvmScheme):
                lamports = await scheme.rpc.balance(scheme.fee_payer.address)
                found.append(GasBalance(caip2, "fee_payer", scheme.fee_payer.address, lamports, 9, "SOL"))
        return found

    # ---- unpaid path: no I/O ----------------------------------------------------------------------------------------

    def challenge(self, offer: Offer, error: str = "Payment required") -> tuple[int, dict[str, str], dict]:
        """402, headers (PAYMENT-REQUIRED + no-store + expose), v1 body. Cached per offer and error text."""
        header, body = self.book.terms(offer).challenge(error)
        return 402, {**BASE_HEADERS, "PAYMENT-REQUIRED": header}, body

    def encoded_challenge(self, offer: Offer, error: str = "Payment required") -> tuple[int, dict[str, str], bytes]:
        """`challenge` with the v1 body as JSON bytes, encoded once per offer and error text: what every agent and
        indexer meets first costs no encoding."""
        header, body = self.book.terms(offer).encoded_challenge(error)
        return 402, {**BASE_HEADERS, "PAYMENT-REQUIRED": header}, body

    def payment_required(self, offer: Offer, error: str = "Payment required") -> dict[str, Any]:
        """The v2 `PaymentRequired` as a JSON object (the MCP transport's 402), with `error` set. No I/O."""
        return self.book.terms(offer).payment_required(error)

    def price_list(self, offers: dict[str, Offer]) -> dict:
        """Per tier, per network: the price in atomic units and USD, asset, payTo, network names (v2 and v1)."""
        out: dict[str, Any] = {}
        for tier, offer in offers.items():
            out[tier] = {
                "price_usdc": usd(offer.price_atomics),
                "price_usdc_atomics": offer.price_atomics,
                "networks": [
                    {
                        "network": a.network.caip2,
                        "network_v1": a.network.v1_name,
                        "scheme": a.scheme,
                        "asset": a.asset,
                        "pay_to": a.pay_to,
                        "amount": str(offer.price_atomics),
                        "amount_usd": usd(offer.price_atomics, a.network.decimals),
                    }
                    for a in self.book.acceptances
                ],
            }
        return out

    def manifest(self, offers: list[Offer]) -> dict:
        """/.well-known/x402.json: every paid resource with the same requirements as its live 402."""
        return {
            "x402Version": 2,
            "lastUpdated": datetime.fromtimestamp(self._started_at, UTC).isoformat().replace("+00:00", "Z"),
            "items": [self.book.manifest_item(o) for o in offers],
        }

    # ---- paid path --------------------------------------------------------------------------------------------------

    async def charge(
        self,
        headers: Mapping[str, str],
        offer: Offer,
        fingerprint: str,
        request_json: str,
        fulfil: Fulfil,
        client: str | None = None,
    ) -> Outcome:
        """Take the payment in `headers` for `offer`; `client` is the sender's address (for the failure limit)."""
        value = payment_header(headers)
        if value is None:
            return _refusal(self.book.terms(offer), errors.PAYMENT_REQUIRED, "this resource needs an x402 payment")
        try:
            data = decode_json(value)  # bounded by the header's own size limit
        except MalformedPayment as exc:
            return _plain(400, exc.reason, exc.message)
        return await self._charge_object(data, offer, fingerprint, request_json, fulfil, client)

    async def charge_payload(
        self,
        payload: Any,
        offer: Offer,
        fingerprint: str,
        request_json: str,
        fulfil: Fulfil,
        client: str | None = None,
    ) -> Outcome:
        """`charge` for a payment that travels decoded, not in a header: the MCP transport's
        `_meta["x402/payment"]`. The same checks (and the header's size limit), the same ledger, the same answers."""
        try:
            data = _payload_object(payload)
        except MalformedPayment as exc:
            return _plain(400, exc.reason, exc.message)
        return await self._charge_object(data, offer, fingerprint, request_json, fulfil, client)

    async def _charge_object(
        self,
        data: dict[str, Any],
        offer: Offer,
        fingerprint: str,
        request_json: str,
        fulfil: Fulfil,
        client: str | None,
    ) -> Outcome:
        terms = self.book.terms(offer)
        try:
            attempt = attempt_from(data, terms)
        except MalformedPayment as exc:
            return _plain(400, exc.reason, exc.message)
        except PaymentRejected as exc:
            return _refusal(terms, exc.reason, exc.message)
        try:  # before anything that can answer with a stored payment, a 409, or a copy in flight
            self.schemes[attempt.network].check_signature(attempt)
        except PaymentRejected as exc:
            return _refusal(terms, exc.reason, exc.message)
        try:
            return await self._take(attempt, terms, fingerprint, request_json, fulfil, client)
        except LedgerUnavailable as exc:  # nothing is decided that is not on record: the same payment may come again
            log.warning("payment %s deferred: %s", attempt.key, exc.message)
            return _deferred(exc)

    async def _take(
        self,
        attempt: Attempt,
        terms: OfferTerms,
        fingerprint: str,
        request_json: str,
        fulfil: Fulfil,
        client: str | None,
    ) -> Outcome:
        """The failure limit, then the payment's one flight in this process (shared by its concurrent copies)."""
        try:
            await self.failures.check(attempt.network, attempt.payer, client)
        except PaymentDeferred as exc:
            return _deferred(exc)

        flight = self._flights.get(attempt.key) or (
            self._flights_by_id.get(attempt.payment_id) if attempt.payment_id else None
        )
        if flight is not None:  # the same payment is being processed right here: share its outcome
            if flight.key != attempt.key:
                return _conflict_id()
            if flight.fingerprint != fingerprint:
                return _conflict_fingerprint()
            return await asyncio.shield(flight.task)
        task = asyncio.create_task(self._process(attempt, terms, fingerprint, request_json, fulfil, client))
        flight = _Flight(attempt.key, attempt.payment_id, fingerprint, task, (attempt.network, attempt.source))
        self._flights[attempt.key] = flight
        if attempt.payment_id:
            self._flights_by_id[attempt.payment_id] = flight
        task.add_done_callback(lambda t: self._land(flight))
        return await asyncio.shield(task)

    def _land(self, flight: _Flight) -> None:
        self._flights.pop(flight.key, None)
        if flight.payment_id:
            self._flights_by_id.pop(flight.payment_id, None)
        self.gate.wake(*flight.source)
        failure = None if flight.task.cancelled() else flight.task.exception()
        if failure is not None and not isinstance(failure, LedgerUnavailable):  # that one is answered, and logged
            log.error("payment %s failed", flight.key, exc_info=failure)

    async def _process(
        self,
        attempt: Attempt,
        terms: OfferTerms,
        fingerprint: str,
        request_json: str,
        fulfil: Fulfil,
        client: str | None = None,
    ) -> Outcome:
        new = new_payment(attempt, fingerprint, request_json)
        reservation = await self.ledger.reserve(new, self._owner, admit_lease_seconds=LEASE_SECONDS)
        row = reservation.row
        if not reservation.owned:
            if row.key != attempt.key:
                return _conflict_id()
            if row.fingerprint != fingerprint:
                return _conflict_fingerprint()
            return await self._join(row, attempt, terms, fulfil, client)
        try:
            return await self._run(row, attempt, terms, fulfil, client)
        except LostOwnership:
            current = await self.ledger.get(attempt.key)
            assert current is not None
            return await self._join(current, attempt, terms, fulfil, client)

    async def _join(
        self, row: PaymentRow, attempt: Attempt, terms: OfferTerms, fulfil: Fulfil, client: str | None = None
    ) -> Outcome:
        """Someone else holds this payment's row: return its answer, wait for it, or take over an abandoned row."""
        while True:
            with self.ledger.watch_row(row.key) as changed:  # armed before the row is read: no change is missed
                fresh = await self.ledger.get(row.key)
                if fresh is None:  # cannot happen (rows are never deleted), but never spin on nothing
                    return await self._process(attempt, terms, row.fingerprint, row.request_json, fulfil, client)
                row = fresh
                if row.answer and row.state in ("job_created", "rejected"):
                    return Outcome.from_json(row.answer)
                if row.state == "rejected":  # released without an answer (interrupted): nothing moved, start afresh
                    return await self._process(attempt, terms, row.fingerprint, row.request_json, fulfil, client)
                orphan = row.owner == self._owner  # ours, yet no task of ours runs it: that task died
                if row.state in IN_FLIGHT and (orphan or await self._abandoned(row)):
                    mine = await self.ledger.take_over(row, self._owner)
                    if mine is not None:
                        try:
                            return await self._recover(mine, fulfil, attempt, terms, client)
                        except LostOwnership:
                            continue
                await changed.wait(WAIT_ROW_SECONDS)

    async def _live_owners(self, max_age: float = 1.0) -> set[str]:
        """The owners with a running heartbeat, read at most every `max_age` seconds."""
        read_at, owners = self._live
        if time.monotonic() - read_at > max_age:
            owners = await self.ledger.live_owners()
            self._live = (time.monotonic(), owners)
        return owners

    async def _abandoned(self, row: PaymentRow) -> bool:
        """Nobody works on `row` any more: its owner is gone (no heartbeat, or a dead process of this host), or it was
        left untouched for LEASE_SECONDS."""
        if time.time() - row.updated_at > LEASE_SECONDS or gone_from_this_host(row.owner, self._owner):
            return True
        return row.owner != self._owner and row.owner not in await self._live_owners()

    async def _run(
        self, row: PaymentRow, attempt: Attempt, terms: OfferTerms, fulfil: Fulfil, client: str | None = None
    ) -> Outcome:
        """Check, admit, verify, settle and fulfil a payment whose row we own (state `reserved`)."""
        budget = self.fee_budgets.get(attempt.network)
        fee = attempt.svm.fee_lamports if attempt.svm is not None else 0
        try:
            self.schemes[attempt.network].check_offline(attempt)  # refused here, it cost nothing: not a failure
            if budget is not None:
                await budget.check(fee)
            await self.gate.admit(row, self.schemes[attempt.network].balance, self._admit_deadline(row))
        except LedgerUnavailable:
            raise
        except PaymentDeferred as exc:
            return await self._reject(row, _deferred(exc), exc)
        except PaymentRejected as exc:
            if exc.reason == errors.INSUFFICIENT_FUNDS:  # refused by the gate on the source's balance (an RPC read)
                await self.failures.record(row.network, row.payer, client)
            return await self._reject(row, _refusal(terms, exc.reason, exc.message), exc)
        except (RpcUnavailable, *CHAIN_GARBAGE) as exc:  # the balance could not be read: not judged, nothing moved
            return await self._reject(row, *_chain_unavailable(exc))
        try:
            verified = await self.facilitator.verify(attempt)
        except PaymentRejected as exc:
            await self.failures.record(row.network, row.payer, client)
            return await self._reject(row, _refusal(terms, exc.reason, exc.message), exc)
        except FacilitatorUnavailable as exc:
            return await self._reject(row, _unavailable(exc), exc)
        except (RpcUnavailable, *CHAIN_GARBAGE) as exc:  # the node is down or talks garbage: not judged, nothing moved
            return await self._reject(row, *_chain_unavailable(exc))
        except errors.PaymentError as exc:
            refusal = _refusal(terms, errors.UNEXPECTED_VERIFY_ERROR, exc.message)
            return await self._reject(row, refusal, exc)
        if isinstance(self.facilitator, RemoteFacilitator):
            await self.ledger.move(row.key, self._owner, "verified")
        if budget is not None:
            try:
                await budget.spend(fee)  # the last moment before our fee payer's signature leaves this process
            except PaymentDeferred as exc:
                return await self._reject(row, _deferred(exc), exc)

        async def on_signed(tx_hash: str, raw_tx: str) -> None:
            await self.ledger.move(row.key, self._owner, "settling", tx_hash=tx_hash, raw_tx=raw_tx or None)

        try:
            result = await self.facilitator.settle(verified, on_signed, LedgerNonces(self.ledger, row.key, self._owner))
        except FacilitatorUnavailable as exc:  # the request never reached it: nothing was sent
            self.observer.settlement(row.network, "unavailable")
            return await self._reject(row, _unavailable(exc), exc)
        except SettlementFailed as exc:
            self.observer.settlement(row.network, "pending" if exc.pending else "failed")
            answer = self._settle_refusal(terms, row, exc.reason, exc.message, exc.transaction)
            if exc.pending:  # money may still move: keep `settling`, a retry or reconcile will find out
                return answer
            await self.failures.record(row.network, row.payer, client)
            return await self._reject(row, answer, exc)
        self.observer.settlement(row.network, "settled")
        # Straight on to the job: the row moves from settling to job_created in one step. A crash in between leaves it
        # settling with our transaction on record, which reconciliation finds settled on chain and fulfils.
        return await self._fulfil(row, result.transaction, fulfil, just_settled=True)

    @staticmethod
    def _admit_deadline(row: PaymentRow) -> float:
        """How long a payment may wait for its source: bounded, and (EVM) while its authorization can still settle."""
        deadline = time.time() + WAIT_SECONDS
        if row.valid_before:
            deadline = min(deadline, row.valid_before - MIN_VALIDITY_SECONDS)
        return deadline

    async def _recover(
        self,
        row: PaymentRow,
        fulfil: Fulfil,
        attempt: Attempt | None = None,
        terms: OfferTerms | None = None,
        client: str | None = None,
    ) -> Outcome | None:
        """Carry on with a row we just took over. Never signs a new transaction for a row that has one.
        Returns None when its fate is still unknown (pending on chain, no client waiting)."""
        if row.state == "verified":
            return await self._recover_verified(row, fulfil, attempt, terms, client)
        if row.state == "reserved":
            if attempt is not None and terms is not None:
                return await self._run(row, attempt, terms, fulfil, client)
            message = "processing was interrupted before settlement; nothing was charged, retry the payment"
            await self.ledger.move(
                row.key, self._owner, "rejected", error_code=errors.NOT_CHARGED, error_message=message
            )
            return None
        if row.state == "settling":
            record = _record(row)
            check = await self.facilitator.check_settlement(record)
            if check.state == "pending" and attempt is not None:
                check = await self.facilitator.wait(record, timeout=60.0)
            if check.state == "pending":
                return (
                    None
                    if attempt is None
                    else self._settle_refusal(
                        terms, row, errors.SETTLEMENT_PENDING, "settlement not mined yet", check.transaction
                    )
                )
            if check.state == "failed":
                self.observer.settlement(row.network, "failed")
                if check.reason == errors.NOT_CHARGED:
                    await self._release_unsent(row)
                answer = self._settle_refusal(terms, row, check.reason, check.message, check.transaction)
                return await self._reject(row, answer, SettlementFailed(check.reason, check.message))
            self.observer.settlement(row.network, "settled")
            await self.ledger.move(row.key, self._owner, "settled", tx_hash=check.transaction)
            row = await self.ledger.get(row.key)  # type: ignore[assignment]
        if row.state == "settled":
            return await self._fulfil(row, row.tx_hash or "", fulfil)
        return Outcome.from_json(row.answer) if row.answer else None

    async def _release_unsent(self, row: PaymentRow) -> None:
        """A stored EVM transaction that will never be sent (its authorization expired before it went out): give its
        nonce back, so it does not stay a hole that holds up every later transaction of the key. If it was sent
        after all, the next transaction with that nonce meets a collision and takes a fresh one."""
        wallet = self._wallet_of(row.network)
        if wallet is not None and row.raw_tx:
            with contextlib.suppress(ValueError):
                await self.ledger.release_nonce(wallet.sender, transaction_nonce(row.raw_tx))

    def _wallet_of(self, network: str) -> Wallet | None:
        scheme = self.schemes.get(network)
        return getattr(scheme, "wallet", None) if isinstance(scheme, ExactEvmScheme) else None

    async def _recover_verified(
        self,
        row: PaymentRow,
        fulfil: Fulfil,
        attempt: Attempt | None,
        terms: OfferTerms | None,
        client: str | None = None,
    ) -> Outcome | None:
        """A remote facilitator's row whose /settle answer was never recorded (it may have settled): the chain decides.
        Paid → fulfil; used elsewhere or expired → rejected; neither → settle again for a client that is waiting
        (EIP-3009 moves the money once, and a refusal is checked against the chain), else leave it for the payer's
        resend or the next start."""
        check = await self.facilitator.check_settlement(_record(row), rebroadcast=False)
        if check.state == "settled":
            await self.ledger.move(row.key, self._owner, "settled", tx_hash=check.transaction)
            return await self._fulfil(row, check.transaction, fulfil)
        if check.state == "failed":
            answer = self._settle_refusal(terms, row, check.reason, check.message, check.transaction)
            return await self._reject(row, answer, SettlementFailed(check.reason, check.message))
        if attempt is not None and terms is not None:
            return await self._run(row, attempt, terms, fulfil, client)
        return None

    async def _fulfil(self, row: PaymentRow, transaction: str, fulfil: Fulfil, just_settled: bool = False) -> Outcome:
        """Hand the settled payment to the service, then record its answer (state job_created, with the transaction
        that paid). `just_settled`: the row is still `settling`; if the service fails, it is marked `settled` first,
        so what moved money is on record without a chain lookup."""
        try:
            await fulfil(PaidRequest(row.job_id, row.request_json, row.network, row.payer, row.amount, transaction))
        except Exception:
            if just_settled:
                with contextlib.suppress(Exception):
                    await self.ledger.move(row.key, self._owner, "settled", tx_hash=transaction)
            raise
        header, value = self._payment_response(
            row, SettleResponse(success=True, transaction=transaction, network=row.network, payer=row.payer)
        )
        receipt = Receipt(transaction, _wire_network(row), row.payer)
        outcome = Outcome(202, {**BASE_HEADERS, header: value}, None, row.job_id, receipt)
        await self.ledger.move(row.key, self._owner, "job_created", answer=outcome.to_json(), tx_hash=transaction)
        return outcome

    async def _reject(self, row: PaymentRow, answer: Outcome, exc: errors.PaymentError) -> Outcome:
        await self.ledger.move(
            row.key, self._owner, "rejected", error_code=exc.reason, error_message=exc.message, answer=answer.to_json()
        )
        return answer

    # ---- answers ----------------------------------------------------------------------------------------------------

    def _settle_refusal(
        self, terms: OfferTerms | None, row: PaymentRow, code: str, message: str, transaction: str
    ) -> Outcome:
        answer = _refusal(terms, code, message)
        header, value = self._payment_response(
            row,
            SettleResponse(
                success=False, transaction=transaction or "", network=row.network, payer=row.payer, error_reason=code
            ),
        )
        return Outcome(answer.status_code, {**answer.headers, header: value}, answer.body, None)

    @staticmethod
    def _payment_response(row: PaymentRow, response: SettleResponse) -> tuple[str, str]:
        if row.x402_version == 1:
            return "X-PAYMENT-RESPONSE", encode_header(response.model_copy(update={"network": _wire_network(row)}))
        return "PAYMENT-RESPONSE", encode_header(response)

    # ---- start-up ---------------------------------------------------------------------------------------------------

    async def reconcile(self, fulfil: Fulfil) -> dict[str, int]:
        """Finish what a previous run or a dead peer left, and what no task of ours works on any more: settling rows
        checked on chain (rebroadcasting the same signed bytes if still valid and unmined), settled rows fulfilled,
        interrupted reservations released. Rows of a live peer are left to it."""
        counts = {"settled": 0, "rejected": 0, "pending": 0, "released": 0}
        rows = await self.ledger.in_states(IN_FLIGHT)
        live = await self._live_owners(max_age=0)
        for row in rows:
            if row.key in self._flights:
                continue  # being processed right now by this gateway
            ours = row.owner == self._owner
            if not ours and row.owner in live and not await self._abandoned(row):
                continue  # a live peer's
            mine = await self.ledger.take_over(row, self._owner)
            if mine is None:
                continue
            try:
                outcome = await self._recover(mine, fulfil)
            except LostOwnership:
                continue
            if outcome is None:
                state = (await self.ledger.get(row.key)).state  # type: ignore[union-attr]
                counts["released" if state == "rejected" else "pending"] += 1
            elif outcome.status_code == 202:
                counts["settled"] += 1
            else:
                counts["rejected"] += 1
        if any(counts.values()):
            for wallet in self._wallets:
                wallet.resync()  # a rebroadcast may have taken the next nonce
        return counts

    def keep_reconciling(self, fulfil: Fulfil) -> None:
        """From now on the upkeep also finishes what dead peers leave (and our own rows still pending on chain)."""
        self._reconcile_with = fulfil

    async def _keep(self) -> None:
        """Beat every HEARTBEAT_SECONDS (and reconcile, once asked to): peers see we are alive."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                await self.ledger.heartbeat(self._owner, HEARTBEAT_TTL_SECONDS)
                if self._reconcile_with is not None:
                    report = await self.reconcile(self._reconcile_with)
                    if any(report.values()):
                        log.info("payments reconciled: %s", report)
            except Exception:
                log.exception("payments upkeep failed; trying again")


def new_payment(attempt: Attempt, fingerprint: str, request_json: str) -> NewPayment:
    """The ledger row for an attempt, before anything is verified."""
    common = {
        "key": attempt.key,
        "payment_id": attempt.payment_id,
        "fingerprint": fingerprint,
        "request_json": request_json,
        "x402_version": attempt.x402_version,
        "network": attempt.network,
        "scheme": attempt.requirement.scheme,
        "payer": attempt.payer,
        "amount": attempt.amount,
        "payment_json": json.dumps(attempt.wire_payload, separators=(",", ":")),
        "source": attempt.source,
    }
    if attempt.svm is not None:  # base58 is case-sensitive; the blockhash is the payment's lifetime
        return NewPayment(
            **common,
            asset=attempt.requirement.asset,
            pay_to=attempt.requirement.pay_to,
            nonce=str(attempt.svm.blockhash),
            valid_before=0,  # a Solana payment expires with its blockhash (a block height), not at a time
        )
    assert attempt.evm is not None
    auth = attempt.evm.authorization
    return NewPayment(
        **common,
        asset=attempt.requirement.asset.lower(),
        pay_to=attempt.requirement.pay_to.lower(),
        nonce=auth.nonce.lower(),
        valid_before=int(auth.valid_before),
    )


def _record(row: PaymentRow) -> SettlementRecord:
    return SettlementRecord(
        network=row.network,
        asset=row.asset,
        pay_to=row.pay_to,
        payer=row.payer,
        amount=row.amount,
        nonce=row.nonce,
        valid_before=row.valid_before,
        tx_hash=row.tx_hash,
        raw_tx=row.raw_tx,
    )


def _wire_network(row: PaymentRow) -> str:
    """The payment's network as its client names it: CAIP-2 for v2, the v1 name for v1."""
    return lookup(row.network).v1_name if row.x402_version == 1 else row.network


def _refusal(terms: OfferTerms | None, code: str, message: str) -> Outcome:
    """402 that lets the client pay again: PAYMENT-REQUIRED header plus the v1 body, with our reason."""
    if terms is None:
        return _plain(402, code, message)
    header, body = terms.challenge(code)
    return Outcome(402, {**BASE_HEADERS, "PAYMENT-REQUIRED": header}, {**body, "message": message}, None)


def _payload_object(payload: Any) -> dict[str, Any]:
    """A decoded payment as `attempt_from` takes it: a JSON object no larger than a payment header may carry."""
    if not isinstance(payload, dict):
        raise MalformedPayment("the payment is not a JSON object")
    size = len(json.dumps(payload, separators=(",", ":"), default=str))
    if size > MAX_HEADER_BYTES:
        raise MalformedPayment(f"the payment is {size} bytes of JSON; the limit is {MAX_HEADER_BYTES}")
    return payload


def _plain(status: int, code: str, message: str) -> Outcome:
    return Outcome(status, dict(BASE_HEADERS), {"error": code, "message": message}, None)


async def _check_facilitator(remote: RemoteFacilitator) -> None:
    """A remote facilitator that answers must list our networks (x402 v2 `exact`); one that does not answer yet is
    only logged: the service starts, and paid requests answer 503 until it is back."""
    try:
        missing = await remote.missing_kinds()
    except FacilitatorUnavailable as exc:
        log.warning("%s; paid requests answer 503 until it answers", exc.message)
        return
    if missing:
        raise ConfigurationError(f"facilitator {remote.url} does not support `exact` x402 v2 on {', '.join(missing)}")


def _unavailable(exc: FacilitatorUnavailable) -> Outcome:
    """503: the payment could not be judged (the facilitator is unreachable); nothing moved, send it again later."""
    headers = {**BASE_HEADERS, "Retry-After": str(RETRY_AFTER_SECONDS)}
    return Outcome(503, headers, {"error": exc.reason, "message": exc.message}, None)


def _chain_unavailable(exc: Exception) -> tuple[Outcome, PaymentDeferred]:
    """503 with Retry-After: the chain could not be asked (the node is down, too slow, or answered garbage), so the
    payment was not judged and nothing moved; the same payment may be sent again."""
    if not isinstance(exc, RpcUnavailable):
        log.warning("the chain answered garbage", exc_info=exc)
    deferred = PaymentDeferred(
        errors.CHAIN_UNAVAILABLE,
        f"the chain's RPC node could not be asked ({exc}); nothing was charged, send the same payment again later",
        CHAIN_RETRY_AFTER_SECONDS,
    )
    return _deferred(deferred), deferred


def _deferred(exc: PaymentDeferred) -> Outcome:
    """429 (too many failed payments) or 503 (fee budget spent, source busy): not judged, nothing moved; the same
    payment may be sent again after Retry-After."""
    status = 429 if exc.reason == errors.TOO_MANY_FAILED_PAYMENTS else 503
    headers = {**BASE_HEADERS, "Retry-After": str(exc.retry_after)}
    return Outcome(status, headers, {"error": exc.reason, "message": exc.message}, None)


def _conflict_fingerprint() -> Outcome:
    return _plain(409, errors.PAYMENT_CONFLICT, "this payment was already used for a different request")


def _conflict_id() -> Outcome:
    return _plain(
        409, errors.PAYMENT_IDENTIFIER_CONFLICT, "this payment-identifier was already used with another payment"
    )
