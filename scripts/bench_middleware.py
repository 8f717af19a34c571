"""CPU cost of the HTTP edge's middleware per request, layer by layer: request id + request counter, CORS, body
timeout, and the whole stack as the app runs it. Prints a table and writes JSON.

    .venv/bin/python scripts/bench_middleware.py [--requests 5000] [--reps 21] [--out FILE]

Each request is one ASGI call, in-process (no socket, no HTTP parsing), of a route shaped like the unpaid 402: it
reads the JSON body and answers JSON with a PAYMENT-REQUIRED header. The same route is measured bare (Starlette
routing only) and behind each layer; the figures are process CPU microseconds per request (time.process_time, median
of --reps interleaved runs, so a busy moment of the machine touches every case alike) and each case's cost over the
bare route.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from starlette.applications import Starlette  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from app.http.clientip import parse_networks  # noqa: E402
from app.http.cors import cors_middleware  # noqa: E402
from app.http.requestcount import RequestCounter  # noqa: E402
from app.http.requestid import RequestIds  # noqa: E402
from app.http.timeouts import BodyTimeout  # noqa: E402

BODY = b'{"prompt":"a brass lantern","tier":"draft"}'
CHALLENGE = {"x402Version": 1, "error": "Payment required", "accepts": [{"scheme": "exact", "network": "base-sepolia"}]}
Headers = list[tuple[bytes, bytes]]
PLAIN: Headers = [(b"host", b"127.0.0.1:8402"), (b"content-type", b"application/json"), (b"content-length", b"44")]
WITH_ORIGIN: Headers = [*PLAIN, (b"origin", b"https://app.example")]
PROXIED: Headers = [*PLAIN, (b"x-request-id", b"lb-7f3a9c")]  # an id a trusted proxy set, kept as is


async def challenge(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse(CHALLENGE, status_code=402, headers={"PAYMENT-REQUIRED": "e30=", "Cache-Control": "no-store"})


def build(layers: list[Middleware]) -> Starlette:
    return Starlette(routes=[Route("/api/x402/forge", challenge, methods=["POST"])], middleware=layers)


def scope(headers: Headers) -> dict:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/x402/forge", "raw_path": b"/api/x402/forge", "query_string": b"", "root_path": "",
        "headers": list(headers), "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8402),
    }  # fmt: skip


async def run(app: Starlette, headers: Headers, n: int) -> float:
    """CPU microseconds per request over `n` requests."""

    async def receive() -> dict:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 402

    for _ in range(200):  # warm-up
        await app(scope(headers), receive, send)
    start = time.process_time()
    for _ in range(n):
        await app(scope(headers), receive, send)
    return (time.process_time() - start) / n * 1e6


def cases() -> dict[str, tuple[Starlette, Headers]]:
    ids = [Middleware(RequestIds), Middleware(RequestCounter)]
    trusted_ids = [Middleware(RequestIds, trusted=parse_networks(["127.0.0.1"])), Middleware(RequestCounter)]
    timeout = Middleware(BodyTimeout, seconds=60)
    cors = cors_middleware(["*"])
    return {
        "bare": (build([]), PLAIN),
        "request_id+count": (build(ids), PLAIN),
        "request_id+count, trusted proxy's id": (build(trusted_ids), PROXIED),
        "body_timeout": (build([timeout]), PLAIN),
        "cors+body_timeout, no Origin": (build([*cors, timeout]), PLAIN),
        "cors+body_timeout, with Origin": (build([*cors, timeout]), WITH_ORIGIN),
        "whole stack, with Origin": (build([*ids, *cors, timeout]), WITH_ORIGIN),  # as app.application builds it
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--reps", type=int, default=21)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "middleware.json")
    args = parser.parse_args()
    measured = cases()
    runs: dict[str, list[float]] = {name: [] for name in measured}
    for _ in range(args.reps):  # interleaved
        for name, (app, headers) in measured.items():
            runs[name].append(asyncio.run(run(app, headers, args.requests)))
    results = {name: round(statistics.median(values), 2) for name, values in runs.items()}
    bare = results["bare"]
    report = {
        "cpu_us_per_request": results,
        "added_us_over_bare": {k: round(v - bare, 2) for k, v in results.items() if k != "bare"},
        "requests": args.requests,
        "reps": args.reps,
    }
    for name, value in results.items():
        print(f"{name:38s} {value:8.2f} µs CPU/request   (+{value - bare:.2f})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
