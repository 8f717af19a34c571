"""CPU and wall time of one JSON-RPC call, by HTTP client: forge402's own transport (`payments.transport`, under
`payments.jsonrpc.JsonRpcClient`) against aiohttp's pooled session (what the chain clients used before) and httpx's
AsyncClient, each posting the same `eth_blockNumber` to a local anvil over a keep-alive connection. Prints a table
and writes JSON.

    .venv/bin/python scripts/bench_rpc.py [--calls 3000] [--reps 5] [--out FILE]

The client runs on CPU 0 and anvil on CPU 1 (as the paid benchmark pins server and chain); figures are the client
process's CPU microseconds per call (time.process_time) and wall microseconds per call, medians of --reps interleaved
runs. aiohttp and httpx come with the test dependencies (web3 brings aiohttp).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import httpx  # noqa: E402
import uvloop  # noqa: E402

from app.devnet.anvil import AnvilProcess  # noqa: E402
from payments.jsonrpc import JsonRpcClient  # noqa: E402

BODY = {"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []}
Call = Callable[[], Awaitable[object]]


async def clients(url: str) -> tuple[dict[str, Call], Callable[[], Awaitable[None]]]:
    ours = JsonRpcClient(url)
    session = aiohttp.ClientSession(headers={"content-type": "application/json"})
    hx = httpx.AsyncClient()

    async def via_ours() -> object:
        return await ours.call("eth_blockNumber")

    async def via_aiohttp() -> object:
        async with session.post(url, data=json.dumps(BODY).encode()) as r:
            r.raise_for_status()
            return json.loads(await r.read())["result"]

    async def via_httpx() -> object:
        r = await hx.post(url, content=json.dumps(BODY).encode(), headers={"content-type": "application/json"})
        r.raise_for_status()
        return r.json()["result"]

    async def close() -> None:
        await ours.close()
        await session.close()
        await hx.aclose()

    return {"forge402 transport": via_ours, "aiohttp session": via_aiohttp, "httpx AsyncClient": via_httpx}, close


async def measure(call: Call, n: int) -> tuple[float, float]:
    """(CPU us, wall us) per call over `n` calls."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        await call()
    return (time.process_time() - cpu) / n * 1e6, (time.perf_counter() - wall) / n * 1e6


async def bench(url: str, calls: int, reps: int) -> dict[str, dict[str, float]]:
    table, close = await clients(url)
    try:
        for call in table.values():  # connections made, code warm
            for _ in range(200):
                await call()
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in table}
        for _ in range(reps):
            for name, call in table.items():  # interleaved: a busy moment touches every client alike
                runs[name].append(await measure(call, calls))
    finally:
        await close()
    return {
        name: {
            "cpu_us_per_call": round(statistics.median(r[0] for r in rs), 1),
            "wall_us_per_call": round(statistics.median(r[1] for r in rs), 1),
        }
        for name, rs in runs.items()
    }


async def run(calls: int, reps: int) -> dict[str, dict[str, float]]:
    anvil = await AnvilProcess.start()
    try:
        if (os.cpu_count() or 1) > 1:
            os.sched_setaffinity(anvil.pid, {1})
            os.sched_setaffinity(0, {0})
        return await bench(anvil.rpc_url, calls, reps)
    finally:
        await anvil.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "rpc.json")
    args = parser.parse_args()
    results = uvloop.run(run(args.calls, args.reps))
    print(f"{'client':20s} {'CPU us/call':>12s} {'wall us/call':>13s}")
    for name, row in results.items():
        print(f"{name:20s} {row['cpu_us_per_call']:12.1f} {row['wall_us_per_call']:13.1f}")
    report = {"calls": args.calls, "reps": args.reps, "method": "eth_blockNumber to a local anvil", "clients": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
