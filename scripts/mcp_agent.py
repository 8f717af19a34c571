#!/usr/bin/env python3
"""An agent buying one 3D model over MCP: the official `mcp` client finds forge402's tools, the official x402 MCP
client (`x402.mcp`) pays `forge_generate` in USDC on Base, and the finished GLB is saved. Copy it into any agent
framework: everything below is the stock SDKs (`mcp`, `x402[evm]`), nothing from forge402.

    .venv/bin/python scripts/mcp_agent.py --prompt "a brass lantern" --tier draft -o lantern.glb   # a running server
    .venv/bin/python scripts/mcp_agent.py --stdio --prompt "a brass lantern"                         # forge402 mcp

The wallet key comes from --key, $FORGE402_DEMO_KEY, or a devnet payer in <data_dir>/devnet.json (written by the
service when it runs its local devnet).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from eth_account import Account
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from x402 import x402Client
from x402.mcp import x402MCPSession
from x402.mechanisms.evm.exact import register_exact_evm_client
from x402.mechanisms.evm.signers import EthAccountSigner

DEFAULT_SERVER = "http://127.0.0.1:8402/mcp"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("FORGE402_MCP_URL", DEFAULT_SERVER), help="MCP endpoint")
    parser.add_argument("--stdio", action="store_true", help="start `forge402 mcp` as a local command instead")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("FORGE402_DATA_DIR", "forge402-data")))
    parser.add_argument("--key", default=os.environ.get("FORGE402_DEMO_KEY"), help="payer private key (0x…)")
    parser.add_argument("--prompt", default="a small wooden chair")
    parser.add_argument("--tier", choices=["draft", "standard", "high"], default="draft")
    parser.add_argument("--max-usd", default="1", help="refuse to pay more than this per call")
    parser.add_argument("-o", "--output", type=Path, default=Path("model.glb"))
    return parser.parse_args(argv)


def wallet(args: argparse.Namespace) -> x402Client:
    """An x402 client that pays on any eip155 network from the key, capped at --max-usd per payment."""
    key = args.key or json.loads((args.data_dir / "devnet.json").read_text())["evm"]["payers"][0]["private_key"]
    client = x402Client()
    register_exact_evm_client(client, EthAccountSigner(Account.from_key(key)))
    client.set_spend_controls({"max_amount_per_payment": f"${args.max_usd}"})
    return client


@contextlib.asynccontextmanager
async def connect(args: argparse.Namespace) -> AsyncIterator[ClientSession]:
    """An MCP session: a remote server over streamable HTTP, or `forge402 mcp` over stdio."""
    if args.stdio:
        command = shutil.which("forge402") or str(Path(sys.executable).with_name("forge402"))
        params = StdioServerParameters(command=command, args=["mcp", "--data-dir", str(args.data_dir)])
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session
        return
    timeout = httpx.Timeout(30, read=900)  # a waiting call streams progress until its model is built
    async with (
        httpx.AsyncClient(timeout=timeout) as http,
        streamable_http_client(args.server, http_client=http) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


async def main(args: argparse.Namespace) -> int:
    async with connect(args) as session:
        for tool in (await session.list_tools()).tools:
            print(f"tool {tool.name}: {(tool.description or '')[:100]}…", file=sys.stderr)
        agent = x402MCPSession(session, wallet(args), auto_payment=True)
        result = await agent.call_tool("forge_generate", {"prompt": args.prompt, "tier": args.tier, "wait": True})
        job = result.raw_result.structuredContent or {}
        if result.is_error or job.get("status") != "done":
            print(f"not built: {json.dumps(job)}", file=sys.stderr)
            return 1
        paid = result.payment_response
        print(f"paid: {paid.transaction} on {paid.network}" if paid else "paid: (no settlement)", file=sys.stderr)
        async with httpx.AsyncClient(timeout=60) as http:
            glb = await http.get(job["glb_url"])
        glb.raise_for_status()
        args.output.write_bytes(glb.content)
        print(f"{args.output}: {len(glb.content)} bytes, {job['faces']} faces, job {job['job_id']}")
        return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args(None))))
