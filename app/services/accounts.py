"""Accounts as the services see them: who is signed in (`Principal`), signing in with a wallet (sign-in-with-x, for
a session token), bearer credentials (a session token or an API key), and an account's API keys.

A session is the wallet itself: every scope, and it alone manages keys. An API key acts for its wallet within its
scopes (`generate`: spend credits on generations; `read`: the wallet's jobs and balance) and its spend cap."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from app.errors import Conflict, Forbidden, Invalid, NotFound, SignInRequired, Unauthorized, Unavailable
from app.schemas import KeyRequest
from app.services.caller import Caller
from app.services.container import Services
from app.services.sessions import Session, is_session_token
from payments.siwx import (
    SiwxRejected,
    SupportedChain,
    challenge_extension,
    parse_header,
    payment_required,
    supported_chain,
    verify_proof,
)
from payments.siwx.errors import NONCE_USED

KEY_PREFIX = "f402_"
KEY_SCOPES = ("generate", "read")
SESSION_SCOPES = frozenset({*KEY_SCOPES, "keys"})
PREFIX_CHARS = 12  # "f402_" and 7 characters of the secret: enough to tell keys apart, nothing to guess from
STATEMENT = "Sign in to forge402 with this wallet: your paid jobs, API keys and credits."


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in wallet, through a session or one of its API keys."""

    address: str
    via: Literal["session", "key"]
    scopes: frozenset[str] = SESSION_SCOPES
    key_id: str | None = None
    spend_cap: int | None = None
    session: Session | None = field(default=None, repr=False)

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            what = "a signed-in session (API keys cannot manage keys)" if scope == "keys" else f"the '{scope}' scope"
            raise Forbidden("insufficient_scope", f"This needs {what}.", scope=scope)


# ---- sign-in ------------------------------------------------------------------------------------------------------


