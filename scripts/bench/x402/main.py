"""Rounds of every phase, interleaved across servers, and the entry point (`scripts/bench_x402.py`)."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Sequence
from typing import Any

from scripts.bench.x402.glb import glb_phase
from scripts.bench.x402.knobs import DRIVER_CPU, LOG_DIR, PAID_KEYS, PAID_ONLY, WORK_DIR, Knobs, parse_knobs
from scripts.bench.x402.paid import paid_phase
from scripts.bench.x402.report import (
    all_sound,
    assemble,
    paid_median,
    print_profiles,
    print_servers,
    print_solana_table,
    print_table,
    server_result,
)
from scripts.bench.x402.servers import ensure_python_peer_installed, ensure_reference_installed
from scripts.bench.x402.solana import svm_paid_phase
from scripts.bench.x402.stats import log
from scripts.bench.x402.unpaid import unpaid_phase


async def run(knobs: Knobs) -> tuple[dict[str, Any], dict[str, Any]]:
    """`reps` rounds; in each, every server gets one unpaid run and one paid batch per concurrency on Base, then
    forge402 one paid batch per concurrency on Solana. Returns (Base results, Solana results) by server.

    Interleaving the servers round by round (in alternating order) spreads the drift of a shared machine over both.
    """
    base_servers = knobs.servers if "base" in knobs.chains else ()
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {name: {} for name in base_servers}
    svm_runs: dict[str, dict[str, list[dict[str, Any]]]] = {name: {} for name in knobs.solana_servers}
    errors: dict[str, str] = {}
    svm_errors: dict[str, str] = {}
    for rep in range(knobs.reps):
        for name in base_servers if rep % 2 == 0 else base_servers[::-1]:
            if name in errors:
                continue
            try:
                if name not in PAID_ONLY:
                    runs[name].setdefault("unpaid", []).append(await unpaid_phase(name, knobs, rep))
                for c in knobs.paid_concurrency:
                    runs[name].setdefault(f"c{c}", []).append(await paid_phase(name, knobs, c, rep))
                if name == "forge402" and knobs.glb_jobs:
                    runs[name].setdefault("glb", []).append(await glb_phase(knobs, rep))
            except Exception as exc:
                log(f"{name}: dropped ({exc})")
                errors[name] = str(exc)
        for name in knobs.solana_servers:
            if name in svm_errors:
                continue
            try:
                for c in knobs.paid_concurrency:
                    svm_runs[name].setdefault(f"c{c}", []).append(await svm_paid_phase(knobs, c, rep))
            except Exception as exc:
                log(f"{name} solana: dropped ({exc})")
                svm_errors[name] = str(exc)
    base = {name: {"error": errors[name]} if name in errors else server_result(runs[name]) for name in base_servers}
    solana = {
        name: {"error": svm_errors[name]}
        if name in svm_errors
        else {
            "paid": {
                key: {"runs": batch, "median": paid_median(batch, (*PAID_KEYS, "lamports_per_paid"))}
                for key, batch in svm_runs[name].items()
            }
        }
        for name in knobs.solana_servers
    }
    return base, solana


async def main_async(knobs: Knobs) -> int:
    started, load = time.monotonic(), os.getloadavg()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    if LOG_DIR.is_dir():
        for old in LOG_DIR.glob("*.log"):
            old.unlink()
    if knobs.pin_cpus:
        os.sched_setaffinity(0, {DRIVER_CPU})  # anvil (our child) inherits it; servers are re-pinned to CPU 0
    if "base" in knobs.chains and any(name.startswith("express") for name in knobs.servers):
        ensure_reference_installed()
    if "base" in knobs.chains and "fastapi-coincurve" in knobs.servers:
        ensure_python_peer_installed()
    log(
        f"chains {','.join(knobs.chains)}; servers {','.join(knobs.servers)} (Solana: "
        f"{','.join(knobs.solana_servers) or 'none'}); unpaid via {'wrk' if knobs.use_wrk else 'asyncio'}; "
        f"{knobs.reps} round(s)"
    )
    results, solana = await run(knobs)
    report = assemble(knobs, results, solana, started, load)
    knobs.output.parent.mkdir(parents=True, exist_ok=True)
    knobs.output.write_text(json.dumps(report, indent=2) + "\n")
    if results:
        print_servers(results, knobs)
        print_table(report["table"], knobs)
        if knobs.profile:
            print_profiles(results)
    if solana:
        print_solana_table(solana, knobs)
    log(f"wrote {knobs.output} in {report['duration_s']} s")
    return 0 if all_sound(results) and all_sound(solana) else 1


def main(argv: Sequence[str] | None = None) -> int:
    knobs = parse_knobs(argv)
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main_async(knobs))
    return uvloop.run(main_async(knobs))
