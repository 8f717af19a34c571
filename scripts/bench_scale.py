"""Beyond one process, measured: paid calls/s, free submissions/s and server CPU per call (per process) for 1 and 2
API processes (`serve --no-engine --workers N`) on PostgreSQL, against a Base devnet that mines each transaction at
once and one that mines a block every second; exactly-once checked after every run (payTo received exactly the
price of each accepted payment, the facilitator sent exactly one transaction per payment, each answered with its own
job). Zero refused valid payments is required in every run. Then the issue's own measurement, rerun: 48 valid
payments, 8 at a time, on `serve --workers 2` with SQLite and one-second blocks, six times.

    .venv/bin/python scripts/bench_scale.py            # ~6 min on 2 cores
    .venv/bin/python scripts/bench_scale.py --quick    # smoke run

Prints a table and writes bench-results/scale.json (medians of --reps runs). The load generator, PostgreSQL and anvil
share the machine's cores with the servers; their CPU per run is reported too, to say what capped the scaling.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.devnet.anvil import EvmDevnet, usdc_balance
from scripts.bench.x402.paid import send_paid
from scripts.bench.x402.stats import percentile, process_cpu_seconds, rounded, tree
from scripts.bench.x402.wire import HttpConnection, build_post
from tests import backends
from tests.backends import Backend
from tests.devnet import evm_devnet_running, mining_every_second
from tests.live import ROOT, LiveServer
from tests.paid import facilitator_nonce, paid_env, v2_payment
from tests.postgres import start_cluster

OUTPUT = ROOT / "bench-results" / "scale.json"
BODY = {"prompt": "a wooden crate", "tier": "draft"}
FREE_ROUTE = "/api/forge"
SERVER_ENV = {"FORGE402_FAST_LANE_MS": "0", "FORGE402_PAYMENT_FAILURES_PER_ADDRESS": "0"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cpu_of(pids: list[int]) -> dict[int, float]:
    return {pid: cpu for pid in pids if (cpu := process_cpu_seconds(pid)) is not None}


def postgres_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def api_processes(server: LiveServer) -> list[int]:
    """The processes that answer HTTP: uvicorn's worker processes, or the server itself with one worker."""
    everyone = tree(server.pid)
    python = [p for p in everyone if "app.cli" in _cmdline(p) or "multiprocessing" in _cmdline(p)]
    workers = [p for p in python if p != server.pid and "resource_tracker" not in _cmdline(p)]
    return workers or [server.pid]


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return ""


async def send_free(port: int, count: int, concurrency: int) -> tuple[list[int], float]:
    """`count` free-lane submissions, `concurrency` connections; their statuses and the wall time."""
    statuses: list[int] = []
    queue = iter(range(count))
    body = json.dumps(BODY).encode()

    async def worker() -> None:
        conn = HttpConnection(port)
        for _ in queue:
            try:
                statuses.append((await conn.request(build_post(port, FREE_ROUTE, body, {}))).status)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                statuses.append(0)
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return statuses, time.perf_counter() - started


@contextlib.contextmanager
def api_server(backend: Backend, devnet: EvmDevnet, processes: int, label: str) -> Iterator[LiveServer]:
    backends.use(backend)
    data = Path(tempfile.mkdtemp(prefix=f"bench-scale-{label}-"))
    env = {**paid_env(devnet), **SERVER_ENV}
    log_path = ROOT / ".bench" / "logs" / f"scale-{label}.log"
    with LiveServer(data, env, workers=processes, args=("--no-engine",), log_path=log_path) as server:
        yield server