def sign_in_origin(svc: Services, caller: Caller) -> str:
    """The origin sign-in messages are bound to: the public URL. Without one, the request's own origin (a client
    chooses the Host header it sends, so a production server must name its public URL)."""
    if svc.settings.public_url:
        parts = urlsplit(svc.settings.public_url)
        return f"{parts.scheme}://{parts.netloc}"
    if svc.settings.production:
        raise Unavailable("sign_in_unavailable", "Sign-in needs FORGE402_PUBLIC_URL on a production server.")
    parts = urlsplit(caller.base_url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in_chains(svc: Services) -> list[SupportedChain]:
    """The chains a wallet may sign in on: the configured Base and Solana networks."""
    return [supported_chain(svc.settings.evm_network), supported_chain(svc.settings.svm_network)]


def challenge(svc: Services, caller: Caller, path: str, error: str) -> dict[str, Any]:
    """The PaymentRequired of a sign-in challenge for the resource at `path`: no payment, the sign-in-with-x
    extension with a fresh nonce (nothing is stored for it)."""
    origin = sign_in_origin(svc, caller)
    now = time.time()
    extension = challenge_extension(
        origin=origin,
        path=path,
        chains=sign_in_chains(svc),
        nonce=svc.nonces.issue(now),
        now=now,
        ttl_seconds=svc.settings.siwx_challenge_seconds,
        statement=STATEMENT,
    )
    description = "Sign in with the wallet you pay from (sign-in-with-x): no payment is asked."
    return payment_required(origin + path, description, extension, error)


async def sign_in(svc: Services, caller: Caller, header: str) -> tuple[Principal, str]:
    """A SIGN-IN-WITH-X proof → the wallet's principal and a new session token; SignInRequired saying why not."""
    now = time.time()
    try:
        proof = verify_proof(
            parse_header(header),
            origin=sign_in_origin(svc, caller),
            chains=sign_in_chains(svc),
            nonces=svc.nonces,
            now=now,
            max_age_seconds=svc.settings.siwx_challenge_seconds,
        )
    except SiwxRejected as exc:
        raise SignInRequired(exc.reason, f"Sign-in refused: {exc.message}.") from None
    if not await svc.store.siwx_nonces.use(proof.nonce, proof.address, now, proof.nonce_expires_at):
        raise SignInRequired(NONCE_USED, "Sign-in refused: this nonce was used already; sign a new one.")
    token, session = svc.sessions.issue(proof.address, proof.chain_id, now)
    return Principal(proof.address, "session", session=session), token


# ---- bearer credentials ---------------------------------------------------------------------------------------------


def bearer(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None without one; Unauthorized when malformed."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 2048:
        raise Unauthorized("invalid_authorization", "Send Authorization: Bearer <session token or f402_ API key>.")
    return token.strip()


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def authenticate(svc: Services, token: str) -> Principal:
    """The principal a bearer token stands for. A session token that expired or is not ours is SignInRequired (sign
    in again); an API key that is unknown, revoked or expired is Unauthorized."""
    now = time.time()
    if is_session_token(token):
        session = svc.sessions.read(token, now)
        if session is None:
            raise SignInRequired("session_expired", "The session has expired or is not valid; sign in again.")
        return Principal(session.address, "session", session=session)
    if not token.startswith(KEY_PREFIX):
        raise Unauthorized("invalid_token", "The bearer token is neither a session token nor an f402_ API key.")
    digest = key_hash(token)
    row = await svc.store.api_keys.by_hash(digest)
    if row is None or not hmac.compare_digest(row["key_hash"], digest):
        raise Unauthorized("invalid_api_key", "This API key is not known here.")
    if row["revoked_at"] is not None:
        raise Unauthorized("api_key_revoked", "This API key was revoked; create another one.")
    if row["expires_at"] is not None and row["expires_at"] <= now:
        raise Unauthorized("api_key_expired", "This API key has expired; create another one.")
    await svc.store.api_keys.touch(row["id"], now)
    scopes = frozenset(row["scopes"].split(","))
    return Principal(row["address"], "key", scopes, row["id"], row["spend_cap"])


# ---- API keys ------------------------------------------------------------------------------------------------------


def key_state(row: dict[str, Any], now: float) -> str:
    if row["revoked_at"] is not None:
        return "revoked"
    if row["expires_at"] is not None and row["expires_at"] <= now:
        return "expired"
    return "active"


async def create_key(svc: Services, principal: Principal, body: KeyRequest) -> tuple[str, dict[str, Any]]:
    """A new key for the wallet: (the key, shown once; its row). 256 random bits after the prefix."""
    principal.require("keys")
    now = time.time()
    expires_at = body.expires_at.timestamp() if body.expires_at is not None else None
    if expires_at is not None and expires_at <= now:
        raise Invalid("invalid_field", "expires_at must be in the future.", fields=["expires_at"])
    live = [k for k in await svc.store.api_keys.of_account(principal.address) if key_state(k, now) == "active"]
    if len(live) >= svc.settings.api_keys_per_account:
        raise Conflict("too_many_keys", f"A wallet holds at most {svc.settings.api_keys_per_account} live keys; "
                       "revoke one first.")  # fmt: skip
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = {
        "id": "key_" + secrets.token_hex(8),
        "address": principal.address,
        "name": body.name,
        "prefix": key[:PREFIX_CHARS],
        "key_hash": key_hash(key),
        "scopes": ",".join(s for s in KEY_SCOPES if s in body.scopes),
        "spend_cap": body.spend_cap,
        "created_at": now,
        "expires_at": expires_at,
        "revoked_at": None,
        "last_used_at": None,
    }
    await svc.store.api_keys.create(row)
    row.pop("key_hash")
    return key, row


async def list_keys(svc: Services, principal: Principal) -> list[dict[str, Any]]:
    """The wallet's keys (newest first), each with what it has spent."""
    principal.require("keys")
    rows = await svc.store.api_keys.of_account(principal.address)
    for row in rows:
        row["spent"] = await svc.store.credits.key_spent(row["id"])
    return rows


async def revoke_key(svc: Services, principal: Principal, key_id: str) -> dict[str, Any]:
    """Revoke one of the wallet's keys (again: no change); NotFound for a key of another wallet or none."""
    principal.require("keys")
    row = await svc.store.api_keys.revoke(key_id[:80], principal.address, time.time())
    if row is None:
        raise NotFound("key_not_found", f"No key '{key_id[:80]}' on this wallet.")
    row["spent"] = await svc.store.credits.key_spent(row["id"])
    return row
