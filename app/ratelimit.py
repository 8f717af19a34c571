"""Per-client fixed-window rate limits, counted in SQLite so every worker process shares them."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from app.database import Database
from app.errors import ApiError


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: int  # unix time the window ends
    retry_after: int  # seconds until a refused request may be retried

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
        }

    def error(self, what: str, window: int) -> ApiError:
        per = "minute" if window == 60 else f"{window} s"
        return ApiError(
            429,
            "rate_limited",
            f"Too many {what} from your address: the limit is {self.limit} per {per}. "
            f"Retry in {self.retry_after} s; keep batches sequential.",
            headers={**self.headers(), "Retry-After": str(self.retry_after)},
            extra={"retry_after": self.retry_after},
        )


def _hit(conn: sqlite3.Connection, bucket: str, window_start: int) -> int:
    row = conn.execute(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)"
        " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits",
        (bucket, window_start),
    ).fetchone()
    return int(row[0])


def _prune(conn: sqlite3.Connection, before: int) -> None:
    conn.execute("DELETE FROM rate_limits WHERE window_start < ?", (before,))


class RateLimiter:
    """`await limiter.hit("poll", ip)` counts one request and says whether it is allowed."""

    def __init__(self, db: Database, limits: dict[str, int], window_seconds: int = 60) -> None:
        self.db = db
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
        hits = await self.db.run(_hit, f"{bucket}:{client}", window_start)
        if window_start > self._last_prune:
            self._last_prune = window_start
            await self.db.run(_prune, window_start - self.window)
        allowed = hits <= limit
        return Decision(
            allowed=allowed,
            limit=limit,
            remaining=max(0, limit - hits),
            reset_at=reset_at,
            retry_after=0 if allowed else max(1, int(reset_at - now + 0.999)),
        )
