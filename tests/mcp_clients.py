"""MCP clients for the tests (and the MCP benchmark): the official `mcp` SDK's client over streamable HTTP or stdio,
and the official x402 MCP client (`x402.mcp.x402MCPSession`) paying from a devnet payer."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from eth_account import Account
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from x402 import x402Client
from x402.mcp import x402MCPSession
from x402.mechanisms.evm.exact import register_exact_evm_client
from x402.mechanisms.evm.signers import EthAccountSigner
from x402.schemas import PaymentRequirements

from app.devnet.anvil import Payer
from app.devnet.litesvm import SvmDevnet, SvmPayer
from tests.live import ROOT

T = TypeVar("T")
MAX_USD_PER_PAYMENT = "$1"  # the SDK's own default cap, written out: forge402's dearest tier is $0.50


@contextlib.asynccontextmanager
async def http_session(url: str, timeout: float = 120) -> AsyncIterator[ClientSession]:
    """An initialized MCP session with the server at `url` (its base URL), over streamable HTTP."""
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(30, read=timeout)) as http,
        streamable_http_client(url.rstrip("/") + "/mcp", http_client=http) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def in_session(url: str, scenario: Callable[[ClientSession], Awaitable[T]]) -> T:
    """Run `scenario` with one streamable HTTP session to the server at `url` (from synchronous test code)."""

    async def run() -> T:
        async with http_session(url) as session:
            return await scenario(session)

    return asyncio.run(run())


@contextlib.asynccontextmanager
async def stdio_session(args: list[str], env: dict[str, str], log: Path) -> AsyncIterator[ClientSession]:
    """An initialized MCP session with `forge402 mcp <args>` started as a host starts a local command."""
    command = StdioServerParameters(command=sys.executable, args=["-m", "app.cli", "mcp", *args], env=env, cwd=ROOT)
    with log.open("a") as errlog:
        async with stdio_client(command, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session


def evm_x402(payer: Payer) -> x402Client:
    """The official x402 client holding `payer`'s USDC on Base."""
    client = x402Client()
    register_exact_evm_client(client, EthAccountSigner(Account.from_key(payer.private_key)))
    client.set_spend_controls({"max_amount_per_payment": MAX_USD_PER_PAYMENT})
    return client


class NodeSvmScheme:
    """The official TypeScript SDK's `exact` SVM client scheme (tests/clients/svm_payload.mjs), registered in the
    Python x402 client: the Python SDK's SVM scheme needs solana-py < 0.40 (its synchronous RPC client), which needs
    solders < 0.28, and forge402's LiteSVM devnet needs solders 0.29."""

    scheme = "exact"

    def __init__(self, payer: SvmPayer, rpc_url: str) -> None:
        self.payer = payer
        self.rpc_url = rpc_url

    def create_payment_payload(self, requirements: PaymentRequirements) -> dict[str, Any]:
        wire = json.dumps(requirements.model_dump(by_alias=True, exclude_none=True))
        script = ROOT / "tests" / "clients" / "svm_payload.mjs"
        run = subprocess.run(
            ["node", str(script), self.payer.secret_key_base58, self.rpc_url, wire],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if run.returncode != 0:
            raise RuntimeError(run.stderr)
        return json.loads(run.stdout.strip().splitlines()[-1])


def svm_x402(payer: SvmPayer, devnet: SvmDevnet) -> x402Client:
    """The official x402 client holding `payer`'s USDC on the Solana devnet. Its spend controls know the default
    assets of the schemes they can import, so the devnet's USDC mint is allowed by name (capped at $1)."""
    client = x402Client()
    client.register("solana:*", NodeSvmScheme(payer, devnet.rpc_url))  # type: ignore[arg-type]
    usdc = {"network": devnet.network, "asset": devnet.usdc_mint, "max_amount_per_payment": "1000000"}
    client.set_spend_controls({"allowed_assets": [usdc]})  # type: ignore[typeddict-item]
    return client


def paying(session: ClientSession, client: x402Client) -> x402MCPSession:
    """The official x402 MCP client over `session`: a paid tool's first answer is paid and the call made again."""
    return x402MCPSession(session, client, auto_payment=True)


def structured(result: Any) -> dict[str, Any]:
    """A tool result's JSON (`structuredContent`), from an MCP result or the x402 client's MCPToolCallResult."""
    raw = getattr(result, "raw_result", None) or result
    assert isinstance(raw, types.CallToolResult), raw
    assert raw.structuredContent is not None, raw
    return raw.structuredContent
