"""The nonces we issue in sign-in challenges: stateless (nothing is written for a challenge, so unauthenticated
requests cost no storage) and unforgeable: the issue time, 64 random bits and an HMAC of both, in hex (EIP-4361 wants
at least 8 alphanumeric characters). A nonce is ours if its HMAC checks out and fresh until `ttl_seconds` after it was
issued. That each is used once is the caller's to keep (a store of used nonces, pruned once they expire)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

import payments.siwx.errors as errors
from payments.siwx.errors import SiwxRejected

_MAC_BYTES = 16


def _derive(key: bytes) -> bytes:
    return hashlib.sha256(b"forge402 siwx nonces\x00" + key).digest()  # never the caller's key itself


class NonceIssuer:
    """`previous`: keys rotated out, whose nonces are still taken until they expire."""

    def __init__(self, key: bytes, ttl_seconds: int, previous: Sequence[bytes] = ()) -> None:
        self._keys = [_derive(k) for k in (key, *previous)]
        self.ttl_seconds = ttl_seconds

    def _mac(self, body: bytes, key: bytes | None = None) -> bytes:
        return hmac.new(key or self._keys[0], body, hashlib.sha256).digest()[:_MAC_BYTES]

    def issue(self, now: float) -> str:
        body = int(now).to_bytes(8, "big") + secrets.token_bytes(8)
        return (body + self._mac(body)).hex()

    def check(self, nonce: str, now: float) -> int:
        """The unix time `nonce` was issued at; SiwxRejected if it is not ours or has expired."""
        try:
            raw = bytes.fromhex(nonce)
        except ValueError:
            raw = b""
        ours = len(raw) == 16 + _MAC_BYTES and any(
            hmac.compare_digest(raw[16:], self._mac(raw[:16], key)) for key in self._keys
        )
        if not ours:
            raise SiwxRejected(errors.NONCE, "the nonce was not issued by this server; ask for a new challenge")
        issued = int.from_bytes(raw[:8], "big")
        if now > issued + self.ttl_seconds:
            raise SiwxRejected(errors.NONCE, "the nonce has expired; ask for a new challenge")
        return issued
