#!/usr/bin/env python3
"""A stock x402 agent buying one 3D generation: the official Python SDK pays, then it polls and downloads the GLB.

It uses only what any agent would (x402[evm,httpx]: x402HttpxClient + the EVM `exact` client scheme with an
eth_account signer); nothing from forge402. The wallet key comes from --key, $FORGE402_DEMO_KEY, or a devnet payer
in <data_dir>/devnet.json (written by `forge402 serve` when it runs the local devnet).

    .venv/bin/python scripts/demo_agent.py --prompt "a red teapot" --tier high -o teapot.glb
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from eth_account import Account
from x402 import x402Client
from x402.http import decode_payment_response_header
from x402.http.clients import x402HttpxClient
from x402.http.clients.httpx import PaymentError
from x402.mechanisms.evm.exact import register_exact_evm_client
from x402.mechanisms.evm.signers import EthAccountSigner

DEFAULT_SERVER = "http://127.0.0.1:8402"
PAID_PATH = "/api/x402/forge"
# The SDK refuses anything over $1 by default; forge402's dearest tier is $0.50. Said out loud, not inherited.
DEFAULT_MAX_USD = "1"
POLL_INTERVAL_S = 0.5
JOB_TIMEOUT_S = 900


class AgentError(Exception):
    """Something this agent cannot carry on from; the message is for the operator."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("FORGE402_SERVER", DEFAULT_SERVER))
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("FORGE402_DATA_DIR", "forge402-data")),
        help="where devnet.json is (default: $FORGE402_DATA_DIR, else the service's default forge402-data)",
    )
    parser.add_argument("--key", default=os.environ.get("FORGE402_DEMO_KEY"), help="payer private key (0x…)")
    parser.add_argument("--payer", type=int, default=0, help="which devnet payer to use when no key is given")
    parser.add_argument("--prompt", default="a small wooden chair")
    parser.add_argument("--tier", choices=["draft", "standard", "high"], default="standard")
    parser.add_argument("--max-usd", default=DEFAULT_MAX_USD, help="refuse to pay more than this per call")
    parser.add_argument("-o", "--output", type=Path, default=Path("model.glb"))
    return parser.parse_args(argv)


def payer_key(args: argparse.Namespace) -> str:
    if args.key:
        return args.key
    path = args.data_dir / "devnet.json"
    try:
        payers = json.loads(path.read_text())["evm"]["payers"]
        return payers[args.payer]["private_key"]
    except FileNotFoundError:
        raise AgentError(f"no --key and no {path}: start the service with its devnet, or pass --data-dir") from None
    except (KeyError, IndexError, json.JSONDecodeError) as exc:
        raise AgentError(f"{path} has no EVM payer #{args.payer} ({exc!r})") from None


def payment_client(private_key: str, max_usd: str) -> x402Client:
    """An x402 client that signs EIP-3009 authorizations for any eip155 network, capped at max_usd per payment."""
    client = x402Client()
    register_exact_evm_client(client, EthAccountSigner(Account.from_key(private_key)))
    client.set_spend_controls({"max_amount_per_payment": f"${max_usd}"})
    return client


def settlement(response: httpx.Response) -> dict[str, Any] | None:
    """The decoded PAYMENT-RESPONSE (v2) or X-PAYMENT-RESPONSE (v1) header, if the server sent one."""
    header = response.headers.get("PAYMENT-RESPONSE") or response.headers.get("X-PAYMENT-RESPONSE")
    if not header:
        return None
    return decode_payment_response_header(header).model_dump(by_alias=True, exclude_none=True)


def error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    error = body.get("error")
    if isinstance(error, dict):
        return f"{error.get('code')}: {error.get('message')}"
    return str(body.get("message") or error or body)[:300]


async def buy(server: str, client: x402Client, body: dict[str, Any]) -> dict[str, Any]:
    """POST the paid route; the SDK answers the 402 with a signed payment and retries once."""
    async with x402HttpxClient(client, base_url=server, timeout=120) as http:
        try:
            response = await http.post(PAID_PATH, json=body)
        except httpx.TransportError as exc:
            raise AgentError(f"cannot reach {server}: {exc}") from None
        except PaymentError as exc:  # e.g. the price is over --max-usd: nothing was signed
            raise AgentError(f"did not pay: {exc}") from None
    receipt = settlement(response)
    if receipt:
        print(f"paid: tx {receipt.get('transaction')} on {receipt.get('network')} by {receipt.get('payer')}")
    if response.status_code == 402:
        raise AgentError(f"payment refused: {error_text(response)}")
    if response.status_code >= 400:
        raise AgentError(f"HTTP {response.status_code}: {error_text(response)}")
    return response.json()


async def wait_for(http: httpx.AsyncClient, job: dict[str, Any]) -> dict[str, Any]:
    """Poll poll_url until the job is done (returned) or failed (raised), printing progress as it changes."""
    deadline = time.monotonic() + JOB_TIMEOUT_S
    last = None
    while True:
        state = (job.get("status"), job.get("progress"))
        if state != last:
            print(f"job {job.get('job_id', '?')}: {state[0]} {state[1] if state[1] is not None else ''}".rstrip())
            last = state
        if job.get("status") == "done":
            return job
        if job.get("status") == "failed":
            error = job.get("error") or {}
            raise AgentError(f"job failed: {error.get('code')}: {error.get('message')}")
        if time.monotonic() > deadline:
            raise AgentError(f"job did not finish in {JOB_TIMEOUT_S} s")
        await asyncio.sleep(POLL_INTERVAL_S)
        response = await http.get(job["poll_url"])
        if response.status_code == 429:
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
            continue
        if response.status_code >= 400:
            raise AgentError(f"polling failed: HTTP {response.status_code}: {error_text(response)}")
        job = {"poll_url": job["poll_url"], **response.json()}


async def run(args: argparse.Namespace) -> None:
    client = payment_client(payer_key(args), args.max_usd)
    job = await buy(args.server, client, {"prompt": args.prompt, "tier": args.tier})
    async with httpx.AsyncClient(base_url=args.server, timeout=60) as http:
        job = await wait_for(http, job)
        download = await http.get(job["glb_url"])
        if download.status_code != 200:
            raise AgentError(f"download failed: HTTP {download.status_code}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(download.content)
    print(f"saved {args.output} ({len(download.content)} bytes)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        asyncio.run(run(args))
    except AgentError as exc:
        print(f"demo_agent: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
