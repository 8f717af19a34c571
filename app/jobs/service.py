"""Turning a validated request into a queued job, shared by the free and the paid lane."""

from __future__ import annotations

import json
import secrets
from typing import Any

from app.catalog import BACKENDS, DEFAULT_BACKEND
from app.database import Database
from app.errors import ApiError, bad_request
from app.jobs import store
from app.jobs.runner import JobRunner
from app.schemas import ForgeRequest
from app.tiers import get_tier


def image_path(request: ForgeRequest) -> str:
    """The catalog path of a photo request: "image" for one photo, "multiview" for 2–4."""
    return "multiview" if request.image_urls and len(request.image_urls) > 1 else "image"


def backend_for(request: ForgeRequest, path: str) -> str:
    """The backend that will build `request` along `path` (text, image, multiview), or a 400 saying why not."""
    backend = request.backend or DEFAULT_BACKEND
    if backend not in BACKENDS:
        raise bad_request(
            "unknown_backend",
            f"Unknown backend '{backend}'. Available: {', '.join(BACKENDS)} (see GET /api/forge?catalog).",
        )
    if path not in BACKENDS[backend].paths:
        what = {"text": "text", "image": "a photo", "multiview": "several photos"}.get(path, path)
        raise bad_request("unsupported_path", f"Backend '{backend}' does not build from {what}.")
    return backend


def new_job(request: ForgeRequest, lane: str, mode: str, backend: str, **extra: Any) -> store.NewJob:
    """The job for a checked request: its seed drawn when not given, its canonical request (plus `extra`) kept."""
    seed = request.seed if request.seed is not None else secrets.randbelow(2**31)
    canonical = request.model_dump(exclude_none=True) | {"seed": seed, "backend": backend, **extra}
    return store.NewJob(
        lane=lane,
        mode=mode,
        tier=request.tier,
        backend=backend,
        seed=seed,
        request_json=json.dumps(canonical, sort_keys=True, separators=(",", ":")),
        eta_seconds=get_tier(request.tier).eta_seconds,
    )


def plan_photos(request: ForgeRequest, lane: str, images: list[str]) -> store.NewJob:
    """A photo job: `images` are the stored file names `app.photos.prepare_images` made of `image_urls`."""
    path = image_path(request)
    mode = "multiview_to_3d" if path == "multiview" else "image_to_3d"
    return new_job(request, lane, mode, backend_for(request, path), images=images)


def plan(request: ForgeRequest, lane: str, images: list[str] | None = None) -> store.NewJob:
    """Check what the request asks for against what this server can build; raise an ApiError if it can't.
    A photo request needs its `images` prepared first (fetched, checked, stored: `app.photos.prepare_images`)."""
    if request.image_urls is not None:
        if images is None:
            raise ApiError(500, "internal_error", "The photos were not prepared; please retry.")
        return plan_photos(request, lane, images)
    if request.prompt is None:
        raise bad_request(
            "missing_prompt",
            "Send a prompt (3–1000 characters) describing the object, or image_urls with 1–4 photos of it.",
        )
    return new_job(request, lane, "text_to_3d", backend_for(request, "text"))


class Jobs:
    def __init__(self, db: Database, runner: JobRunner) -> None:
        self.db = db
        self.runner = runner

    async def submit(self, job: store.NewJob, job_id: str | None = None) -> dict[str, Any]:
        row = await self.db.run(store.insert, job, None, job_id)
        self.runner.wake()
        return row

    async def get(self, job_id: str) -> dict[str, Any] | None:
        return await self.db.run(store.get, job_id)

    async def wait_finished(self, job_id: str, timeout: float) -> dict[str, Any] | None:
        if timeout <= 0:
            return None
        return await self.runner.wait_finished(job_id, timeout)

    def eta_seconds(self, row: dict[str, Any]) -> int | None:
        """Remaining seconds: the tier's estimate scaled by progress; the queue is ignored (it is short)."""
        if row["status"] in ("done", "failed"):
            return 0 if row["status"] == "done" else None
        base = get_tier(row["tier"]).eta_seconds
        return max(1, round(base * (100 - (row["progress"] or 0)) / 100))
