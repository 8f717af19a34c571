"""Turning a retopology request into a queued job: the source model (one of our finished jobs, or a URL fetched
SSRF-safely and size-capped) is read, checked (GLB or OBJ, its face count) and kept by content hash, so the paid
lane can check everything before money moves and the job (created later, from the payment) finds its source."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.config import Settings
from app.database import Database
from app.engines.providers.registry import ADAPTERS, is_remote
from app.engines.validate import GLB_MAGIC, InvalidModel, inspect_glb
from app.errors import ApiError, bad_request, not_found
from app.jobs import remote_store, store
from app.safefetch import FetchRefused, fetch, policy_for
from app.schemas import RETOPO_FACE_MIN, RetopoRequest
from app.storage import MODEL, QUAD_MODEL, FileStore, write_atomically

if TYPE_CHECKING:
    from app.engines.local.retopo import RetopoOutput

Report = Callable[[str, int], None]
Done = tuple[int, list[str]]  # (triangles in the GLB, notes)


def sources_dir(files_dir: Path) -> Path:
    return files_dir.parent / "sources"


def source_path(files_dir: Path, sha256: str, fmt: str) -> Path:
    return sources_dir(files_dir) / f"{sha256}.{fmt}"


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


def keep_source(files_dir: Path, data: bytes, fmt: str) -> str:
    sha = hashlib.sha256(data).hexdigest()
    target = source_path(files_dir, sha, fmt)
    if not target.exists():
        write_atomically(target, data)
    return sha


async def _source_bytes(
    settings: Settings, body: RetopoRequest, row: dict[str, Any] | None
) -> tuple[bytes, dict[str, str]]:
    """`row`: the job named by `body.job_id`, if any."""
    if (body.model_url is None) == (body.job_id is None):
        raise bad_request("missing_source", "Send exactly one source: model_url (a GLB or OBJ) or job_id (a done job).")
    if body.job_id is not None:
        if row is None:
            raise not_found("job_not_found", f"No job '{body.job_id}' to retopologize.")
        if row["status"] != "done":
            raise ApiError(409, "job_not_done", f"Job '{body.job_id}' is {row['status']}; retopologize it once done.")
        path = settings.files_dir / body.job_id / MODEL
        if not path.is_file():
            raise not_found("job_model_gone", f"The model of job '{body.job_id}' is gone; generate it again.")
        return await asyncio.to_thread(path.read_bytes), {"job_id": body.job_id}
    assert body.model_url is not None
    try:
        data = await fetch(body.model_url, policy_for(settings, max_bytes=settings.max_model_bytes, timeout_s=30))
    except FetchRefused as exc:
        if exc.kind == "too_large":
            raise ApiError(413, "model_too_large", f"model_url is refused: {exc}.") from None
        if exc.unsafe:
            raise bad_request("model_url_forbidden", f"model_url is refused: {exc}.") from None
        raise bad_request("model_url_unreachable", f"model_url could not be downloaded: {exc}.") from None
    return data, {"url": body.model_url}


def retopo_backend(body: RetopoRequest) -> str:
    """The backend a retopology runs on, or a 400 saying why it cannot."""
    from app.catalog import BACKENDS

    backend = body.backend or "local"
    offering = ", ".join(b.id for b in BACKENDS.values() if "retopo" in b.paths)
    if backend not in BACKENDS:
        raise bad_request("unknown_backend", f"Unknown backend '{backend}'. Retopology runs on: {offering}.")
    if "retopo" not in BACKENDS[backend].paths:
        raise bad_request(
            "unsupported_path", f"Backend '{backend}' does not do retopology on this server; use {offering}."
        )
    return backend


async def _provider_source(
    db: Database, body: RetopoRequest, backend: str, row: dict[str, Any] | None
) -> dict[str, str]:
    """What a provider backend needs beyond the source file: its own task that built the source, when it did;
    400 when the provider cannot retopologize this request. `row`: the job named by `body.job_id`, if any."""
    extra: dict[str, str] = {}
    if row is not None and row["backend"] == backend and row["status"] == "done":
        task = await db.run(remote_store.task_id, row["id"])
        if task is not None:
            extra["provider_task"] = task
    refusal = ADAPTERS[backend].retopo_refusal(body.face_limit, body.quad, body.bake, extra.get("provider_task"))
    if refusal is not None:
        raise bad_request("unsupported_retopo", f"{refusal}.")
    return extra


async def plan_retopo(
    db: Database, settings: Settings, body: RetopoRequest, lane: str, base_url: str = ""
) -> store.NewJob:
    """`base_url`: this service's public origin, where a provider fetches the source (signed link, at submit)."""
    backend = retopo_backend(body)
    if body.face_limit < RETOPO_FACE_MIN:
        raise bad_request(
            "face_limit_too_low", f"face_limit must be at least {RETOPO_FACE_MIN} (got {body.face_limit})."
        )
    row = await db.run(store.get, body.job_id) if body.job_id is not None else None
    provider = await _provider_source(db, body, backend, row) if is_remote(backend) else {}
    data, origin = await _source_bytes(settings, body, row)
    try:
        fmt, faces = await asyncio.to_thread(inspect_source, data, settings.retopo_max_source_faces)
    except InvalidModel as exc:
        raise bad_request("unsupported_model", f"The source model is refused: {exc}. Send a GLB or OBJ.") from None
    if body.face_limit > faces:
        raise bad_request(
            "face_limit_too_high",
            f"face_limit {body.face_limit:,} is more than the source's {faces:,} faces; "
            f"choose {RETOPO_FACE_MIN}–{faces:,}.",
        )
    sha = await asyncio.to_thread(keep_source, settings.files_dir, data, fmt)
    canonical = {
        "kind": "retopo",
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
    return retopo_job(json.dumps(canonical, sort_keys=True, separators=(",", ":")), lane)


def stage_source(files_dir: Path, source: dict) -> tuple[str, str]:
    """Publish a kept source where signed `/files/` links reach it, for a provider to fetch: (folder, name)."""
    folder = f"src_{source['sha256']}"
    name = MODEL if source["format"] == "glb" else QUAD_MODEL
    files = FileStore(files_dir)
    if not files.exists(folder, name):
        files.write(folder, name, source_path(files_dir, source["sha256"], source["format"]).read_bytes())
    return folder, name


def is_retopo_request(request_json: str) -> bool:
    try:
        return json.loads(request_json).get("kind") == "retopo"
    except (ValueError, AttributeError):
        return False


def retopo_job(request_json: str, lane: str) -> store.NewJob:
    request = json.loads(request_json)
    backend = request.get("backend", "local")
    eta = max(2, request["source"]["faces"] // 50_000 + (6 if request["bake"] else 1))
    if is_remote(backend):
        from app.catalog import BACKENDS

        eta = BACKENDS[backend].eta_seconds
    return store.NewJob(
        lane=lane, mode="retopo", tier="standard", backend=backend, seed=0, request_json=request_json, eta_seconds=eta
    )


@dataclass(frozen=True, slots=True)
class RetopoFigures:
    """What a retopology delivered, shown on the job (`retopo` in its view)."""

    source_faces: int
    faces: int
    quads: int
    triangles: int
    watertight: bool
    textured: bool
    formats: str = "glb"


def record_result(conn: sqlite3.Connection, job_id: str, fig: RetopoFigures) -> None:
    total = fig.quads + fig.triangles
    conn.execute(
        "INSERT OR REPLACE INTO retopo_results (job_id, source_faces, faces, quads, triangles, quad_ratio,"
        " watertight, formats, textured) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (job_id, fig.source_faces, fig.faces, fig.quads, fig.triangles, round(fig.quads / total, 4) if total else 0.0,
         int(fig.watertight), fig.formats, int(fig.textured)),
    )  # fmt: skip


def save_result(conn: sqlite3.Connection, job_id: str, out: RetopoOutput) -> None:
    """What the engine measured."""
    formats = "glb,obj" if out.obj is not None else "glb"
    figures = RetopoFigures(
        out.source_faces, out.faces, out.quads, out.triangles, out.watertight, out.textured, formats
    )
    record_result(conn, job_id, figures)


def run_in_engine(conn: sqlite3.Connection, request_json: str, files_dir: Path, job_id: str, report: Report) -> Done:
    """The engine process's part of a retopology job: build, store the files, record the figures."""
    from app.engines.local.retopo import run_retopo_job

    out = run_retopo_job(json.loads(request_json), files_dir, job_id, report)
    save_result(conn, job_id, out)
    return out.triangles_in_glb, list(out.notes)
