"""Soak: forge402 under mixed load for a while, then the checks that say it holds up. Prints and writes JSON.

    .venv/bin/python scripts/soak.py                      # 10 minutes
    .venv/bin/python scripts/soak.py --seconds 60         # the CI mode (tests/test_soak.py)
    .venv/bin/python scripts/soak.py --strict-latency     # also fail when poll p99 is not stable

A real server (`forge402 serve`, one HTTP process, one engine process) on both local devnets (anvil for Base, LiteSVM
for Solana), and at once:
- free submits at the rate limit from many client addresses (X-Forwarded-For from a trusted proxy), one over the
  limit per address and window (429s);
- paid calls on both chains (Base: EIP-3009 signed here; Solana: a partially signed transfer), some sent twice;
- polls of the jobs (their latency is the figure watched), downloads of finished models and thumbnails;
- photo uploads (slot, PUT, GET);
- bad requests of many kinds (bad JSON, huge numbers, wrong types, odd link parameters, garbage payment headers,
  unknown paths, wrong methods, oversized bodies).
Every 5 s the server's RSS and PSS (its process, and with its engine process) and open file descriptors are read from
/proc. Then the load stops, the queue drains, and the checks run:
- no 500 at all; every other status as expected for what was sent;
- RSS and PSS flat within ±10 % after the warm-up (the first minute, or the first third of a short run);
- open file descriptors flat (±10 %, at least ±8) after the warm-up;
- every payment exactly once on chain: payTo's balance grew by exactly the distinct payments answered 202 times their
  price, on each chain, and every paid job is done;
- no job stuck: the queue is empty and every job accepted is done or failed;
- poll p99 of the last minute within 1.5 × that of the first + 5 ms (a timing: reported always, failing the run only
  with --strict-latency; a short run compares its first and last 15 s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.devnet.solana_payer import sign_svm_payment  # noqa: E402
from scripts.bench.x402.stats import children  # noqa: E402
from tests.devnet import evm_devnet_running  # noqa: E402
from tests.images import clean_photo, encode  # noqa: E402
from tests.live import LiveServer  # noqa: E402
from tests.paid import PAID, balance, paid_env, solana_env, svm_devnet_running, usdc, v2_payment  # noqa: E402

ADDRESSES = 24  # free-lane clients, each its own X-Forwarded-For address
GENERATE_LIMIT = 2  # generations per address and window (the server's FORGE402_RATE_LIMIT_GENERATE)
WINDOW_S = 60
POLLERS = 4
PAID_EVERY_S = 10.0  # per chain
SAMPLE_EVERY_S = 5.0
DRAIN_TIMEOUT_S = 300
OBJECTS = ["teapot", "lantern", "chair", "vase", "mug", "crate", "barrel", "bottle", "lamp", "bowl", "stool", "box"]
MATERIALS = ["brass", "oak", "glazed ceramic", "copper", "pine", "iron", "glass", "stone"]
DRAFT = {"tier": "draft"}


def prompt() -> str:
    return f"a {random.choice(MATERIALS)} {random.choice(OBJECTS)}"


@dataclass
class Run:
    started: float = field(default_factory=time.monotonic)
    statuses: Counter[str] = field(default_factory=Counter)  # "kind status" → count
    unexpected: list[str] = field(default_factory=list)
    polls: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, latency ms)
    samples: list[dict[str, float]] = field(default_factory=list)
    jobs: set[str] = field(default_factory=set)
    done_links: list[tuple[str, str]] = field(default_factory=list)
    paid: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def now(self) -> float:
        return time.monotonic() - self.started

    def saw(self, kind: str, answer: httpx.Response, expected: tuple[int, ...]) -> None:
        self.statuses[f"{kind} {answer.status_code}"] += 1
        if answer.status_code not in expected:
            self.unexpected.append(f"{kind} {answer.status_code}: {answer.text[:200]}")


async def pause(run: Run, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(run.stop.wait(), seconds)


# ---- the load ---------------------------------------------------------------------------------------------------


async def free_client(run: Run, http: httpx.AsyncClient, index: int) -> None:
    """One address: GENERATE_LIMIT submits a window, evenly spread, then one more that must be a 429."""
    address = f"198.51.100.{index + 1}"
    await pause(run, random.uniform(0, WINDOW_S / GENERATE_LIMIT))
    while not run.stop.is_set():
        for _ in range(GENERATE_LIMIT):
            tier = "standard" if random.random() < 0.1 else "draft"
            answer = await http.post("/api/forge", json={"prompt": prompt(), "tier": tier},
                                     headers={"X-Forwarded-For": address})  # fmt: skip
            run.saw("free", answer, (200, 202, 429))
            if answer.status_code in (200, 202):
                run.jobs.add(answer.json()["job_id"])
            await pause(run, WINDOW_S / (GENERATE_LIMIT + 1))
        over = await http.post("/api/forge", json={"prompt": prompt(), **DRAFT}, headers={"X-Forwarded-For": address})
        run.saw("free-over-limit", over, (429, 200, 202))  # 200/202 when the window turned meanwhile
        if over.status_code in (200, 202):
            run.jobs.add(over.json()["job_id"])
        await pause(run, WINDOW_S / (GENERATE_LIMIT + 1))


async def poller(run: Run, http: httpx.AsyncClient) -> None:
    while not run.stop.is_set():
        if not run.jobs:
            await pause(run, 0.2)
            continue
        job = random.choice(tuple(run.jobs))
        started = time.perf_counter()
        answer = await http.get("/api/forge", params={"job": job})
        run.polls.append((run.now(), (time.perf_counter() - started) * 1000))
        run.saw("poll", answer, (200,))
        body = answer.json()
        if body.get("status") == "done" and body.get("glb_url"):
            run.done_links.append((body["glb_url"], body["thumbnail_url"]))
            del run.done_links[:-200]
        await pause(run, 0.05)


async def downloader(run: Run, http: httpx.AsyncClient) -> None:
    while not run.stop.is_set():
        if run.done_links:
            glb, thumbnail = random.choice(run.done_links)
            run.saw("download", await http.get(glb), (200,))
            run.saw("thumbnail", await http.request("HEAD" if random.random() < 0.3 else "GET", thumbnail), (200,))
        await pause(run, 1.0)


async def uploader(run: Run, http: httpx.AsyncClient) -> None:
    photo = encode(clean_photo())
    while not run.stop.is_set():
        slot = await http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": len(photo)})
        run.saw("upload-slot", slot, (201,))
        if slot.status_code == 201:
            kept = await http.put(slot.json()["upload_url"], content=photo, headers=slot.json()["headers"])
            run.saw("upload-put", kept, (200,))
            if kept.status_code == 200:
                run.saw("upload-get", await http.get(kept.json()["public_url"]), (200,))
        await pause(run, 3.0)


async def payer(run: Run, http: httpx.AsyncClient, chain: str, sign: Any) -> None:
    """A paid call every PAID_EVERY_S on `chain`; one in four is sent twice (the same payment: the same job)."""
    await pause(run, random.uniform(0, PAID_EVERY_S))
    while not run.stop.is_set():
        body = {"prompt": prompt(), **DRAFT}
        required = await http.post(PAID, json=body)
        run.saw(f"paid-{chain}-402", required, (402,))
        accepted = next(r for r in decode(required.headers["payment-required"])["accepts"]
                        if r["network"].startswith("eip155:" if chain == "base" else "solana:"))  # fmt: skip
        header = await asyncio.to_thread(sign, accepted)
        answer = await http.post(PAID, json=body, headers={"PAYMENT-SIGNATURE": header}, timeout=120)
        run.saw(f"paid-{chain}", answer, (202,))
        if answer.status_code == 202:
            record = {"job": answer.json()["job_id"], "amount": int(accepted["amount"]), "header": header}
            run.paid[chain].append(record)
            run.jobs.add(record["job"])
            if random.random() < 0.25:
                again = await http.post(PAID, json=body, headers={"PAYMENT-SIGNATURE": header}, timeout=120)
                run.saw(f"paid-{chain}-resend", again, (202,))
                if again.status_code == 202 and again.json()["job_id"] != record["job"]:
                    run.unexpected.append(f"paid-{chain}: a resend got another job")
        await pause(run, PAID_EVERY_S)


def decode(value: str) -> dict[str, Any]:
    import base64

    return json.loads(base64.b64decode(value))


BAD = [
    ("POST", "/api/forge", b'{"prompt": "a teapot", "seed": ' + b"9" * 5000 + b"}", {}, (400,)),
    ("POST", "/api/forge", b"[" * 20000, {}, (400,)),
    ("POST", "/api/forge", b'{"prompt": "a teapot", "seed": "5"}', {}, (400,)),
    ("POST", "/api/forge", b'{"prompt": 12}', {}, (400,)),
    ("POST", "/api/forge", b"not json", {}, (400,)),
    ("POST", "/api/forge", b"x" * 100_000, {}, (413,)),
    ("POST", "/api/forge-upload", b'{"content_type": "image/gif", "size_bytes": 10}', {}, (400,)),
    ("GET", "/api/forge?job=job_nope", b"", {}, (404,)),
    ("GET", "/api/forge", b"", {}, (400,)),
    ("GET", "/files/job_" + "0" * 32 + "/model.glb?expires=%C2%B2&sig=00", b"", {}, (403,)),
    ("GET", "/files/job_" + "0" * 32 + "/model.glb?expires=1&sig=%C3%A9", b"", {}, (403, 404)),
    ("PUT", "/api/forge-upload/" + "a" * 24 + "?expires=1&sig=%C3%A9", b"x", {"content-type": "image/png"}, (403, 404)),
    ("POST", PAID, b'{"prompt": "a teapot"}', {"PAYMENT-SIGNATURE": "garbage!!"}, (400,)),
    ("POST", PAID, b'{"prompt": "a teapot"}', {"X-PAYMENT": "eyJ4NDAyVmVyc2lvbiI6IDN9"}, (400,)),
    ("POST", PAID, b"[" * 20000, {}, (402,)),
    ("GET", "/nowhere", b"", {}, (404,)),
    ("DELETE", "/api/forge", b"", {}, (405,)),
]


async def vandal(run: Run, http: httpx.AsyncClient) -> None:
    while not run.stop.is_set():
        method, path, body, headers, expected = random.choice(BAD)
        answer = await http.request(method, path, content=body,
                                    headers={"content-type": "application/json", **headers})  # fmt: skip
        run.saw(f"bad {method} {path[:24]}", answer, (*expected, 429))  # limits count before the body is read
        await pause(run, 0.5)


# ---- measuring the server -------------------------------------------------------------------------------------------


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process, KiB, from smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return fields["Rss"], fields["Pss"]


def sample(run: Run, pid: int) -> None:
    rss, pss = memory_kib(pid)
    total_rss, total_pss = rss, pss
    for child in children(pid):
        with contextlib.suppress(OSError, KeyError):
            child_rss, child_pss = memory_kib(child)
            total_rss, total_pss = total_rss + child_rss, total_pss + child_pss
    run.samples.append({
        "t": round(run.now(), 1), "rss_mib": rss / 1024, "pss_mib": pss / 1024, "rss_total_mib": total_rss / 1024,
        "pss_total_mib": total_pss / 1024, "fds": len(os.listdir(f"/proc/{pid}/fd")),
    })  # fmt: skip


async def sampler(run: Run, pid: int) -> None:
    while not run.stop.is_set():
        sample(run, pid)
        await pause(run, SAMPLE_EVERY_S)


async def load(url: str, pid: int, seconds: float, evm: Any, svm: Any) -> Run:
    run = Run()
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:

        def sign_base(accepted: dict[str, Any]) -> str:
            return v2_payment(evm, random.choice(evm.payers), accepted)

        def sign_solana(accepted: dict[str, Any]) -> str:
            return sign_svm_payment(svm, random.choice(svm.payers), accepted)

        tasks = [asyncio.create_task(free_client(run, http, i)) for i in range(ADDRESSES)]
        tasks += [asyncio.create_task(poller(run, http)) for _ in range(POLLERS)]
        others = (downloader(run, http), uploader(run, http), vandal(run, http), sampler(run, pid),
                  payer(run, http, "base", sign_base), payer(run, http, "solana", sign_solana))  # fmt: skip
        tasks += [asyncio.create_task(c) for c in others]
        await pause(run, seconds)
        run.stop.set()
        await asyncio.gather(*tasks)
        sample(run, pid)
        run.drained = await drain(http)  # type: ignore[attr-defined]
        run.final = await final_states(http, run)  # type: ignore[attr-defined]
    return run


async def drain(http: httpx.AsyncClient) -> dict[str, int]:
    """Wait for the queue to empty (bounded); what is left in it."""
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    jobs = {}
    while time.monotonic() < deadline:
        jobs = (await http.get("/healthz")).json()["jobs"]
        if jobs["queued"] == 0 and jobs["running"] == 0:
            break
        await asyncio.sleep(1)
    return jobs


async def final_states(http: httpx.AsyncClient, run: Run) -> Counter[str]:
    states: Counter[str] = Counter()
    for job in sorted(run.jobs):
        states[(await http.get("/api/forge", params={"job": job})).json()["status"]] += 1
    return states


# ---- the checks -------------------------------------------------------------------------------------------------


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else (values[0] if values else 0.0)


def flat(values: list[float], tolerance: float, floor: float = 0.0) -> tuple[bool, float]:
    """All values within ±tolerance (or ±floor, the larger) of their median; the largest deviation, relative."""
    if not values:
        return True, 0.0
    middle = statistics.median(values)
    worst = max(abs(v - middle) for v in values)
    return worst <= max(tolerance * middle, floor), worst / middle if middle else 0.0


def report(run: Run, seconds: float, chain_deltas: dict[str, int]) -> dict[str, Any]:
    warm = min(60.0, seconds / 3)
    after = [s for s in run.samples if warm <= s["t"] <= seconds]  # under load (the last sample is taken after it)
    bucket = 60.0 if seconds >= 180 else 15.0
    per_bucket: dict[int, list[float]] = defaultdict(list)
    for t, ms in run.polls:
        if t <= seconds:
            per_bucket[int(t // bucket)].append(ms)
    buckets = sorted(per_bucket)
    figures = [
        {"from_s": b * bucket, "polls": len(per_bucket[b]), "p50_ms": round(statistics.median(per_bucket[b]), 2),
         "p99_ms": round(p99(per_bucket[b]), 2),
         **{k: round(v, 1) for k, v in (max((s for s in run.samples if s["t"] < (b + 1) * bucket),
                                             key=lambda s: s["t"], default={}) or {}).items() if k != "t"}}
        for b in buckets
    ]  # fmt: skip
    first, last = (per_bucket[buckets[0]], per_bucket[buckets[-1]]) if buckets else ([], [])
    rss_ok, rss_dev = flat([s["rss_mib"] for s in after], 0.10)
    pss_ok, pss_dev = flat([s["pss_total_mib"] for s in after], 0.10)
    fds_ok, fds_dev = flat([s["fds"] for s in after], 0.10, floor=8)
    expected = {chain: sum(p["amount"] for p in payments) for chain, payments in run.paid.items()}
    paid_jobs = {p["job"] for payments in run.paid.values() for p in payments}
    final = run.final  # type: ignore[attr-defined]
    checks = {
        "no_500": not any(key.endswith(" 500") for key in run.statuses),
        "only_expected_statuses": not run.unexpected,
        "rss_flat_10pct": rss_ok,
        "pss_flat_10pct": pss_ok,
        "fds_flat": fds_ok,
        "payments_exactly_once": all(chain_deltas.get(c, 0) == expected.get(c, 0) for c in ("base", "solana"))
        and all(run.paid.get(c) for c in ("base", "solana")),
        "no_job_stuck": run.drained == {"queued": 0, "running": 0}  # type: ignore[attr-defined]
        and final.get("queued", 0) == 0 and final.get("running", 0) == 0,
        "poll_p99_stable": p99(last) <= 1.5 * p99(first) + 5.0,
    }
    return {
        "seconds": seconds,
        "warm_up_s": warm,
        "checks": checks,
        "per_interval": figures,
        "interval_s": bucket,
        "poll_p99_first_ms": round(p99(first), 2),
        "poll_p99_last_ms": round(p99(last), 2),
        "rss_max_deviation": round(rss_dev, 4),
        "pss_total_max_deviation": round(pss_dev, 4),
        "fds_max_deviation": round(fds_dev, 4),
        "payments": {
            c: {"count": len(p), "expected_atomics": expected.get(c, 0), "on_chain_atomics": chain_deltas.get(c, 0)}
            for c, p in run.paid.items()
        },
        "paid_jobs_done": sum(1 for _ in paid_jobs),
        "jobs": dict(final),
        "requests": dict(sorted(run.statuses.items())),
        "polls": len(run.polls),
        "unexpected": run.unexpected[:20],
        "samples": run.samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "soak.json")
    parser.add_argument("--strict-latency", action="store_true", help="fail the run when poll p99 is not stable")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="forge402-soak-") as tmp:
        base = Path(tmp)
        with evm_devnet_running(base / "evm") as evm, svm_devnet_running(base / "svm") as svm:
            env = {
                **paid_env(evm), **solana_env(svm),
                "FORGE402_TRUSTED_PROXIES": "127.0.0.1",
                "FORGE402_RATE_LIMIT_GENERATE": str(GENERATE_LIMIT),
                "FORGE402_RATE_LIMIT_WINDOW_SECONDS": str(WINDOW_S),
            }  # fmt: skip
            before = {"base": balance(evm, evm.pay_to), "solana": usdc(svm, svm.pay_to)}
            with LiveServer(base / "server", env) as live:
                run = asyncio.run(load(live.url, live.pid, args.seconds, evm, svm))
            after = {"base": balance(evm, evm.pay_to), "solana": usdc(svm, svm.pay_to)}
            deltas = {chain: after[chain] - before[chain] for chain in after}
    result = report(run, args.seconds, deltas)
    for row in result["per_interval"]:
        print(f"{row['from_s']:6.0f}s  polls {row['polls']:6d}  p50 {row['p50_ms']:7.2f} ms  p99 {row['p99_ms']:7.2f}"
              f"  RSS {row.get('rss_mib', 0):7.1f} MiB  PSS(all) {row.get('pss_total_mib', 0):7.1f} MiB"
              f"  fds {row.get('fds', 0):5.0f}")  # fmt: skip
    print(json.dumps({k: result[k] for k in ("checks", "payments", "jobs", "poll_p99_first_ms", "poll_p99_last_ms",
                                              "rss_max_deviation", "pss_total_max_deviation", "fds_max_deviation")},
                     indent=2))  # fmt: skip
    if result["unexpected"]:
        print("unexpected:", *result["unexpected"], sep="\n  ")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"wrote {args.out}")
    judged = {k: v for k, v in result["checks"].items() if k != "poll_p99_stable" or args.strict_latency}
    failed = [name for name, ok in judged.items() if not ok]
    if failed:
        print("FAILED:", ", ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
