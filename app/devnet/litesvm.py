"""The local Solana devnet: LiteSVM (app.devnet.litesvm_server) as Solana devnet, in a child process of its own.

The devnet's genesis hash is Solana devnet's, USDC is recreated at the devnet mint address (6 decimals), payTo gets
its token account, the demo payers get USDC (and no SOL: the fee payer pays every fee), and the fee payer gets SOL.
Every key derives from a fixed seed, so addresses are the same on every run; devnet.json lists the payers' keys and
only the fee payer's address (its key is re-derived, as anvil's facilitator key is).

    python -m app.devnet.litesvm --data-dir forge402-data   # run a devnet by hand until Ctrl-C

The service starts it as a child (like anvil) that the kernel ends when the service dies (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.token.associated import get_associated_token_address

from app.devnet.processes import ChainProcess, DevnetError, write_devnet_section

NETWORK = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
USDC_MINT = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
USDC_DECIMALS = 6
LAMPORTS_PER_SOL = 10**9
FEE_PAYER_SOL = 100
DEFAULT_PAYERS = 3
MAX_PAYERS = 16
USDC_EACH = 1_000_000 * 10**USDC_DECIMALS


def keypair_for(label: str) -> Keypair:
    """A devnet key from a public seed: stable across runs, worthless anywhere else."""
    return Keypair.from_seed(hashlib.sha256(f"forge402 devnet svm {label}".encode()).digest())


def fee_payer_keypair() -> Keypair:
    return keypair_for("fee payer")


def payer_keypair(index: int) -> Keypair:
    return keypair_for(f"payer {index}")


def pay_to_address() -> Pubkey:
    return keypair_for("pay_to").pubkey()


def mint_authority() -> Keypair:
    return keypair_for("usdc mint authority")


@dataclass(frozen=True)
class SvmPayer:
    address: str
    secret_key_base58: str = field(repr=False)

    @property
    def keypair(self) -> Keypair:
        return Keypair.from_base58_string(self.secret_key_base58)

    @classmethod
    def of(cls, keypair: Keypair) -> SvmPayer:
        return cls(str(keypair.pubkey()), str(keypair))


@dataclass(frozen=True)
class SvmDevnet:
    rpc_url: str
    network: str
    usdc_mint: str
    pay_to: str
    fee_payer: str
    fee_payer_key: str = field(repr=False)  # base58 64-byte secret; not written to devnet.json
    payers: list[SvmPayer] = field(repr=False)

    @property
    def pay_to_token_account(self) -> str:
        return token_account(self.pay_to, self.usdc_mint)

    def service_env(self) -> dict[str, str]:
        """The FORGE402_SVM_* settings that point a forge402 service's Solana lane at this devnet."""
        return {
            "FORGE402_SVM_NETWORK": self.network,
            "FORGE402_SVM_RPC_URL": self.rpc_url,
            "FORGE402_SVM_PAY_TO": self.pay_to,
            "FORGE402_SVM_FEE_PAYER_KEY": self.fee_payer_key,
            "FORGE402_SVM_USDC_MINT": self.usdc_mint,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "rpc_url": self.rpc_url,
            "network": self.network,
            "usdc_mint": self.usdc_mint,
            "pay_to": self.pay_to,
            "fee_payer": self.fee_payer,
            "payers": [{"address": p.address, "secret_key_base58": p.secret_key_base58} for p in self.payers],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SvmDevnet:
        fee_payer = fee_payer_keypair()
        if str(fee_payer.pubkey()) != data["fee_payer"]:
            raise DevnetError("devnet.json names a Solana fee payer that is not the devnet's")
        payers = [SvmPayer(p["address"], p["secret_key_base58"]) for p in data["payers"]]
        return cls(
            data["rpc_url"],
            data["network"],
            data["usdc_mint"],
            data["pay_to"],
            data["fee_payer"],
            str(fee_payer),
            payers,
        )


def describe(rpc_url: str, payers: int = DEFAULT_PAYERS) -> SvmDevnet:
    """The devnet's description (deterministic: every key comes from a seed)."""
    fee_payer = fee_payer_keypair()
    return SvmDevnet(
        rpc_url=rpc_url,
        network=NETWORK,
        usdc_mint=USDC_MINT,
        pay_to=str(pay_to_address()),
        fee_payer=str(fee_payer.pubkey()),
        fee_payer_key=str(fee_payer),
        payers=[SvmPayer.of(payer_keypair(i)) for i in range(1, payers + 1)],
    )


def provision(chain: Any, payers: int = DEFAULT_PAYERS, usdc_each: int = USDC_EACH) -> None:
    """USDC at the devnet mint, payTo's token account (empty), funded payers, a fee payer with SOL.
    `chain` is an app.devnet.litesvm_server.LocalSolana (in the devnet process)."""
    if not 1 <= payers <= MAX_PAYERS:
        raise ValueError(f"payers must be 1..{MAX_PAYERS}")
    mint = Pubkey.from_string(USDC_MINT)
    authority = mint_authority().pubkey()
    chain.airdrop(authority, LAMPORTS_PER_SOL)
    chain.set_mint(mint, USDC_DECIMALS, authority)
    chain.set_token_balance(pay_to_address(), mint, 0)
    for i in range(1, payers + 1):
        chain.set_token_balance(payer_keypair(i).pubkey(), mint, usdc_each)
    chain.airdrop(fee_payer_keypair().pubkey(), FEE_PAYER_SOL * LAMPORTS_PER_SOL)


def write_devnet_json(data_dir: Path, devnet: SvmDevnet) -> Path:
    """Merge {"svm": ...} into data_dir/devnet.json."""
    return write_devnet_section(data_dir, "svm", devnet.to_json())


# ---- talking to it (tests, demo, benchmark; synchronous) --------------------------------------------------------


def rpc(rpc_url: str, method: str, *params: Any) -> Any:
    """One JSON-RPC call; raises DevnetError on an error answer."""
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}
    answer = httpx.post(rpc_url, json=body, timeout=10).json()
    if answer.get("error"):
        raise DevnetError(f"{method}: {answer['error'].get('message')}")
    return answer["result"]


