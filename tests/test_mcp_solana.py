"""A Solana payment over MCP: the official x402 MCP client (`x402.mcp.x402MCPSession`, Python) pays `forge_generate`
with the official `exact` SVM client scheme. The Python SDK's own SVM scheme needs solana-py < 0.40 and so solders
< 0.28, which cannot be installed beside the LiteSVM devnet's solders 0.29, and the TypeScript SDK publishes no MCP
client (`@x402/mcp` is not on npm): the scheme is the TypeScript SDK's (@x402/svm), inside the Python client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import ClientSession

from app.devnet.anvil import EvmDevnet
from app.devnet.litesvm import SvmDevnet
from tests.devnet import evm_devnet_fixture  # noqa: F401
from tests.live import LiveServer
from tests.mcp_clients import http_session, paying, structured, svm_x402
from tests.paid import paid_env, solana_env, svm_devnet_fixture, usdc  # noqa: F401

DRAFT = {"prompt": "a wooden crate", "tier": "draft"}


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet
) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("mcp-solana"), {**paid_env(evm_devnet), **solana_env(svm_devnet)}) as live:
        yield live


def test_the_official_x402_mcp_client_pays_on_solana(server: LiveServer, svm_devnet: SvmDevnet) -> None:
    payer = svm_devnet.payers[0]
    before = usdc(svm_devnet, svm_devnet.pay_to)

    async def scenario(session: ClientSession) -> tuple[Any, Any]:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        agent = paying(session, svm_x402(payer, svm_devnet))
        return tools["forge_generate"], await agent.call_tool("forge_generate", {**DRAFT, "wait": True})

    async def run() -> tuple[Any, Any]:
        async with http_session(server.url) as session:
            return await scenario(session)

    tool, result = asyncio.run(run())
    assert svm_devnet.network in tool.description
    assert result.payment_made and not result.is_error, result
    settled = result.payment_response
    assert settled.success and settled.network == svm_devnet.network and settled.payer == payer.address
    job = structured(result)
    assert job["status"] == "done" and job["glb_url"]
    assert usdc(svm_devnet, svm_devnet.pay_to) - before == 50_000