def paid_run(server: LiveServer, devnet: EvmDevnet, payments: int, concurrency: int) -> dict[str, Any]:
    import httpx

    with httpx.Client(base_url=server.url, timeout=30) as http:
        accepted = json.loads(__import__("base64").b64decode(http.post("/api/x402/forge", json=BODY).headers[
            "payment-required"]))["accepts"][0]  # fmt: skip
    headers = [v2_payment(devnet, devnet.payers[i % len(devnet.payers)], accepted) for i in range(payments)]
    price = int(accepted["amount"])
    balance_before = asyncio.run(usdc_balance(devnet.rpc_url, devnet.pay_to))
    nonce_before = facilitator_nonce(devnet)
    workers = api_processes(server)
    cpu_before, pg_before = cpu_of(workers), cpu_of(postgres_pids())
    load_before = resource.getrusage(resource.RUSAGE_SELF)
    records, elapsed = asyncio.run(send_paid(server.port, headers, concurrency))
    load_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_after, pg_after = cpu_of(workers), cpu_of(postgres_pids())
    balance_after = asyncio.run(usdc_balance(devnet.rpc_url, devnet.pay_to))
    nonce_after = facilitator_nonce(devnet)
    ok = [r for r in records if r.ok]
    per_process = {pid: (cpu_after.get(pid, 0) - cpu_before.get(pid, 0)) for pid in workers}
    return {
        "sent": len(records),
        "accepted": len(ok),
        "refused": sorted({r.reason or "" for r in records if not r.ok}),
        "calls_per_s": rounded(len(ok) / elapsed),
        "latency_ms_p50": rounded(percentile([r.seconds * 1000 for r in ok], 50)),
        "latency_ms_p95": rounded(percentile([r.seconds * 1000 for r in ok], 95)),
        "server_cpu_ms_per_call": rounded(sum(per_process.values()) * 1000 / max(len(ok), 1)),
        "server_cpu_ms_per_call_per_process": [rounded(v * 1000 / max(len(ok), 1)) for v in per_process.values()],
        "postgres_cpu_ms_per_call": rounded(
            sum(pg_after.get(p, 0) - pg_before.get(p, 0) for p in pg_after) * 1000 / max(len(ok), 1)
        ),
        "load_generator_cpu_ms_per_call": rounded(
            (load_after.ru_utime + load_after.ru_stime - load_before.ru_utime - load_before.ru_stime)
            * 1000
            / max(len(ok), 1)
        ),
        "exactly_once": balance_after - balance_before == len(ok) * price and nonce_after - nonce_before == len(ok),
    }


def free_run(server: LiveServer, count: int, concurrency: int) -> dict[str, Any]:
    workers = api_processes(server)
    before = cpu_of(workers)
    statuses, elapsed = asyncio.run(send_free(server.port, count, concurrency))
    after = cpu_of(workers)
    accepted = statuses.count(202) + statuses.count(200)
    cpu = sum(after.get(p, 0) - before.get(p, 0) for p in workers)
    return {
        "sent": count,
        "accepted": accepted,
        "jobs_per_s": rounded(accepted / elapsed),
        "server_cpu_ms_per_call": rounded(cpu * 1000 / max(accepted, 1)),
    }


