"""Benchmark of the free lane on a real server (embedded default). Prints and writes JSON.

    .venv/bin/python scripts/bench_service.py [--prompts 20] [--reps 3] [--poll-seconds 5] [--out FILE]

Measures, on a freshly started server in a temporary data directory:
- submit→done latency per tier (median and p95 over >= 20 prompts drawn from the recipe vocabulary), through the
  fast lane (the POST answers when the job is done, so the client sees the full latency);
- poll throughput at 32 concurrent keep-alive connections while generations run (wrk if installed, else a raw
  asyncio HTTP/1.1 client): requests/s and p50/p99 latency, median of --reps runs;
- memory of the service's whole process tree (server, engine processes, their fork server and resource tracker) as
  PSS, which splits the pages the engine processes share with their fork server among them: idle, after each
  tier's jobs, and the peak (sampled every 50 ms) while both engine processes build high-tier models; and the
  server process's own peak RSS.
Targets (2 cores, 2 engine processes): draft median <= 0.5 s, standard <= 1.5 s, high <= 5 s; polls >= 2,000/s,
p99 <= 50 ms; peak PSS of the tree <= 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.engines.local.recipes import RECIPES  # noqa: E402
from scripts.bench.x402.stats import pss_mb, tree  # noqa: E402
from tests.live import LiveServer  # noqa: E402

OBJECTS = list(RECIPES)  # every recipe of the embedded engine
WORDS = [
    "glazed ceramic",
    "iron-banded wood",
    "red",
    "golden",
    "stone",
    "blue glass",
    "oak",
    "rusty iron",
    "green",
    "marble",
    "silver",
    "copper",
    "white porcelain",
    "black",
    "purple crystal",
]
TARGETS = {
    "draft_median_s": 0.5,
    "standard_median_s": 1.5,
    "high_median_s": 5.0,
    "poll_rps": 2000,
    "poll_p99_ms": 50,
    "peak_pss_mb": 300,
}
ENGINE_PROCESSES = 2


def prompts(n: int) -> list[str]:
    return [f"a {WORDS[i % len(WORDS)]} {OBJECTS[(i * 7) % len(OBJECTS)]}" for i in range(n)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class RssSampler(threading.Thread):
    """Samples the memory of the server process (RSS) and of its whole process tree (PSS) every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_main = self.peak_tree = self.peak_tree_rss = 0
        self._halt = threading.Event()

    @staticmethod
    def _memory(pid: int, field: str) -> int:
        """`Rss:` or `Pss:` of one process in bytes. PSS splits pages shared between the engine processes (forked
        from one preloaded server) among them, so the tree's PSS sum is its real footprint; RSS would count
        each shared page once per process."""
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith(field):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _rss(self, pid: int) -> int:
        return self._memory(pid, "Rss:")

    def _pss(self, pid: int) -> int:
        return self._memory(pid, "Pss:")

    def tree_pss_mb(self) -> float | None:
        return pss_mb(tree(self.pid))

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak_main = max(self.peak_main, self._rss(self.pid))
            pids = tree(self.pid)
            self.peak_tree = max(self.peak_tree, sum(self._pss(p) for p in pids))
            self.peak_tree_rss = max(self.peak_tree_rss, sum(self._rss(p) for p in pids))
            time.sleep(0.05)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def latency_per_tier(url: str, n: int, memory: RssSampler) -> dict[str, dict[str, float]]:
    results = {}
    with httpx.Client(base_url=url, timeout=120) as http:
        http.post("/api/forge", json={"prompt": "a warm-up mug", "tier": "draft"})
        for tier in ("draft", "standard", "high"):
            times = []
            for prompt in prompts(n):
                t0 = time.perf_counter()
                answer = http.post("/api/forge", json={"prompt": prompt, "tier": tier, "seed": 1}).json()
                assert answer["status"] == "done", answer
                times.append(time.perf_counter() - t0)
            results[tier] = {
                "n": n,
                "median_s": round(statistics.median(times), 4),
                "p95_s": round(percentile(times, 0.95), 4),
                "max_s": round(max(times), 4),
                "tree_pss_mb_after": memory.tree_pss_mb(),
            }
    return results


def _wrk(url: str, path: str, seconds: float, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", url + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": ms("50"), "p99_ms": ms("99"), "errors": int(non2xx.group(1)) if non2xx else 0}


async def _raw_client(host: str, port: int, path: str, seconds: float, connections: int) -> dict[str, float]:
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def one() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            errors += not head.startswith(b"HTTP/1.1 200")
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(connections)))
    took = time.perf_counter() - t0
    return {
        "rps": len(latencies) / took,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": errors,
    }


def poll_throughput(url: str, reps: int, seconds: float, connections: int = 32) -> dict[str, object]:
    """Polls of a done job while every engine process builds high-tier models in the background."""
    with httpx.Client(base_url=url, timeout=120) as http:
        job_id = http.post("/api/forge", json={"prompt": "a teapot", "tier": "draft"}).json()["job_id"]
    stop = threading.Event()

    def keep_generating() -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            i = 0
            while not stop.is_set():
                http.post("/api/forge", json={"prompt": prompts(30)[i % 30], "tier": "high", "seed": i})
                i += 1

    generators = [threading.Thread(target=keep_generating, daemon=True) for _ in range(ENGINE_PROCESSES)]
    for generator in generators:
        generator.start()
    time.sleep(0.5)
    path = f"/api/forge?job={job_id}"
    runs = []
    tool = "wrk" if shutil.which("wrk") else "asyncio"
    for _ in range(reps):
        if tool == "wrk":
            runs.append(_wrk(url, path, seconds, connections))
        else:
            host, port = url.removeprefix("http://").split(":")
            runs.append(asyncio.run(_raw_client(host, int(port), path, seconds, connections)))
    stop.set()
    for generator in generators:
        generator.join()
    best = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    return {"tool": tool, "connections": connections, "seconds": seconds, "median_run": best, "runs": runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prompts", type=int, default=20)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--poll-seconds", type=float, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "service.json")
    args = parser.parse_args()
    # the tests' server settings (rate limits off), with two engine processes (a default server on 2 CPUs)
    env = {"FORGE402_FAST_LANE_MS": "30000", "FORGE402_ENGINE_WORKERS": str(ENGINE_PROCESSES)}
    with tempfile.TemporaryDirectory() as tmp, LiveServer(Path(tmp), env) as live:
        sampler = RssSampler(live.proc.pid)
        time.sleep(1.0)
        idle = sampler.tree_pss_mb()
        sampler.start()
        latency = latency_per_tier(live.url, args.prompts, sampler)
        polls = poll_throughput(live.url, args.reps, args.poll_seconds)
        sampler.stop()
    report = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "latency": latency,
        "polls": polls,
        "memory_mb": {
            "tree_pss_idle": idle,
            "tree_pss_after": {tier: result["tree_pss_mb_after"] for tier, result in latency.items()},
            "tree_pss_peak": round(sampler.peak_tree / 2**20, 1),
            "tree_rss_sum_peak": round(sampler.peak_tree_rss / 2**20, 1),
            "server_rss_peak": round(sampler.peak_main / 2**20, 1),
            "engine_processes": ENGINE_PROCESSES,
        },
        "targets": TARGETS,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
