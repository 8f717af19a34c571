"""Per-client fixed-window rate limits, counted in the store so every worker process (and, on PostgreSQL, every
node) shares them: a limit is one limit across the deployment."""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.errors import RateLimited
from app.store.seam import RateLimitStore


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: int  # unix time the window ends
    retry_after: int  # seconds until a refused request may be retried

    def refusal(self, what: str, window: int) -> RateLimited:
        per = "minute" if window == 60 else f"{window} s"
        return RateLimited(
            f"Too many {what} from your address: the limit is {self.limit} per {per}. "
            f"Retry in {self.retry_after} s; keep batches sequential.",
            retry_after=self.retry_after,
            limit=self.limit,
            reset_at=self.reset_at,
        )


class RateLimiter:
    """`await limiter.hit("poll", ip)` counts one request and says whether it is allowed."""

    def __init__(self, counters: RateLimitStore, limits: dict[str, int], window_seconds: int = 60) -> None:
        self.counters = counters
        self.limits = limits  # bucket name -> requests per window; 0 = unlimited
        self.window = window_seconds
        self._last_prune = 0

    async def hit(self, bucket: str, client: str, now: float | None = None) -> Decision | None:
        limit = self.limits.get(bucket, 0)
        if limit <= 0:
            return None
        now = time.time() if now is None else now
        window_start = int(now) // self.window * self.window
        reset_at = window_start + self.window
        hits = await self.counters.hit(f"{bucket}:{client}", window_start)
        if window_start > self._last_prune:
            self._last_prune = window_start
            await self.counters.prune(window_start - self.window)
        allowed = hits <= limit
        return Decision(
            allowed=allowed,
            limit=limit,
            remaining=max(0, limit - hits),
            reset_at=reset_at,
            retry_after=0 if allowed else max(1, int(reset_at - now + 0.999)),
        )

    async def check(self, bucket: str, client: str, what: str) -> Decision | None:
        """Count the request against `bucket`; RateLimited when over. Returns the decision (for the answer)."""
        decision = await self.hit(bucket, client)
        if decision is not None and not decision.allowed:
            raise decision.refusal(what, self.window)
        return decision
