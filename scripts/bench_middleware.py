"""CPU cost of the request middleware (request id + request counter) per request, in-process, and print JSON.

    .venv/bin/python scripts/bench_middleware.py [--requests 20000] [--runs 7]

The same Starlette app (one route answering a 402 like the paid lane's challenge) is called straight through ASGI,
without and with the middleware, in one thread; CPU time (time.process_time) per request, median of the runs. The
difference is what the middleware adds to every request, the 402 path included.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.http.clientip import parse_networks
from app.http.requestcount import RequestCounter
from app.http.requestid import RequestIds

BODY = {"x402Version": 1, "error": "Payment required", "accepts": [{"scheme": "exact", "network": "base-sepolia"}]}


async def challenge(request: Request) -> JSONResponse:
    return JSONResponse(BODY, status_code=402, headers={"PAYMENT-REQUIRED": "e30=", "Cache-Control": "no-store"})


def build(middleware: list[Middleware]) -> Starlette:
    return Starlette(routes=[Route("/api/x402/forge", challenge, methods=["POST"])], middleware=middleware)


def scope(headers: list[tuple[bytes, bytes]]) -> dict:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/x402/forge", "raw_path": b"/api/x402/forge", "query_string": b"", "root_path": "",
        "headers": headers, "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8402),
    }  # fmt: skip


async def drive(app: Starlette, requests: int, headers: list[tuple[bytes, bytes]]) -> float:
    """CPU seconds per request over `requests` calls."""

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        pass

    start = time.process_time()
    for _ in range(requests):
        await app(scope(list(headers)), receive, send)
    return (time.process_time() - start) / requests


def measure(app: Starlette, requests: int, runs: int, headers: list[tuple[bytes, bytes]]) -> float:
    asyncio.run(drive(app, requests // 10, headers))  # warm up
    return statistics.median(asyncio.run(drive(app, requests, headers)) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    args = parser.parse_args()
    plain = [(b"host", b"127.0.0.1:8402"), (b"content-type", b"application/json")]
    proxied = [*plain, (b"x-request-id", b"lb-7f3a9c")]
    cases = {
        "without": (build([]), plain),
        "with": (build([Middleware(RequestIds), Middleware(RequestCounter)]), plain),
        "with_trusted_proxy_id": (
            build([Middleware(RequestIds, trusted=parse_networks(["127.0.0.1"])), Middleware(RequestCounter)]),
            proxied,
        ),
    }
    us = {name: round(measure(app, args.requests, args.runs, hdrs) * 1e6, 2) for name, (app, hdrs) in cases.items()}
    result = {
        "cpu_us_per_request": us,
        "middleware_cpu_us": round(us["with"] - us["without"], 2),
        "middleware_cpu_us_trusted_proxy_id": round(us["with_trusted_proxy_id"] - us["without"], 2),
        "requests": args.requests,
        "runs": args.runs,
    }
    args.out.mkdir(exist_ok=True)
    (args.out / "middleware.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
