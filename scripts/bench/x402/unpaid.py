"""Unpaid load: the 402 every paid call starts from, and unpaid POSTs at c=32 (wrk when on PATH, else asyncio)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from scripts.bench.x402.knobs import BENCH_SRC, BODY, ROUTE, Knobs
from scripts.bench.x402.profile import profiled
from scripts.bench.x402.servers import Session, fresh_session
from scripts.bench.x402.stats import b64_json, log, percentile, process_cpu_seconds, pss_mb, rounded, tree
from scripts.bench.x402.wire import HttpConnection, build_post
from tests.live import HOST, ServerProcess
from x402.http import decode_payment_required_header
from x402.schemas import PaymentRequired


@dataclass
class Challenge:
    payment_required: PaymentRequired
    accepted: dict[str, Any]
    price: int


async def fetch_402(server: ServerProcess) -> tuple[str, dict[str, Any]]:
    """One unpaid POST: it must be a 402 with a PAYMENT-REQUIRED header; that header, raw and decoded."""
    conn = HttpConnection(server.port)
    try:
        response = await conn.request(build_post(server.port, ROUTE, BODY))
    finally:
        conn.close()
    header = response.headers.get("payment-required")
    if response.status != 402 or not header:
        raise RuntimeError(
            f"{server.name}: unpaid POST {ROUTE} gave {response.status}, not a 402 with PAYMENT-REQUIRED"
        )
    return header, b64_json(header) or {}


async def probe_402(session: Session) -> Challenge:
    """One unpaid POST: it must be a 402 with a v2 PAYMENT-REQUIRED header offering exact on our network."""
    header, raw = await fetch_402(session.server)
    accepted = raw["accepts"][0]
    if accepted.get("scheme") != "exact" or accepted.get("network") != session.devnet.network:
        raise RuntimeError(f"{session.name}: unexpected accepts[0] {accepted}")
    return Challenge(decode_payment_required_header(header), accepted, int(accepted["amount"]))


async def unpaid_asyncio(port: int, concurrency: int, seconds: float) -> dict[str, Any]:
    """`concurrency` keep-alive connections POSTing without payment for `seconds`."""
    raw = build_post(port, ROUTE, BODY)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors = 0
    received = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors, received
        conn = HttpConnection(port)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await conn.request(raw)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                await asyncio.sleep(0.01)  # a refused connection must not spin the loop
                continue
            latencies.append(time.perf_counter() - started)
            statuses[response.status] += 1
            received += response.size
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    answers = sum(statuses.values())
    return {
        "tool": "asyncio",
        "concurrency": concurrency,
        "requests": answers,
        "bytes_per_answer": round(received / answers) if answers else None,
        "n402": statuses[402],
        "other": sum(statuses.values()) - statuses[402],
        "socket_errors": errors,
        "seconds": rounded(elapsed, 3),
        "rps": rounded(statuses[402] / elapsed, 1),
        "p50_ms": rounded(percentile(latencies, 50) * 1000 if latencies else None, 3),
        "p99_ms": rounded(percentile(latencies, 99) * 1000 if latencies else None, 3),
    }


async def unpaid_wrk(port: int, concurrency: int, seconds: float) -> dict[str, Any]:
    """wrk -t1 with scripts/bench/post.lua."""
    cmd = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    cmd += ["-s", str(BENCH_SRC / "post.lua"), f"http://{HOST}:{port}{ROUTE}"]
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = await proc.communicate()
    line = next((ln for ln in out.decode().splitlines() if ln.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {out.decode()[-500:]}")
    data = json.loads(line.removeprefix("WRKJSON "))
    elapsed = data["duration_us"] / 1e6
    return {
        "tool": "wrk",
        "concurrency": concurrency,
        "requests": data["requests"],
        "bytes_per_answer": round(data["bytes"] / data["requests"]) if data["requests"] else None,
        "n402": data["non2xx"],  # not 2xx/3xx; the asyncio runs check these answers are 402s
        "other": data["requests"] - data["non2xx"],
        "socket_errors": data["socket_errors"],
        "seconds": rounded(elapsed, 3),
        "rps": rounded(data["non2xx"] / elapsed, 1),
        "p50_ms": rounded(data["p50_us"] / 1000, 3),
        "p99_ms": rounded(data["p99_us"] / 1000, 3),
    }


async def unpaid_phase(name: str, knobs: Knobs, rep: int) -> dict[str, Any]:
    """Fresh chain + server, a 1 s warm-up, then unpaid runs at c=1 (the asyncio client) and c=32 (wrk when on PATH),
    each with the server's CPU time per answer; the server's memory after them."""
    async with fresh_session(name, knobs, f"{name}-unpaid-r{rep}") as session:
        await probe_402(session)
        port, pid = session.server.port, session.server.pid
        await unpaid_asyncio(port, knobs.unpaid_concurrency, 1.0)
        runs: dict[str, Any] = {}
        for concurrency in (1, knobs.unpaid_concurrency):
            profile = knobs.profile and name == "forge402" and concurrency > 1
            async with profiled(pid, f"unpaid-c{concurrency}", runs) if profile else contextlib.nullcontext():
                cpu_before = process_cpu_seconds(pid)
                if knobs.use_wrk and concurrency > 1:
                    run = await unpaid_wrk(port, concurrency, knobs.unpaid_seconds)
                else:
                    run = await unpaid_asyncio(port, concurrency, knobs.unpaid_seconds)
                cpu_after = process_cpu_seconds(pid)
            if cpu_before is not None and cpu_after is not None and run["requests"]:
                run["server_cpu_ms_per_request"] = rounded((cpu_after - cpu_before) * 1000 / run["requests"], 4)
            runs[f"c{concurrency}"] = run
        runs["pss_mb"] = pss_mb(tree(pid))
    one, many = runs["c1"], runs[f"c{knobs.unpaid_concurrency}"]
    log(
        f"{name} unpaid #{rep + 1}: c=1 {one['rps']:,.0f} 402/s p50 {one['p50_ms']} ms; c={knobs.unpaid_concurrency} "
        f"{many['rps']:,.0f} 402/s p50 {many['p50_ms']} ms p99 {many['p99_ms']} ms, "
        f"{many.get('server_cpu_ms_per_request')} ms CPU and {many['bytes_per_answer']} bytes per 402"
    )
    return runs
