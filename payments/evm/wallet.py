"""The facilitator's sending account: signs and sends settlement transactions, with cached fees.

Its nonces come from the ledger (`Nonces`, why: `payments.ledger.base`): allocated in the same database transaction
that stores the signed bytes, so any number of processes, on any number of machines, can send with one key without
two of them ever signing the same nonce. The chain's nonce is read only at start and after a collision, never per
payment. What the node answers is taken for what it is:
* "already known": this very transaction is in its pool: sent;
* "nonce too low", "replacement transaction underpriced": the nonce is taken (mined, or held by another
  transaction in the pool: a sender outside the ledger, or an earlier deployment's): our transaction was not taken,
  so it is signed again with a nonce past the chain's (the stored bytes are replaced in the same transaction);
* a fee refused as too low: fees are read again and the transaction signed again, its nonce given back first;
* anything else: refused; the nonce is given back (`release`), so no hole holds up the key's later transactions.
Sends of one process go out under one asyncio lock, in nonce order.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from payments.evm.eip3009 import TransactionSigner
from payments.evm.rpc import RpcClient, SyncUnsupported
from payments.jsonrpc import RpcError
from payments.ledger.base import NonceUnknown
from payments.settlement import Nonces

DEFAULT_GAS_LIMIT = 120_000  # transferWithAuthorization costs ~60–90k; a fixed limit saves an estimate per call
FEE_TTL_SECONDS = 5.0
ATTEMPTS = 4
_ALREADY_KNOWN = ("already known", "known transaction", "already imported")
_NONCE_TAKEN = (
    "nonce too low",
    "nonce is too low",
    "lower than the current nonce",
    "already been used",
    "replacement transaction underpriced",
    "replacement fee too low",
    "could not replace existing tx",
)
_FEE_TOO_LOW = ("transaction underpriced", "max fee per gas less than block base fee", "fee too low")


def _says(text: str, phrases: tuple[str, ...]) -> bool:
    return any(phrase in text for phrase in phrases)


class Wallet:
    def __init__(self, rpc: RpcClient, private_key: str, chain_id: int, gas_limit: int = DEFAULT_GAS_LIMIT) -> None:
        self.rpc = rpc
        self.signer = TransactionSigner(private_key)
        self.address = self.signer.address
        self.chain_id = chain_id
        self.sender = f"eip155:{chain_id}:{self.address.lower()}"  # whose nonces the ledger keeps
        self.gas_limit = gas_limit
        self._lock = asyncio.Lock()
        self._floor: int | None = None  # the chain's nonce, read at start or after a collision, passed once
        self._read_floor = True
        self._fees: tuple[int, int] | None = None
        self._fees_at = 0.0
        self._sync = True  # the node may know eth_sendRawTransactionSync (False once it said it does not)
        self._waiting = 0  # sends waiting for the lock

    async def warm(self) -> None:
        async with self._lock:
            await self._chain_floor()
            await self._current_fees()

    def resync(self) -> None:
        """Read the nonce from the chain again before the next send (after a rebroadcast, say)."""
        self._read_floor = True

    async def _chain_floor(self, at_least: int = 0) -> int:
        self._floor = max(await self.rpc.transaction_count(self.address, "pending"), at_least)
        self._read_floor = False
        return self._floor

    async def _current_fees(self) -> tuple[int, int]:
        if self._fees is None or time.monotonic() - self._fees_at > FEE_TTL_SECONDS:
            self._fees = await self.rpc.fees()
            self._fees_at = time.monotonic()
        return self._fees

    def _signing(
        self, to: str, data: bytes, max_fee: int, tip: int, signed: list[tuple[str, str]]
    ) -> Callable[[int], tuple[str, str]]:
        """nonce → (hash, raw) of our transaction to `to` with `data`; each result is also appended to `signed`."""

        def sign(nonce: int) -> tuple[str, str]:
            signed.append(self.signer.sign_eip1559(
                chain_id=self.chain_id, nonce=nonce, max_fee=max_fee, max_priority_fee=tip, gas=self.gas_limit, to=to,
                data=data,
            ))  # fmt: skip
            return signed[-1]

        return sign

    async def send(self, to: str, data: bytes, nonces: Nonces, sent: Callable[[str], None] | None = None) -> str:
        """Sign with a nonce from `nonces` (which stores the transaction), then send; the tx hash. `sent` hears each
        hash stored. RpcError: the node refused it (nothing was broadcast); RpcUnavailable: unknown whether it was
        (the signed transaction is stored: reconciliation finds or re-sends it)."""
        return (await self.send_and_wait(to, data, nonces, sent))[0]

    async def send_and_wait(
        self, to: str, data: bytes, nonces: Nonces, sent: Callable[[str], None] | None = None
    ) -> tuple[str, dict[str, Any] | None]:
        """`send`, and the receipt when the node gave it with the send (else None: wait for it). On a chain that shows
        transactions within milliseconds (`Pace.quick`: a local node), and when no other send waits for the lock, the
        send is `eth_sendRawTransactionSync`: one call instead of a send and a receipt poll, the lock held until it is
        mined (a millisecond or two). On a slower chain, or with sends queued behind this one, holding the lock through
        the mining would hold them up too, so it sends and returns."""
        async with self._turn():
            for _ in range(ATTEMPTS):
                if self._read_floor:
                    await self._chain_floor()
                max_fee, tip = await self._current_fees()
                signed: list[tuple[str, str]] = []
                sign = self._signing(to, data, max_fee, tip, signed)

                try:
                    nonce = await nonces.sign(self.sender, self._floor, sign)
                except NonceUnknown:  # the ledger has never seen this key: start from the chain
                    await self._chain_floor()
                    nonce = await nonces.sign(self.sender, self._floor, sign)
                self._floor = None
                tx_hash, raw = signed[-1]
                if sent is not None:
                    sent(tx_hash)
                try:
                    receipt = await self._broadcast(raw)
                except RpcError as exc:
                    text = exc.rpc_message.lower()
                    if _says(text, _ALREADY_KNOWN):
                        return tx_hash, None  # ours, already in the pool
                    if _says(text, _NONCE_TAKEN):
                        await self._chain_floor(at_least=nonce + 1)  # never this nonce again: it is taken
                        continue
                    await nonces.release(self.sender, nonce)  # never sent: the next settlement takes the nonce
                    if _says(text, _FEE_TOO_LOW):
                        self._fees = None
                        continue
                    raise
                return tx_hash, receipt
            raise RpcError(-32000, f"no nonce could be used in {ATTEMPTS} attempts")

    @contextlib.asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """The send lock, counting who waits for it (a cancelled waiter is uncounted too)."""
        self._waiting += 1
        try:
            await self._lock.acquire()
        finally:
            self._waiting -= 1
        try:
            yield
        finally:
            self._lock.release()

    async def _broadcast(self, raw: str) -> dict[str, Any] | None:
        """Send `raw`; its receipt when the node gave it with the send."""
        if not (self._sync and self._waiting == 0 and self.rpc.pace.quick()):
            await self.rpc.send_raw_transaction(raw)
            return None
        started = time.monotonic()
        try:
            receipt = await self.rpc.send_raw_transaction_sync(raw)
        except SyncUnsupported:  # not sent: say it the usual way, and never ask this node again
            self._sync = False
            await self.rpc.send_raw_transaction(raw)
            return None
        if receipt is not None:
            self.rpc.pace.saw(time.monotonic() - started)
        return receipt
