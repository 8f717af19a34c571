"""What a run measures and how: the route, the servers and chains, the knobs (flags or BENCH_X402_* variables),
paths."""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scripts.bench.x402
from tests.live import ROOT

BENCH_SRC = ROOT / "scripts" / "bench"
WORK_DIR = ROOT / ".bench"
PEER_DIR = WORK_DIR / "peer"  # the official TypeScript stack (npm ci of scripts/bench/package*.json)
PY_PEER_DIR = WORK_DIR / "peer-py"  # the official Python stack (a venv of scripts/bench/peer_requirements.txt)
LOG_DIR = WORK_DIR / "logs"
DEFAULT_OUTPUT = ROOT / "bench-results" / "x402.json"

ROUTE = "/api/x402/forge"
BODY = b'{"prompt": "a wooden crate", "tier": "draft"}'
# forge402 and the official stacks: express as the official example wires it (no nonce manager) and with viem's
# nonceManager, FastAPI with coincurve. The 402 path is the same with or without a nonce manager: that variant only
# runs the paid phases.
SERVERS = ("forge402", "express", "express-noncemanager", "fastapi-coincurve")
OFFICIAL = SERVERS[1:]
PAID_ONLY = ("express-noncemanager",)
CHAINS = ("base", "solana")
SOLANA_SERVERS = ("forge402",)  # no reference x402 server exists for Solana
PEER_FILES = ("package.json", "package-lock.json")
PEER_PACKAGES = ("express", "@x402/express", "@x402/core", "@x402/evm", "viem")
PY_PACKAGES = (
    "forge402",
    "x402",
    "web3",
    "eth-account",
    "coincurve",
    "solders",
    "httpx",
    "starlette",
    "uvicorn",
    "uvloop",
)

SERVER_CPU = 0
DRIVER_CPU = 1
START_TIMEOUT_S = 90.0
STOP_GRACE_S = 10.0
REQUEST_TIMEOUT_S = 60.0
PAID_BATCH_MAX_S = 180.0
UNPAID_KEYS = ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_request", "bytes_per_answer")
PAID_KEYS = ("paid_per_s", "p50_ms", "p99_ms", "server_cpu_ms_per_paid", "rpc_calls_per_paid", "gas_per_settlement")
SVM_SLOT_MS = 400  # the devnet's default, mainnet's pace


@dataclass(frozen=True)
class Knobs:
    servers: tuple[str, ...]
    chains: tuple[str, ...]
    reps: int
    unpaid_seconds: float
    unpaid_concurrency: int
    paid_n: int
    paid_warmup: int
    paid_concurrency: tuple[int, ...]
    use_wrk: bool
    pin_cpus: bool
    engine_workers: int
    svm_slot_ms: int
    glb_jobs: int
    flood: int
    profile: bool
    output: Path

    @property
    def solana_servers(self) -> tuple[str, ...]:
        return tuple(s for s in self.servers if s in SOLANA_SERVERS) if "solana" in self.chains else ()


def parse_knobs(argv: Sequence[str] | None) -> Knobs:
    """Flags, with BENCH_X402_* environment variables as defaults; --quick shrinks everything for a smoke run."""
    env = os.environ.get
    usage = scripts.bench.x402.__doc__
    parser = argparse.ArgumentParser(description=usage, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", default=env("BENCH_X402_SERVERS", ",".join(SERVERS)))
    parser.add_argument(
        "--chains", default=env("BENCH_X402_CHAINS", ",".join(CHAINS)), help="base, solana or both (default)"
    )
    parser.add_argument("--quick", action="store_true", default=env("BENCH_X402_QUICK") == "1")
    parser.add_argument("--reps", type=int, default=None, help="rounds, i.e. runs per metric (default 3; --quick 1)")
    parser.add_argument("--unpaid-seconds", type=float, default=None, help="per unpaid run (default 5; --quick 2)")
    parser.add_argument("--paid-n", type=int, default=None, help="payments per paid batch (default 200; --quick 40)")
    parser.add_argument("--paid-warmup", type=int, default=None, help="untimed payments first (default 20; --quick 8)")
    parser.add_argument("--no-wrk", action="store_true", help="use the asyncio client even when wrk is on PATH")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server / driver to CPUs 0 / 1")
    parser.add_argument("--engine-workers", type=int, default=2, help="forge402's FORGE402_ENGINE_WORKERS")
    parser.add_argument("--svm-slot-ms", type=int, default=SVM_SLOT_MS, help="the Solana devnet's slot length")
    parser.add_argument("--glb-jobs", type=int, default=None, help="paid draft jobs timed to their GLB (default 5)")
    parser.add_argument("--flood", type=int, default=None, help="free high-tier jobs that saturate the free lane")
    parser.add_argument("--profile", action="store_true", help="py-spy forge402 during unpaid c=32 and paid c=1")
    parser.add_argument("--output", type=Path, default=Path(env("BENCH_X402_OUTPUT", str(DEFAULT_OUTPUT))))
    args = parser.parse_args(argv)
    servers = tuple(s.strip() for s in args.servers.split(",") if s.strip())
    if not servers or any(s not in SERVERS for s in servers):
        parser.error(f"--servers takes a comma-separated subset of {','.join(SERVERS)}")
    chains = tuple(c.strip() for c in args.chains.split(",") if c.strip())
    if not chains or any(c not in CHAINS for c in chains):
        parser.error(f"--chains takes a comma-separated subset of {','.join(CHAINS)}")
    if chains == ("solana",) and not any(s in SOLANA_SERVERS for s in servers):
        parser.error("only forge402 is benched on Solana: add it to --servers")

    def pick(value: Any, name: str, full: Any, quick: Any, cast: Callable[[str], Any]) -> Any:
        if value is not None:
            return value
        return cast(env(name)) if env(name) else (quick if args.quick else full)

    return Knobs(
        servers=servers,
        chains=tuple(c for c in CHAINS if c in chains),
        reps=pick(args.reps, "BENCH_X402_REPS", 3, 1, int),
        unpaid_seconds=pick(args.unpaid_seconds, "BENCH_X402_UNPAID_S", 5.0, 2.0, float),
        unpaid_concurrency=32,
        paid_n=pick(args.paid_n, "BENCH_X402_PAID_N", 200, 40, int),
        paid_warmup=pick(args.paid_warmup, "BENCH_X402_PAID_WARMUP", 20, 8, int),
        paid_concurrency=(1, 8),
        use_wrk=not args.no_wrk and shutil.which("wrk") is not None,
        pin_cpus=not args.no_pin and (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity"),
        engine_workers=args.engine_workers,
        svm_slot_ms=args.svm_slot_ms,
        glb_jobs=pick(args.glb_jobs, "BENCH_X402_GLB_JOBS", 5, 2, int),
        flood=pick(args.flood, "BENCH_X402_FLOOD", 120, 30, int),
        profile=args.profile,
        output=args.output,
    )
