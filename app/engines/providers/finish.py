"""The last step of a provider job, run in the engine process pool (CPU work): check the downloaded GLB, load it,
render its thumbnail, store both. Only then is the job done."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from app.engines.validate import InvalidModel, inspect_glb
from app.storage import MODEL, THUMBNAIL, FileStore

MAX_TRIANGLES = 2_000_000
THUMBNAIL_SIZE = 256


@dataclass(frozen=True, slots=True)
class StoredModel:
    faces: int
    notes: tuple[str, ...]


def store_provider_model(files_dir: str, job_id: str, glb: bytes, label: str) -> StoredModel:
    """Validate and store `glb` with its thumbnail; raises InvalidModel with a reason a user can read."""
    import trimesh

    from app.engines.local.thumbnail import render_thumbnail

    summary = inspect_glb(glb, MAX_TRIANGLES)
    try:
        scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene", process=False)
    except Exception as exc:  # trimesh raises many types on bad input
        raise InvalidModel(f"the model could not be read ({type(exc).__name__})") from None
    if not scene.geometry:
        raise InvalidModel("the model has no geometry")
    thumbnail = render_thumbnail(scene, THUMBNAIL_SIZE)
    files = FileStore(Path(files_dir))
    files.write(job_id, MODEL, glb)
    files.write(job_id, THUMBNAIL, thumbnail)
    return StoredModel(summary.triangles, (f"built by {label}; the model was copied to this server and validated",))
