"""HMAC-signed, expiring URLs for stored files: `/files/<job>/<name>?expires=<unix>&sig=<hex>`.

A URL grants access to exactly one file until it expires; every poll signs a fresh one.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

from app.digits import ascii_int

MAX_TIMESTAMP_DIGITS = 12  # unix seconds until the year 33658: more is not a time


class UrlSigner:
    def __init__(self, key: bytes, ttl_seconds: int) -> None:
        self._key = key
        self.ttl_seconds = ttl_seconds

    def mac(self, message: str, expires: int) -> str:
        """The hex HMAC-SHA256 of `message` and `expires`."""
        return hmac.new(self._key, f"{message}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def sign(self, path: str, now: float | None = None) -> str:
        """Return `path?expires=...&sig=...` valid for the configured time."""
        expires = int(now if now is not None else time.time()) + self.ttl_seconds
        return f"{path}?{self.query(path, expires)}"

    def query(self, message: str, expires: int) -> str:
        """`expires=...&sig=...` for `message` (the path, or whatever else the signature covers)."""
        return urlencode({"expires": expires, "sig": self.mac(message, expires)})

    def matches(self, message: str, expires: int, sig: str) -> bool:
        """`sig` is the MAC of `message` and `expires`; any text is safe here (compare_digest refuses non-ASCII str)."""
        return sig.isascii() and hmac.compare_digest(self.mac(message, expires), sig)

    def check(self, path: str, expires: str | None, sig: str | None, now: float | None = None) -> str | None:
        """None when the signature is valid and unexpired, else the reason (for the error message)."""
        if not expires or not sig:
            return "the link is missing its signature"
        when = ascii_int(expires, MAX_TIMESTAMP_DIGITS)
        if when is None:
            return "the link's expiry is not a time"
        if not self.matches(path, when, sig):
            return "the link's signature does not match"
        if when < (now if now is not None else time.time()):
            return "the link has expired; poll the job again for a fresh one"
        return None
