"""Planning a retopology: the source model (one of our finished jobs, or a URL fetched SSRF-safely and size-capped)
is read, checked (GLB or OBJ, its face count) and kept by content hash, so the paid lane can check everything before
money moves and the job (created later, from the payment) finds its source."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from app.config import Settings
from app.engines.registry import ADAPTERS, BACKENDS, is_remote, offering
from app.engines.validate import GLB_MAGIC, InvalidModel, inspect_glb
from app.errors import Conflict, Invalid, NotFound, TooLarge
from app.safefetch import FetchRefused, fetch, policy_for
from app.schemas import RETOPO_FACE_MIN, RetopoRequest
from app.store.blobs import BlobNotFound
from app.store.files import MODEL, FileStore
from app.store.jobs import NewJob
from app.store.seam import Store


def count_obj_faces(data: bytes) -> int:
    """Triangles an OBJ's faces make (an n-gon counts n-2); InvalidModel when it is not an OBJ."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidModel("it is neither a GLB nor a text OBJ file") from None
    vertices = faces = 0
    for line in text.splitlines():
        if line.startswith("v "):
            vertices += 1
        elif line.startswith("f "):
            faces += max(len(line.split()) - 3, 0)
    if vertices < 3 or faces == 0:
        raise InvalidModel("it is neither a GLB nor an OBJ file with vertices and faces")
    return faces


def inspect_source(data: bytes, max_faces: int) -> tuple[str, int]:
    """(format, triangle count) of a source model."""
    if data[:4] == GLB_MAGIC:
        return "glb", inspect_glb(data, max_faces).triangles
    faces = count_obj_faces(data)
    if faces > max_faces:
        raise InvalidModel(f"the model has {faces:,} faces; the limit is {max_faces:,}")
    return "obj", faces


async def _source_bytes(
    settings: Settings, files: FileStore, body: RetopoRequest, row: dict[str, Any] | None
) -> tuple[bytes, dict[str, str]]:
    """`row`: the job named by `body.job_id`, if any."""
    if (body.model_url is None) == (body.job_id is None):
        raise Invalid("missing_source", "Send exactly one source: model_url (a GLB or OBJ) or job_id (a done job).")
    if body.job_id is not None:
        if row is None:
            raise NotFound("job_not_found", f"No job '{body.job_id}' to retopologize.")
        if row["status"] != "done":
            raise Conflict("job_not_done", f"Job '{body.job_id}' is {row['status']}; retopologize it once done.")
        try:
            return await files.read(body.job_id, MODEL), {"job_id": body.job_id}
        except (BlobNotFound, ValueError):
            raise NotFound("job_model_gone", f"The model of job '{body.job_id}' is gone; generate it again.") from None
    assert body.model_url is not None
    try:
        data = await fetch(body.model_url, policy_for(settings, max_bytes=settings.max_model_bytes, timeout_s=30))
    except FetchRefused as exc:
        if exc.kind == "too_large":
            raise TooLarge("model_too_large", f"model_url is refused: {exc}.") from None
        if exc.unsafe:
            raise Invalid("model_url_forbidden", f"model_url is refused: {exc}.") from None
        raise Invalid("model_url_unreachable", f"model_url could not be downloaded: {exc}.") from None
    return data, {"url": body.model_url}


def retopo_backend(body: RetopoRequest) -> str:
    """The backend a retopology runs on, or Invalid saying why it cannot."""
    backend = body.backend or "local"
    names = ", ".join(offering("retopo"))
    if backend not in BACKENDS:
        raise Invalid("unknown_backend", f"Unknown backend '{backend}'. Retopology runs on: {names}.")
    if "retopo" not in BACKENDS[backend].paths:
        raise Invalid("unsupported_path", f"Backend '{backend}' does not do retopology on this server; use {names}.")
    return backend


async def _provider_source(
    store: Store, body: RetopoRequest, backend: str, row: dict[str, Any] | None
) -> dict[str, str]:
    """What a provider backend needs beyond the source file: its own task that built the source, when it did;
    Invalid when the provider cannot retopologize this request. `row`: the job named by `body.job_id`, if any."""
    extra: dict[str, str] = {}
    if row is not None and row["backend"] == backend and row["status"] == "done":
        task = await store.provider_tasks.get(row["id"])
        if task is not None:
            extra["provider_task"] = task
    refusal = ADAPTERS[backend].retopo_refusal(body.face_limit, body.quad, body.bake, extra.get("provider_task"))
    if refusal is not None:
        raise Invalid("unsupported_retopo", f"{refusal}.")
    return extra


async def plan_retopo(
    store: Store, settings: Settings, files: FileStore, body: RetopoRequest, lane: str, base_url: str = ""
) -> NewJob:
    """`base_url`: this service's public origin, where a provider fetches the source (signed link, at submit)."""
    backend = retopo_backend(body)
    if body.face_limit < RETOPO_FACE_MIN:
        raise Invalid("face_limit_too_low", f"face_limit must be at least {RETOPO_FACE_MIN} (got {body.face_limit}).")
    row = await store.jobs.get(body.job_id) if body.job_id is not None else None
    provider = await _provider_source(store, body, backend, row) if is_remote(backend) else {}
    data, origin = await _source_bytes(settings, files, body, row)
    try:
        fmt, faces = await asyncio.to_thread(inspect_source, data, settings.retopo_max_source_faces)
    except InvalidModel as exc:
        raise Invalid("unsupported_model", f"The source model is refused: {exc}. Send a GLB or OBJ.") from None
    if body.face_limit > faces:
        raise Invalid(
            "face_limit_too_high",
            f"face_limit {body.face_limit:,} is more than the source's {faces:,} faces; "
            f"choose {RETOPO_FACE_MIN}–{faces:,}.",
        )
    sha = await files.keep_source(data, fmt)
    canonical = {
        "source": {"sha256": sha, "format": fmt, "faces": faces, "bytes": len(data), **origin, **provider},
        "face_limit": body.face_limit,
        "quad": body.quad,
        "bake": body.bake,
        "backend": backend,
    }
    if is_remote(backend) and "provider_task" not in provider:
        canonical["public_url"] = settings.public_url or base_url
    if body.webhook_url:
        canonical["webhook_url"] = body.webhook_url
    eta = BACKENDS[backend].eta_seconds if is_remote(backend) else max(2, faces // 50_000 + (6 if body.bake else 1))
    request_json = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return NewJob(
        lane=lane, mode="retopo", tier="standard", backend=backend, seed=0, request_json=request_json, eta_seconds=eta
    )
