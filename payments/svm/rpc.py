"""Solana JSON-RPC, async: the few calls the SVM `exact` scheme makes, over the same pooled client as EVM.

solana-py's AsyncClient would do, but the paid path makes three calls (simulate, send, signature status) and a thin
typed wrapper keeps it one keep-alive pool, one error model (`payments.jsonrpc`), and no extra dependency.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from payments.jsonrpc import JsonRpcClient

COMMITMENT = "confirmed"
LANDED = ("confirmed", "finalized")


@dataclass(frozen=True)
class Simulation:
    err: Any  # None when the transaction would succeed; the RPC's TransactionError JSON otherwise
    logs: list[str]
    units_consumed: int


@dataclass(frozen=True)
class SignatureStatus:
    slot: int
    err: Any  # not None: the transaction landed and FAILED (its fee was paid, nothing else happened)
    confirmation: str | None  # processed | confirmed | finalized

    @property
    def landed(self) -> bool:
        return self.confirmation in LANDED


def error_name(err: Any) -> str:
    """`"BlockhashNotFound"` or `{"InstructionError": [2, {"Custom": 1}]}` → the variant's name."""
    if isinstance(err, dict) and err:
        return str(next(iter(err)))
    return str(err)


class SolanaRpc(JsonRpcClient):
    async def genesis_hash(self) -> str:
        return await self.call("getGenesisHash")

    async def simulate(self, wire: bytes) -> Simulation:
        """Simulate with every signature checked against the transaction's own blockhash (no replacement)."""
        config = {"encoding": "base64", "sigVerify": True, "replaceRecentBlockhash": False, "commitment": COMMITMENT}
        value = (await self.call("simulateTransaction", wire_base64(wire), config))["value"]
        return Simulation(value.get("err"), list(value.get("logs") or []), int(value.get("unitsConsumed") or 0))

    async def send(self, wire: bytes, skip_preflight: bool = True) -> str:
        """sendTransaction; the signature. Preflight is skipped by default: verification has just simulated it."""
        config = {"encoding": "base64", "skipPreflight": skip_preflight, "preflightCommitment": COMMITMENT}
        return await self.call("sendTransaction", wire_base64(wire), config)

    async def signature_status(self, signature: str) -> SignatureStatus | None:
        answer = await self.call("getSignatureStatuses", [signature], {"searchTransactionHistory": True})
        value = (answer or {}).get("value") or [None]
        status = value[0]
        if status is None:
            return None
        return SignatureStatus(int(status.get("slot") or 0), status.get("err"), status.get("confirmationStatus"))

    async def blockhash_valid(self, blockhash: str) -> bool:
        answer = await self.call("isBlockhashValid", blockhash, {"commitment": "processed"})
        return bool(answer.get("value"))

    async def balance(self, address: str) -> int:
        return int((await self.call("getBalance", address, {"commitment": COMMITMENT}))["value"])

    async def token_balance(self, address: str) -> int:
        """The atomic units a token account holds; RpcError when it is not a token account."""
        answer = await self.call("getTokenAccountBalance", address, {"commitment": COMMITMENT})
        return int(answer["value"]["amount"])

    async def account_exists(self, address: str) -> bool:
        answer = await self.call("getAccountInfo", address, {"encoding": "base64", "commitment": COMMITMENT})
        return answer.get("value") is not None


def wire_base64(wire: bytes) -> str:
    """A transaction's bytes as the base64 text the RPC (and the ledger's raw_tx column) carries."""
    return base64.b64encode(wire).decode("ascii")
