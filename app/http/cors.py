"""Cross-origin access for browser apps (CORS): which origins may call the API, and which headers they may send and
read, so a web page on another origin can ask for a model and pay for it.

Starlette's CORSMiddleware does the work (simple requests and preflights); here is only what forge402 allows, and a
fast way past it for requests without an `Origin` header (agents, scripts, curl: most of the paid lane's traffic),
which CORS does not concern. The API is public and never uses cookies, so credentials are never allowed and `*` is
a safe default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.engines.providers.keys import KEY_HEADER

METHODS = ("GET", "HEAD", "POST", "PUT", "OPTIONS")
# what a browser app sends beyond the safelisted headers: JSON and image bodies, both x402 payment headers, a key
ALLOWED_HEADERS = ("Content-Type", "PAYMENT-SIGNATURE", "X-PAYMENT", KEY_HEADER)
# what it must be able to read: the x402 challenge and receipts, when to come back, its rate-limit budget
EXPOSED_HEADERS = (
    "PAYMENT-REQUIRED",
    "PAYMENT-RESPONSE",
    "X-PAYMENT-RESPONSE",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
)
PREFLIGHT_MAX_AGE_SECONDS = 600


class Cors(CORSMiddleware):
    """Starlette's CORS, with two fast paths measured on the unpaid 402 (scripts/bench_middleware.py): a request
    without an `Origin` goes straight on (Starlette parses every header to look for it, ~3.5 µs here; a scan of the
    raw names costs a tenth), and with any origin allowed a simple request gets the same two headers Starlette would
    add, as raw bytes. Preflights, and simple requests when only some origins are allowed, are Starlette's."""

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        super().__init__(app, **options)
        self._simple_raw = [(k.lower().encode(), v.encode()) for k, v in self.simple_headers.items()]
        self._simple_names = {name for name, _ in self._simple_raw}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        for name, _ in scope["headers"]:
            if name == b"origin":
                break
        else:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" or not self.allow_all_origins:
            await super().__call__(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [h for h in message.get("headers", ()) if h[0].lower() not in self._simple_names]
                message["headers"] = kept + self._simple_raw
            await send(message)

        await self.app(scope, receive, send_with_cors)


def cors_middleware(origins: Sequence[str]) -> list[Middleware]:
    """The CORS layer for `origins` (`*` for any); none when no origin is allowed."""
    if not origins:
        return []
    return [
        Middleware(
            Cors,
            allow_origins=list(origins),
            allow_methods=METHODS,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            allow_credentials=False,
            max_age=PREFLIGHT_MAX_AGE_SECONDS,
        )
    ]
