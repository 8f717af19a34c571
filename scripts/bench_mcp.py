"""Benchmark of the MCP transport beside the HTTP lane, in the same run, on one real server (a LiveServer on a local
Base devnet, one engine process, rate limits off, fast lane off). Prints a table and writes JSON.

    .venv/bin/python scripts/bench_mcp.py [--reps 3] [--seconds 3] [--paid-calls 24] [--out FILE]

- free calls/s: `forge_catalog` over MCP (streamable HTTP, stateless: one POST per call, answered as SSE) against
  `GET /api/forge?catalog` over HTTP, at c=1 and c=8 clients (each MCP client its own session), for --seconds each;
- paid calls/s: `forge_generate` with a payment in `_meta["x402/payment"]` against `POST /api/x402/forge` with a
  PAYMENT-SIGNATURE header, at c=1 and c=8: each call verifies, settles on chain (one transaction, mined at once by
  anvil) and creates a draft job. Payments are signed beforehand (EIP-3009, distinct nonces, three payers), so the
  figure is the server's, not the signer's.
Each figure is the median of --reps runs; the runs alternate transports so both see the same machine state.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.devnet.anvil import EvmDevnet  # noqa: E402
from tests.devnet import evm_devnet_running  # noqa: E402
from tests.live import LiveServer  # noqa: E402
from tests.mcp_clients import http_session, structured  # noqa: E402
from tests.paid import PAID, encode, paid_env, v2_payload  # noqa: E402

BODY = {"prompt": "a wooden crate", "tier": "draft"}
CONCURRENCY = (1, 8)


def rate(calls: int, seconds: float) -> float:
    return round(calls / seconds, 1)


async def timed_loop(concurrency: int, seconds: float, one: Callable[[int], Awaitable[None]]) -> float:
    """Calls/s of `concurrency` workers each calling `one(worker)` back to back for `seconds`."""
    stop_at = time.perf_counter() + seconds
    done = 0

    async def worker(index: int) -> None:
        nonlocal done
        while time.perf_counter() < stop_at:
            await one(index)
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return rate(done, time.perf_counter() - started)


async def free_mcp(url: str, concurrency: int, seconds: float) -> float:
    sessions = [http_session(url) for _ in range(concurrency)]
    opened = [await s.__aenter__() for s in sessions]
    try:
        await opened[0].call_tool("forge_catalog", {})  # the catalog is built once, then cached

        async def one(i: int) -> None:
            result = await opened[i].call_tool("forge_catalog", {})
            assert not result.isError, result

        return await timed_loop(concurrency, seconds, one)
    finally:
        for session in reversed(sessions):
            await session.__aexit__(None, None, None)


async def free_http(url: str, concurrency: int, seconds: float) -> float:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:

        async def one(i: int) -> None:
            answer = await http.get("/api/forge?catalog")
            assert answer.status_code == 200, answer.text

        return await timed_loop(concurrency, seconds, one)


def signed_payments(devnet: EvmDevnet, accepted: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """`n` x402 v2 payment payloads for `accepted`, from the devnet's payers in turn (distinct random nonces)."""
    return [v2_payload(devnet, devnet.payers[i % len(devnet.payers)], accepted) for i in range(n)]


async def batch(concurrency: int, payments: list[dict[str, Any]], pay: Callable[[int, dict[str, Any]], Any]) -> float:
    """Calls/s of `concurrency` workers paying `payments` between them, each payment once."""
    queue = list(payments)
    started = time.perf_counter()

    async def worker(index: int) -> None:
        while queue:
            await pay(index, queue.pop())

    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return rate(len(payments), time.perf_counter() - started)


async def paid_mcp(url: str, concurrency: int, payments: list[dict[str, Any]]) -> float:
    sessions = [http_session(url) for _ in range(concurrency)]
    opened = [await s.__aenter__() for s in sessions]
    try:

        async def pay(i: int, payment: dict[str, Any]) -> None:
            result = await opened[i].call_tool("forge_generate", BODY, meta={"x402/payment": payment})
            assert not result.isError and result.meta["x402/payment-response"]["success"], structured(result)

        return await batch(concurrency, payments, pay)
    finally:
        for session in reversed(sessions):
            await session.__aexit__(None, None, None)


async def paid_http(url: str, concurrency: int, payments: list[dict[str, Any]]) -> float:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:

        async def pay(i: int, payment: dict[str, Any]) -> None:
            answer = await http.post(PAID, json=BODY, headers={"PAYMENT-SIGNATURE": encode(payment)})
            assert answer.status_code == 202, answer.text

        return await batch(concurrency, payments, pay)


def median_of(runs: list[float]) -> dict[str, Any]:
    return {"median": round(statistics.median(runs), 1), "runs": runs}


def measure(url: str, devnet: EvmDevnet, reps: int, seconds: float, paid_calls: int) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=30) as http:
        accepted = json.loads(base64.b64decode(http.post(PAID, json=BODY).headers["payment-required"]))["accepts"][0]
    # warm-up, unmeasured: the first payment of a server pays for its cold start (imports, nonce, connections)
    asyncio.run(paid_mcp(url, 1, signed_payments(devnet, accepted, 2)))
    asyncio.run(paid_http(url, 1, signed_payments(devnet, accepted, 2)))
    figures: dict[str, Any] = {"free_calls_per_s": {}, "paid_calls_per_s": {}}
    for c in CONCURRENCY:
        mcp_runs, http_runs = [], []
        for _ in range(reps):
            mcp_runs.append(asyncio.run(free_mcp(url, c, seconds)))
            http_runs.append(asyncio.run(free_http(url, c, seconds)))
        figures["free_calls_per_s"][f"c{c}"] = {"mcp": median_of(mcp_runs), "http": median_of(http_runs)}
    for c in CONCURRENCY:
        n = paid_calls * (2 if c > 1 else 1)
        mcp_runs, http_runs = [], []
        for _ in range(reps):
            mcp_runs.append(asyncio.run(paid_mcp(url, c, signed_payments(devnet, accepted, n))))
            http_runs.append(asyncio.run(paid_http(url, c, signed_payments(devnet, accepted, n))))
        figures["paid_calls_per_s"][f"c{c}"] = {
            "calls_per_run": n, "mcp": median_of(mcp_runs), "http": median_of(http_runs),
        }  # fmt: skip
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each free-call run")
    parser.add_argument("--paid-calls", type=int, default=24, help="payments per paid run at c=1 (twice at c=8)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-mcp-") as tmp, evm_devnet_running(Path(tmp) / "chain") as devnet:
        env = paid_env(devnet, FORGE402_FAST_LANE_MS="0")
        with LiveServer(Path(tmp) / "server", env) as live:
            figures = measure(live.url, devnet, args.reps, args.seconds, args.paid_calls)
    report = {
        "benchmark": "mcp",
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "settings": {"reps": args.reps, "seconds": args.seconds, "paid_calls": args.paid_calls, "engine_workers": 1},
        **figures,
    }
    for kind in ("free_calls_per_s", "paid_calls_per_s"):
        for c, row in report[kind].items():
            print(f"{kind:18} {c:4} MCP {row['mcp']['median']:8.1f}/s   HTTP {row['http']['median']:8.1f}/s")
    out = args.out or ROOT / "bench-results" / f"bench_mcp-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
