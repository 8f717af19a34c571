"""The run's results: medians per server, the issue's table (forge402 beside the best official stack, the ratio and
the target), versions and machine, the JSON report and the printed tables."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.devnet.anvil import ANVIL_BIN
from scripts.bench.x402.knobs import (
    BODY,
    DRIVER_CPU,
    OFFICIAL,
    PAID_KEYS,
    PEER_DIR,
    PEER_PACKAGES,
    PY_PACKAGES,
    PY_PEER_DIR,
    ROUTE,
    SERVER_CPU,
    UNPAID_KEYS,
    Knobs,
)
from scripts.bench.x402.stats import median_of, rounded


def summarize(runs: Sequence[dict[str, Any]], keys: Sequence[str]) -> dict[str, Any]:
    return {key: median_of(runs, key) for key in keys}


def paid_median(runs: Sequence[dict[str, Any]], keys: Sequence[str] = PAID_KEYS) -> dict[str, Any]:
    median = summarize(runs, (*keys, "pss_mb"))
    median["ok"] = sum(r["ok"] for r in runs)
    median["sent"] = sum(r["sent"] for r in runs)
    median["exactly_once"] = all(r["chain"]["exactly_once"] for r in runs)
    return median


def server_result(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    unpaid = runs.pop("unpaid", None)
    if unpaid:
        out["unpaid"] = {
            "runs": unpaid,
            "median": {
                key: summarize([run[key] for run in unpaid], UNPAID_KEYS) for key in unpaid[0] if key.startswith("c")
            },
            "pss_mb": median_of(unpaid, "pss_mb"),
        }
    glb = runs.pop("glb", None)
    if glb:
        out["glb"] = {
            "runs": glb,
            "median": {
                lane: summarize([run[lane] for run in glb], ("after_payment_s_median", "total_s_median"))
                for lane in ("idle", "saturated")
            },
        }
    out["paid"] = {key: {"runs": batch, "median": paid_median(batch)} for key, batch in runs.items()}
    return out


def dig(node: Any, *path: str) -> Any:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def best_official(results: dict[str, Any], path: Sequence[str], better: Callable[..., Any]) -> tuple[Any, str | None]:
    """The best value among the official stacks (max or min) and which stack has it."""
    found = [(dig(results.get(name), *path), name) for name in OFFICIAL if name in results]
    found = [(value, name) for value, name in found if value is not None]
    if not found:
        return None, None
    return better(found, key=lambda pair: pair[0])


@dataclass(frozen=True)
class Measure:
    """One row of the table: where the figure is in a server's result, which official value is best (max or min),
    the target, and whether forge402 meets it (given its value, the ratio, and its own result)."""

    name: str
    path: tuple[str, ...]
    best: Callable[..., Any]
    target: str
    met: Callable[[float, float | None, dict[str, Any]], bool]
    also: tuple[str, ...] = ()  # a second figure of forge402's shown beside the first (a p50 or p99)


def measures(c: int) -> list[Measure]:
    def p99_ms(forge: dict[str, Any]) -> float:
        return dig(forge, "unpaid", "median", f"c{c}", "p99_ms") or float("inf")

    def p50_ms(forge: dict[str, Any]) -> float:
        return dig(forge, "paid", "c1", "median", "p50_ms") or float("inf")

    unpaid, paid = ("unpaid", "median", f"c{c}"), ("paid", "c1", "median")
    return [
        Measure("unpaid 402/s, c=1", ("unpaid", "median", "c1", "rps"), max, ">= 1.5x",
                lambda ours, ratio, forge: ratio is not None and ratio >= 1.5),
        Measure(f"unpaid 402/s, c={c} (p99 ms)", (*unpaid, "rps"), max, ">= 1.5x, p99 <= 5 ms",
                lambda ours, ratio, forge: ratio is not None and ratio >= 1.5 and p99_ms(forge) <= 5,
                (*unpaid, "p99_ms")),
        Measure("server CPU per 402 (ms)", (*unpaid, "server_cpu_ms_per_request"), min, "<= 0.08 ms",
                lambda ours, ratio, forge: ours <= 0.08),
        Measure("bytes per 402 answer", (*unpaid, "bytes_per_answer"), min, "as small as spec-complete allows",
                lambda ours, ratio, forge: True),
        Measure("paid/s, c=1 (p50 ms)", (*paid, "paid_per_s"), max, "p50 <= 4 ms",
                lambda ours, ratio, forge: p50_ms(forge) <= 4, (*paid, "p50_ms")),
        Measure("paid/s, c=8", ("paid", "c8", "median", "paid_per_s"), max, ">= 3x",
                lambda ours, ratio, forge: ratio is not None and ratio >= 3),
        Measure("server CPU per paid call (ms, c=1)", (*paid, "server_cpu_ms_per_paid"), min, "<= 3 ms",
                lambda ours, ratio, forge: ours <= 3),
        Measure("JSON-RPC calls per paid call (EVM)", (*paid, "rpc_calls_per_paid"), min, "<= 3",
                lambda ours, ratio, forge: ours <= 3),
        Measure("gas per settlement", (*paid, "gas_per_settlement"), min, "(reported)",
                lambda ours, ratio, forge: True),
        Measure("PSS after the paid batch (MB, process tree)", (*paid, "pss_mb"), min,
                "<= 300 MB peak, 2 engines (bench_service)", lambda ours, ratio, forge: ours <= 300),
    ]  # fmt: skip


def table(results: dict[str, Any], knobs: Knobs) -> list[dict[str, Any]]:
    """The issue's table: one row per measure, forge402 beside the best official stack, ratio, target, met."""
    forge = results.get("forge402", {})
    rows: list[dict[str, Any]] = []
    for m in measures(knobs.unpaid_concurrency):
        ours = dig(forge, *m.path)
        theirs, who = best_official(results, m.path, m.best)
        ratio = rounded(ours / theirs, 2) if ours is not None and theirs else None
        rows.append({
            "measure": m.name, "forge402": ours, "forge402_also": dig(forge, *m.also) if m.also else None,
            "best_official": theirs, "official_stack": who, "ratio": ratio, "target": m.target,
            "met": None if ours is None else bool(m.met(ours, ratio, forge)),
        })  # fmt: skip
    idle = dig(forge, "glb", "median", "idle", "after_payment_s_median")
    saturated = dig(forge, "glb", "median", "saturated", "after_payment_s_median")
    if idle is not None or saturated is not None:
        rows.append({
            "measure": "paid draft job done after payment (s): idle (flooded)", "forge402": idle,
            "forge402_also": saturated, "best_official": None, "official_stack": None, "ratio": None,
            "target": "<= 2 s + its build time, however full the free lane",
            "met": None if idle is None or saturated is None else saturated <= idle + 2.0,
        })  # fmt: skip
    return rows


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
    peer_python = PY_PEER_DIR / "bin" / "python"
    if peer_python.exists():
        found["peer-py"] = command_version([str(peer_python), "-c", "import importlib.metadata as m; print(' '.join("
                                            "f'{p}=={m.version(p)}' for p in ('x402', 'fastapi', 'uvicorn', "
                                            "'coincurve', 'web3')))"])  # fmt: skip
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


