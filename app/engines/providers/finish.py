"""The last step of a provider job, run in the engine process pool (CPU work): check the downloaded GLB, load it,
render its thumbnail. The job driver stores both; only then is the job done."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from app.engines.validate import GlbSummary, InvalidModel, inspect_glb

MAX_TRIANGLES = 2_000_000
THUMBNAIL_SIZE = 256
FACE_TOLERANCE = 0.05  # a provider's retopology may exceed face_limit by this much


@dataclass(frozen=True, slots=True)
class CheckedModel:
    """A provider's model that passed our checks, with the thumbnail we rendered of it."""

    faces: int
    notes: tuple[str, ...]
    thumbnail_png: bytes
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


def _thumbnail(scene: Any) -> bytes:
    from app.engines.local.thumbnail import render_thumbnail

    return render_thumbnail(scene, THUMBNAIL_SIZE)


def check_provider_model(glb: bytes, label: str) -> CheckedModel:
    """Validate `glb` and render its thumbnail; raises InvalidModel with a reason a user can read."""
    summary, scene = _read(glb)
    notes = (f"built by {label}; the model was copied to this server and validated",)
    return CheckedModel(summary.triangles, notes, _thumbnail(scene))


def _watertight(scene: Any) -> bool:
    import numpy as np
    import trimesh

    from app.engines.local.retopo import is_watertight, weld

    mesh = scene.to_geometry() if hasattr(scene, "to_geometry") else scene.dump(concatenate=True)
    if not isinstance(mesh, trimesh.Trimesh) or not len(mesh.faces):
        return False
    return is_watertight(*weld(np.asarray(mesh.vertices, np.float64), np.asarray(mesh.faces, np.int64)))


def check_provider_retopo(glb: bytes, label: str, face_limit: int, quad: bool) -> CheckedModel:
    """A provider's retopology result: validated like any model, and refused when it has more faces than asked
    (+5 %; a quad mesh's GLB holds two triangles per quad)."""
    summary, scene = _read(glb)
    allowed = math.floor(face_limit * (2 if quad else 1) * (1 + FACE_TOLERANCE))
    if summary.triangles > allowed:
        raise InvalidModel(f"it has {summary.triangles:,} triangles, more than the {face_limit:,} faces asked (+5 %)")
    thumbnail = _thumbnail(scene)
    watertight = _watertight(scene)
    notes = (
        f"retopologized by {label}; the model was copied to this server and validated",
        f"reduced to {summary.triangles:,} triangles (asked {face_limit:,} {'quads' if quad else 'faces'})"
        + ("; watertight" if watertight else ""),
    )
    return CheckedModel(summary.triangles, notes, thumbnail, watertight, summary.has_texture)
