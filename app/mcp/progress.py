"""Waiting on a job for a call that asked for the finished model (`wait: true`): MCP progress notifications as the
job moves (step and percentage), when the client sent a progress token. The job does not depend on the wait: a
client that hangs up stops only the waiting."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.services.container import Services

Report = Callable[[float, str], Awaitable[None]]  # (progress 0–100, message)
TICK_S = 0.25  # how often a running job's progress is read
SLACK_S = 60.0  # past the job timeout, the job has been failed by the runner; stop waiting regardless


async def no_report(progress: float, message: str) -> None:
    return None


async def until_finished(svc: Services, job_id: str, report: Report) -> dict[str, Any] | None:
    """The job's row once it is done or failed (None if it vanished), reporting progress meanwhile."""
    last: tuple[Any, ...] | None = None
    waited = 0.0
    limit = svc.settings.job_timeout_seconds * max(1, svc.settings.job_max_attempts) + SLACK_S
    while waited < limit:
        row = await svc.jobs.wait_finished(job_id, TICK_S)
        if row is None:
            row = await svc.jobs.get(job_id)
        if row is None or row["status"] in ("done", "failed"):
            if row is not None:
                await report(100, row["status"])
            return row
        now = (row["status"], row["step"], row["progress"] or 0)
        if now != last:
            last = now
            await report(float(now[2]), f"{now[0]}: {now[1] or 'queued'}")
        waited += TICK_S
    return await svc.jobs.get(job_id)
