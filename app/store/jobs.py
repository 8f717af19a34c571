"""Jobs as both backends keep them: a planned job (`NewJob`), ids, lease owners, and the rules every backend applies
the same way (the row a new job starts as, when a lease owner is gone, what a job says when it is run again)."""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from dataclasses import dataclass, field, fields
from typing import Any

from app.logs import request_id
from payments.owners import gone_from_this_host

ACTIVE = ("queued", "running")
STATES = ("queued", "running", "done", "failed")
RESTARTED_NOTE = "the engine stopped while this model was being built; it was started again"
QUEUED = "forge402_jobs"  # notification channel: a job was queued (PostgreSQL)
FINISHED = "forge402_done"  # notification channel: a job is done or failed (payload: its id)


def new_job_id() -> str:
    return "job_" + secrets.token_hex(16)  # 128 random bits: ids are unguessable capabilities


def new_creation_id() -> str:
    return "cr_" + secrets.token_hex(12)


@dataclass(frozen=True, slots=True)
class NewJob:
    """A planned job, before it is queued (a paid one is kept, as JSON, with its payment until it settles)."""

    lane: str
    mode: str
    tier: str
    backend: str
    seed: int
    request_json: str
    eta_seconds: int
    # the request that planned it (its log lines, then the worker's and the engine's, carry it): taken from the
    # context it is planned in; kept in a paid job's order, so a job created at start-up after a crash has it too
    request_id: str | None = field(default_factory=request_id.get)

    def to_json(self) -> str:
        values = {name: getattr(self, name) for name in _NEW_JOB_FIELDS}  # all plain values: no asdict deep copy
        return json.dumps(values, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> NewJob:
        return cls(**json.loads(text))


_NEW_JOB_FIELDS = tuple(f.name for f in fields(NewJob))


def new_row(job: NewJob, now: float | None, job_id: str | None) -> dict[str, Any]:
    """The row a queued job starts as."""
    return {
        "id": job_id or new_job_id(),
        "creation_id": new_creation_id(),
        "lane": job.lane,
        "mode": job.mode,
        "tier": job.tier,
        "backend": job.backend,
        "seed": job.seed,
        "request_json": job.request_json,
        "status": "queued",
        "progress": 0,
        "eta_seconds": job.eta_seconds,
        "request_id": job.request_id,
        "attempts": 0,
        "notes_json": "[]",
        "submitted_at": now if now is not None else time.time(),
    }


def worker_lost_message(attempts: int) -> str:
    return (
        f"The server stopped while building this model ({attempts} attempts). "
        "Submit it again; if it keeps failing, try a simpler prompt or a lower tier."
    )


def owner_is_gone(owner: str | None, live_owner: str) -> bool:
    """True when `owner` was a process on this host that no longer runs (`payments.owners`, the same owner ids), or a
    previous incarnation of this very process (same pid, another instance token). Owners on other hosts, and live
    pids, are judged by their lease alone."""
    parts = (owner or "").split(":")
    if owner != live_owner and len(parts) == 3 and parts[:2] == [socket.gethostname(), str(os.getpid())]:
        return True  # same pid, another instance token: a previous incarnation of this very process
    return gone_from_this_host(owner, live_owner)


def lost(row: dict[str, Any], now: float, live_owner: str) -> bool:
    """A running job whose worker is gone: its lease ran out, or its owner died on this host."""
    expired = row["lease_expires_at"] is None or row["lease_expires_at"] < now
    return expired or owner_is_gone(row["lease_owner"], live_owner)
