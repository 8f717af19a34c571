"""HMAC-signed, expiring URLs for stored files: `/files/<job>/<name>?expires=<unix>&sig=<hex>`.

A URL grants access to exactly one file until it expires; every poll signs a fresh one. During a key rotation
(`FORGE402_SECRET_PREVIOUS`) links are signed with the new key and those signed with the previous one still pass.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from urllib.parse import urlencode

from app.digits import ascii_int

MAX_TIMESTAMP_DIGITS = 12  # unix seconds until the year 33658: more is not a time


class UrlSigner:
    def __init__(self, key: bytes, ttl_seconds: int, previous: Sequence[bytes] = ()) -> None:
        """`previous`: keys that no longer sign but whose signatures are still accepted (a rotation)."""
        self._key = key
        self._accepted = (key, *previous)
        self.ttl_seconds = ttl_seconds

    def mac(self, message: str, expires: int, key: bytes | None = None) -> str:
        """The hex HMAC-SHA256 of `message` and `expires` (with the signing key, or `key`)."""
        return hmac.new(key or self._key, f"{message}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def verify(self, message: str, expires: int, sig: str) -> bool:
        """`sig` is the MAC of `message` and `expires` under the signing key or a previous one; any text is safe here
        (compare_digest refuses a non-ASCII str)."""
        if not sig.isascii():
            return False
        return any(hmac.compare_digest(self.mac(message, expires, key), sig) for key in self._accepted)

    def sign(self, path: str, now: float | None = None) -> str:
        """Return `path?expires=...&sig=...` valid for the configured time."""
        expires = int(now if now is not None else time.time()) + self.ttl_seconds
        return f"{path}?{self.query(path, expires)}"

    def query(self, message: str, expires: int) -> str:
        """`expires=...&sig=...` for `message` (the path, or whatever else the signature covers)."""
        return urlencode({"expires": expires, "sig": self.mac(message, expires)})

    def check(self, path: str, expires: str | None, sig: str | None, now: float | None = None) -> str | None:
        """None when the signature is valid and unexpired, else the reason (for the error message)."""
        if not expires or not sig:
            return "the link is missing its signature"
        when = ascii_int(expires, MAX_TIMESTAMP_DIGITS)
        if when is None:
            return "the link's expiry is not a time"
        if not self.verify(path, when, sig):
            return "the link's signature does not match"
        if when < (now if now is not None else time.time()):
            return "the link has expired; poll the job again for a fresh one"
        return None
