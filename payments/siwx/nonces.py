"""The nonces we issue in sign-in challenges: stateless (nothing is written for a challenge, so unauthenticated
requests cost no storage) and unforgeable: the issue time, 64 random bits and an HMAC of both, in hex (EIP-4361 wants
at least 8 alphanumeric characters). A nonce is ours if its HMAC checks out and fresh until `ttl_seconds` after it was
issued. That each is used once is the caller's to keep (a store of used nonces, pruned once they expire)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import payments.siwx.errors as errors
from payments.siwx.errors import SiwxRejected

_MAC_BYTES = 16


class NonceIssuer:
    def __init__(self, key: bytes, ttl_seconds: int) -> None:
        self._key = hashlib.sha256(b"forge402 siwx nonces\x00" + key).digest()  # never the caller's key itself
        self.ttl_seconds = ttl_seconds

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:_MAC_BYTES]

    def issue(self, now: float) -> str:
        body = int(now).to_bytes(8, "big") + secrets.token_bytes(8)
        return (body + self._mac(body)).hex()

    def check(self, nonce: str, now: float) -> int:
        """The unix time `nonce` was issued at; SiwxRejected if it is not ours or has expired."""
        try:
            raw = bytes.fromhex(nonce)
        except ValueError:
            raw = b""
        if len(raw) != 16 + _MAC_BYTES or not hmac.compare_digest(raw[16:], self._mac(raw[:16])):
            raise SiwxRejected(errors.NONCE, "the nonce was not issued by this server; ask for a new challenge")
        issued = int.from_bytes(raw[:8], "big")
        if now > issued + self.ttl_seconds:
            raise SiwxRejected(errors.NONCE, "the nonce has expired; ask for a new challenge")
        return issued
