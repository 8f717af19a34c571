"""Liveness plus the queue's size, for load balancers and people."""

from __future__ import annotations

from typing import Any

from app import __version__
from app.services.container import Services
from app.store import jobs


async def status(svc: Services) -> dict[str, Any]:
    counts = await svc.db.run(jobs.count_active)
    return {"status": "ok", "version": __version__, "jobs": counts, "engine_workers": svc.runner.slots}