def cell(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return f"{value:,.{digits}f}" if isinstance(value, float | int) else str(value)


def print_table(rows: list[dict[str, Any]], knobs: Knobs) -> None:
    print(f"\nBase (eip155:84532, local anvil), medians of {knobs.reps} round(s)")
    header = f"{'measure':<52} {'forge402':>16} {'best official':>14} {'stack':<21} {'ratio':>6}  {'met':<4} target"
    print(header + "\n" + "-" * len(header))
    for r in rows:
        digits = 3 if r["forge402"] is not None and r["forge402"] < 1 else 1
        ours = cell(r["forge402"], digits) + (f" ({cell(r['forge402_also'], 2)})" if r["forge402_also"] else "")
        print(f"{r['measure']:<52} {ours:>16} {cell(r['best_official'], digits):>14} {r['official_stack'] or '-':<21} "
              f"{cell(r['ratio'], 2):>6}  {cell(r['met']):<4} {r['target']}")  # fmt: skip


def print_servers(results: dict[str, Any], knobs: Knobs) -> None:
    c = knobs.unpaid_concurrency
    header = f"{'server':<21} {'402/s c=1':>10} {f'402/s c={c}':>10} {'p99 ms':>7} {'CPU ms/402':>10} {'B/402':>6} "
    header += f"{'paid/s c=1':>10} {'p50 ms':>7} {'paid/s c=8':>10} {'CPU ms/paid':>11} {'RPC/paid':>8} {'gas':>7}"
    header += f" {'PSS MB':>7} {'exactly once':>12}"
    print("\nPer server\n" + header + "\n" + "-" * len(header))
    for name, result in results.items():
        if "error" in result:
            print(f"{name:<21} ERROR: {result['error']}")
            continue
        u1, uc = dig(result, "unpaid", "median", "c1") or {}, dig(result, "unpaid", "median", f"c{c}") or {}
        p1, p8 = dig(result, "paid", "c1", "median") or {}, dig(result, "paid", "c8", "median") or {}
        exactly = all(dig(b, "median", "exactly_once") for b in result.get("paid", {}).values())
        cells = [
            (u1.get("rps"), 0, 10), (uc.get("rps"), 0, 10), (uc.get("p99_ms"), 2, 7),
            (uc.get("server_cpu_ms_per_request"), 3, 10), (uc.get("bytes_per_answer"), 0, 6),
            (p1.get("paid_per_s"), 1, 10), (p1.get("p50_ms"), 1, 7), (p8.get("paid_per_s"), 1, 10),
            (p1.get("server_cpu_ms_per_paid"), 2, 11), (p1.get("rpc_calls_per_paid"), 1, 8),
            (p1.get("gas_per_settlement"), 0, 7), (p1.get("pss_mb"), 0, 7), (exactly, 0, 12),
        ]  # fmt: skip
        print(f"{name:<21} " + " ".join(f"{cell(value, digits):>{width}}" for value, digits, width in cells))


def print_profiles(results: dict[str, Any], top: int = 12) -> None:
    """forge402's profiles (--profile), from its first round: own and inclusive shares of the top frames."""
    forge = results.get("forge402", {})
    runs = [*(dig(forge, "unpaid", "runs") or [])[:1], *(dig(forge, "paid", "c1", "runs") or [])[:1]]
    for run in runs:
        for label, profile in run.items():
            if (
                not label.startswith(("unpaid-c", "paid-c"))
                or not isinstance(profile, dict)
                or "own_percent" not in profile
            ):
                continue
            print(f"\nforge402 profile, {label} ({profile['samples']} samples): own | inclusive")
            for (own_pct, own), (inc_pct, inc) in zip(
                profile["own_percent"][:top], profile["inclusive_percent"][:top], strict=False
            ):
                print(f"  {own_pct:5.1f}% {own[:60]:<60} | {inc_pct:5.1f}% {inc[:60]}")


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
            latency = cell(paid.get("p50_ms")) + " / " + cell(paid.get("p99_ms"))
            row += f" {cell(paid.get('paid_per_s')):>11} {latency:>15}"
            row += f" {cell(paid.get('lamports_per_paid')):>13}"
        ok_sent = f"{sum(m['ok'] for m in medians)}/{sum(m['sent'] for m in medians)}"
        print(row + f" {ok_sent:>11} {'yes' if all(m['exactly_once'] for m in medians) else 'NO':>13}")
    print(f"\nmedians of {knobs.reps} round(s); no official x402 server exists for Solana to set beside it")


def assemble(
    knobs: Knobs, results: dict[str, Any], solana: dict[str, Any], started: float, load: Sequence[float]
) -> dict[str, Any]:
    return {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "duration_s": round(time.monotonic() - started, 1),
        "route": f"POST {ROUTE}",
        "body": json.loads(BODY),
        "knobs": {**asdict(knobs), "output": str(knobs.output)},
        "method": {
            "unpaid": f"POST without payment after a 1 s warm-up: c=1 with an asyncio HTTP/1.1 keep-alive client, "
            f"c={knobs.unpaid_concurrency} with "
            + ("wrk -t1 + scripts/bench/post.lua" if knobs.use_wrk else "the asyncio client")
            + f", {knobs.unpaid_seconds:g} s each, on a fresh anvil + freshly started server; server CPU per answer "
            "from /proc (the server process); bytes per answer = status line + headers + body",
            "rounds": f"{knobs.reps} rounds; each gives every server one unpaid session (the express nonceManager "
            "variant only paid ones: its 402 path is express's) and one paid batch per concurrency, servers in "
            "alternating order; medians over the rounds",
            "paid": f"{knobs.paid_n} payments per batch pre-signed with the official Python x402Client, after "
            f"{knobs.paid_warmup} warm-up payments, each batch on a fresh anvil + freshly started server; server CPU "
            "per paid call from /proc (the server process; forge402's engine processes build the jobs apart); "
            "JSON-RPC calls per paid call counted in anvil's log; gas from the settlements' receipts; PSS of the "
            "server's whole process tree after the batch",
            "success": "2xx with PAYMENT-RESPONSE success=true",
            "pinning": f"server CPU {SERVER_CPU}, driver + anvil + wrk CPU {DRIVER_CPU}" if knobs.pin_cpus else "none",
            "forge402": f"FORGE402_ENGINE_WORKERS={knobs.engine_workers}; each paid call queues a draft 3D job",
            "official": "express 5 + @x402/express paymentMiddleware + x402ResourceServer + in-process "
            "x402Facilitator (@x402/evm exact on a viem wallet client; with and without viem's nonceManager); "
            "FastAPI + x402 PaymentMiddlewareASGI + in-process async x402Facilitator (FacilitatorWeb3Signer, "
            "coincurve as eth_keys' backend)",
            "time_to_glb": f"forge402: {knobs.glb_jobs} paid draft jobs polled to done with the free lane idle, then "
            f"{knobs.glb_jobs} more after {knobs.flood} free high-tier POSTs sent at once",
        },
        "table": table(results, knobs),
        "servers": results,
        "solana": solana,
        "versions": versions(knobs),
        "machine": machine(load),
    }


def all_sound(results: dict[str, Any]) -> bool:
    """Every server benched, and every paid batch passed the exactly-once checks on chain."""
    return all(
        "error" not in result and all(c["median"]["exactly_once"] for c in result.get("paid", {}).values())
        for result in results.values()
    )