def median_run(runs: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {k: rounded(statistics.median([r[k] for r in runs if r[k] is not None])) for k in keys}
    out["runs"] = runs
    return out


PAID_KEYS = ("calls_per_s", "latency_ms_p50", "latency_ms_p95", "server_cpu_ms_per_call", "postgres_cpu_ms_per_call",
             "load_generator_cpu_ms_per_call")  # fmt: skip
FREE_KEYS = ("jobs_per_s", "server_cpu_ms_per_call")


def scaling(args: argparse.Namespace, backend: Backend, devnet: EvmDevnet, mode: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for processes in (1, 2):
        paid_runs, free_runs = [], []
        for rep in range(args.reps):
            label = f"{mode}-{processes}p-{rep}"
            with api_server(backend, devnet, processes, label) as server:
                asyncio.run(send_free(server.port, 8, 4))  # warm every process
                paid = paid_run(server, devnet, args.payments, args.concurrency)
                free = free_run(server, args.free, args.concurrency)
            log(f"[{mode}] {processes} process(es), run {rep + 1}: paid {paid['accepted']}/{paid['sent']} "
                f"{paid['calls_per_s']}/s cpu {paid['server_cpu_ms_per_call']} ms/call, exactly once: "
                f"{paid['exactly_once']}; free {free['jobs_per_s']}/s")  # fmt: skip
            paid_runs.append(paid)
            free_runs.append(free)
        result[f"{processes}_process"] = {
            "paid": median_run(paid_runs, PAID_KEYS),
            "free": median_run(free_runs, FREE_KEYS),
        }
    one, two = result["1_process"], result["2_process"]
    result["paid_scaling"] = rounded(two["paid"]["calls_per_s"] / one["paid"]["calls_per_s"])
    result["free_scaling"] = rounded(two["free"]["jobs_per_s"] / one["free"]["jobs_per_s"])
    return result


def rerun_48(args: argparse.Namespace, devnet: EvmDevnet) -> list[dict[str, Any]]:
    """The issue's measurement on main, rerun: serve --workers 2 (SQLite), one-second blocks, 48 payments at c=8."""
    backends.use(backends.SQLITE)
    runs = []
    for rep in range(args.rerun_runs):
        data = Path(tempfile.mkdtemp(prefix="bench-scale-rerun-"))
        log_path = ROOT / ".bench" / "logs" / f"scale-rerun-{rep}.log"
        env = {**paid_env(devnet), **SERVER_ENV}
        with LiveServer(data, env, workers=2, log_path=log_path) as server, mining_every_second(devnet):
            run = paid_run(server, devnet, 48, 8)
        log(f"[rerun 48] run {rep + 1}: {run['accepted']}/48 accepted, exactly once: {run['exactly_once']}")
        runs.append({k: run[k] for k in ("sent", "accepted", "refused", "calls_per_s", "exactly_once")})
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one short run of each (a smoke test)")
    parser.add_argument("--payments", type=int, default=200, help="paid calls per run")
    parser.add_argument("--free", type=int, default=400, help="free submissions per run")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--rerun-runs", type=int, default=6)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if args.quick:
        args.payments, args.free, args.reps, args.rerun_runs = 48, 64, 1, 1
    cluster = start_cluster()
    backend = Backend("postgres", cluster)
    results: dict[str, Any] = {"cpus": os.cpu_count(), "payments": args.payments, "concurrency": args.concurrency}
    try:
        with evm_devnet_running(Path(tempfile.mkdtemp(prefix="bench-scale-chain-"))) as devnet:
            results["instant_mining"] = scaling(args, backend, devnet, "instant")
            with mining_every_second(devnet):
                results["one_second_blocks"] = scaling(args, backend, devnet, "1s-blocks")
            results["rerun_48_sqlite_workers_2"] = rerun_48(args, devnet)
    finally:
        cluster.stop()
    ok = all(
        run["accepted"] == run["sent"] and run["exactly_once"]
        for mode in ("instant_mining", "one_second_blocks")
        for procs in ("1_process", "2_process")
        for run in results[mode][procs]["paid"]["runs"]
    ) and all(run["accepted"] == 48 and run["exactly_once"] for run in results["rerun_48_sqlite_workers_2"])
    results["every_valid_payment_accepted_exactly_once"] = ok
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2))
    print_table(results)
    return 0 if ok else 1


def print_table(results: dict[str, Any]) -> None:
    print(f"{'chain':<18}{'API procs':>10}{'paid/s':>9}{'p50 ms':>9}{'cpu ms/call':>13}{'pg ms/call':>12}"
          f"{'free/s':>9}")  # fmt: skip
    for mode in ("instant_mining", "one_second_blocks"):
        for procs in ("1_process", "2_process"):
            paid, free = results[mode][procs]["paid"], results[mode][procs]["free"]
            cpu, pg = paid["server_cpu_ms_per_call"], paid["postgres_cpu_ms_per_call"]
            print(f"{mode:<18}{procs[0]:>10}{paid['calls_per_s']:>9}{paid['latency_ms_p50']:>9}{cpu:>13}{pg:>12}"
                  f"{free['jobs_per_s']:>9}")  # fmt: skip
        print(f"{'':<18}{'scaling':>10}{results[mode]['paid_scaling']:>9}{'':>9}{'':>13}{'':>12}"
              f"{results[mode]['free_scaling']:>9}")  # fmt: skip
    reruns = results["rerun_48_sqlite_workers_2"]
    print("serve --workers 2 (SQLite), 1 s blocks, 48 payments at c=8:", [r["accepted"] for r in reruns])
    print("every valid payment accepted, exactly once:", results["every_valid_payment_accepted_exactly_once"])


if __name__ == "__main__":
    sys.exit(main())
