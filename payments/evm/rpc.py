"""The Ethereum JSON-RPC client: the calls the EVM `exact` scheme and the wallet make, and reverts as their own error.

Thin on purpose: the paid path makes three calls (the simulation, the send, the receipt), and web3's
middleware stack would cost more than the chain itself on a local node.
"""

from __future__ import annotations

from typing import Any

from payments.jsonrpc import JsonRpcClient, RpcError

ERROR_STRING_SELECTOR = "08c379a0"  # Error(string)


class ExecutionReverted(RpcError):
    """An eth_call or gas estimate reverted; `reason` is the revert string when there is one."""

    def __init__(self, code: int, message: str, data: Any, reason: str) -> None:
        super().__init__(code, message, data)
        self.reason_text = reason


def decode_revert(data: Any, message: str) -> str:
    """The revert string from `Error(string)` data, else whatever the node said."""
    if isinstance(data, dict):  # some nodes nest it
        data = data.get("data")
    if isinstance(data, str) and data[2:10] == ERROR_STRING_SELECTOR:
        try:
            raw = bytes.fromhex(data[10:])
            length = int.from_bytes(raw[32:64], "big")
            return raw[64 : 64 + length].decode("utf-8", "replace")
        except ValueError:
            pass
    return message.removeprefix("execution reverted:").strip() or message


class SyncUnsupported(RpcError):
    """The node does not know `eth_sendRawTransactionSync`: nothing was sent."""


_UNKNOWN_METHOD = ("method not found", "not supported", "does not exist", "not available", "unsupported")
_SYNC_TIMEOUT_CODE = 4  # EIP-7966: in the pool, not mined within the node's wait; `data` is the transaction hash


class RpcClient(JsonRpcClient):
    """Ethereum JSON-RPC over the shared pooled client; a revert is an ExecutionReverted with its reason."""

    def error_of(self, err: dict[str, Any]) -> RpcError:
        code, message, data = int(err.get("code", 0)), str(err.get("message", "")), err.get("data")
        if code == 3 or "revert" in message.lower():
            return ExecutionReverted(code, message, data, decode_revert(data, message))
        return RpcError(code, message, data)

    # ---- typed helpers ---------------------------------------------------------------------------------------------

    async def chain_id(self) -> int:
        return int(await self.call("eth_chainId"), 16)

    async def eth_call(self, to: str, data: str, sender: str | None = None, block: str = "latest") -> str:
        tx = {"to": to, "data": data} | ({"from": sender} if sender else {})
        return await self.call("eth_call", tx, block)

    async def send_raw_transaction(self, raw: str) -> str:
        return await self.call("eth_sendRawTransaction", raw)

    async def send_raw_transaction_sync(self, raw: str) -> dict[str, Any] | None:
        """EIP-7966 `eth_sendRawTransactionSync`: send, and get the receipt once it is mined, in one call. None when the
        node's own wait ran out (the transaction is in its pool: poll for it). SyncUnsupported when the node does not
        know the method (nothing was sent); otherwise the errors of `send_raw_transaction`."""
        try:
            return await self.call("eth_sendRawTransactionSync", raw)
        except RpcError as exc:
            text = exc.rpc_message.lower()
            if exc.code == -32601 or any(words in text for words in _UNKNOWN_METHOD):
                raise SyncUnsupported(exc.code, exc.rpc_message, exc.data) from None
            if exc.code == _SYNC_TIMEOUT_CODE:
                return None
            raise

    async def transaction_count(self, address: str, block: str = "pending") -> int:
        return int(await self.call("eth_getTransactionCount", address, block), 16)

    async def receipt(self, tx_hash: str) -> dict[str, Any] | None:
        return await self.call("eth_getTransactionReceipt", tx_hash)

    async def transaction(self, tx_hash: str) -> dict[str, Any] | None:
        return await self.call("eth_getTransactionByHash", tx_hash)

    async def wait_for_receipt(self, tx_hash: str, timeout: float) -> dict[str, Any] | None:
        """Poll for the receipt, first when receipts usually show (`Pace.looks`); None on timeout."""
        async for looked in self.pace.looks(timeout):
            receipt = await self.receipt(tx_hash)
            if receipt is not None:
                self.pace.saw(looked)
                return receipt
        return None

    async def fees(self) -> tuple[int, int]:
        """(maxFeePerGas, maxPriorityFeePerGas) for an EIP-1559 transaction: 2 × base fee + tip."""
        block, tip = await self.batch([("eth_getBlockByNumber", ["latest", False]), ("eth_maxPriorityFeePerGas", [])])
        if isinstance(block, Exception):
            raise block
        base = int(block.get("baseFeePerGas") or "0x0", 16)
        priority = int(tip, 16) if isinstance(tip, str) else 1_000_000  # 0.001 gwei: Base's usual tip
        return 2 * base + priority, priority
