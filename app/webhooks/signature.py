"""The webhook signature: `X-Forge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<job_id>.<t>.<body>">`."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Forge-Signature"


def signature(key: bytes, delivery_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(key, f"{delivery_id}.{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(key: bytes, delivery_id: str, header: str, body: bytes, tolerance_s: int = 300) -> bool:
    """What a receiver does (also used by tests): recompute the MAC and check the timestamp is fresh."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    if not parts.get("t", "").isdigit() or abs(time.time() - int(parts["t"])) > tolerance_s:
        return False
    return hmac.compare_digest(signature(key, delivery_id, int(parts["t"]), body), header)
