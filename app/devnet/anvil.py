"""The local Base devnet: anvil as chain 84532 with forge402's EIP-3009 TestUSDC at the Base Sepolia USDC address.

Roles come from anvil's default mnemonic, so demo wallets are the same on every run: account 0 deploys and mints
(it is the token's MINTER), accounts 1..n are funded payers, account 9 is the facilitator that submits
`transferWithAuthorization` and pays gas. payTo is a fixed address nobody holds a key for, starting at 0 USDC.

    python -m app.devnet.anvil --data-dir forge402-data   # run a devnet by hand until Ctrl-C
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import eth_abi
import httpx
from eth_account import Account
from eth_utils import function_signature_to_4byte_selector, keccak, to_checksum_address

from app.devnet.processes import ChainProcess, DevnetError, devnet_rpc, write_devnet_section
from payments.evm import eip3009
from payments.evm.rpc import RpcClient

ROOT = Path(__file__).resolve().parents[2]
ANVIL_BIN = Path(
    os.environ.get("FORGE402_ANVIL_BIN")
    or ROOT / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
)
ARTIFACT_PATH = Path(__file__).resolve().parent / "contracts" / "TestUSDC.json"

CHAIN_ID = 84532
NETWORK = "eip155:84532"
USDC_ADDRESS = "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
USDC_NAME = "USDC"  # the real Base Sepolia USDC's EIP-712 domain, which clients sign with
USDC_VERSION = "2"

ANVIL_MNEMONIC = "test test test test test test test test test test test junk"
ANVIL_ACCOUNTS = 10
DEPLOYER_INDEX = 0
FACILITATOR_INDEX = ANVIL_ACCOUNTS - 1
MAX_PAYERS = FACILITATOR_INDEX - 1  # payers are accounts 1..8
PAY_TO_SEED = b"forge402 devnet pay_to"


@dataclass(frozen=True)
class Payer:
    address: str
    private_key: str


@dataclass(frozen=True)
class EvmDevnet:
    rpc_url: str
    chain_id: int
    network: str
    usdc: str
    pay_to: str
    facilitator_private_key: str = field(repr=False)
    payers: list[Payer] = field(repr=False)

    @property
    def facilitator_address(self) -> str:
        return Account.from_key(self.facilitator_private_key).address

    def to_json(self) -> dict[str, Any]:
        """The shareable description (devnet.json): payer keys yes, the facilitator key no (it is anvil's #9)."""
        return {
            "rpc_url": self.rpc_url,
            "chain_id": self.chain_id,
            "network": self.network,
            "usdc": self.usdc,
            "pay_to": self.pay_to,
            "facilitator_address": self.facilitator_address,
            "payers": [{"address": p.address, "private_key": p.private_key} for p in self.payers],
        }

    def service_env(self) -> dict[str, str]:
        """The FORGE402_EVM_* settings that point a forge402 service's Base lane at this devnet."""
        return {
            "FORGE402_EVM_NETWORK": self.network,
            "FORGE402_EVM_RPC_URL": self.rpc_url,
            "FORGE402_EVM_PAY_TO": self.pay_to,
            "FORGE402_EVM_FACILITATOR_KEY": self.facilitator_private_key,
            "FORGE402_EVM_USDC": self.usdc,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvmDevnet:
        """Rebuild from devnet.json; the facilitator key is re-derived from anvil's mnemonic and checked."""
        facilitator = anvil_account(FACILITATOR_INDEX)
        if facilitator.address.lower() != str(data["facilitator_address"]).lower():
            raise DevnetError("devnet.json names a facilitator that is not anvil account 9")
        return cls(
            rpc_url=data["rpc_url"],
            chain_id=int(data["chain_id"]),
            network=data["network"],
            usdc=to_checksum_address(data["usdc"]),
            pay_to=to_checksum_address(data["pay_to"]),
            facilitator_private_key=facilitator.private_key,
            payers=[Payer(to_checksum_address(p["address"]), p["private_key"]) for p in data["payers"]],
        )


@cache
def anvil_account(index: int) -> Payer:
    """Account `index` of anvil's default mnemonic (the same keys anvil prints at start-up)."""
    Account.enable_unaudited_hdwallet_features()  # only for this well-known public test mnemonic
    account = Account.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return Payer(account.address, "0x" + bytes(account.key).hex())


def default_pay_to() -> str:
    """A fixed address derived from a seed: stable across runs, never funded by anvil, no key in use anywhere."""
    return Account.from_key(keccak(PAY_TO_SEED)).address


@cache
def load_artifact() -> dict[str, Any]:
    """The committed compiler output of contracts/TestUSDC.vy (see scripts/compile-token)."""
    return json.loads(ARTIFACT_PATH.read_text())


# --- JSON-RPC (payments.evm.rpc's client, through processes.devnet_rpc) -------------------------------------------


def calldata(signature: str, types: list[str], args: list[Any]) -> str:
    return "0x" + (function_signature_to_4byte_selector(signature) + eth_abi.encode(types, args)).hex()


async def _send_from_unlocked(rpc: RpcClient, tx: dict[str, str]) -> dict[str, Any]:
    """Send from one of anvil's own (unlocked) accounts and return the successful receipt."""
    tx_hash = await rpc.call("eth_sendTransaction", tx)
    receipt = await rpc.wait_for_receipt(tx_hash, timeout=10)
    if receipt is None:
        raise DevnetError(f"devnet transaction {tx_hash} was not mined")
    if int(receipt["status"], 16) != 1:
        raise DevnetError(f"devnet transaction {tx_hash} reverted")
    return receipt


# --- token reads, for the service's own checks and the tests ------------------------------------------------


async def _token_word(rpc: RpcClient, token: str, data: bytes) -> int:
    return int(await rpc.eth_call(token, "0x" + data.hex()), 16)


async def usdc_balance(rpc_url: str, address: str, token: str = USDC_ADDRESS) -> int:
    async with devnet_rpc(rpc_url) as rpc:
        return await _token_word(rpc, token, eip3009.balance_of_calldata(address))


async def authorization_used(rpc_url: str, authorizer: str, nonce_hex: str, token: str = USDC_ADDRESS) -> bool:
    data = eip3009.authorization_state_calldata(authorizer, "0x" + nonce_hex.removeprefix("0x"))
    async with devnet_rpc(rpc_url) as rpc:
        return await _token_word(rpc, token, data) == 1


# --- the anvil child process --------------------------------------------------------------------------------


class AnvilProcess(ChainProcess):
    """One anvil child on 127.0.0.1."""

    name = "anvil"

    @classmethod
    async def start(cls, port: int | None = None, log_path: Path | None = None) -> AnvilProcess:
        """Start anvil and wait until it answers eth_chainId; a free port is picked when none is given."""
        if not ANVIL_BIN.exists():
            raise DevnetError(f"anvil not found at {ANVIL_BIN}: run scripts/setup (needs Node.js/npm)")
        return await cls.launch(anvil_command, port, log_path)

    async def is_ready(self, client: httpx.AsyncClient) -> bool:
        return int(await self.ask(client, "eth_chainId"), 16) == CHAIN_ID


def anvil_command(port: int) -> list[str]:
    return [
        str(ANVIL_BIN),
        *("--host", "127.0.0.1", "--port", str(port), "--chain-id", str(CHAIN_ID)),
        *("--accounts", str(ANVIL_ACCOUNTS), "--mnemonic", ANVIL_MNEMONIC),
    ]


# --- provisioning -------------------------------------------------------------------------------------------


async def _token_installed(rpc: RpcClient) -> bool:
    code = await rpc.call("eth_getCode", USDC_ADDRESS, "latest")
    if code in ("0x", "0x0", ""):
        return False
    name = await rpc.eth_call(USDC_ADDRESS, calldata("name()", [], []))
    return eth_abi.decode(["string"], bytes.fromhex(name[2:]))[0] == USDC_NAME


async def _install_token(rpc: RpcClient) -> None:
    """Deploy from the deployer account, then copy the runtime code (MINTER immutable included) to USDC_ADDRESS."""
    deployer = anvil_account(DEPLOYER_INDEX).address
    receipt = await _send_from_unlocked(rpc, {"from": deployer, "data": load_artifact()["bytecode"]})
    runtime = await rpc.call("eth_getCode", receipt["contractAddress"], "latest")
    await rpc.call("anvil_setCode", USDC_ADDRESS, runtime)


async def _fund(rpc: RpcClient, payer: str, amount: int) -> None:
    """Mint `amount` to a payer holding nothing; a wallet that already holds USDC is left as it is."""
    if await _token_word(rpc, USDC_ADDRESS, eip3009.balance_of_calldata(payer)) > 0:
        return
    await _mint(rpc, payer, amount)


async def _mint(rpc: RpcClient, to: str, amount: int) -> None:
    data = calldata("mint(address,uint256)", ["address", "uint256"], [to, amount])
    await _send_from_unlocked(rpc, {"from": anvil_account(DEPLOYER_INDEX).address, "to": USDC_ADDRESS, "data": data})


async def mint_usdc(rpc_url: str, to: str, amount: int) -> None:
    """Mint `amount` devnet USDC to `to` (e.g. a fresh payer holding exactly one price)."""
    async with devnet_rpc(rpc_url) as rpc:
        await _mint(rpc, to, amount)


async def provision(
    rpc_url: str, payers: int = 3, usdc_each: int = 1_000_000 * 10**6, pay_to: str | None = None
) -> EvmDevnet:
    """Install TestUSDC at USDC_ADDRESS and fund the payers. Idempotent: an installed token and funded payers stay."""
    if not 1 <= payers <= MAX_PAYERS:
        raise ValueError(f"payers must be 1..{MAX_PAYERS} (anvil accounts 1..{MAX_PAYERS})")
    wallets = [anvil_account(i) for i in range(1, payers + 1)]
    async with devnet_rpc(rpc_url) as rpc:
        chain_id = await rpc.chain_id()
        if chain_id != CHAIN_ID:
            raise DevnetError(f"{rpc_url} is chain {chain_id}, not {CHAIN_ID}")
        if not await _token_installed(rpc):
            await _install_token(rpc)
        for wallet in wallets:
            await _fund(rpc, wallet.address, usdc_each)
    return EvmDevnet(
        rpc_url=rpc_url,
        chain_id=CHAIN_ID,
        network=NETWORK,
        usdc=USDC_ADDRESS,
        pay_to=to_checksum_address(pay_to) if pay_to else default_pay_to(),
        facilitator_private_key=anvil_account(FACILITATOR_INDEX).private_key,
        payers=wallets,
    )


def write_devnet_json(data_dir: Path, devnet: EvmDevnet) -> Path:
    """Merge {"evm": ...} into data_dir/devnet.json."""
    return write_devnet_section(data_dir, "evm", devnet.to_json())


async def start_evm_devnet(data_dir: Path, port: int | None = None) -> tuple[AnvilProcess, EvmDevnet]:
    """Start anvil, provision it and describe it in data_dir/devnet.json. Stop the returned process when done."""
    data_dir.mkdir(parents=True, exist_ok=True)
    anvil = await AnvilProcess.start(port, log_path=data_dir / "anvil.log")
    try:
        devnet = await provision(anvil.rpc_url)
        write_devnet_json(data_dir, devnet)
    except BaseException:
        await anvil.stop()
        raise
    return anvil, devnet


async def _serve(data_dir: Path, port: int | None) -> None:
    anvil, devnet = await start_evm_devnet(data_dir, port)
    print(json.dumps({"anvil_pid": anvil.pid, **devnet.to_json()}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await anvil.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("FORGE402_DATA_DIR", "forge402-data")))
    parser.add_argument("--port", type=int, default=None, help="default: a free loopback port")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.data_dir, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
