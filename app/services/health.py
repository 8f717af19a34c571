"""Liveness plus the queue's size, for load balancers and people; readiness: whether this node takes traffic."""

from __future__ import annotations

from typing import Any

from app import __version__
from app.errors import ForgeError
from app.services.container import Services


async def status(svc: Services) -> dict[str, Any]:
    counts = await svc.store.jobs.count_active()
    return {"status": "ok", "version": __version__, "jobs": counts, "engine_workers": svc.runner.slots}


async def readiness(svc: Services) -> tuple[bool, dict[str, Any]]:
    """Ready: started, not draining, and the database answers now."""
    checks: dict[str, Any] = {"store": svc.store.kind, "draining": svc.runner.draining}
    try:
        await svc.store.ping()
        checks["database"] = "ok"
    except ForgeError as exc:
        checks["database"] = exc.code
    ready = checks["database"] == "ok" and not checks["draining"]
    if ready:
        return True, {"status": "ready", **checks}
    why = "it is draining" if checks["draining"] else f"its database does not answer ({checks['database']})"
    # a refusal like every other (error, message), with the checks beside it
    message = f"This node does not take traffic now: {why}."
    return False, {"error": "not_ready", "message": message, "status": "not_ready", **checks}