def token_account(owner: str, mint: str = USDC_MINT) -> str:
    """`owner`'s associated token account for `mint`."""
    return str(get_associated_token_address(Pubkey.from_string(owner), Pubkey.from_string(mint)))


def token_amount(account_info: dict[str, Any]) -> int:
    """The amount held according to a jsonParsed getAccountInfo answer (0 when there is no account)."""
    value = account_info["value"]
    return int(value["data"]["parsed"]["info"]["tokenAmount"]["amount"]) if value else 0


def token_balance(rpc_url: str, owner: str, mint: str = USDC_MINT) -> int:
    """`owner`'s USDC in its associated token account (0 when it has none)."""
    return token_amount(rpc(rpc_url, "getAccountInfo", token_account(owner, mint), {"encoding": "jsonParsed"}))


def sol_balance(rpc_url: str, address: str) -> int:
    return int(rpc(rpc_url, "getBalance", address)["value"])


# ---- the child process ------------------------------------------------------------------------------------------


class SvmDevnetProcess(ChainProcess):
    """`python -m app.devnet.litesvm` as our child on 127.0.0.1."""

    name = "the Solana devnet"
    start_timeout_s = 20.0  # a Python process importing solders starts slower than anvil

    @classmethod
    async def start(
        cls, port: int | None = None, log_path: Path | None = None, payers: int = DEFAULT_PAYERS, slot_ms: int = 400
    ) -> SvmDevnetProcess:
        def command(chosen: int) -> list[str]:
            args = ("--port", str(chosen), "--payers", str(payers), "--slot-ms", str(slot_ms))
            return [sys.executable, "-m", "app.devnet.litesvm", *args]

        return await cls.launch(command, port, log_path, cwd=Path(__file__).resolve().parents[2])

    async def is_ready(self, client: httpx.AsyncClient) -> bool:
        return await self.ask(client, "getHealth") == "ok"


async def start_svm_devnet(
    data_dir: Path, port: int | None = None, payers: int = DEFAULT_PAYERS, slot_ms: int = 400
) -> tuple[SvmDevnetProcess, SvmDevnet]:
    """Start the devnet child, wait until it serves, merge its description into data_dir/devnet.json."""
    data_dir.mkdir(parents=True, exist_ok=True)
    child = await SvmDevnetProcess.start(port, data_dir / "solana-devnet.log", payers, slot_ms)
    devnet = describe(child.rpc_url, payers)
    try:
        write_devnet_json(data_dir, devnet)
    except BaseException:
        await child.stop()
        raise
    return child, devnet


# ---- the devnet process itself ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from app.devnet.litesvm_server import LocalSolana, RpcServer

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--payers", type=int, default=DEFAULT_PAYERS)
    parser.add_argument("--slot-ms", type=int, default=400, help="wall-clock length of a slot")
    parser.add_argument("--data-dir", type=Path, default=None, help="write devnet.json there (when run by hand)")
    args = parser.parse_args(argv)
    chain = LocalSolana(slot_seconds=args.slot_ms / 1000)
    provision(chain, args.payers)
    server = RpcServer(chain, port=args.port)
    devnet = describe(server.url, args.payers)
    if args.data_dir is not None:
        write_devnet_json(args.data_dir, devnet)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(json.dumps({"pid": os.getpid(), **devnet.to_json()}), flush=True)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
