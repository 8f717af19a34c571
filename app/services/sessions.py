"""Session tokens: what a wallet gets once it has signed in, sent back as `Authorization: Bearer <token>`. Signed
(HMAC-SHA256 with a key derived from the service's secret) and expiring; nothing is stored, so any worker process
checks any token. `s1.<base64url JSON {sub, chain, iat, exp}>.<base64url mac>`: never `f402_…` (API keys)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass

PREFIX = "s1."


@dataclass(frozen=True, slots=True)
class Session:
    address: str
    chain_id: str  # the chain the wallet signed in on
    expires_at: int


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Signs with the current key; `previous` (keys rotated out) still verify the sessions they signed."""

    def __init__(self, key: bytes, ttl_seconds: int, previous: Sequence[bytes] = ()) -> None:
        self._keys = [hashlib.sha256(b"forge402 sessions\x00" + k).digest() for k in (key, *previous)]
        self.ttl_seconds = ttl_seconds

    def _mac(self, body: str, key: bytes | None = None) -> str:
        return _b64(hmac.new(key or self._keys[0], body.encode(), hashlib.sha256).digest())

    def issue(self, address: str, chain_id: str, now: float) -> tuple[str, Session]:
        session = Session(address, chain_id, int(now) + self.ttl_seconds)
        claims = {"sub": address, "chain": chain_id, "iat": int(now), "exp": session.expires_at}
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{PREFIX}{body}.{self._mac(body)}", session

    def read(self, token: str, now: float) -> Session | None:
        """The session `token` carries; None when it is not one of ours, or has expired."""
        if not token.startswith(PREFIX) or token.count(".") != 2 or len(token) > 1024:
            return None
        body, _, mac = token[len(PREFIX) :].partition(".")
        if not any(hmac.compare_digest(self._mac(body, key), mac) for key in self._keys):
            return None
        try:
            claims = json.loads(_unb64(body))
            session = Session(str(claims["sub"]), str(claims["chain"]), int(claims["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires_at > now else None


def is_session_token(token: str) -> bool:
    return token.startswith(PREFIX)
