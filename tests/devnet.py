"""Test helpers for the local Base devnet: a session fixture, EIP-3009 signing shaped as x402 payloads, settlement.

Register the fixture in a test module (or conftest) with `from tests.devnet import evm_devnet_fixture  # noqa: F401`,
then take `evm_devnet` as a parameter.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest
from eth_account import Account
from eth_utils import to_checksum_address
from web3 import Web3
from web3.types import TxReceipt

from app.devnet.anvil import (
    USDC_NAME,
    USDC_VERSION,
    AnvilProcess,
    EvmDevnet,
    Payer,
    load_artifact,
    mint_usdc,
    start_evm_devnet,
)
from app.devnet.processes import devnet_rpc
from payments.evm.eip3009 import SECP256K1_N

TRANSFER_WITH_AUTHORIZATION_TYPES = {
    "TransferWithAuthorization": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "validAfter", "type": "uint256"},
        {"name": "validBefore", "type": "uint256"},
        {"name": "nonce", "type": "bytes32"},
    ]
}
VRS_SIGNATURE = "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
BYTES_SIGNATURE = "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"


@dataclass(frozen=True)
class RunningDevnet:
    anvil: AnvilProcess
    devnet: EvmDevnet
    data_dir: Path


_running: dict[str, RunningDevnet] = {}


def running(devnet: EvmDevnet) -> RunningDevnet:
    """The anvil process and data dir behind a devnet from `evm_devnet` / `evm_devnet_running`."""
    return _running[devnet.rpc_url]


@contextlib.contextmanager
def evm_devnet_running(data_dir: Path, port: int | None = None) -> Iterator[EvmDevnet]:
    """Start and provision a devnet (data_dir/devnet.json written); stop anvil on exit. Call from the main thread."""
    anvil, devnet = asyncio.run(start_evm_devnet(data_dir, port))
    _running[devnet.rpc_url] = RunningDevnet(anvil, devnet, data_dir)
    try:
        yield devnet
    finally:
        _running.pop(devnet.rpc_url, None)
        asyncio.run(anvil.stop())


@pytest.fixture(scope="session", name="evm_devnet")
def evm_devnet_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvmDevnet]:
    """One provisioned anvil for the session; `running(devnet)` gives its process and data dir."""
    with evm_devnet_running(tmp_path_factory.mktemp("evm-devnet")) as devnet:
        yield devnet


# Importing `evm_devnet_fixture` registers the fixture without ruff's F811 on every `evm_devnet` parameter;
# `evm_devnet` is the same fixture under its own name, for modules that import it by that name.
evm_devnet = evm_devnet_fixture


@contextlib.contextmanager
def mining_every_second(devnet: EvmDevnet) -> Iterator[None]:
    """Blocks on a timer (one a second; Base makes one every 2 s) instead of one per transaction, for the block: what
    is verified between two blocks sees the state before any of it is mined, as on a real chain."""
    provider = web3_for(devnet).provider
    provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    provider.make_request("evm_setIntervalMining", [1])  # type: ignore[arg-type]
    try:
        yield
    finally:
        provider.make_request("evm_setIntervalMining", [0])  # type: ignore[arg-type]
        provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]


def random_nonce() -> str:
    return "0x" + os.urandom(32).hex()


def sign_eip3009(
    devnet: EvmDevnet,
    payer: Payer,
    to: str,
    value: int,
    valid_after: int,
    valid_before: int,
    nonce: str | None = None,
    name: str = USDC_NAME,
    version: str = USDC_VERSION,
    chain_id: int | None = None,
    asset: str | None = None,
) -> dict[str, Any]:
    """An x402 `exact` EVM payload: {signature, authorization} with decimal-string numbers, as the SDKs send it.

    name/version/chain_id/asset override the EIP-712 domain, to craft payments signed for the wrong token or chain.
    """
    authorization = {
        "from": to_checksum_address(payer.address),
        "to": to_checksum_address(to),
        "value": str(value),
        "validAfter": str(valid_after),
        "validBefore": str(valid_before),
        "nonce": nonce or random_nonce(),
    }
    domain = {
        "name": name,
        "version": version,
        "chainId": chain_id if chain_id is not None else devnet.chain_id,
        "verifyingContract": to_checksum_address(asset or devnet.usdc),
    }
    message = {
        **authorization,
        "value": value,
        "validAfter": valid_after,
        "validBefore": valid_before,
        "nonce": bytes.fromhex(authorization["nonce"].removeprefix("0x")),
    }
    signed = Account.sign_typed_data(payer.private_key, domain, TRANSFER_WITH_AUTHORIZATION_TYPES, message)
    return {"signature": "0x" + bytes(signed.signature).hex(), "authorization": authorization}


async def fresh_payer(devnet: EvmDevnet, usdc: int) -> Payer:
    """A new wallet holding exactly `usdc` atomic units of the devnet USDC (and no ETH: EIP-3009 needs none)."""
    account = Account.create()
    if usdc:
        await mint_usdc(devnet.rpc_url, account.address, usdc)
    return Payer(account.address, "0x" + bytes(account.key).hex())


async def sent_transactions(devnet: EvmDevnet) -> int:
    """How many transactions the facilitator key has had mined (its nonce)."""
    async with devnet_rpc(devnet.rpc_url) as rpc:
        return await rpc.transaction_count(devnet.facilitator_address, "latest")


async def receipt_status(devnet: EvmDevnet, tx_hash: str) -> int:
    async with devnet_rpc(devnet.rpc_url) as rpc:
        receipt = await rpc.receipt(tx_hash)
    assert receipt is not None, tx_hash
    return int(receipt["status"], 16)


def split_signature(signature: str) -> tuple[int, bytes, bytes]:
    raw = bytes.fromhex(signature.removeprefix("0x"))
    assert len(raw) == 65, f"not a 65-byte signature: {len(raw)} bytes"
    return raw[64], raw[:32], raw[32:64]


def high_s(signature: str) -> str:
    """The malleable twin of a signature (s -> n - s, v flipped): recovers the same signer, must be refused."""
    v, r, s = split_signature(signature)
    twin_s = SECP256K1_N - int.from_bytes(s, "big")
    twin_v = 55 - v if v in (27, 28) else 1 - v
    return "0x" + (r + twin_s.to_bytes(32, "big") + bytes([twin_v])).hex()


def web3_for(devnet: EvmDevnet) -> Web3:
    return Web3(Web3.HTTPProvider(devnet.rpc_url, request_kwargs={"timeout": 10}))


def usdc_contract(devnet: EvmDevnet) -> Any:
    w3 = web3_for(devnet)
    return w3.eth.contract(address=to_checksum_address(devnet.usdc), abi=load_artifact()["abi"])


def send_transfer_with_authorization(
    devnet: EvmDevnet,
    payload: dict[str, Any],
    variant: Literal["vrs", "bytes"] = "vrs",
    sender_key: str | None = None,
    gas: int | None = None,
) -> TxReceipt:
    """Settle a payload the way a facilitator does (default: the devnet's, with the v,r,s overload).

    Without `gas`, web3 estimates first, so a reverting authorization raises ContractLogicError with the reason;
    with `gas`, the transaction is mined even if it reverts and the receipt (status 0) is returned.
    """
    token = usdc_contract(devnet)
    w3 = token.w3
    sender = Account.from_key(sender_key or devnet.facilitator_private_key)
    auth = payload["authorization"]
    args: list[Any] = [
        to_checksum_address(auth["from"]),
        to_checksum_address(auth["to"]),
        int(auth["value"]),
        int(auth["validAfter"]),
        int(auth["validBefore"]),
        bytes.fromhex(auth["nonce"].removeprefix("0x")),
    ]
    if variant == "vrs":
        v, r, s = split_signature(payload["signature"])
        function = token.get_function_by_signature(VRS_SIGNATURE)(*args, v, r, s)
    else:
        function = token.get_function_by_signature(BYTES_SIGNATURE)(*args, bytes.fromhex(payload["signature"][2:]))
    tx: dict[str, Any] = {
        "from": sender.address,
        "nonce": w3.eth.get_transaction_count(sender.address, "pending"),
        "chainId": devnet.chain_id,
    }
    if gas is not None:
        tx["gas"] = gas
    signed = sender.sign_transaction(function.build_transaction(tx))
    tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
    return w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10, poll_latency=0.01)
