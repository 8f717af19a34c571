"""Per-client rate limits at the edge: `@limited("generate", "generations")` counts a request against its bucket
before the route runs (429 when over) and puts the X-RateLimit-* headers on the route's answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import Response

from app.http.context import address, services
from app.http.errors import rate_limit_headers
from app.services.accounts import Principal

Handler = Callable[[Request], Awaitable[Response]]
KeyHandler = Callable[[Request, Principal], Awaitable[Response]]


def limited(bucket: str, what: str) -> Callable[[Handler], Handler]:
    """`what` names the requests in the 429's message ("Too many generations from your address")."""

    def wrap(handler: Handler) -> Handler:
        @wraps(handler)
        async def route(request: Request) -> Response:
            decision = await services(request).limiter.check(bucket, address(request), what)
            response = await handler(request)
            if decision is not None:
                response.headers.update(rate_limit_headers(decision.limit, decision.remaining, decision.reset_at))
            return response

        return route

    return wrap


def key_limited(handler: KeyHandler) -> KeyHandler:
    """The limit of a request made with a wallet's credentials: per API key (a session: per wallet), bucket `key`."""

    @wraps(handler)
    async def route(request: Request, principal: Principal) -> Response:
        client = principal.key_id or f"session:{principal.address}"
        decision = await services(request).limiter.check("key", client, "requests with this key")
        response = await handler(request, principal)
        if decision is not None:
            response.headers.update(rate_limit_headers(decision.limit, decision.remaining, decision.reset_at))
        return response

    return route
