"""The facilitator's sending account: signs and sends transactions with a local nonce manager and cached fees.

One asyncio lock orders nonces: the nonce is read once ("pending"), incremented locally, and re-read after a
"nonce too low" or an unknown send outcome. Sending happens under the lock so a refused send never leaves a gap.
"""

from __future__ import annotations

import asyncio
import time

from payments.evm.eip3009 import TransactionSigner
from payments.evm.rpc import RpcClient
from payments.jsonrpc import RpcError, RpcUnavailable
from payments.settlement import OnSigned

DEFAULT_GAS_LIMIT = 120_000  # transferWithAuthorization costs ~60–90k; a fixed limit saves an estimate per call
FEE_TTL_SECONDS = 5.0
_NONCE_TOO_LOW = ("nonce too low", "nonce is too low", "lower than the current nonce", "already been used")
_ALREADY_KNOWN = ("already known", "known transaction", "already imported")


class Wallet:
    def __init__(self, rpc: RpcClient, private_key: str, chain_id: int, gas_limit: int = DEFAULT_GAS_LIMIT) -> None:
        self.rpc = rpc
        self.signer = TransactionSigner(private_key)
        self.address = self.signer.address
        self.chain_id = chain_id
        self.gas_limit = gas_limit
        self._lock = asyncio.Lock()
        self._nonce: int | None = None
        self._fees: tuple[int, int] | None = None
        self._fees_at = 0.0

    async def warm(self) -> None:
        async with self._lock:
            self._nonce = await self.rpc.transaction_count(self.address, "pending")
            await self._current_fees()

    def resync(self) -> None:
        """Read the nonce from the node again before the next send (after a rebroadcast, say)."""
        self._nonce = None

    async def _current_fees(self) -> tuple[int, int]:
        if self._fees is None or time.monotonic() - self._fees_at > FEE_TTL_SECONDS:
            self._fees = await self.rpc.fees()
            self._fees_at = time.monotonic()
        return self._fees

    async def send(self, to: str, data: bytes, on_signed: OnSigned) -> str:
        """Sign, hand (hash, raw) to `on_signed`, then send; the tx hash. RpcError: the node refused it (nothing
        was broadcast); RpcUnavailable: unknown whether it was (the signed tx was already handed over)."""
        async with self._lock:
            for _ in range(3):
                if self._nonce is None:
                    self._nonce = await self.rpc.transaction_count(self.address, "pending")
                max_fee, tip = await self._current_fees()
                tx_hash, raw = self.signer.sign_eip1559(
                    chain_id=self.chain_id,
                    nonce=self._nonce,
                    max_fee=max_fee,
                    max_priority_fee=tip,
                    gas=self.gas_limit,
                    to=to,
                    data=data,
                )
                await on_signed(tx_hash, raw)
                try:
                    await self.rpc.send_raw_transaction(raw)
                except RpcUnavailable:
                    self._nonce = None  # it may or may not be in; read it again next time
                    raise
                except RpcError as exc:
                    text = exc.rpc_message.lower()
                    if any(s in text for s in _ALREADY_KNOWN):
                        pass  # ours, already in the pool
                    elif any(s in text for s in _NONCE_TOO_LOW):
                        self._nonce = None  # this signed tx can never be mined: re-sign with a fresh nonce
                        continue
                    else:
                        if "fee" in text or "underpriced" in text:
                            self._fees = None
                        raise
                self._nonce += 1
                return tx_hash
            raise RpcError(-32000, "nonce too low three times in a row")
