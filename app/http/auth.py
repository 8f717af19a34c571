"""Who a request comes from, at the edge: a wallet signing in now (SIGN-IN-WITH-X: the answer carries its new
session token in X-Forge-Session), or a bearer token (a session token, or an f402_ API key). `@signed_in` wraps a
route that needs a wallet: without one it answers 402 with a sign-in challenge (`answer_sign_in`), which the
official SDK's sign-in-with-x client hooks act on."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.errors import SignInRequired, Unavailable
from app.http.context import caller, services
from app.services import accounts
from app.services.accounts import Principal
from payments.codec import encode_header
from payments.siwx import SIWX_HEADER

SESSION_HEADER = "X-Forge-Session"
CHALLENGE_HEADERS = {
    "Cache-Control": "no-store",
    "Access-Control-Expose-Headers": f"PAYMENT-REQUIRED, {SESSION_HEADER}",
    "WWW-Authenticate": 'Bearer realm="forge402", error="sign_in_required"',
}

SignedInHandler = Callable[[Request, Principal], Awaitable[Response]]


async def principal_of(request: Request) -> Principal | None:
    """The wallet behind the request, if it says: a sign-in proof (its session token is kept on `request.state` for
    the answer) or a bearer token. None when it sends neither."""
    svc = services(request)
    proof = request.headers.get(SIWX_HEADER)
    if proof is not None:
        principal, token = await accounts.sign_in(svc, caller(request), proof)
        request.state.session_token = token
        return principal
    token = accounts.bearer(request.headers.get("authorization"))
    return None if token is None else await accounts.authenticate(svc, token)


def with_session(request: Request, response: Response) -> Response:
    """The new session token on the answer to a request that signed in."""
    token = getattr(request.state, "session_token", None)
    if token is not None:
        response.headers[SESSION_HEADER] = token
        response.headers["Access-Control-Expose-Headers"] = SESSION_HEADER
    return response


def signed_in(handler: SignedInHandler) -> Callable[[Request], Awaitable[Response]]:
    """A route for a signed-in wallet: `handler(request, principal)`; 402 with a sign-in challenge without one."""

    @wraps(handler)
    async def route(request: Request) -> Response:
        principal = await principal_of(request)
        if principal is None:
            raise SignInRequired("sign_in_required", "Sign in with your wallet (sign-in-with-x), or send a bearer "
                                 "token: a session token or an f402_ API key.")  # fmt: skip
        return with_session(request, await handler(request, principal))

    return route


async def answer_sign_in(request: Request, exc: Exception) -> Response:
    """SignInRequired → 402 with the challenge in PAYMENT-REQUIRED (base64) and in the body, `error` saying why."""
    assert isinstance(exc, SignInRequired)
    try:
        required = accounts.challenge(services(request), caller(request), request.url.path, exc.code)
    except Unavailable as unavailable:
        return JSONResponse({"error": unavailable.code, "message": unavailable.message}, status_code=503)
    headers = {**CHALLENGE_HEADERS, "PAYMENT-REQUIRED": encode_header(required)}
    body = {**required, "message": exc.message}
    return Response(json.dumps(body), status_code=402, headers=headers, media_type="application/json")


async def free_or_credits(
    request: Request, free: Callable[[Request], Awaitable[Response]], paid: SignedInHandler
) -> Response:
    """A route of the free lane that a wallet's credentials turn into a credit-paid one."""
    principal = await principal_of(request)
    if principal is None:
        return await free(request)
    return with_session(request, await paid(request, principal))
