"""The run's results: medians and ratios, versions and machine, the JSON report and the printed tables."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.devnet.anvil import ANVIL_BIN
from scripts.bench.x402.knobs import (
    BODY,
    DRIVER_CPU,
    PAID_KEYS,
    PEER_DIR,
    PEER_PACKAGES,
    PY_PACKAGES,
    ROUTE,
    SERVER_CPU,
    TARGET_PAID_P50_MS,
    UNPAID_KEYS,
    Knobs,
)
from scripts.bench.x402.stats import median_of, rounded


def summarize(runs: Sequence[dict[str, Any]], keys: Sequence[str]) -> dict[str, Any]:
    return {key: median_of(runs, key) for key in keys}


def paid_median(runs: Sequence[dict[str, Any]], keys: Sequence[str] = PAID_KEYS) -> dict[str, Any]:
    median = summarize(runs, keys)
    median["ok"] = sum(r["ok"] for r in runs)
    median["sent"] = sum(r["sent"] for r in runs)
    median["exactly_once"] = all(r["chain"]["exactly_once"] for r in runs)
    return median


def server_result(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    unpaid = runs.pop("unpaid")
    return {
        "unpaid": {"runs": unpaid, "median": summarize(unpaid, UNPAID_KEYS)},
        "paid": {key: {"runs": batch, "median": paid_median(batch)} for key, batch in runs.items()},
    }


def ratio(results: dict[str, Any], path: Sequence[str]) -> float | None:
    def dig(name: str) -> float | None:
        node: Any = results.get(name, {})
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node

    ours, theirs = dig("forge402"), dig("reference")
    return rounded(ours / theirs, 3) if ours is not None and theirs else None


def command_version(cmd: Sequence[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else None


def versions(knobs: Knobs) -> dict[str, Any]:
    found: dict[str, Any] = {"python": platform.python_version()}
    for package in PY_PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[package] = importlib.metadata.version(package)
    found["node"] = command_version(["node", "--version"])
    found["anvil"] = command_version([str(ANVIL_BIN), "--version"])
    if knobs.use_wrk:
        found["wrk"] = command_version(["wrk", "-v"])
    for package in PEER_PACKAGES:
        manifest = PEER_DIR / "node_modules" / package / "package.json"
        if manifest.exists():
            found[f"npm:{package}"] = json.loads(manifest.read_text())["version"]
    return found


def machine(load_at_start: Sequence[float]) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")), None)
    mem_kb = next(
        (int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")), 0
    )
    return {
        "cpu_model": model or platform.processor(),
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "kernel": platform.release(),
        "platform": platform.platform(),
        "load_avg_at_start": [round(x, 2) for x in load_at_start],
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def cell(node: dict[str, Any] | None, key: str) -> str:
    value = (node or {}).get(key)
    return "-" if value is None else f"{value:,.1f}"


def print_table(results: dict[str, Any], knobs: Knobs, ratios: dict[str, Any]) -> None:
    header = f"{'server':<10} {f'402/s c={knobs.unpaid_concurrency}':>11} {'p50/p99 ms':>15}"
    header += "".join(f" {f'paid/s c={c}':>11} {'p50/p99 ms':>15}" for c in knobs.paid_concurrency)
    header += f" {'ok/sent':>11} {'exactly once':>13}"
    print("\nBase (eip155:84532, local anvil)\n" + header + "\n" + "-" * len(header))

    for name, result in results.items():
        if "error" in result:
            print(f"{name:<10} ERROR: {result['error']}")
            continue
        unpaid = result["unpaid"]["median"]
        row = f"{name:<10} {cell(unpaid, 'rps'):>11} {cell(unpaid, 'p50_ms') + ' / ' + cell(unpaid, 'p99_ms'):>15}"
        medians = [result["paid"][f"c{c}"]["median"] for c in knobs.paid_concurrency]
        for paid in medians:
            row += f" {cell(paid, 'paid_per_s'):>11} {cell(paid, 'p50_ms') + ' / ' + cell(paid, 'p99_ms'):>15}"
        ok_sent = f"{sum(m['ok'] for m in medians)}/{sum(m['sent'] for m in medians)}"
        print(row + f" {ok_sent:>11} {'yes' if all(m['exactly_once'] for m in medians) else 'NO':>13}")
    print(f"\nmedians of {knobs.reps} round(s); ratios forge402/reference: {json.dumps(ratios)}")


def print_solana_table(results: dict[str, Any], knobs: Knobs) -> None:
    header = f"{'server':<10}"
    header += "".join(
        f" {f'paid/s c={c}':>11} {'p50/p99 ms':>15} {'lamports/paid':>13}" for c in knobs.paid_concurrency
    )
    header += f" {'ok/sent':>11} {'exactly once':>13}"
    print("\nSolana (forge402 only; solana:EtWT... devnet, local LiteSVM)\n" + header + "\n" + "-" * len(header))
    for name, result in results.items():
        if "error" in result:
            print(f"{name:<10} ERROR: {result['error']}")
            continue
        row = f"{name:<10}"
        medians = [result["paid"][f"c{c}"]["median"] for c in knobs.paid_concurrency]
        for paid in medians:
            row += f" {cell(paid, 'paid_per_s'):>11} {cell(paid, 'p50_ms') + ' / ' + cell(paid, 'p99_ms'):>15}"
            row += f" {cell(paid, 'lamports_per_paid'):>13}"
        ok_sent = f"{sum(m['ok'] for m in medians)}/{sum(m['sent'] for m in medians)}"
        print(row + f" {ok_sent:>11} {'yes' if all(m['exactly_once'] for m in medians) else 'NO':>13}")
    print(f"\nmedians of {knobs.reps} round(s); no reference x402 server exists for Solana, so no ratios")


def assemble(
    knobs: Knobs, results: dict[str, Any], solana: dict[str, Any], started: float, load: Sequence[float]
) -> dict[str, Any]:
    ratios = {
        "unpaid_402_per_s": ratio(results, ("unpaid", "median", "rps")),
        **{
            f"paid_per_s_c{c}": ratio(results, ("paid", f"c{c}", "median", "paid_per_s"))
            for c in knobs.paid_concurrency
        },
    }
    forge_p50 = (results.get("forge402", {}).get("paid", {}).get("c1", {}).get("median") or {}).get("p50_ms")
    targets = {
        "unpaid_ratio_ge_1": None if ratios["unpaid_402_per_s"] is None else ratios["unpaid_402_per_s"] >= 1.0,
        **{
            f"paid_ratio_c{c}_ge_1": None if ratios[f"paid_per_s_c{c}"] is None else ratios[f"paid_per_s_c{c}"] >= 1.0
            for c in knobs.paid_concurrency
        },
        f"forge402_paid_p50_c1_le_{TARGET_PAID_P50_MS:g}_ms": None
        if forge_p50 is None
        else forge_p50 <= TARGET_PAID_P50_MS,
    }
    return {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "duration_s": round(time.monotonic() - started, 1),
        "route": f"POST {ROUTE}",
        "body": json.loads(BODY),
        "knobs": {**asdict(knobs), "output": str(knobs.output)},
        "method": {
            "unpaid": f"POST without payment, c={knobs.unpaid_concurrency}, {knobs.unpaid_seconds:g} s per run after "
            "a 1 s warm-up, each run on a fresh anvil + freshly started server, "
            + ("wrk -t1 + scripts/bench/post.lua" if knobs.use_wrk else "asyncio HTTP/1.1 keep-alive client"),
            "rounds": f"{knobs.reps} rounds; each gives every server one unpaid run and one paid batch per "
            "concurrency, servers interleaved in alternating order; medians over the rounds",
            "paid": f"{knobs.paid_n} pre-signed payments per batch (official Python x402Client), after "
            f"{knobs.paid_warmup} warm-up payments, each batch on a fresh anvil + freshly started server",
            "success": "2xx with PAYMENT-RESPONSE success=true",
            "pinning": f"server CPU {SERVER_CPU}, driver + anvil CPU {DRIVER_CPU}" if knobs.pin_cpus else "none",
            "forge402": f"FORGE402_ENGINE_WORKERS={knobs.engine_workers}; each paid call enqueues a draft 3D job",
            "reference": "express 5 + @x402/express paymentMiddleware + x402ResourceServer + in-process "
            "x402Facilitator, @x402/evm exact, viem wallet client with nonceManager",
            "solana": f"forge402 only (no reference x402 server exists for Solana), configured for Solana alone "
            f"(FORGE402_SVM_*) on a local LiteSVM devnet (app.devnet.litesvm, {knobs.svm_slot_ms} ms slots, a "
            f"blockhash valid 150 blocks); per batch a fresh devnet + freshly started server, {knobs.paid_warmup} "
            f"warm-up payments then {knobs.paid_n} timed, each group signed just before it (app.devnet.solana_payer: "
            "TransferChecked + memo, payer's signature only, one blockhash) outside the timed window; checked on "
            "chain: payTo USDC delta == payer USDC debit == successes x price, each success's transaction landed "
            "without error, payer SOL unchanged, fee payer SOL spent == the fees of those transactions",
        },
        "ratios_forge402_over_reference": ratios,
        "targets": targets,
        "servers": results,
        "solana": solana,
        "versions": versions(knobs),
        "machine": machine(load),
    }


def all_sound(results: dict[str, Any]) -> bool:
    """Every server benched, and every paid batch passed the exactly-once checks on chain."""
    return all(
        "error" not in result and all(c["median"]["exactly_once"] for c in result["paid"].values())
        for result in results.values()
    )
