"""Planning a generation: a validated request checked against what this server can build, turned into the job to
queue (`NewJob`). Shared by the free and the paid lane (the paid lane plans before any money moves)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from app.engines.registry import BACKENDS, DEFAULT_BACKEND
from app.errors import Invalid
from app.schemas import ForgeRequest
from app.store.jobs import NewJob
from app.tiers import get_tier


def image_path(request: ForgeRequest) -> str:
    """The catalog path of a photo request: "image" for one photo, "multiview" for 2–4."""
    return "multiview" if request.image_urls and len(request.image_urls) > 1 else "image"


def backend_for(request: ForgeRequest, path: str) -> str:
    """The backend that will build `request` along `path` (text, image, multiview), or Invalid saying why not."""
    backend = request.backend or DEFAULT_BACKEND
    if backend not in BACKENDS:
        raise Invalid(
            "unknown_backend",
            f"Unknown backend '{backend}'. Available: {', '.join(BACKENDS)} (see GET /api/forge?catalog).",
        )
    if path not in BACKENDS[backend].paths:
        what = {"text": "text", "image": "a photo", "multiview": "several photos"}.get(path, path)
        raise Invalid("unsupported_path", f"Backend '{backend}' does not build from {what}.")
    return backend


def new_job(request: ForgeRequest, lane: str, mode: str, backend: str, **extra: Any) -> NewJob:
    """The job for a checked request: its seed drawn when not given, its canonical request (plus `extra`) kept."""
    seed = request.seed if request.seed is not None else secrets.randbelow(2**31)
    canonical = request.model_dump(exclude_none=True) | {"seed": seed, "backend": backend, **extra}
    return NewJob(
        lane=lane,
        mode=mode,
        tier=request.tier,
        backend=backend,
        seed=seed,
        request_json=json.dumps(canonical, sort_keys=True, separators=(",", ":")),
        eta_seconds=get_tier(request.tier).eta_seconds,
    )


def plan_photos(request: ForgeRequest, lane: str, images: list[str]) -> NewJob:
    """A photo job: `images` are the stored file names `app.photos.prepare` made of `image_urls`."""
    path = image_path(request)
    mode = "multiview_to_3d" if path == "multiview" else "image_to_3d"
    return new_job(request, lane, mode, backend_for(request, path), images=images)


def plan(request: ForgeRequest, lane: str, images: list[str] | None = None) -> NewJob:
    """Check what the request asks for against what this server can build; raise Invalid if it can't.
    A photo request needs its `images` prepared first (fetched, checked, stored: `app.photos.prepare`)."""
    if request.image_urls is not None:
        if images is None:
            raise RuntimeError("a photo request is planned once its images are prepared")
        return plan_photos(request, lane, images)
    if request.prompt is None:
        raise Invalid(
            "missing_prompt",
            "Send a prompt (3–1000 characters) describing the object, or image_urls with 1–4 photos of it.",
        )
    return new_job(request, lane, "text_to_3d", backend_for(request, "text"))
