"""The challenge a protected resource answers with: a 402 whose PaymentRequired offers no payment (`accepts: []`,
sign-in only) and declares the extension as the official SDK's server does: `extensions["sign-in-with-x"]` with
`info` (domain, uri, version, nonce, issuedAt, expirationTime, statement, resources), `supportedChains` and the
JSON `schema` of the proof. The SDK's client hooks act on exactly this."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from payments.siwx.models import SIGN_IN_WITH_X, SupportedChain

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "domain": {"type": "string"},
        "address": {"type": "string"},
        "statement": {"type": "string"},
        "uri": {"type": "string", "format": "uri"},
        "version": {"type": "string"},
        "chainId": {"type": "string"},
        "type": {"type": "string"},
        "nonce": {"type": "string"},
        "issuedAt": {"type": "string", "format": "date-time"},
        "expirationTime": {"type": "string", "format": "date-time"},
        "notBefore": {"type": "string", "format": "date-time"},
        "requestId": {"type": "string"},
        "resources": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "signature": {"type": "string"},
    },
    "required": ["domain", "address", "uri", "version", "chainId", "type", "nonce", "issuedAt", "signature"],
}


def rfc3339(ts: float) -> str:
    """UTC, milliseconds, 'Z' (as JavaScript's toISOString writes it; EIP-4361 takes RFC 3339)."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def challenge_extension(
    *,
    origin: str,
    path: str,
    chains: list[SupportedChain],
    nonce: str,
    now: float,
    ttl_seconds: int,
    statement: str | None = None,
) -> dict[str, Any]:
    """The extension's declaration for one challenge: bound to `origin` (scheme://host[:port]) and the resource at
    `path`, valid `ttl_seconds` from `now`."""
    uri = origin.rstrip("/") + path
    info: dict[str, Any] = {
        "domain": urlsplit(origin).netloc,
        "uri": uri,
        "version": "1",
        "nonce": nonce,
        "issuedAt": rfc3339(now),
        "expirationTime": rfc3339(now + ttl_seconds),
        "resources": [uri],
    }
    if statement:
        info["statement"] = statement
    return {
        "info": info,
        "supportedChains": [c.model_dump(by_alias=True) for c in chains],
        "schema": SCHEMA,
    }


def payment_required(resource_url: str, description: str, extension: dict[str, Any], error: str) -> dict[str, Any]:
    """The PaymentRequired (x402 v2) of a sign-in challenge: no payment accepted, only the extension."""
    return {
        "x402Version": 2,
        "error": error,
        "resource": {"url": resource_url, "description": description, "mimeType": "application/json"},
        "accepts": [],
        "extensions": {SIGN_IN_WITH_X: extension},
    }
