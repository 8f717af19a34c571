"""The last step of a provider job, run in the engine process pool (CPU work): check the downloaded GLB, load it,
render its thumbnail, store both. Only then is the job done."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.engines.validate import GlbSummary, InvalidModel, inspect_glb
from app.storage import MODEL, THUMBNAIL, FileStore

MAX_TRIANGLES = 2_000_000
THUMBNAIL_SIZE = 256
FACE_TOLERANCE = 0.05  # a provider's retopology may exceed face_limit by this much


@dataclass(frozen=True, slots=True)
class StoredModel:
    faces: int
    notes: tuple[str, ...]
    watertight: bool = False
    textured: bool = False


def _read(glb: bytes) -> tuple[GlbSummary, Any]:
    """The GLB's summary and its trimesh scene; InvalidModel with a reason a user can read."""
    import trimesh

    summary = inspect_glb(glb, MAX_TRIANGLES)
    try:
        scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene", process=False)
    except Exception as exc:  # trimesh raises many types on bad input
        raise InvalidModel(f"the model could not be read ({type(exc).__name__})") from None
    if not scene.geometry:
        raise InvalidModel("the model has no geometry")
    return summary, scene


def _store(files_dir: str, job_id: str, glb: bytes, scene: Any) -> None:
    from app.engines.local.thumbnail import render_thumbnail

    files = FileStore(Path(files_dir))
    files.write(job_id, MODEL, glb)
    files.write(job_id, THUMBNAIL, render_thumbnail(scene, THUMBNAIL_SIZE))


def store_provider_model(files_dir: str, job_id: str, glb: bytes, label: str) -> StoredModel:
    """Validate and store `glb` with its thumbnail; raises InvalidModel with a reason a user can read."""
    summary, scene = _read(glb)
    _store(files_dir, job_id, glb, scene)
    return StoredModel(summary.triangles, (f"built by {label}; the model was copied to this server and validated",))


def _watertight(scene: Any) -> bool:
    import numpy as np
    import trimesh

    from app.engines.local.retopo import is_watertight, weld

    mesh = scene.to_geometry() if hasattr(scene, "to_geometry") else scene.dump(concatenate=True)
    if not isinstance(mesh, trimesh.Trimesh) or not len(mesh.faces):
        return False
    return is_watertight(*weld(np.asarray(mesh.vertices, np.float64), np.asarray(mesh.faces, np.int64)))


def store_provider_retopo(
    files_dir: str, job_id: str, glb: bytes, label: str, face_limit: int, quad: bool
) -> StoredModel:
    """A provider's retopology result: validated like any model, and refused when it has more faces than asked
    (+5 %; a quad mesh's GLB holds two triangles per quad)."""
    summary, scene = _read(glb)
    allowed = math.floor(face_limit * (2 if quad else 1) * (1 + FACE_TOLERANCE))
    if summary.triangles > allowed:
        raise InvalidModel(f"it has {summary.triangles:,} triangles, more than the {face_limit:,} faces asked (+5 %)")
    _store(files_dir, job_id, glb, scene)
    watertight = _watertight(scene)
    notes = (
        f"retopologized by {label}; the model was copied to this server and validated",
        f"reduced to {summary.triangles:,} triangles (asked {face_limit:,} {'quads' if quad else 'faces'})"
        + ("; watertight" if watertight else ""),
    )
    return StoredModel(summary.triangles, notes, watertight, summary.has_texture)
